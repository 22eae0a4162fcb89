"""open_embedded: start from a snapshot when its token matches, rebuild otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deportgraph.queries.backends import TOKEN_FILE, CypherBackend, open_embedded
from deportgraph.queries.named import run_named


class CountingLoad:
    def __init__(self, load: Callable[[CypherBackend], None]) -> None:
        self.calls = 0
        self.load = load

    def __call__(self, backend: CypherBackend) -> None:
        self.calls += 1
        self.load(backend)


def _third_countries(backend: CypherBackend) -> list[str]:
    return sorted(row["iso3"] for row in run_named(backend, "third-countries"))


def test_same_token_reuses_snapshot_other_token_reloads(
    tmp_path: Path, sample_loader: Callable[[CypherBackend], None]
) -> None:
    load = CountingLoad(sample_loader)
    with open_embedded(tmp_path, "t1", load) as db:
        assert _third_countries(db) == ["CRI", "RWA", "SLV"]
    assert load.calls == 1 and (tmp_path / "dump.rdb").is_file() and (tmp_path / TOKEN_FILE).is_file()

    with open_embedded(tmp_path, "t1", load) as db:
        assert _third_countries(db) == ["CRI", "RWA", "SLV"]
        db.run("MATCH (c:Country {id: 'CRI'}) DETACH DELETE c", write=True)  # not saved
    assert load.calls == 1

    with open_embedded(tmp_path, "t1", load) as db:
        assert _third_countries(db) == ["CRI", "RWA", "SLV"]
    assert load.calls == 1

    with open_embedded(tmp_path, "t2", lambda b: None) as db:
        assert _third_countries(db) == []
    with open_embedded(tmp_path, "t1", load) as db:
        assert _third_countries(db) == ["CRI", "RWA", "SLV"]
    assert load.calls == 2


def test_interrupted_load_leaves_no_valid_snapshot(
    tmp_path: Path, sample_loader: Callable[[CypherBackend], None]
) -> None:
    load = CountingLoad(sample_loader)
    with open_embedded(tmp_path, "t1", load):
        pass

    def broken(backend: CypherBackend) -> None:
        sample_loader(backend)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        open_embedded(tmp_path, "t2", broken)
    assert not (tmp_path / TOKEN_FILE).exists()
    with open_embedded(tmp_path, "t2", load) as db:
        assert _third_countries(db) == ["CRI", "RWA", "SLV"]
    assert load.calls == 2


def test_corrupt_snapshot_with_matching_token_is_rebuilt(
    tmp_path: Path, sample_loader: Callable[[CypherBackend], None]
) -> None:
    load = CountingLoad(sample_loader)
    with open_embedded(tmp_path, "t1", load):
        pass
    (tmp_path / "dump.rdb").write_bytes(b"garbage")
    with open_embedded(tmp_path, "t1", load) as db:
        assert _third_countries(db) == ["CRI", "RWA", "SLV"]
    assert load.calls == 2


def test_graph_name_is_part_of_the_token(
    tmp_path: Path, sample_loader: Callable[[CypherBackend], None]
) -> None:
    load = CountingLoad(sample_loader)
    with open_embedded(tmp_path, "t1", load):
        pass
    with open_embedded(tmp_path, "t1", load, graph="other") as db:
        assert _third_countries(db) == ["CRI", "RWA", "SLV"]
    assert load.calls == 2
