"""Archive formats, streamed; each with a broken record that is reported by file and record."""

from __future__ import annotations

import csv
import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from deportgraph.errors import LoaderError
from deportgraph.loaders.archives import ReadOptions, archive_kind
from deportgraph.loaders.article import Article
from deportgraph.loaders.readers import iter_articles

GOOD = [
    {"text": "Rwanda agreed to receive 250 deportees from the United States.", "title": "Rwanda deal",
     "url": "https://example.org/rw", "published": "2025-08-05"},
    {"text": "Ghana took in 14 West African nationals deported from the U.S.", "title": "Ghana",
     "url": "https://example.org/gh", "published": "2025-09-10"},
]


def read(path: Path, options: ReadOptions | None = None) -> tuple[list[Article], list[LoaderError]]:
    items = list(iter_articles([str(path)], options=options))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, LoaderError)]


def jsonl_bytes() -> bytes:
    lines = [json.dumps(GOOD[0]), "{broken json", json.dumps(GOOD[1])]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson"])
def test_json_lines_plain_and_compressed(tmp_path: Path, suffix: str) -> None:
    data = jsonl_bytes()
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
    elif suffix.endswith(".zst"):
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path = tmp_path / f"feed{suffix}"
    path.write_bytes(data)
    articles, errors = read(path)
    assert [a.url for a in articles] == ["https://example.org/rw", "https://example.org/gh"]
    assert [e.path for e in errors] == [f"{path}:2"] and "not valid JSON" in errors[0].reason


def test_big_json_lines_files_split_into_ranges_lose_and_repeat_nothing(tmp_path: Path) -> None:
    from deportgraph.loaders.readers import iter_raw, read_raw

    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(500):
            f.write(json.dumps({"text": f"Article number {i} " + "word " * (i % 37)}) + "\n")
            if i == 250:
                f.write("{oops\n")
    raws = list(iter_raw([str(path)], range_bytes=1000))
    assert len(raws) > 10
    items = [x for r in raws for x in read_raw(r)]
    texts = [a.text.split()[2] for a in items if isinstance(a, Article)]
    assert texts == [str(i) for i in range(500)]
    [err] = [x for x in items if isinstance(x, LoaderError)]
    assert err.path == f"{path}:252"


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_csv_with_a_text_column_and_metadata(tmp_path: Path, suffix: str) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["headline", "link", "date", "outlet", "body"])
    for g in GOOD:
        w.writerow([g["title"], g["url"], g["published"], "Example Wire", g["text"]])
    w.writerow(["extra", "https://example.org/x", "2025-01-01", "Example", "text", "one field too many"])
    data = buf.getvalue().encode()
    path = tmp_path / f"export{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    articles, errors = read(path)
    assert [(a.title, a.url, a.published, a.publisher) for a in articles] == [
        ("Rwanda deal", "https://example.org/rw", "2025-08-05", "Example Wire"),
        ("Ghana", "https://example.org/gh", "2025-09-10", "Example Wire")]
    assert [e.path for e in errors] == [f"{path}:4"] and "more fields" in errors[0].reason


def test_csv_text_column_chosen_by_flag(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,story\n1,Kosovo agreed to take fifty deportees from the U.S.\n", encoding="utf-8")
    articles, errors = read(path)
    assert not articles and "no text column" in errors[0].reason
    articles, errors = read(path, ReadOptions(text_column="story"))
    assert not errors and articles[0].text.startswith("Kosovo")


def _warc(path: Path, pages: list[tuple[str, bytes, str]], gzip: bool = True) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gzip)
        for url, body, ctype in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def test_warc_pages_are_read_as_articles(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{GOOD[0]['text']} Paragraph {i} adds detail on the arrangement.</p>" for i in range(4))
    page = f"<html><head><title>Rwanda</title></head><body><nav>Menu</nav><article>{paragraphs}</article></body></html>"
    path = tmp_path / "CC-NEWS-1.warc.gz"
    _warc(path, [("https://example.org/rwanda", page.encode(), "text/html; charset=utf-8"),
                 ("https://example.org/logo.png", b"\x89PNG....", "image/png"),
                 ("https://example.org/empty", b"<html><body></body></html>", "text/html")])
    articles, errors = read(path)
    assert [a.url for a in articles] == ["https://example.org/rwanda"]
    assert "Rwanda agreed to receive 250 deportees" in articles[0].text and "Menu" not in articles[0].text
    assert len(errors) == 1 and errors[0].path == f"{path}#3" and "no article text" in errors[0].reason


def test_zip_and_tar_of_article_files(tmp_path: Path) -> None:
    members = {"a/rwanda.txt": GOOD[0]["text"].encode(), "b/ghana.md": GOOD[1]["text"].encode(),
               "c/broken.json": b"{nope", "d/blob.txt": b"\x00\x01binary"}
    zpath = tmp_path / "articles.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    tpath = tmp_path / "articles.tar.gz"
    with tarfile.open(tpath, "w:gz") as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    for path in (zpath, tpath):
        articles, errors = read(path)
        assert sorted(a.text[:6] for a in articles) == ["Ghana ", "Rwanda"]
        assert sorted(e.path for e in errors) == [f"{path}!c/broken.json", f"{path}!d/blob.txt"]


def test_truncated_archives_are_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl_bytes() * 50)[:200])
    _, errors = read(path)
    assert errors and errors[-1].path == str(path) and "truncated" in errors[-1].reason


def test_archive_kinds() -> None:
    assert archive_kind("x.tgz") == ("tar", "gz") and archive_kind("x.csv.zst") == ("csv", "zst")
    assert archive_kind("x.json") is None
