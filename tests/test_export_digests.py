"""Exports are byte for byte what they were: a change of output code that moves a byte must be deliberate."""

from __future__ import annotations

import json

from .export_digests import FIXTURE, digests


def test_every_export_of_the_fixture_store_is_unchanged() -> None:
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    found = digests()
    changed = sorted(name for name in expected if found.get(name) != expected[name])
    assert not changed, f"exports changed: {changed}; if deliberate, run python tests/export_digests.py --write"
    assert set(found) == set(expected)
