"""The `Article`: what every reader hands on to extraction, whatever the file format."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

__all__ = ["Article", "source_id_for"]

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
        if not self.id:
            object.__setattr__(self, "id", source_id_for(self.text))
