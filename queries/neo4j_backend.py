"""Neo4j over Bolt, behind the same interface as FalkorDB."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Self

from deportgraph.errors import BackendError, QueryError

from .falkordb import _READ_ONLY_HINT, _SCALARS, _too_deep
from .statements import Dialect, Row


def _neo4j_converter() -> Callable[[Any], Any]:
    """A function that turns values from the neo4j driver into plain Python."""
    from neo4j.graph import Node, Relationship
    from neo4j.graph import Path as Neo4jPath

    def convert(value: Any) -> Any:
        if type(value) in _SCALARS:
            return value
        if isinstance(value, Node | Relationship):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, Neo4jPath):
            return {
                "nodes": [convert(n) for n in value.nodes],
                "edges": [convert(r) for r in value.relationships],
            }
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if hasattr(value, "to_native"):  # neo4j.time types
            return value.to_native()
        return value

    return convert


class Neo4jBackend:
    """Neo4j 5 over Bolt with the official driver; read-only statements run in READ transactions."""

    dialect: Dialect = "neo4j"
    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        import neo4j
        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        self.uri, self.database = uri, database
        self.location = uri
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
            self._driver.verify_connectivity()
        except (AuthError, DriverError, Neo4jError, ValueError) as exc:
            raise BackendError(f"cannot reach Neo4j at {uri}: {exc}") from exc

    @classmethod
    def from_env(cls) -> Neo4jBackend:
        """Connect with ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.

        Without ``NEO4J_USERNAME``/``NEO4J_PASSWORD``, ``NEO4J_AUTH=user/password`` (the Neo4j
        Docker image's variable, as in ``docker/neo4j.env``) is used.
        """
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            raise BackendError("NEO4J_URI is not set; set it (and NEO4J_USERNAME, NEO4J_PASSWORD)")
        auth_user, _, auth_password = os.environ.get("NEO4J_AUTH", "").partition("/")
        return cls(
            uri,
            os.environ.get("NEO4J_USERNAME") or auth_user or "neo4j",
            os.environ.get("NEO4J_PASSWORD") or auth_password,
            os.environ.get("NEO4J_DATABASE", "neo4j"),
        )

    def run(self, query: str, params: Mapping[str, Any] | None = None, write: bool = False) -> list[Row]:
        """Run one statement in a READ (or WRITE) transaction and return its rows as dicts."""
        if params and (deep := _too_deep(params)) is not None:
            raise QueryError(deep)
        import neo4j
        from neo4j.exceptions import AuthError, DriverError, Neo4jError, SessionExpired

        convert = _neo4j_converter()

        def work(tx: neo4j.ManagedTransaction) -> list[Row]:
            result = tx.run(query, dict(params or {}))
            return [{k: convert(v) for k, v in record.items()} for record in result]

        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self._driver.session(database=self.database, default_access_mode=mode) as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except (AuthError, SessionExpired) as exc:
            raise BackendError(f"Neo4j at {self.uri}: {exc}") from exc
        except Neo4jError as exc:
            message = exc.message or str(exc)
            if not write and (exc.code or "").endswith(".AccessMode"):
                message = f"{_READ_ONLY_HINT} ({message})"
            raise QueryError(message) from exc
        except DriverError as exc:
            raise BackendError(f"Neo4j at {self.uri}: {exc}") from exc

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Neo4jBackend({self.uri!r}, database={self.database!r})"
