"""The quality scorer runs, and on the project's own examples every fact family is found."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import EXAMPLES, ROOT

SCORER = ROOT / "bench" / "quality" / "score.py"


def test_scorer_on_the_example_articles() -> None:
    out = subprocess.run(
        [sys.executable, str(SCORER), "--articles", str(EXAMPLES), "--gold",
         str(ROOT / "bench" / "quality" / "examples-gold.json"), "--json"],
        capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    for family in ("accepts", "third_countries", "payments", "officials"):
        scores = result["families"][family]
        assert scores["precision"] >= 0.9 and scores["recall"] >= 0.85, (family, scores)
    assert result["negatives"] == {"articles": 1, "with_facts": 0, "facts": 0}
    assert result["missing_files"] == []


def test_scorer_counts_misses_and_false_facts(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("url: https://example.org/a\n---\nThe United States deported 40 people to "
                                    "Honduras. Officials in Guatemala said nothing.", encoding="utf-8")
    gold = [{"id": "a", "topic": "test", "accepts": [{"host": "GTM", "from": "USA"}], "officials": [
        {"name": "Ana Pérez", "title": "Minister", "iso3": "GTM"}]}]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCORER), "--articles", str(tmp_path), "--gold",
                          str(tmp_path / "gold.json"), "--json"], capture_output=True, text=True, check=True).stdout
    accepts = json.loads(out)["families"]["accepts"]
    assert (accepts["tp"], accepts["fp"], accepts["fn"]) == (0, 1, 1)
    assert json.loads(out)["families"]["officials"]["recall"] == 0.0
