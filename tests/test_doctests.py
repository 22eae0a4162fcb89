"""The examples in docstrings run, so they stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = [
    "deportgraph", "deportgraph.graph", "deportgraph.loaders", "deportgraph.loaders.extraction", "deportgraph.queries",
]
MODULES = sorted(
    {p for p in PACKAGES}
    | {m.name for p in PACKAGES for m in pkgutil.iter_modules(importlib.import_module(p).__path__, p + ".")
       if not m.ispkg and not m.name.endswith("__main__")}
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
