"""Readers: article files of every supported format, feeds and web pages in, `Article` records out.

The format is decided once, in `detect_format` (by suffix, then by sniffing the first bytes); a
web address (``http://``, ``https://``) is fetched by the worker that reads it (`web.fetch`) and
its body read by Content-Type, then by sniffing. RSS and Atom feeds give one article per entry.
A file or record that cannot be read becomes a `LoaderError` *value* in the stream, so one bad
file never stops a batch: the caller reports it by name and reason and goes on.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from deportgraph.errors import LoaderError

from .archives import RawRecord, ReadOptions, archive_kind, iter_archive
from .article import Article
from .dates import iso_date
from .feeds import FEED_ROOTS, read_feed, xml_root
from .web import Page, fetch, is_url, page_kind

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "RawRecord",
    "ReadOptions",
    "detect_format",
    "iter_articles",
    "iter_raw",
    "read_bytes",
    "read_page",
    "read_raw",
]

MAX_FILE_BYTES = 20 * 1024 * 1024
SUPPORTED_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
}
_META_KEYS = ("url", "title", "publisher", "published")
_TEXT_KEYS = ("text", "body", "content", "article", "maintext")


def detect_format(name: str, head: bytes) -> str | None:
    """The reader for a file: by its suffix, else by sniffing its first bytes.

    >>> detect_format("a.md", b"")
    'text'
    >>> detect_format("-", b"  <!doctype html><html>")
    'html'
    >>> detect_format("feed", b'{"text": "x"}\\n{"text": "y"}')
    'jsonl'
    >>> detect_format("news.xml", b'<?xml version="1.0"?><rss version="2.0">'), detect_format("a.xml", b"<svg>")
    ('feed', None)
    >>> detect_format("index.php", b'<?xml version="1.0"?>\\n<feed xmlns="http://www.w3.org/2005/Atom">')
    'feed'
    """
    suffix = Path(name).suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return SUPPORTED_SUFFIXES[suffix]
    start = head.lstrip()[:200].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article")):
        return "html"
    root = xml_root(head) if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else None
    if root in FEED_ROOTS:
        return "feed"
    if root == "html":  # XHTML behind an XML declaration
        return "html"
    if suffix == ".xml":
        return None
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first_line = head.lstrip().split(b"\n", 1)[0].strip()
        rest = head.lstrip()[len(first_line):].strip()
        return "jsonl" if first_line.endswith(b"}") and rest.startswith(b"{") else "json"
    if suffix and suffix not in {".txt", ""}:
        return None
    return "text"


def iter_raw(paths: Iterable[str], stdin: Any = None, options: ReadOptions | None = None,
             range_bytes: int = 4 * 1024 * 1024) -> Iterator[RawRecord | LoaderError]:
    """The reading work for the given paths, as raw records another process can finish.

    Plain files become ``file`` records (read where they are processed), big JSON Lines files
    ``range`` records of about ``range_bytes``, archives their framed records, web addresses
    ``url`` records (fetched where they are processed); ``-`` is stdin. Folders are walked in
    sorted order so the same input always gives the same sequence.
    """
    opts = options or ReadOptions()
    for raw in paths:
        if is_url(raw):
            yield RawRecord(raw, "url", (opts.timeout, opts.max_bytes, opts.allow_private))
            continue
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                yield LoaderError("<stdin>", f"more than {MAX_FILE_BYTES:,} bytes on standard input; save it to a "
                                             "file (JSON Lines and CSV files of any size are read as they stream)")
            else:
                yield RawRecord("<stdin>", "blob", data)
            continue
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path):
                yield from _guarded_file(file, options, range_bytes)
        elif path.exists():
            yield from _guarded_file(path, options, range_bytes)
        else:
            yield LoaderError(str(path), "no such file or folder")


def _guarded_file(path: Path, options: ReadOptions | None, range_bytes: int) -> Iterator[RawRecord | LoaderError]:
    """`_raw_file`, for regular files only (a pipe would block for ever), and never raising: whatever
    goes wrong in one file is an error naming it, after the records read before it."""
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as err:
        yield LoaderError(str(path), f"cannot be read ({err.strerror or err})")
        return
    if not regular:
        yield LoaderError(str(path), "is not a regular file (a pipe, socket or device)")
        return
    try:
        yield from _raw_file(path, options, range_bytes)
    except Exception as err:  # one unreadable file must not end the run
        yield LoaderError(str(path), f"could not be read ({_reason(err)})")


def _reason(err: BaseException) -> str:
    """A one-line reason for an unexpected error while reading."""
    if isinstance(err, RecursionError):
        return "nested too deeply"
    text = str(err).splitlines()[0][:200] if str(err) else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _raw_file(path: Path, options: ReadOptions | None, range_bytes: int) -> Iterator[RawRecord | LoaderError]:
    kind = archive_kind(path.name)
    if kind is None:
        yield RawRecord(str(path), "file")
    elif kind == ("jsonl", ""):
        try:
            yield from _ranges(path, range_bytes)
        except OSError as err:
            yield LoaderError(str(path), f"cannot be read ({err.strerror or err})")
    else:
        yield from iter_archive(path, options)


def _ranges(path: Path, range_bytes: int) -> Iterator[RawRecord | LoaderError]:
    """Cut a JSON Lines file into byte ranges that end at line ends, numbering their first lines.

    One sequential pass (newlines are counted in C); the workers then read only their own range.
    """
    start, lineno, pos = 0, 1, 0
    lines_in_range = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            offset = 0
            while pos + len(chunk) - start >= range_bytes:
                cut = chunk.rfind(b"\n", offset, max(offset, start + range_bytes - pos))
                if cut < 0:
                    cut = chunk.find(b"\n", max(offset, start + range_bytes - pos))
                if cut < 0:
                    break
                lines_in_range += chunk.count(b"\n", offset, cut + 1)
                end = pos + cut + 1
                yield RawRecord(str(path), "range", (start, end, lineno))
                start, lineno, lines_in_range, offset = end, lineno + lines_in_range, 0, cut + 1
            lines_in_range += chunk.count(b"\n", offset)
            pos += len(chunk)
    if pos == 0:
        yield LoaderError(str(path), "file is empty")
    elif start < pos:
        yield RawRecord(str(path), "range", (start, pos, lineno))


def read_raw(raw: RawRecord) -> Iterator[Article | LoaderError]:
    """The articles (or errors) of one raw record; whatever goes wrong in it becomes an error naming it."""
    try:
        yield from _read_raw(raw)
    except Exception as err:  # one unreadable record must not end the run
        yield LoaderError(raw.name, f"could not be read ({_reason(err)})")


def _read_raw(raw: RawRecord) -> Iterator[Article | LoaderError]:
    if raw.kind == "file":
        yield from _read_file(Path(raw.name))
    elif raw.kind == "range":
        yield from _read_range(Path(raw.name), *raw.data)
    elif raw.kind == "blob":
        yield from _read_blob(raw.name, raw.data)
    elif raw.kind == "json":
        yield from _read_jsonl_line(raw.name, raw.data)
    elif raw.kind == "record":
        yield _from_record(raw.name, raw.data)
    elif raw.kind == "html":
        payload, meta = raw.data
        yield _read_html(raw.name, payload, meta)  # bytes: trafilatura reads the page's own charset
    elif raw.kind == "url":
        timeout, max_bytes, allow_private = raw.data
        yield from _read_url(raw.name, timeout, max_bytes, allow_private)
    else:
        raise ValueError(f"unknown raw record kind {raw.kind!r}")


def iter_articles(paths: Iterable[str], stdin: Any = None,
                  options: ReadOptions | None = None) -> Iterator[Article | LoaderError]:
    """Every article under the given paths (files, folders read recursively, archives, ``-`` for stdin)."""
    for raw in iter_raw(paths, stdin, options):
        if isinstance(raw, LoaderError):
            yield raw
        else:
            yield from read_raw(raw)


def _read_range(path: Path, start: int, end: int, lineno: int = 1) -> Iterator[Article | LoaderError]:
    """The JSON Lines records in bytes ``[start, end)`` of a file, whose first line is ``lineno``."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below, a generator holds it open
    except OSError as err:
        yield LoaderError(str(path), f"cannot be read ({err.strerror or err})")
        return
    with f:
        f.seek(start)
        for raw in f.read(end - start).split(b"\n"):  # JSON allows a bare CR as whitespace: lines end at LF
            raw = raw.removesuffix(b"\r")
            where = f"{path}:{lineno}"
            lineno += 1
            if not raw.strip():
                continue
            if len(raw) > MAX_FILE_BYTES:
                yield LoaderError(where, f"record is {len(raw):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
                continue
            try:
                line = raw.decode("utf-8-sig" if start == 0 and lineno == 2 else "utf-8")
            except UnicodeDecodeError as err:
                yield LoaderError(where, f"is not UTF-8 text (byte at offset {err.start})")
                continue
            yield from _read_jsonl_line(where, line)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refusing files too large to be one article."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LoaderError(str(path), f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    return path.read_bytes()


def _read_file(path: Path) -> Iterator[Article | LoaderError]:
    try:
        data = read_bytes(path)
    except LoaderError as err:
        yield err
        return
    except OSError as err:
        yield LoaderError(str(path), f"cannot be read ({err.strerror or err})")
        return
    yield from _read_blob(str(path), data)


def _read_blob(name: str, data: bytes) -> Iterator[Article | LoaderError]:
    if not data.strip():
        yield LoaderError(name, "file is empty")
        return
    fmt = detect_format(name, data[:4096])
    if fmt is None and archive_kind(name) is not None:
        yield LoaderError(name, "is an archive inside an archive; extract it and ingest it on its own")
        return
    if fmt is None:
        root = xml_root(data[:4096])
        if Path(name).suffix.lower() == ".xml" and root:
            yield LoaderError(name, f"is XML but not an RSS or Atom feed (root element <{root}>)")
        else:
            yield LoaderError(name, f"unsupported file type '{Path(name).suffix}'")
        return
    if fmt == "feed":  # bytes: the XML parser reads the feed's own encoding declaration
        if _looks_binary(data):
            yield LoaderError(name, "looks binary (contains NUL bytes), not a feed")
        else:
            yield from read_feed(name, data)
        return
    try:
        text = _decode(name, data)
    except LoaderError as err:
        yield err
        return
    if fmt == "text":
        yield from _one(name, _read_text(name, text))
    elif fmt == "html":
        yield from _one(name, _read_html(name, text))
    elif fmt == "json":
        yield from _read_json(name, text)
    else:
        yield from _read_jsonl(name, text)


def _one(name: str, article: Article | LoaderError) -> Iterator[Article | LoaderError]:
    yield article


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))


