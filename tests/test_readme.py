"""The README's examples are real output: each marked block is rerun against the example articles."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from deportgraph.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"<!-- example: (.+?) -->\n```\n\$ deportgraph .+?\n(.*?)```\n<!-- /example -->", README, re.S)


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
    assert len(BLOCKS) >= 3
    assert "make demo" in README and "make test" in README


@pytest.mark.parametrize(("args", "expected"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_readme_example_output(store: Path, args: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # examples name files relative to the repository (cypher -f queries/cookbook/…)
    result = CliRunner().invoke(cli, [*shlex.split(args), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.output == expected


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    assert f"deportgraph {command}" in README
