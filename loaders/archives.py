"""Archives as researchers have them, streamed record by record, never loaded whole.

JSON Lines and CSV (plain, ``.gz`` or ``.zst``), WARC files (Common Crawl News; ``.warc`` or
``.warc.gz``, read with warcio) and ``.zip`` / ``.tar`` (``.tar.gz``, ``.tgz``) of article files.
Each yields `RawRecord` units: small, picklable pieces of reading work that another process can
turn into articles (`readers.read_raw`), so the costly parsing (HTML above all) happens in the
workers, not in the process that frames the archive.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import sys
import tarfile
import typing
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from deportgraph.errors import LoaderError

from .web import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT

__all__ = ["ARCHIVE_KINDS", "RawRecord", "ReadOptions", "archive_kind", "iter_archive"]

MAX_RECORD_BYTES = 20 * 1024 * 1024
MAX_BAD_ROWS = 100  # past this many, a CSV file is likely not the CSV it says it is
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
    to wait for a URL (seconds), how much of it to read (bytes), and whether it may be on a loopback or
    private address."""

    text_column: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool = False


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
            yield typing.cast(IO[bytes], gzip.GzipFile(fileobj=raw))
        elif compression == "zst":
            yield io.BufferedReader(_ZstdStream(raw))
        else:
            yield raw
    finally:
        raw.close()


class _ZstdStream(io.RawIOBase):
    """A Zstandard file, frame after frame, that says so when it ends inside a frame (a cut download):
    zstandard's own stream reader just stops there."""

    def __init__(self, raw: IO[bytes]) -> None:
        import zstandard

        self._raw, self._new = raw, zstandard.ZstdDecompressor().decompressobj
        self._frame: Any = None
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            data = self._raw.read(1 << 16)
            if not data:
                if self._frame is not None and not self._frame.eof:
                    raise EOFError("the Zstandard data ends inside a frame: the file is truncated")
                return 0
            while data:
                if self._frame is None or self._frame.eof:
                    self._frame = self._new()
                self._pending += self._frame.decompress(data)
                data = self._frame.unused_data if self._frame.eof else b""
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def iter_archive(path: Path, options: ReadOptions | None = None) -> Iterator[RawRecord | LoaderError]:
    """Every record of an archive file, as raw records (or errors naming the record)."""
    found = archive_kind(path.name)
    if found is None:
        raise ValueError(f"{path} is not an archive")
    kind, compression = found
    if path.stat().st_size == 0:
        yield LoaderError(str(path), "file is empty")
        return
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
        lineno = 0
        while line := f.readline(MAX_RECORD_BYTES + 1):
            lineno += 1
            where = f"{path}:{lineno}"
            if len(line) > MAX_RECORD_BYTES:
                while line and not line.endswith(b"\n"):  # the rest of the line, never held whole
                    line = f.readline(1 << 20)
                yield LoaderError(where, f"record is over the {MAX_RECORD_BYTES:,}-byte limit")
                continue
            if not line.strip():
                continue
            try:
                yield RawRecord(where, "json", line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError as err:
                yield LoaderError(where, f"is not UTF-8 text (byte at offset {err.start})")


def _csv(path: Path, compression: str, options: ReadOptions) -> Iterator[RawRecord | LoaderError]:
    csv.field_size_limit(min(sys.maxsize, MAX_RECORD_BYTES))
    delimiter = "\t" if ".tsv" in path.name.lower() else ","
    with _open(path, compression) as f:
        # Bytes that are not UTF-8 are kept as surrogates, so that the row holding them is the one refused.
        text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.DictReader(text, delimiter=delimiter, strict=True)
        try:
            header = reader.fieldnames or []
        except csv.Error as err:
            yield LoaderError(str(path), f"bad CSV header ({err})")
            return
        if not _decoded(header):
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
        rowno, bad = 1, 0
        while True:
            rowno += 1
            where = f"{path}:{rowno}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:  # the reader goes on with the next line
                yield LoaderError(where, f"bad CSV row ({err})")
                bad += 1
                if bad >= MAX_BAD_ROWS:
                    yield LoaderError(str(path), f"{bad} bad rows: the rest of the file is skipped")
                    return
                continue
            if None in row:
                yield LoaderError(where, "row has more fields than the header")
                continue
            if not _decoded(v for v in row.values() if isinstance(v, str)):
                yield LoaderError(where, "row is not UTF-8 text")
                continue
            record = {"text": row.get(text_col) or ""}
            record.update({k: row.get(c) for k, c in meta_cols.items() if c})
            yield RawRecord(where, "record", record)


def _decoded(values: Iterable[str]) -> bool:
    """Whether these strings hold no byte that failed to decode as UTF-8."""
    try:
        for value in values:
            value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _warc(path: Path) -> Iterator[RawRecord | LoaderError]:
    """The HTML responses of a WARC file.

    warcio notices a wrong Content-Length only when it reads the next record's header (and says so
    on stderr, without the file's name): so each record is held until the next one is read, and one
    whose length proved wrong is reported instead. Bytes left after the last whole record (a cut
    download) are reported too.
    """
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        archive = ArchiveIterator(f)
        records = iter(archive)
        quiet = contextlib.redirect_stderr  # warcio's own warning; ours names the record
        with quiet(io.StringIO()):
            record = next(records, None)
        n, end = 0, 0
        while record is not None:
            n += 1
            current = _warc_record(f"{path}#{n}", record)
            errors = archive.err_count
            with quiet(io.StringIO()):
                archive.read_to_end()
                end = archive.get_record_offset() + archive.get_record_length()
                record = next(records, None)
            if archive.err_count > errors and isinstance(current, RawRecord):
                current = LoaderError(current.name, "its Content-Length does not match its content: the record "
                                                    "is cut short or runs into the next one")
            if current is not None:
                yield current
        left = path.stat().st_size - end
        if left > (0 if path.name.lower().endswith(".gz") else 4):  # plain WARC records end with CRLF CRLF
            yield LoaderError(str(path), f"ends with {left:,} bytes that are not a whole record: the file is "
                                         "truncated or has something else after its records")


def _warc_record(where: str, record: Any) -> RawRecord | LoaderError | None:
    if record.rec_type not in ("response", "resource"):
        return None
    content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else
                    record.rec_headers.get_header("Content-Type")) or ""
    if "html" not in content_type.lower():
        return None
    payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(payload) > MAX_RECORD_BYTES:
        return LoaderError(where, f"record is over the {MAX_RECORD_BYTES:,}-byte limit")
    return RawRecord(where, "html", (payload, {"url": record.rec_headers.get_header("WARC-Target-URI")}))


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
                with z.open(info) as member:
                    data = member.read(MAX_RECORD_BYTES + 1)
            except Exception as err:  # bad CRC, zlib errors, encryption, unknown methods: this member only
                yield LoaderError(where, f"member is unreadable ({type(err).__name__}: {err})")
                continue
            if len(data) > MAX_RECORD_BYTES:  # the header understated it
                yield LoaderError(where, f"member is over the {MAX_RECORD_BYTES:,}-byte limit")
                continue
            yield RawRecord(where, "blob", data)


def _tar(path: Path, compression: str) -> Iterator[RawRecord | LoaderError]:
    if compression not in ("gz", ""):
        with _open(path, compression) as f, tarfile.open(fileobj=f, mode="r|") as t:
            yield from _tar_members(path, t)
        return
    with tarfile.open(path, "r:gz" if compression == "gz" else "r:") as t:
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