def _decode(name: str, data: bytes) -> str:
    if _looks_binary(data):
        raise LoaderError(name, "looks binary (contains NUL bytes), not an article")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise LoaderError(
            name, f"is not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); convert it to UTF-8"
        ) from None


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---`` front matter (``key: value`` lines) from the body."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    meta: dict[str, str] = {}
    for line in text[3:end].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("'\"")
    body = text[end + 4:]
    return meta, body.split("\n", 1)[1] if "\n" in body else ""


def _make(name: str, text: str, meta: dict[str, Any]) -> Article | LoaderError:
    text = _utf8(text).strip()
    if not text:
        return LoaderError(name, "has no article text")
    header = header_meta(text)
    return Article(
        text=text,
        path=name,
        url=_str(meta.get("url") or meta.get("link")),
        title=_str(meta.get("title") or header.get("title")),
        publisher=_str(meta.get("publisher") or meta.get("source") or meta.get("sitename")),
        published=iso_date(meta.get("published") or meta.get("date")) or header.get("published"),
    )


# A header line that dates the article: "Published: 2026-01-06", "Posted on August 7, 2025", "date 2024-10-18".
_DATED_LINE = re.compile(r"\s*(?:(?:first\s+|last\s+)?(?:date[ds]?|published|posted|updated)(?:\s+on)?\s*[:\-–|]?\s*)"
                         r"(?P<date>.{6,40})", re.IGNORECASE)
