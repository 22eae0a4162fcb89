"""The one exception hierarchy of deportgraph.

The library raises these; only the CLI turns them into a message and an exit code.
"""

from __future__ import annotations

__all__ = [
    "BackendError",
    "DeportgraphError",
    "EngineTimeoutError",
    "LoaderError",
    "QueryError",
    "StoreError",
]


class DeportgraphError(Exception):
    """Base class of every error deportgraph raises on purpose."""


class LoaderError(DeportgraphError):
    """An article file could not be read or parsed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(DeportgraphError):
    """The SQLite store could not be opened, read or written."""


class BackendError(DeportgraphError):
    """A Cypher engine could not be started or reached."""


class EngineTimeoutError(BackendError):
    """A Cypher engine gave no answer within the reply timeout (stuck, or busier than allowed)."""


class QueryError(DeportgraphError):
    """A Cypher query or named question failed or was malformed."""
