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


def test_scorer_reads_entries_that_carry_their_own_text(tmp_path) -> None:
    gold = [{"id": "p-1", "topic": "test", "text": "Norway deported 12 Iraqis to Iraq on Monday.",
             "accepts": [{"host": "IRQ", "from": "NOR", "status": "implemented"}]}]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(tmp_path / "gold.json"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    assert result["families"]["accepts"]["tp"] == 1 and result["missing_files"] == []


def test_the_phrasing_set_is_well_formed() -> None:
    from deportgraph.loaders.gazetteer import load_gazetteer

    countries = set(load_gazetteer().countries)
    statuses = {"requested", "negotiating", "agreed", "implemented", "refused", "blocked", "ended"}
    items = json.loads((ROOT / "bench" / "quality" / "phrasings.json").read_text(encoding="utf-8"))["articles"]
    assert len({i["id"] for i in items}) == len(items) == 120

    def party(code: str) -> bool:
        return code in countries or code.islower()  # a state, or a body no state owns ("eu", "iom")

    for item in items:
        assert item["text"].strip() and item["topic"] and item.get("review"), item["id"]
        for a in item["accepts"]:
            assert party(a["host"]) and party(a["from"]) and a["status"] in statuses, (item["id"], a)
        assert all(party(p["payer"]) and party(p["payee"]) for p in item["payments"]), item["id"]
        assert all(o["iso3"] is None or party(o["iso3"]) for o in item["officials"]), item["id"]
        if item["topic"] == "none":
            assert not item["accepts"] and not item["payments"], item["id"]