_BYLINE = re.compile(r"\s*(?:by|from)\s+\S", re.IGNORECASE)
_DATE_IN_LINE = re.compile(r"\b(?:\d{4}-\d{1,2}-\d{1,2}|(?:\d{1,2}\s+)?[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},?\s+)?\d{4})\b")


def header_meta(text: str) -> dict[str, str]:
    """The title and publication date a plain text gives in its first lines: a headline, and a date line
    ("Posted on August 7, 2025", "Published: 2026-01-06", "By Ana Ruiz | May 1, 2025", a bare date).

    >>> header_meta("Kenya takes back 40 people\\nPosted on August 7, 2025\\nKenya said…")
    {'title': 'Kenya takes back 40 people', 'published': '2025-08-07'}
    >>> header_meta("-\\nGhana deal\\nGhana agreed to take deportees.")
    {}
    """
    out: dict[str, str] = {}
    seen_text = False
    for line in [line.strip() for line in text.split("\n", 8)[:8] if line.strip()][:6]:
        dated = _dated(line)
        if dated:
            out.setdefault("published", dated)
        elif _BYLINE.match(line) and len(line) <= 120:
            continue
        elif not seen_text:  # the first line that is neither a date nor a byline: a headline, or the text
            seen_text = True
            headline = line.lstrip("# ").strip()
            if _headline(headline):
                out["title"] = headline
    return out


