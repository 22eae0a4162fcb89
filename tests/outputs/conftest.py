"""The outputs' tests share the example articles' store with the query tests."""

from ..queries.conftest import examples_store

__all__ = ["examples_store"]
