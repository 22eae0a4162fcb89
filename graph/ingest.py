"""Ingest: article files in, claims extracted, batches committed to the store.

Articles already in the store (by source hash) are skipped before extraction, so rerunning an
interrupted command is quick and finishes the rest. Each batch is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from deportgraph.errors import LoaderError
from deportgraph.loaders.article import Article
from deportgraph.loaders.claims import ArticleClaims
from deportgraph.loaders.extraction import extract
from deportgraph.loaders.readers import iter_articles

from .store import Store

__all__ = ["IngestReport", "ingest"]


@dataclass
class IngestReport:
    """What an ingest run did."""

    read: int = 0
    added: int = 0
    already_stored: int = 0
    relevant: int = 0
    with_facts: int = 0
    facts: int = 0
    errors: list[LoaderError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "added": self.added, "already_stored": self.already_stored,
            "relevant": self.relevant, "with_facts": self.with_facts, "facts": self.facts,
            "errors": [{"file": e.path, "reason": e.reason} for e in self.errors],
        }


def ingest(
    store: Store,
    paths: Iterable[str],
    batch_size: int = 500,
    stdin: Any = None,
    on_article: Callable[[IngestReport], None] | None = None,
    on_error: Callable[[LoaderError], None] | None = None,
) -> IngestReport:
    """Read, extract and store every article under ``paths``; bad files are reported and skipped."""
    report = IngestReport()
    pending: list[Article] = []

    def flush() -> None:
        if not pending:
            return
        known = store.known_sources(a.id for a in pending)
        fresh: dict[str, ArticleClaims] = {}
        for a in pending:
            if a.id in known or a.id in fresh:
                report.already_stored += 1
                continue
            fresh[a.id] = extract(a)
        result = store.write_batch(list(fresh.values()))
        report.added += result.articles
        report.already_stored += result.duplicates
        report.relevant += result.relevant
        report.with_facts += result.with_facts
        report.facts += result.facts
        pending.clear()

    for item in iter_articles(paths, stdin=stdin):
        if isinstance(item, LoaderError):
            report.errors.append(item)
            if on_error:
                on_error(item)
            continue
        report.read += 1
        pending.append(item)
        if len(pending) >= batch_size:
            flush()
        if on_article:
            on_article(report)
    flush()
    store.settle()
    return report
