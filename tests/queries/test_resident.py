"""The resident engine: kept up between commands, replaced when the store changes, stopped when idle."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from deportgraph.cli import cli
from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store
from deportgraph.queries.embedded import _pid_alive
from deportgraph.queries.engine import open_resident_engine, open_store_engine, snapshot_dir_for
from deportgraph.queries.named import run_named
from deportgraph.queries.resident import resident_state, stop_resident

from ..conftest import EXAMPLES, write_article
from .test_refresh import whole_graph


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "g.db") as store:
        ingest(store, [str(EXAMPLES / "01-us-uzbekistan-flight.md"), str(EXAMPLES / "05-rwanda-250.md")])
        try:
            yield store
        finally:
            stop_resident(snapshot_dir_for(store))


def wait_until(condition: object, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_second_command_reuses_the_running_server(store: Store) -> None:
    with open_store_engine(store) as private:
        expected = run_named(private, "accepts")
    with open_resident_engine(store, 60) as first:
        assert run_named(first, "accepts") == expected
    state = resident_state(snapshot_dir_for(store))
    assert state is not None and _pid_alive(state["pid"]) and state["token"] == store.state_token
    with open_resident_engine(store, 60) as second:
        assert run_named(second, "accepts") == expected
    assert resident_state(snapshot_dir_for(store)) == state


def _more(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "more"
    folder.mkdir(exist_ok=True)
    write_article(folder, "a.txt", "Ghana accepted 14 deportees from the United States on Tuesday.")
    ingest(store, [str(folder)])


def test_a_changed_store_gets_a_new_server_beside_the_old_one_which_stops_once_idle(
        store: Store, tmp_path: Path) -> None:
    with open_resident_engine(store, 60) as engine:
        before = {row["host_iso3"] for row in run_named(engine, "accepts")}
    old = resident_state(snapshot_dir_for(store))
    assert old is not None
    _more(store, tmp_path)
    with open_resident_engine(store, 60) as engine:
        after = {row["host_iso3"] for row in run_named(engine, "accepts")}
        kept = whole_graph(engine)
    assert after == before | {"GHA"}
    new = resident_state(snapshot_dir_for(store))
    assert new is not None and new["pid"] != old["pid"] and new["token"] == store.state_token
    assert wait_until(lambda: not _pid_alive(old["pid"]) and not Path(old["folder"]).exists())
    assert _pid_alive(new["pid"])
    with open_store_engine(store, tmp_path / "whole") as engine:
        assert kept == whole_graph(engine)
    stop_resident(snapshot_dir_for(store))
    with open_store_engine(store) as engine:  # the saved snapshot is the refreshed graph, and current
        assert whole_graph(engine) == kept


def test_a_server_that_cannot_be_brought_up_to_date_is_replaced(store: Store, tmp_path: Path) -> None:
    with open_resident_engine(store, 60):
        pass
    old = resident_state(snapshot_dir_for(store))
    assert old is not None
    old["token"] = "another-store:1:schema4"  # no changes can be read against it
    (snapshot_dir_for(store) / "server.json").write_text(json.dumps(old), encoding="utf-8")
    _more(store, tmp_path)
    with open_resident_engine(store, 60) as engine:
        assert "GHA" in {row["host_iso3"] for row in run_named(engine, "accepts")}
    new = resident_state(snapshot_dir_for(store))
    assert new is not None and new["pid"] != old["pid"]
    assert wait_until(lambda: not _pid_alive(old["pid"]) and not Path(old["folder"]).exists())


def test_a_replaced_server_answers_the_questions_already_sent_to_it(store: Store, tmp_path: Path) -> None:
    with open_resident_engine(store, 60) as old_engine:
        before = run_named(old_engine, "accepts")
        old = resident_state(snapshot_dir_for(store))
        assert old is not None
        _more(store, tmp_path)
        with open_resident_engine(store, 60) as engine:
            assert "GHA" in {row["host_iso3"] for row in run_named(engine, "accepts")}
        assert run_named(old_engine, "accepts") == before  # its graph was never written to
    assert wait_until(lambda: not _pid_alive(old["pid"]))


def test_a_dead_server_is_replaced(store: Store) -> None:
    with open_resident_engine(store, 60) as engine:
        rows = run_named(engine, "agreements")
    state = resident_state(snapshot_dir_for(store))
    assert state is not None
    os.kill(state["pid"], signal.SIGKILL)
    assert wait_until(lambda: not _pid_alive(state["pid"]))
    with open_resident_engine(store, 60) as engine:
        assert run_named(engine, "agreements") == rows
    assert resident_state(snapshot_dir_for(store))["pid"] != state["pid"]  # type: ignore[index]


def test_an_idle_server_stops_and_cleans_up(store: Store) -> None:
    with open_resident_engine(store, 1.0) as engine:
        run_named(engine, "agreements")
    state = resident_state(snapshot_dir_for(store))
    assert state is not None
    assert wait_until(lambda: not _pid_alive(state["pid"]))
    assert wait_until(lambda: resident_state(snapshot_dir_for(store)) is None)
    assert not Path(state["folder"]).exists()
    assert (snapshot_dir_for(store) / "dump.rdb").is_file()  # the snapshot stays for the next start


def test_queries_keep_the_server_alive(store: Store) -> None:
    with open_resident_engine(store, 1.5) as engine:
        pid = resident_state(snapshot_dir_for(store))["pid"]  # type: ignore[index]
        for _ in range(12):  # 3 s of questions, twice the idle time
            run_named(engine, "agreements")
            time.sleep(0.25)
        assert _pid_alive(pid)


def test_cli_keep_engine_and_writes_stay_private(store: Store) -> None:
    runner = CliRunner()
    args = ["--store", str(store.path), "--format", "json"]
    first = runner.invoke(cli, ["query", "third-countries", *args], env={"DEPORTGRAPH_KEEP_ENGINE": "60"})
    assert first.exit_code == 0, first.output
    state = resident_state(snapshot_dir_for(store))
    assert state is not None
    second = runner.invoke(cli, ["query", "third-countries", *args, "--keep-engine", "60"])
    assert second.exit_code == 0 and json.loads(second.output) == json.loads(first.output)
    write = runner.invoke(cli, ["cypher", "MATCH (c:Country {iso3: 'RWA'}) SET c.name = 'changed' RETURN c.name AS n",
                                "--write", *args, "--keep-engine", "60"])
    assert write.exit_code != 0 and "embedded engine" in write.output  # refused, not accepted and then lost
    read = runner.invoke(cli, ["cypher", "MATCH (c:Country {iso3: 'RWA'}) RETURN c.name AS n", *args,
                               "--keep-engine", "60"])
    assert json.loads(read.output) == [{"n": "Rwanda"}]
    assert resident_state(snapshot_dir_for(store)) == state
    assert stop_resident(snapshot_dir_for(store)) and not _pid_alive(state["pid"])


def test_the_cli_keeps_the_engine_unless_told_not_to(store: Store) -> None:
    runner = CliRunner()
    args = ["query", "agreements", "--store", str(store.path), "--format", "json"]
    assert runner.invoke(cli, [*args, "--keep-engine", "0"]).exit_code == 0
    assert resident_state(snapshot_dir_for(store)) is None
    kept = runner.invoke(cli, args, env={"DEPORTGRAPH_KEEP_ENGINE": None})  # the default
    assert kept.exit_code == 0, kept.output
    state = resident_state(snapshot_dir_for(store))
    assert state is not None and _pid_alive(state["pid"])
    assert stop_resident(snapshot_dir_for(store)) and not _pid_alive(state["pid"])


def test_commands_starting_at_once_share_one_server(store: Store) -> None:
    def ask(_: int) -> tuple[int, int]:
        with Store.open(store.path) as own, open_resident_engine(own, 60) as engine:
            rows = len(run_named(engine, "accepts"))
        state = resident_state(snapshot_dir_for(store))
        assert state is not None
        return state["pid"], rows

    answers: list[tuple[int, int]] = []
    # Daemon threads: a stuck one fails the test (after 120 s) instead of holding the run at its exit.
    threads = [threading.Thread(target=lambda: answers.append(ask(0)), daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 4, "a command never got its answer"
    assert len({pid for pid, _ in answers}) == 1 and len({rows for _, rows in answers}) == 1


def test_a_server_whose_record_is_gone_is_stopped(store: Store) -> None:
    with open_resident_engine(store, 60) as engine:
        run_named(engine, "agreements")
    state = resident_state(snapshot_dir_for(store))
    assert state is not None
    (snapshot_dir_for(store) / "server.json").unlink()
    assert wait_until(lambda: not _pid_alive(state["pid"]))
    assert wait_until(lambda: not Path(state["folder"]).exists())


def test_a_killed_watchdog_is_replaced_and_the_server_still_stops(store: Store) -> None:
    with open_resident_engine(store, 1.5) as engine:
        run_named(engine, "agreements")
    state = resident_state(snapshot_dir_for(store))
    assert state is not None and _pid_alive(state["watchdog"])
    os.kill(state["watchdog"], signal.SIGKILL)
    assert wait_until(lambda: not _pid_alive(state["watchdog"]))
    with open_resident_engine(store, 1.5) as engine:
        run_named(engine, "agreements")
    again = resident_state(snapshot_dir_for(store))
    assert again is not None and again["pid"] == state["pid"] and again["watchdog"] != state["watchdog"]
    assert wait_until(lambda: not _pid_alive(state["pid"]))
