"""Web pages and feeds by URL: one bounded HTTP GET, every failure a `LoaderError`.

`fetch` runs in the worker that reads the ``url`` raw record (the planner only names the URL).
It sends a User-Agent naming deportgraph, follows at most `MAX_REDIRECTS` redirects (http and
https only, loops refused), gives up after ``timeout`` seconds and stops reading past
``max_bytes``. `page_kind` then says which reader the body needs, by Content-Type, then sniffing.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO
from urllib.parse import quote, urljoin, urlsplit

from deportgraph.errors import LoaderError

from .feeds import FEED_ROOTS, xml_root

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "USER_AGENT",
    "Page",
    "fetch",
    "is_url",
    "page_kind",
]

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_TYPES = frozenset({"text/xml", "application/xml"})
_JSON_TYPES = frozenset({"application/json", "application/ld+json"})
_SNIFFED_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})


def _user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"deportgraph/{version('deportgraph')} (news article reader)"
    except PackageNotFoundError:
        return "deportgraph (news article reader)"


USER_AGENT = _user_agent()


@dataclass(frozen=True, slots=True)
class Page:
    """What a URL gave: the address after redirects, the media type, its charset and the body."""

    url: str
    final_url: str
    content_type: str
    charset: str | None
    body: bytes


def is_url(value: str) -> bool:
    """Whether an ingest argument is a web address (http or https) rather than a path.

    >>> is_url("https://example.org/a"), is_url("HTTP://x"), is_url("notes/http.txt")
    (True, True, False)
    """
    return value[:8].lower().startswith(("http://", "https://"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back to `fetch`, which counts hops and spots loops itself."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
          allow_private: bool = False) -> Page:
    """GET ``url`` within ``timeout`` seconds in all and ``max_bytes`` of body; raises `LoaderError`.

    Every address on the way (the first and each redirect) must be http(s) on the open internet: one
    whose host resolves to a loopback, private, link-local or reserved address is refused unless
    ``allow_private``."""
    deadline = time.monotonic() + timeout
    current, seen = url, [url]
    while True:
        if urlsplit(current).scheme.lower() not in ("http", "https"):
            raise LoaderError(url, f"redirected to {current}, which is not an http or https address")
        if not allow_private:
            _refuse_private(url, current)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LoaderError(url, f"timed out after {timeout:g} s")
        request = urllib.request.Request(_ascii(current), headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                      "application/xml;q=0.9,text/*;q=0.8,*/*;q=0.5",
        })
        try:
            response = _OPENER.open(request, timeout=remaining)
        except urllib.error.HTTPError as err:
            location = err.headers.get("Location") if err.headers else None
            err.close()
            if err.code not in _REDIRECTS:
                raise LoaderError(url, f"HTTP {err.code} {err.reason}".rstrip()) from None
            if not location:
                raise LoaderError(url, f"HTTP {err.code} redirect without a Location header") from None
            target = urljoin(current, location.strip())
            if target in seen:
                raise LoaderError(url, f"redirect loop ({' → '.join([*seen[seen.index(target):], target])})") from None
            if len(seen) > MAX_REDIRECTS:
                raise LoaderError(url, f"more than {MAX_REDIRECTS} redirects (last to {target})") from None
            current = target
            seen.append(target)
            continue
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as err:
            raise LoaderError(url, _reason(url, err, timeout)) from None
        with response:
            return _read(url, current, response, timeout, max_bytes, deadline)


def _addresses(host: str, port: int) -> list[str]:
    """The IP addresses ``host`` resolves to."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _refuse_private(url: str, current: str) -> None:
    """Raise `LoaderError` when ``current``'s host is, or resolves to, an address not on the open internet."""
    parts = urlsplit(current)
    host = parts.hostname or ""
    try:
        addresses = _addresses(host, parts.port or (443 if parts.scheme.lower() == "https" else 80))
    except (socket.gaierror, UnicodeError, ValueError):
        return  # the request itself says the host is unknown
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not address.is_global:
            where = "" if current == url else f" (redirected to {current})"
            raise LoaderError(url, f"{host} is a loopback or private address ({address}){where}; "
                                   "pass --allow-private-urls to fetch it")


