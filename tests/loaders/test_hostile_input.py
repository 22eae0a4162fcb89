"""Hostile input: whatever a file holds, its bad part is reported by name and the rest is read."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import re
import zipfile
from pathlib import Path

import pytest
import zstandard

from deportgraph.errors import LoaderError
from deportgraph.graph.ingest import plan_tasks
from deportgraph.loaders.archives import MAX_RECORD_BYTES
from deportgraph.loaders.readers import MAX_FILE_BYTES, iter_articles

from .test_archives import GOOD, _warc, read

LINE = json.dumps(GOOD[0]).encode()


def reasons(errors: list[LoaderError]) -> list[tuple[str, str]]:
    return [(e.path, e.reason) for e in errors]


@pytest.mark.parametrize(("bad", "reason"), [
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"text": "x", "n": ' + b"9" * 5000 + b"}", "digits"),
])
@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_json_that_python_cannot_hold_is_one_bad_line(tmp_path: Path, bad: bytes, reason: str, suffix: str) -> None:
    data = LINE + b"\n" + bad + b"\n" + json.dumps(GOOD[1]).encode() + b"\n"
    path = tmp_path / f"a{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    articles, errors = read(path)
    assert [a.title for a in articles] == ["Rwanda deal", "Ghana"]
    assert [e.path for e in errors] == [f"{path}:2"] and reason in errors[0].reason


def test_lone_surrogates_in_json_become_replacement_marks(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    record = {**GOOD[0], "text": GOOD[0]["text"] + " \ud800", "title": "Rwanda \udc00 deal"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")  # json.dumps escapes them: \ud800
    [article], errors = read(path)
    assert not errors and article.text.endswith("?") and article.title == "Rwanda ? deal"
    article.text.encode("utf-8")


def test_a_pipe_is_reported_not_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD[0]["text"], encoding="utf-8")
    os.mkfifo(folder / "b.jsonl")
    os.mkfifo(tmp_path / "c.txt")
    items = list(iter_articles([str(folder), str(tmp_path / "c.txt")]))
    assert [i.text for i in items if not isinstance(i, LoaderError)] == [GOOD[0]["text"]]
    assert reasons([i for i in items if isinstance(i, LoaderError)]) == [
        (str(folder / "b.jsonl"), "is not a regular file (a pipe, socket or device)"),
        (str(tmp_path / "c.txt"), "is not a regular file (a pipe, socket or device)")]


def test_standard_input_past_the_limit_is_refused_without_reading_it_all() -> None:
    class Endless(io.RawIOBase):
        served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            buffer[:] = b"a" * len(buffer)
            self.served += len(buffer)
            return len(buffer)

    stream = Endless()
    [error] = list(iter_articles(["-"], stdin=io.BufferedReader(stream)))
    assert isinstance(error, LoaderError) and error.path == "<stdin>" and "standard input" in error.reason
    assert stream.served <= MAX_FILE_BYTES + (1 << 20)


def test_an_over_long_compressed_line_is_skipped_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(LINE + b"\n" + b'{"text": "' + b"x" * (MAX_RECORD_BYTES + 10) + b'"}\n' + json.dumps(GOOD[1]).encode())
    articles, errors = read(path)
    assert [a.title for a in articles] == ["Rwanda deal", "Ghana"]
    assert reasons(errors) == [(f"{path}:2", f"record is over the {MAX_RECORD_BYTES:,}-byte limit")]


def test_a_truncated_zstandard_file_says_so_after_its_whole_records(tmp_path: Path) -> None:
    rng = random.Random(3)  # text that does not compress away: a stream of many blocks
    lines = [json.dumps({**GOOD[0], "text": f"{i}: {GOOD[0]['text']} {rng.random()} {rng.random()}"}).encode()
             for i in range(4000)]
    whole = zstandard.ZstdCompressor().compress(b"\n".join(lines) + b"\n")
    path = tmp_path / "a.jsonl.zst"
    path.write_bytes(whole[: len(whole) // 2])
    articles, errors = read(path)
    assert 0 < len(articles) < 4000
    assert errors[-1].path == str(path) and "truncated" in errors[-1].reason
    # Two frames one after the other are one stream.
    path.write_bytes(zstandard.ZstdCompressor().compress(LINE + b"\n") * 2)
    articles, errors = read(path)
    assert len(articles) == 2 and not errors


def test_empty_archives_are_reported(tmp_path: Path) -> None:
    for name in ("a.jsonl.gz", "b.csv.zst", "c.warc"):
        (tmp_path / name).write_bytes(b"")
    _, errors = read(tmp_path)
    assert reasons(errors) == [(str(tmp_path / n), "file is empty") for n in ("a.jsonl.gz", "b.csv.zst", "c.warc")]


def test_one_corrupt_zip_member_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, text in (("a.txt", GOOD[0]["text"]), ("b.txt", "x" * 5000), ("c.txt", GOOD[1]["text"])):
            z.writestr(name, text)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("b.txt")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start:start + 8] = b"\xff" * 8  # the deflate stream of b.txt only
    path.write_bytes(bytes(data))
    articles, errors = read(path)
    assert [a.text for a in articles] == [GOOD[0]["text"], GOOD[1]["text"]]
    assert [e.path for e in errors] == [f"{path}!b.txt"] and "unreadable" in errors[0].reason


def test_bad_csv_rows_cost_only_themselves(tmp_path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "text"])
    for i in range(6):
        writer.writerow([f"t{i}", f"{i}: {GOOD[0]['text']}" + ("y" * (MAX_RECORD_BYTES + 1) if i == 4 else "")])
    data = buffer.getvalue().encode()
    at = data.index(b"2: ")
    path = tmp_path / "a.csv"
    path.write_bytes(data[:at] + b"\xff" + data[at:])  # row 2 of the data (line 4) is not UTF-8
    articles, errors = read(path)
    assert [a.title for a in articles] == ["t0", "t1", "t3", "t5"]
    assert [e.path for e in errors] == [f"{path}:4", f"{path}:6"]


def test_big_archive_members_make_small_tasks(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for i in range(6):
            z.writestr(f"{i}.txt", f"{i}: {GOOD[0]['text']} " + " " * (2 << 20))
    tasks = [t for t in plan_tasks([str(path)], task_size=256) if not isinstance(t, LoaderError)]
    assert sum(len(t) for t in tasks) == 6
    assert max(sum(len(r.data) for r in t) for t in tasks) <= (2 << 20) + 256 * 4096


def test_json_lines_end_at_line_feeds_only(tmp_path: Path) -> None:
    """A bare CR between JSON tokens, or a raw U+2028 in a string, is valid JSON within one line."""
    record = '{"text": "' + GOOD[0]["text"] + '\u2028second paragraph",\r "title": "Rwanda deal"}'
    data = (record + "\n" + json.dumps(GOOD[1]) + "\r\n").encode()
    (tmp_path / "a.jsonl").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as z:
        z.writestr("c.jsonl", data)
        z.writestr("d.jsonl.gz", gzip.compress(data))
    articles, errors = read(tmp_path)
    assert [a.title for a in articles] == ["Rwanda deal", "Ghana"] * 2
    assert "second paragraph" in articles[0].text
    assert reasons(errors) == [(f"{tmp_path / 'b.zip'}!d.jsonl.gz",
                                "is an archive inside an archive; extract it and ingest it on its own")]


def _pages(n: int) -> list[tuple[str, bytes, str]]:
    paragraphs = "".join(f"<p>{GOOD[0]['text']} Paragraph {i} adds detail on the arrangement.</p>" for i in range(4))
    return [(f"https://example.org/{i}", f"<html><body><article><h1>Story {i}</h1>{paragraphs}</article></body></html>"
             .encode(), "text/html") for i in range(n)]


@pytest.mark.parametrize("change", [-150, +500])
def test_a_warc_record_with_a_wrong_length_is_reported_not_stored(tmp_path: Path, change: int,
                                                                   capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.warc"
    _warc(path, _pages(3), gzip=False)
    parts = path.read_bytes().split(b"WARC/1.0\r\n")  # parts[2]: the second record
    parts[2] = re.sub(rb"Content-Length: (\d+)", lambda m: b"Content-Length: %d" % (int(m.group(1)) + change),
                      parts[2], count=1)
    path.write_bytes(b"WARC/1.0\r\n".join(parts))
    articles, errors = read(path)
    assert f"{path}#2" in [e.path for e in errors] and "Content-Length" in errors[0].reason
    assert all("Story 1" not in a.text for a in articles) and any("Story 0" in a.text for a in articles)
    assert "WARNING" not in capfd.readouterr().err  # warcio's own warning, which names no file, is not shown


def test_a_truncated_warc_says_so_after_its_whole_records(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    _warc(path, _pages(30))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    articles, errors = read(path)
    assert 10 < len(articles) < 30
    assert errors[-1].path == str(path) and "truncated" in errors[-1].reason
