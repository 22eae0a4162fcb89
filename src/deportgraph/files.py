"""Writing a file so that a failure leaves what was there: exports, and the engine's token and state files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["replaced_when_done", "write_atomically"]


@contextmanager
def replaced_when_done(out: Path) -> Iterator[Path]:
    """A path beside ``out`` to write to; it replaces ``out`` only when the writing ended
    without error. The writer creates the file, so it gets the usual permissions (a ``mkstemp`` file
    would be readable by its owner only)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        yield partial
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def write_atomically(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: readers see the old file or the new one, never a part."""
    with replaced_when_done(path) as partial:
        partial.write_text(text, encoding="utf-8")
