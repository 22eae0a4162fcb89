"""Benchmark: ingest N synthetic articles end to end (read, extract, store) and report the rate.

    python bench/ingest.py --n 10000 [--relevant 0.05] [--seed 7] [--peer]

Prints articles/s, wall time and the peak resident memory of the process. With ``--peer`` (needs the
``bench`` extra: ``pip install -e '.[bench]'``) the same texts also go through a spaCy rule pipeline —
a blank English model, the sentencizer, an EntityRuler with every country name, demonym and capital
of deportgraph's gazetteer, and a Matcher on the lexicon's removal and acceptance words — and
deportgraph's extraction alone is timed on them too, one core each. Not a test: numbers go into the
docs, never into assertions.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from corpus import write_jsonl  # bench/ is on sys.path when this script runs

from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--relevant", type=float, default=0.05, help="share of articles about deportation")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1: extract in this process)")
    parser.add_argument("--peer", action="store_true", help="also time a spaCy rule pipeline on the same texts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_jsonl(Path(tmp) / "corpus.jsonl", args.n, args.seed, args.relevant)
        size_mb = corpus.stat().st_size / 1e6
        start = time.perf_counter()
        with Store.open(Path(tmp) / "bench.db") as store:
            report = ingest(store, [str(corpus)], batch_size=1000, jobs=args.jobs)
            stats = store.stats()
        wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {report.read:,} ({size_mb:.0f} MB of JSONL), relevant {report.relevant:,}, "
          f"with facts {report.with_facts:,}, facts {report.facts:,}")
    print(f"nodes: {sum(stats['nodes'].values()):,}, edges: {sum(stats['edges'].values()):,}")
    print(f"wall: {wall:.2f} s, rate: {report.read / wall:,.0f} articles/s (jobs={args.jobs})")
    print(f"peak RSS: {peak_mb:.0f} MB")
    if args.peer:
        compare_with_spacy(args.n, args.seed, args.relevant)


def compare_with_spacy(n: int, seed: int, relevant: float) -> None:
    """deportgraph's extraction alone and a spaCy rule pipeline, on the same texts, one core each."""
    import spacy
    from corpus import generate
    from spacy.matcher import Matcher

    from deportgraph.loaders.article import Article
    from deportgraph.loaders.extraction import extract
    from deportgraph.loaders.gazetteer import load_gazetteer

    texts = [record["text"] for record in generate(n, seed, relevant)]
    gaz = load_gazetteer()
    start = time.perf_counter()
    for text in texts:
        extract(Article(text))
    ours = time.perf_counter() - start

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    names = sorted({alias for c in gaz.countries.values() for alias in (c.name, *c.aliases)})
    ruler.add_patterns([{"label": "GPE", "pattern": name} for name in names])
    matcher = Matcher(nlp.vocab)
    words = sorted({t for e in gaz.lexicon.values() if e.category in ("removal", "acceptance") for t in e.terms})
    matcher.add("TRIGGER", [[{"LOWER": w} for w in term.split()] for term in words])
    start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=64):
        matcher(doc)
    peer = time.perf_counter() - start
    print(f"extraction alone: {len(texts) / ours:,.0f} articles/s; spaCy rule pipeline (blank en, sentencizer, "
          f"EntityRuler with {len(names):,} names, Matcher with {len(words):,} terms): {len(texts) / peer:,.0f} "
          f"articles/s; ratio {peer / ours:.2f}x")


if __name__ == "__main__":
    main()
