"""Score extraction against a gold file of facts: precision, recall and F1 per fact family.

    python bench/quality/score.py --articles DIR --gold bench/quality/gold.json [--errors] [--json]

DIR holds one text file per gold article, named ``<id>.txt`` (an optional ``url: …`` line and a
``---`` line may come first; see README.md here for how to fetch them). Each article is run through
deportgraph's extraction alone; its facts are compared with the gold facts of the same article.

The gold articles are split once, by a hash of their URL (`part_of`), into a **tune** part (about two
thirds: read its errors, change rules from them) and a **check** part (read only as totals: it says
whether a change generalizes). Scores are printed for the check part first, then the tune part, then all.
``--errors`` lists the tune part's errors only, unless ``--errors-of check`` is given on purpose.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deportgraph.graph.merge import FactRow, merge_edge
from deportgraph.loaders.article import Article
from deportgraph.loaders.claims import ArticleClaims
from deportgraph.loaders.extraction import extract, official_id
from deportgraph.loaders.gazetteer import load_gazetteer
from deportgraph.loaders.readers import iter_articles

FAMILIES = ("accepts", "third_countries", "payments", "funders", "officials", "transit", "court_actions")
PARTS = ("check", "tune")
# A payment matches when its pair does and, where the gold gives a sum, some amount read is this close to it.
AMOUNT_TOLERANCE = 0.05
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


def part_of(url: str) -> str:
    """The part of the dev corpus an article belongs to, fixed by its URL: "check" for about a third.

    >>> part_of("https://example.org/a"), part_of("https://example.org/b")
    ('check', 'tune')
    """
    return "check" if int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % 3 == 0 else "tune"


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
        "officials": {(_surname(o["name"]), o.get("iso3")) for o in entry.get("officials", [])},
        "transit": {(t["host"], t["from"], t["via"]) for t in entry.get("transit", [])},
        "court_actions": {(c["host"], c["from"]) for c in entry.get("court_actions", [])},
    }


def _country_of(node_id: str) -> str:
    """An agency stands for its country here (gold records "GBR" where the text says "the Home Office")."""
    agency = load_gazetteer().agencies.get(node_id)
    return agency.country if agency and agency.country else node_id


@dataclass
class Predicted:
    """What extraction read from one article, as comparable keys."""

    keys: dict[str, set[Key]]
    quotes: dict[tuple[str, Key], str]
    amounts: dict[Key, set[float]]  # payment pair -> the USD amounts read
    statuses: dict[Key, str]  # accepts pair -> the status the graph shows after merging its facts


def predicted_keys(claims: ArticleClaims) -> Predicted:
    """The same keys from what extraction read, with one supporting sentence for each."""
    keys: dict[str, set[Key]] = {f: set() for f in FAMILIES}
    quotes: dict[tuple[str, Key], str] = {}
    amounts: dict[Key, set[float]] = defaultdict(set)
    rows: dict[Key, list[FactRow]] = defaultdict(list)
    agreements: dict[str, tuple[str, str]] = {}
    published = claims.source.get("published")
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
            rows[(f.subject, f.object)].append(FactRow("a", published, f.quote, f.extractor, f.confidence, v))
            if v.get("third_country"):
                add("third_countries", (f.subject,), f.quote)
        elif kind == "PAID":
            pair = (_country_of(f.subject), _country_of(f.object or ""))
            add("payments", pair, f.quote)
            if v.get("amount_usd") is not None:
                amounts[pair].add(float(v["amount_usd"]))
        elif kind == "FUNDED_BY":
            parties = tuple(sorted(f.subject.split("-")[1:3]))
            add("funders", (parties, _country_of(f.object or "")), f.quote)
        elif kind == "Official":
            add("officials", (_surname(v.get("name") or f.subject), v.get("country_iso3")), f.quote)
        elif kind == "TRANSIT_VIA" and f.subject in agreements:
            add("transit", (*agreements[f.subject], f.object), f.quote)
        elif kind in ("BLOCKED_BY", "ALLOWED_BY") and f.subject in agreements:
            add("court_actions", agreements[f.subject], f.quote)
    statuses = {pair: merge_edge("ACCEPTS_DEPORTEES_FROM", r).get("status", "") for pair, r in rows.items()}
    return Predicted(keys, quotes, dict(amounts), statuses)


def _amount_ok(read: set[float], gold: float | None) -> bool:
    return gold is None or any(abs(a - gold) <= AMOUNT_TOLERANCE * gold for a in read)


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


@dataclass
class Part:
    """The tallies of one part of the corpus."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FAMILIES})
    status_right: int = 0
    status_pairs: int = 0
    status_wrong: list[tuple[str, Key, str, str]] = field(default_factory=list)
    negatives: dict[str, int] = field(default_factory=lambda: {"articles": 0, "with_facts": 0, "facts": 0})
    articles: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "families": {f: t.scores() for f, t in self.tallies.items()},
            "status_accuracy": round(self.status_right / self.status_pairs, 3) if self.status_pairs else 1.0,
            "status_pairs": self.status_pairs,
            "negatives": dict(self.negatives),
        }


