"""Score extraction against a gold file of facts: precision, recall and F1 per fact family.

    python bench/quality/score.py --articles DIR --gold bench/quality/gold.json [--errors] [--json]

DIR holds one text file per gold article, named ``<id>.txt`` (an optional ``url: …`` line and a
``---`` line may come first; see README.md here for how to fetch them). Each article is run through
deportgraph's extraction alone; its facts are compared with the gold facts of the same article.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deportgraph.loaders.article import Article
from deportgraph.loaders.claims import ArticleClaims
from deportgraph.loaders.extraction import extract, official_id
from deportgraph.loaders.gazetteer import load_gazetteer
from deportgraph.loaders.readers import iter_articles

FAMILIES = ("accepts", "third_countries", "payments", "funders", "officials", "transit", "court_actions")
Key = tuple[Any, ...]


def read_article(path: Path) -> Article:
    """An article file of the benchmark: a ``url: …`` line and ``---``, then the text; or any file
    deportgraph reads (front matter and all)."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    if sep and head.startswith("url:") and "\n" not in head.strip():
        return Article(text=rest.strip(), url=head[4:].strip(), path=str(path))
    [article] = [a for a in iter_articles([str(path)]) if isinstance(a, Article)]
    return article


def find_article(folder: Path, article_id: str) -> Path | None:
    """The file of a gold article: ``<id>.txt``, or any file named ``<id>.*``."""
    exact = folder / f"{article_id}.txt"
    if exact.exists():
        return exact
    return next(iter(sorted(folder.glob(f"{article_id}.*"))), None)


def _surname(name: str) -> str:
    return official_id(name).rsplit("-", 1)[-1]


def gold_keys(entry: dict[str, Any]) -> dict[str, set[Key]]:
    """The comparable keys of an article's gold facts, by family."""
    return {
        "accepts": {(a["host"], a["from"]) for a in entry.get("accepts", [])},
        "third_countries": {(c,) for c in entry.get("third_countries", [])},
        "payments": {(p["payer"], p["payee"]) for p in entry.get("payments", [])},
        "funders": {(tuple(sorted(f["parties"])), f["funder"]) for f in entry.get("funders", [])},
        "officials": {(_surname(o["name"]),) for o in entry.get("officials", [])},
        "transit": {(t["host"], t["from"], t["via"]) for t in entry.get("transit", [])},
        "court_actions": {(c["host"], c["from"]) for c in entry.get("court_actions", [])},
    }


def _country_of(node_id: str) -> str:
    """An agency stands for its country here (gold records "GBR" where the text says "the Home Office")."""
    agency = load_gazetteer().agencies.get(node_id)
    return agency.country if agency and agency.country else node_id


def predicted_keys(claims: ArticleClaims) -> tuple[dict[str, set[Key]], dict[tuple[str, Key], str]]:
    """The same keys from what extraction read, with one supporting sentence for each."""
    keys: dict[str, set[Key]] = {f: set() for f in FAMILIES}
    quotes: dict[tuple[str, Key], str] = {}
    agreements: dict[str, tuple[str, str]] = {}
    for f in claims.facts:
        if str(f.type) == "Agreement":
            v = dict(f.values)
            if v.get("host") and v.get("deporter"):
                agreements[f.subject] = (v["host"], v["deporter"])

    def add(family: str, key: Key, quote: str) -> None:
        keys[family].add(key)
        quotes.setdefault((family, key), quote)

    for f in claims.facts:
        kind, v = str(f.type), dict(f.values)
        if kind == "ACCEPTS_DEPORTEES_FROM":
            add("accepts", (f.subject, f.object), f.quote)
            if v.get("third_country"):
                add("third_countries", (f.subject,), f.quote)
        elif kind == "PAID":
            add("payments", (_country_of(f.subject), _country_of(f.object)), f.quote)
        elif kind == "FUNDED_BY":
            parties = tuple(sorted(f.subject.split("-")[1:3]))
            add("funders", (parties, _country_of(f.object)), f.quote)
        elif kind == "Official":
            add("officials", (_surname(v.get("name") or f.subject),), f.quote)
        elif kind == "TRANSIT_VIA" and f.subject in agreements:
            add("transit", (*agreements[f.subject], f.object), f.quote)
        elif kind == "BLOCKED_BY" and f.subject in agreements:
            add("court_actions", agreements[f.subject], f.quote)
    return keys, quotes


@dataclass
class Tally:
    """Counts for one family."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[str, Key]] = field(default_factory=list)
    false: list[tuple[str, Key, str]] = field(default_factory=list)

    def scores(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3), "tp": self.tp, "fp": self.fp,
                "fn": self.fn}


def score(gold: Iterable[dict[str, Any]], articles: Path) -> tuple[dict[str, Tally], dict[str, Any]]:
    """Tallies per family, and what the articles without any agreement produced."""
    tallies = {f: Tally() for f in FAMILIES}
    negatives = {"articles": 0, "with_facts": 0, "facts": 0}
    missing = []
    for entry in gold:
        path = find_article(articles, entry["id"])
        if path is None:
            missing.append(entry["id"])
            continue
        predicted, quotes = predicted_keys(extract(read_article(path)))
        expected = gold_keys(entry)
        if entry.get("topic") == "none":
            negatives["articles"] += 1
            n = sum(len(predicted[f]) for f in ("accepts", "payments", "funders"))
            negatives["facts"] += n
            negatives["with_facts"] += int(n > 0)
        for family in FAMILIES:
            t = tallies[family]
            t.tp += len(predicted[family] & expected[family])
            for key in sorted(predicted[family] - expected[family], key=str):
                t.fp += 1
                t.false.append((entry["id"], key, quotes.get((family, key), "")))
            for key in sorted(expected[family] - predicted[family], key=str):
                t.fn += 1
                t.misses.append((entry["id"], key))
    return tallies, {"negatives": negatives, "missing_files": missing}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, required=True, help="folder of <id>.txt article files")
    parser.add_argument("--gold", type=Path, default=Path(__file__).with_name("gold.json"))
    parser.add_argument("--errors", action="store_true", help="list the misses and the false facts")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    entries = gold["articles"] if isinstance(gold, dict) else gold
    tallies, extra = score(entries, args.articles)
    result = {f: t.scores() for f, t in tallies.items()}
    if args.json:
        print(json.dumps({"families": result, **extra}, indent=2, sort_keys=True))
        return 0
    print(f"{'family':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for f, s in result.items():
        print(f"{f:<16} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>6.3f} {s['tp']:>4} {s['fp']:>4} "
              f"{s['fn']:>4}")
    neg = extra["negatives"]
    print(f"articles without an agreement: {neg['articles']}, of which with accepts/payment/funding facts: "
          f"{neg['with_facts']} ({neg['facts']} facts)")
    if extra["missing_files"]:
        print(f"missing article files ({len(extra['missing_files'])}): {', '.join(extra['missing_files'])}",
              file=sys.stderr)
    if args.errors:
        by_family: dict[str, list[str]] = defaultdict(list)
        for f, t in tallies.items():
            by_family[f] += [f"  miss  {aid}: {key}" for aid, key in t.misses]
            by_family[f] += [f"  false {aid}: {key}\n        {quote}" for aid, key, quote in t.false]
        for f, lines in by_family.items():
            if lines:
                print(f"\n{f}:")
                print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
