"""Archives as researchers have them, streamed record by record, never loaded whole.

JSON Lines and CSV (plain, ``.gz`` or ``.zst``), WARC files (Common Crawl News; ``.warc`` or
``.warc.gz``, read with warcio) and ``.zip`` / ``.tar`` (``.tar.gz``, ``.tgz``) of article files.
Each yields `RawRecord` units: small, picklable pieces of reading work that another process can
turn into articles (`readers.read_raw`), so the costly parsing (HTML above all) happens in the
workers, not in the process that frames the archive.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from deportgraph.errors import LoaderError

from .web import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT

__all__ = ["ARCHIVE_KINDS", "RawRecord", "ReadOptions", "archive_kind", "iter_archive"]

MAX_RECORD_BYTES = 20 * 1024 * 1024
CSV_TEXT_COLUMNS = ("text", "body", "content", "article", "maintext", "full_text")
CSV_META_COLUMNS = {
    "title": ("title", "headline"),
    "url": ("url", "link", "uri"),
    "published": ("published", "date", "publish_date", "published_at", "pubdate"),
    "publisher": ("publisher", "source", "outlet", "media_name", "sitename"),
}


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One unit of reading work that can travel to another process.

    ``kind`` says what ``data`` holds: ``file`` (nothing: read the file at ``name``), ``range``
    (``(start, end)`` byte offsets of a JSON Lines file), ``blob`` (a whole file's bytes), ``json``
    (one JSON Lines line), ``record`` (a CSV row mapped to text and metadata), ``html`` (a web
    page's bytes and what the archive says about it) or ``url`` (``name`` is a web address,
    ``data`` its ``(timeout, max_bytes)``: the page is fetched where the record is read).
    """

    name: str
    kind: str
    data: Any = None


@dataclass(frozen=True)
class ReadOptions:
    """How to read tabular archives: which CSV column holds the text (else the first of
    `CSV_TEXT_COLUMNS`), and which columns hold metadata (else the usual names); and how long
    to wait for a URL (seconds) and how much of it to read (bytes)."""

    text_column: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES


ARCHIVE_KINDS = ("jsonl", "csv", "warc", "zip", "tar")


def archive_kind(name: str) -> tuple[str, str] | None:
    """``(kind, compression)`` of a streamed archive, from its name; None for a plain article file.

    >>> archive_kind("news-2025.jsonl.zst"), archive_kind("CC-NEWS-1.warc.gz"), archive_kind("a.md")
    (('jsonl', 'zst'), ('warc', 'gz'), None)
    """
    lower = name.lower()
    compression = ""
    for ext in (".gz", ".zst"):
        if lower.endswith(ext):
            compression, lower = ext[1:], lower[: -len(ext)]
    if lower.endswith((".tgz", ".tar")):
        return "tar", compression or ("gz" if lower.endswith(".tgz") else "")
    for kind, suffixes in (("jsonl", (".jsonl", ".ndjson")), ("csv", (".csv", ".tsv")), ("warc", (".warc",)),
                           ("zip", (".zip",))):
        if lower.endswith(suffixes):
            return kind, compression
    return None


@contextmanager
def _open(path: Path, compression: str) -> Iterator[IO[bytes]]:
    raw = open(path, "rb")  # noqa: SIM115 - closed in finally
    try:
        if compression == "gz":
            yield gzip.GzipFile(fileobj=raw)
        elif compression == "zst":
            import zstandard

            yield io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw))
        else:
            yield raw
    finally:
        raw.close()


def iter_archive(path: Path, options: ReadOptions | None = None) -> Iterator[RawRecord | LoaderError]:
    """Every record of an archive file, as raw records (or errors naming the record)."""
    found = archive_kind(path.name)
    if found is None:
        raise ValueError(f"{path} is not an archive")
    kind, compression = found
    try:
        if kind == "jsonl":
            yield from _jsonl(path, compression)
        elif kind == "csv":
            yield from _csv(path, compression, options or ReadOptions())
        elif kind == "warc":
            yield from _warc(path)
        elif kind == "zip":
            yield from _zip(path)
        else:
            yield from _tar(path, compression)
    except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError) as err:
        yield LoaderError(str(path), f"archive is unreadable or truncated ({err})")
    except Exception as err:  # a decompressor's own error types (zstd, warcio) name the corruption
        if type(err).__module__.split(".")[0] in {"zstandard", "warcio", "gzip", "zlib"}:
            yield LoaderError(str(path), f"archive is unreadable or truncated ({err})")
        else:
            raise