def _tally(part: Part, entry: dict[str, Any], predicted: Predicted) -> None:
    expected = gold_keys(entry)
    part.articles += 1
    if entry.get("topic") == "none":
        part.negatives["articles"] += 1
        n = sum(len(predicted.keys[f]) for f in ("accepts", "payments", "funders"))
        part.negatives["facts"] += n
        part.negatives["with_facts"] += int(n > 0)
    gold_amounts = {(p["payer"], p["payee"]): p.get("amount_usd") for p in entry.get("payments", [])}
    for family in FAMILIES:
        t = part.tallies[family]
        found = set(predicted.keys[family])
        if family == "payments":  # a pair read with the wrong sum is both a false fact and a miss
            found = {k for k in found if k not in gold_amounts or _amount_ok(predicted.amounts.get(k, set()),
                                                                               gold_amounts[k])}
            wrong = {k for k in predicted.keys[family] if k not in found}
            t.fp += len(wrong)
            t.false += [(entry["id"], k, predicted.quotes.get((family, k), "")) for k in sorted(wrong, key=str)]
        t.tp += len(found & expected[family])
        for key in sorted(found - expected[family], key=str):
            t.fp += 1
            t.false.append((entry["id"], key, predicted.quotes.get((family, key), "")))
        for key in sorted(expected[family] - found, key=str):
            t.fn += 1
            t.misses.append((entry["id"], key))
    for a in entry.get("accepts", []):
        pair = (a["host"], a["from"])
        if pair in predicted.statuses and a.get("status"):
            part.status_pairs += 1
            if predicted.statuses[pair] == a["status"]:
                part.status_right += 1
            else:
                part.status_wrong.append((entry["id"], pair, a["status"], predicted.statuses[pair]))


def score(gold: Iterable[dict[str, Any]], articles: Path | None) -> tuple[dict[str, Part], list[str]]:
    """The tallies of each part ("check", "tune", "all"), and the gold articles with no file."""
    parts = {name: Part() for name in (*PARTS, "all")}
    missing = []
    for entry in gold:
        if "text" in entry:  # an invented item of the phrasing set carries its own text
            article = Article(text=entry["text"], url=entry.get("url"), title=None)
        elif articles is None or (path := find_article(articles, entry["id"])) is None:
            missing.append(entry["id"])
            continue
        else:
            article = read_article(path)
        if article.published is None and entry.get("published"):
            article = replace(article, published=entry["published"])  # the date the gold records for it
        predicted = predicted_keys(extract(article))
        for name in (part_of(entry.get("url") or entry["id"]), "all"):
            _tally(parts[name], entry, predicted)
    return parts, missing


def _print_part(name: str, summary: dict[str, Any]) -> None:
    print(f"\n{name} part: {summary['articles']} articles")
    print(f"{'family':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for f, s in summary["families"].items():
        print(f"{f:<16} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>6.3f} {s['tp']:>4} {s['fp']:>4} "
              f"{s['fn']:>4}")
    print(f"statuses of accepts pairs found: {summary['status_accuracy']:.3f} right of {summary['status_pairs']}")
    neg = summary["negatives"]
    print(f"articles without an agreement: {neg['articles']}, of which with accepts/payment/funding facts: "
          f"{neg['with_facts']} ({neg['facts']} facts)")


def _print_errors(part: Part) -> None:
    by_family: dict[str, list[str]] = defaultdict(list)
    for f, t in part.tallies.items():
        by_family[f] += [f"  miss  {aid}: {key}" for aid, key in t.misses]
        by_family[f] += [f"  false {aid}: {key}\n        {quote}" for aid, key, quote in t.false]
    by_family["status"] = [f"  {aid}: {pair} gold {g}, read {r}" for aid, pair, g, r in part.status_wrong]
    for f, lines in by_family.items():
        if lines:
            print(f"\n{f}:")
            print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, help="folder of <id>.txt article files (not needed for entries "
                        "that hold their own text, as phrasings.json's do)")
    parser.add_argument("--gold", type=Path, default=Path(__file__).with_name("gold.json"))
    parser.add_argument("--errors", action="store_true", help="list the misses and the false facts of the tune part")
    parser.add_argument("--errors-of", choices=(*PARTS, "all"), default="tune",
                        help="the part whose errors --errors lists (tune unless you mean to stop measuring)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    entries = gold["articles"] if isinstance(gold, dict) else gold
    parts, missing = score(entries, args.articles)
    summaries = {name: part.summary() for name, part in parts.items()}
    if args.json:
        whole = summaries["all"]
        print(json.dumps({"families": whole["families"], "negatives": whole["negatives"],
                          "status_accuracy": whole["status_accuracy"], "parts": summaries,
                          "missing_files": missing}, indent=2, sort_keys=True))
        return 0
    for name in (*PARTS, "all"):
        _print_part(name, summaries[name])
    if missing:
        print(f"missing article files ({len(missing)}): {', '.join(missing)}", file=sys.stderr)
    if args.errors:
        _print_errors(parts[args.errors_of])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