def _dated(line: str) -> str | None:
    """The date of a header line that is only a date, a labelled date or a byline with a date."""
    if len(line) > 120:
        return None
    m = _DATED_LINE.match(line)
    if m:
        found = iso_date(m.group("date")) or _date_in(m.group("date"))  # "Published: 18:16, August 31, 2025"
        if found:
            return found
    if len(line) <= 40 and iso_date(line):
        return iso_date(line)
    if _BYLINE.match(line) or "|" in line:
        return _date_in(line)
    return None


def _date_in(text: str) -> str | None:
    found = _DATE_IN_LINE.search(text)
    return iso_date(found.group(0)) if found else None


def _headline(line: str) -> bool:
    """Does a first line read as a headline: 3 to 30 words, letters, no sentence end, no label?"""
    words = line.split()
    return (3 <= len(words) <= 30 and len(line) <= 200 and any(c.isalpha() for c in line)
            and not line.endswith((".", "!", "?", "”", '"', ":")) and not _BYLINE.match(line))


def _str(value: Any) -> str | None:
    return _utf8(str(value)).strip() or None if value is not None else None


def _utf8(text: str) -> str:
    """``text`` without lone surrogates (JSON may escape them: ``"\\ud800"``), which no UTF-8 file or store takes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _read_text(name: str, text: str) -> Article | LoaderError:
    meta, body = _front_matter(text)
    return _make(name, body, meta)


def _read_html(name: str, html: str | bytes, known: dict[str, Any] | None = None) -> Article | LoaderError:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except (ValueError, TypeError) as err:
        return LoaderError(name, f"the HTML could not be parsed ({err})")
    doc: Any = extracted
    if isinstance(extracted, dict):  # older trafilatura versions give a dict
        doc = SimpleNamespace(**{k: extracted.get(k) for k in ("text", "title", "url", "sitename", "date")})
    if doc is None or not (doc.text or "").strip():
        return LoaderError(name, "no article text found in the HTML")
    meta = {"title": doc.title, "url": doc.url, "publisher": doc.sitename, "published": doc.date}
    meta.update({k: v for k, v in (known or {}).items() if v})
    return _make(name, str(doc.text), meta)


def _from_record(name: str, record: Any) -> Article | LoaderError:
    if not isinstance(record, dict):
        return LoaderError(name, f"expected a JSON object, found {type(record).__name__}")
    text = next((record[k] for k in _TEXT_KEYS if isinstance(record.get(k), str)), None)
    if text is None:
        return LoaderError(name, f"has no text field (one of: {', '.join(_TEXT_KEYS)})")
    meta = {k: record.get(k) for k in (*_META_KEYS, "link", "source", "date")}
    return _make(name, text, meta)


def _parse_json(where: str, text: str, line_too: bool) -> Any | LoaderError:
    """The JSON value of ``text``, or the error that names ``where`` and why it cannot be read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        at = f"at line {err.lineno}, column {err.colno}" if line_too else f"column {err.colno}"
        return LoaderError(where, f"is not valid JSON ({err.msg}{' ' if line_too else ', '}{at})")
    except (ValueError, RecursionError) as err:  # an integer of thousands of digits; nesting past the stack
        return LoaderError(where, f"is not JSON that can be read ({_reason(err)})")


