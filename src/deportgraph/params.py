"""Typed ``key=value`` parameters for queries, parsed once at the edge."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["parse_param", "parse_value"]


def parse_value(text: str) -> Any:
    """A parameter value: JSON where it reads as JSON (numbers, lists, true/false/null), else text.

    >>> parse_value("131"), parse_value("0.5"), parse_value('["USA", "UZB"]'), parse_value("Costa Rica")
    (131, 0.5, ['USA', 'UZB'], 'Costa Rica')
    >>> parse_value("ACCEPTS_DEPORTEES_FROM:UZB->USA")
    'ACCEPTS_DEPORTEES_FROM:UZB->USA'
    """
    try:
        value = json.loads(text)
    except ValueError:
        return text
    except RecursionError:
        raise ValueError("a value of lists nested too deep to read") from None
    return value if isinstance(value, (int, float, bool, list)) or value is None else text


def parse_param(text: str) -> tuple[str, Any]:
    """Split ``key=value`` and type the value."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"expected key=value, got {text!r}")
    return key.strip(), parse_value(value)
