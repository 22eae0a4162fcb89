"""The `Article`: what every reader hands on to extraction, whatever the file format."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

__all__ = ["Article", "source_id_for", "web_url"]

_WEB_URL = re.compile(r"https?://[^\s<>\"'\\]+", re.IGNORECASE)


def web_url(url: str | None) -> str | None:
    """The url if it is a plain ``http(s)`` address; anything else an article's metadata may hold
    (``javascript:``, ``data:``, ``file:``, text with spaces or quotes) is no link, so it is dropped
    before it reaches the store, a page or an export.

    >>> web_url(" https://example.org/a?b=1 "), web_url("javascript:alert(1)"), web_url("file:///etc/passwd")
    ('https://example.org/a?b=1', None, None)
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if _WEB_URL.fullmatch(url) else None

def source_id_for(text: str) -> str:
    """A stable id for an article: a hash of its whitespace-normalized text.

    The same article read from a .txt, a .json record or an HTML page gets the same id,
    so ingesting it again adds nothing.

    >>> source_id_for("Hello  world") == source_id_for(" Hello world\\n")
    True
    """
    normalized = " ".join(text.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: its text and what is known about where it came from."""

    text: str
    path: str = ""
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if self.url is not None and (url := web_url(self.url)) != self.url:
            object.__setattr__(self, "url", url)
        if not self.id:
            object.__setattr__(self, "id", source_id_for(self.text))
