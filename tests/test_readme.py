"""The README's and docs' examples are real output: each marked block is rerun against the example articles,
and the README's generated tables are what the schema registry and the named questions' headers say."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from deportgraph.cli import cli
from deportgraph.reference import GENERATED, TABLES, fill_generated

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXAMPLE = re.compile(r"<!-- example: (.+?) -->\n```\n\$ deportgraph .+?\n(.*?)```\n<!-- /example -->", re.S)
BLOCKS = [(path.relative_to(ROOT).as_posix(), *m) for path in DOCS
          for m in EXAMPLE.findall(path.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("readme") / "g.db"
    here = os.getcwd()
    os.chdir(ROOT)  # the examples are ingested as the README says: by a path relative to the checkout
    try:
        assert CliRunner().invoke(cli, ["ingest", "-q", "--store", str(path), "examples/articles"]).exit_code == 0
    finally:
        os.chdir(here)
    return path


def test_the_readme_has_examples() -> None:
    assert len([b for b in BLOCKS if b[0] == "README.md"]) >= 3
    assert {b[0] for b in BLOCKS} >= {"README.md", "docs/cookbook.md"}
    assert {b[1].split()[0] for b in BLOCKS if b[0] == "README.md"} >= {"query", "profile", "timeline"}
    assert "make demo" in README and "make test" in README
    assert len(README.splitlines()) <= 300, "the README is a front door: details go to docs/"


def test_the_readme_tables_are_built_from_the_code() -> None:
    assert {m[1] for m in GENERATED.findall(README)} == set(TABLES)
    assert fill_generated(README) == README, "run python tests/refresh_readme.py"


def test_every_doc_link_points_at_a_file() -> None:
    for path in DOCS:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            assert (path.parent / target).exists(), (path.name, target)


@pytest.mark.parametrize(("doc", "args", "expected"), BLOCKS, ids=[f"{b[0]}: {b[1]}" for b in BLOCKS])
def test_readme_example_output(store: Path, doc: str, args: str, expected: str,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # examples name files relative to the repository (cypher -f queries/cookbook/…)
    result = CliRunner().invoke(cli, [*shlex.split(args), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.output == expected


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    assert f"deportgraph {command}" in README
