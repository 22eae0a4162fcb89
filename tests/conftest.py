"""Shared fixtures: paths to the project's example articles and the seed articles beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Commands in tests stop their embedded engine when they end; the resident engine's own tests ask for it.
os.environ["DEPORTGRAPH_KEEP_ENGINE"] = "0"
# Nothing in the tests takes a minute to answer: a stuck embedded server becomes an error (and a whole
# load gets a new server) well before the per-test timeout.
os.environ.setdefault("DEPORTGRAPH_ENGINE_TIMEOUT", "60")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


def stored_sources(db: Path) -> int:
    """How many articles another process has committed to the store at ``db`` so far (0 before it exists)."""
    import sqlite3

    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def write_article(folder: Path, name: str, body: str, **meta: str) -> Path:
    """Write an article file with optional front matter; returns its path."""
    text = body
    if meta:
        text = "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "---\n" + body
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