def _read_json(name: str, text: str) -> Iterator[Article | LoaderError]:
    data = _parse_json(name, text, line_too=True)
    if isinstance(data, LoaderError):
        yield data
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records, 1):
        yield _from_record(f"{name}[{i}]" if isinstance(data, list) else name, record)


def _read_jsonl_line(where: str, line: str) -> Iterator[Article | LoaderError]:
    record = _parse_json(where, line, line_too=False)
    if isinstance(record, LoaderError):
        yield record
        return
    yield _from_record(where, record)


def _read_jsonl(name: str, text: str) -> Iterator[Article | LoaderError]:
    # Lines end at LF only: JSON strings may hold a raw U+2028, which str.splitlines would cut at.
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield from _read_jsonl_line(f"{name}:{lineno}", line)


def _read_url(url: str, timeout: float, max_bytes: int, allow_private: bool = False
              ) -> Iterator[Article | LoaderError]:
    """Fetch a web address and read what it gave: an HTML page, a feed, plain text or JSON."""
    try:
        page = fetch(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
    except LoaderError as err:
        yield err
        return
    yield from read_page(page)


def read_page(page: Page) -> Iterator[Article | LoaderError]:
    """The articles of a fetched page; each gets the page's address (after redirects) as its ``url``."""
    name = page.url
    if not page.body.strip():
        yield LoaderError(name, "page is empty")
        return
    kind = page_kind(page)
    if kind is None:
        yield LoaderError(name, f"is not an article page or feed (Content-Type {page.content_type or 'not given'})")
        return
    if kind == "feed":
        yield from read_feed(name, page.body, base_url=page.final_url)
        return
    charset = page.charset if page.charset and _known_codec(page.charset) else None
    if kind == "html":
        declared = page.body.lstrip().startswith(b"<?xml")  # lxml wants bytes for a declared encoding
        html: str | bytes = page.body.decode(charset, errors="replace") if charset and not declared else page.body
        yield _read_html(name, html, {"url": page.final_url})
        return
    try:
        text = page.body.decode(charset or "utf-8-sig", errors="strict" if charset is None else "replace")
    except UnicodeDecodeError as err:
        yield LoaderError(name, f"is not UTF-8 text (byte at offset {err.start}) and declares no charset")
        return
    items = _read_json(name, text) if kind == "json" else _one(name, _read_text(name, text))
    for item in items:
        yield item if isinstance(item, LoaderError) or item.url else dataclasses.replace(item, url=page.final_url)


def _known_codec(charset: str) -> bool:
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True