def _ascii(url: str) -> str:
    """An address with non-ASCII letters percent-encoded in its path and query (the host stays as is).

    >>> _ascii("https://example.org/noticias/deportación?q=sí")
    'https://example.org/noticias/deportaci%C3%B3n?q=s%C3%AD'
    """
    if url.isascii():
        return url
    parts = urlsplit(url)
    safe = "/:@!$&'()*+,;=%~-._"
    return parts._replace(path=quote(parts.path, safe=safe), query=quote(parts.query, safe=safe + "?"),
                          fragment="").geturl()


def _read(url: str, final_url: str, response: http.client.HTTPResponse, timeout: float, max_bytes: int,
          deadline: float) -> Page:
    headers: Message = response.headers
    content_type = headers.get_content_type() if headers.get("Content-Type") else ""
    if not _textual(content_type):
        raise LoaderError(url, f"is not a text page (Content-Type {content_type})")
    length = headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > max_bytes:
        raise LoaderError(url, f"response is {int(length):,} bytes, over the {max_bytes:,}-byte limit")
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read1(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise LoaderError(url, f"response is over the {max_bytes:,}-byte limit (stopped reading)")
            if time.monotonic() > deadline:
                raise LoaderError(url, f"timed out after {timeout:g} s (reading the body)")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as err:
        raise LoaderError(url, _reason(url, err, timeout)) from None
    return Page(url, final_url, content_type, headers.get_content_charset(), b"".join(chunks))


def _textual(content_type: str) -> bool:
    major = content_type.split("/", 1)[0]
    return (major == "text" or content_type in _SNIFFED_TYPES or content_type in _FEED_TYPES
            or content_type in _HTML_TYPES or content_type in _XML_TYPES or content_type in _JSON_TYPES
            or content_type.endswith(("+xml", "+json")))


def _reason(url: str, err: BaseException, timeout: float) -> str:
    """One line saying why a fetch failed (DNS, refused, timeout, TLS, broken response)."""
    cause: BaseException = err
    while isinstance(cause, urllib.error.URLError) and isinstance(cause.reason, BaseException):
        cause = cause.reason
    host = urlsplit(url).hostname or url
    if isinstance(cause, socket.gaierror):
        return f"cannot resolve host name {host!r} ({cause.strerror or cause})"
    if isinstance(cause, TimeoutError | socket.timeout):
        return f"timed out after {timeout:g} s"
    if isinstance(cause, ConnectionRefusedError):
        return f"connection refused by {host}"
    if isinstance(cause, ConnectionResetError):
        return f"connection reset by {host}"
    if isinstance(cause, ssl.SSLError | ssl.CertificateError):
        return f"TLS error ({getattr(cause, 'reason', None) or cause})"
    if isinstance(cause, http.client.IncompleteRead):
        return "the response ended early (incomplete body)"
    if isinstance(cause, http.client.HTTPException):
        return f"bad HTTP response ({type(cause).__name__}: {cause})".replace(": )", ")")
    if isinstance(cause, urllib.error.URLError):
        return f"cannot be fetched ({cause.reason})"
    if isinstance(cause, OSError):
        return f"cannot be fetched ({cause.strerror or cause})"
    return f"cannot be fetched ({cause})"


def page_kind(page: Page) -> str | None:
    """The reader a page needs (``html``, ``feed``, ``text`` or ``json``), None if it is not text.

    By Content-Type first; generic XML, plain text and unlabelled bodies are sniffed.
    """
    content_type, head = page.content_type, page.body[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if content_type in _HTML_TYPES:
        return "html"
    if content_type in _FEED_TYPES:
        return "feed"
    if content_type in _JSON_TYPES or content_type.endswith("+json"):
        return "json"
    root = xml_root(head) if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else None
    if root in FEED_ROOTS:
        return "feed"
    if root == "html":
        return "html"
    if content_type in _XML_TYPES or content_type.endswith("+xml"):
        return None
    if content_type.startswith("text/"):
        return "text"
    return None