def _jsonl(path: Path, compression: str) -> Iterator[RawRecord | LoaderError]:
    with _open(path, compression) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            if len(line) > MAX_RECORD_BYTES:
                yield LoaderError(where, f"record is {len(line):,} bytes, over the {MAX_RECORD_BYTES:,}-byte limit")
                continue
            try:
                yield RawRecord(where, "json", line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError as err:
                yield LoaderError(where, f"is not UTF-8 text (byte at offset {err.start})")


def _csv(path: Path, compression: str, options: ReadOptions) -> Iterator[RawRecord | LoaderError]:
    csv.field_size_limit(min(sys.maxsize, MAX_RECORD_BYTES))
    delimiter = "\t" if ".tsv" in path.name.lower() else ","
    with _open(path, compression) as f:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.DictReader(text, delimiter=delimiter)
        try:
            header = reader.fieldnames or []
        except UnicodeDecodeError:
            yield LoaderError(str(path), "is not UTF-8 text; convert it to UTF-8")
            return
        lowered = {h.lower().strip(): h for h in header}
        text_col = options.text_column or next((lowered[c] for c in CSV_TEXT_COLUMNS if c in lowered), None)
        if text_col is None or text_col not in header:
            wanted = options.text_column or " or ".join(CSV_TEXT_COLUMNS)
            yield LoaderError(str(path), f"no text column ({wanted}) among {', '.join(header) or 'no columns'}")
            return
        meta_cols = {key: options.columns.get(key) or next((lowered[c] for c in names if c in lowered), None)
                     for key, names in CSV_META_COLUMNS.items()}
        rowno = 1
        while True:
            rowno += 1
            where = f"{path}:{rowno}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as err:
                yield LoaderError(where, f"bad CSV row ({err})")
                return
            if None in row:
                yield LoaderError(where, "row has more fields than the header")
                continue
            record = {"text": row.get(text_col) or ""}
            record.update({k: row.get(c) for k, c in meta_cols.items() if c})
            yield RawRecord(where, "record", record)


def _warc(path: Path) -> Iterator[RawRecord | LoaderError]:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        for n, record in enumerate(ArchiveIterator(f), 1):
            if record.rec_type not in ("response", "resource"):
                continue
            where = f"{path}#{n}"
            content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else
                            record.rec_headers.get_header("Content-Type")) or ""
            if "html" not in content_type.lower():
                continue
            payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
            if len(payload) > MAX_RECORD_BYTES:
                yield LoaderError(where, f"record is over the {MAX_RECORD_BYTES:,}-byte limit")
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield RawRecord(where, "html", (payload, {"url": url}))


def _zip(path: Path) -> Iterator[RawRecord | LoaderError]:
    with zipfile.ZipFile(path) as z:
        for info in sorted(z.infolist(), key=lambda i: i.filename):
            if info.is_dir() or Path(info.filename).name.startswith("."):
                continue
            where = f"{path}!{info.filename}"
            if info.file_size > MAX_RECORD_BYTES:
                yield LoaderError(where, f"member is {info.file_size:,} bytes, over the limit")
                continue
            try:
                yield RawRecord(where, "blob", z.read(info))
            except (zipfile.BadZipFile, OSError, ValueError) as err:
                yield LoaderError(where, f"member is unreadable ({err})")


def _tar(path: Path, compression: str) -> Iterator[RawRecord | LoaderError]:
    mode = {"gz": "r:gz", "": "r:"}.get(compression)
    if mode is None:
        with _open(path, compression) as f, tarfile.open(fileobj=f, mode="r|") as t:
            yield from _tar_members(path, t)
        return
    with tarfile.open(path, mode) as t:
        yield from _tar_members(path, t)


def _tar_members(path: Path, t: tarfile.TarFile) -> Iterator[RawRecord | LoaderError]:
    for member in t:
        if not member.isfile() or Path(member.name).name.startswith("."):
            continue
        where = f"{path}!{member.name}"
        if member.size > MAX_RECORD_BYTES:
            yield LoaderError(where, f"member is {member.size:,} bytes, over the limit")
            continue
        f = t.extractfile(member)
        if f is not None:
            yield RawRecord(where, "blob", f.read())
