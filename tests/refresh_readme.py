"""Rewrite every marked example in README.md and docs/*.md from a fresh run on the example articles, and the
README's generated tables from the code.

    python tests/refresh_readme.py

Run it after a change that rightly changes what the examples print; `tests/test_readme.py` then
checks that the README and the tool agree. It never edits anything outside the marked blocks.
"""

from __future__ import annotations

import os
import re
import shlex
import tempfile
from pathlib import Path

from click.testing import CliRunner

from deportgraph.cli import cli
from deportgraph.reference import fill_generated

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(<!-- example: (.+?) -->\n```\n\$ deportgraph .+?\n)(.*?)(```\n<!-- /example -->)", re.S)


def main() -> None:
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "g.db")
        runner = CliRunner()
        result = runner.invoke(cli, ["ingest", "-q", "--store", store, "examples/articles"])
        assert result.exit_code == 0, result.output

        def rerun(m: re.Match[str]) -> str:
            out = runner.invoke(cli, [*shlex.split(m.group(2)), "--store", store])
            assert out.exit_code == 0, (m.group(2), out.output)
            return m.group(1) + out.output + m.group(4)

        for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
            text = doc.read_text(encoding="utf-8")
            new = fill_generated(BLOCK.sub(rerun, text))
            if new != text:
                doc.write_text(new, encoding="utf-8")
            print(f"{doc.relative_to(ROOT)}: {'refreshed' if new != text else 'already matches'}")


if __name__ == "__main__":
    main()
