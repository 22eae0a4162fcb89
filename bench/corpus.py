"""A synthetic news corpus for benchmarks: varied templates, ~600 words an article, seeded.

Most articles are filler news (no deportation facts); a share are about removals, payments,
agreements and officials, so extraction does real work. Same seed, same corpus.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

HOSTS = ["Uzbekistan", "El Salvador", "Costa Rica", "Panama", "Kosovo", "Rwanda", "Eswatini", "South Sudan",
         "Ghana", "Uganda", "Honduras", "Guatemala", "Paraguay", "Mexico", "Albania", "Iran", "Colombia"]
DEPORTERS = ["the United States", "the U.S.", "Washington", "Italy", "Germany", "the United Kingdom", "Australia"]
DEMONYMS = ["Venezuelan", "Afghan", "Iranian", "Kazakh", "Kyrgyz", "Cuban", "Haitian", "Nicaraguan", "Chinese",
            "Indian", "Vietnamese", "Jamaican", "Laotian", "Yemeni", "Eritrean", "Syrian"]
FIRST = ["Ana", "Luis", "Maria", "Omar", "Nadia", "Peter", "Sofia", "Juan", "Amina", "Karim", "Elena", "David"]
LAST = ["Kowalski", "Haddad", "Moreno", "Petrov", "Okafor", "Lindqvist", "Duarte", "Nasser", "Ibrahim", "Varga"]
TITLES = ["Interior Minister", "Foreign Minister", "President", "Prime Minister", "Assistant Secretary"]
NUMBERS = ["131", "about 100", "nearly 300", "more than two hundred", "fifty", "up to 250", "five", "135"]

FACT_TEMPLATES = [
    "{dep} deported {num} {dem} nationals to {host} on {day}, officials said.",
    "{num} migrants who are not citizens of {host} were flown there from {dep_plain} this week.",
    "{host} has agreed to accept {num} deportees from {dep_plain} who are not its own citizens.",
    "Officials in {dep_plain} asked {host} to take in deportees from other countries, but no deal was signed.",
    "{dep} is paying {host} ${amount} million to hold the deportees for a year.",
    "{host} fully funded the charter flight that returned its nationals from {dep_plain}.",
    "A federal judge blocked deportation flights from {dep_plain} to {host} on {day}.",
    "{title} {first} {last} of {host} said the arrangement with {dep_plain} would continue.",
    "The flight carrying {num} people to {host} stopped in Qatar on the way.",
]
FILLER = [
    "The city council met on {day} to discuss the budget for road repairs and new bus lanes.",
    "Analysts expect the central bank to keep interest rates unchanged until the end of the quarter.",
    "The local football club announced a new coach after a disappointing season in the league.",
    "Farmers in the region reported a strong harvest despite a dry spring and rising fuel prices.",
    "A new museum exhibition traces two centuries of textile making in the river valley.",
    "Researchers at the university published a study on sleep patterns among shift workers.",
    "The weather service warned of heavy rain and possible flooding in low-lying districts.",
    "Shares of technology companies rose after quarterly earnings beat most forecasts.",
    "The school board approved a plan to hire more teachers for science and mathematics.",
    "Residents complained about noise from a construction site near the old market square.",
    "Tourism numbers recovered this summer, with hotels reporting high occupancy on weekends.",
    "The health ministry launched a campaign encouraging adults to get their seasonal vaccines.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "April 30", "March 15", "June 12"]


def _fill(template: str, rng: random.Random) -> str:
    dep = rng.choice(DEPORTERS)
    return template.format(
        dep=dep[0].upper() + dep[1:], dep_plain=dep, host=rng.choice(HOSTS), num=rng.choice(NUMBERS),
        dem=rng.choice(DEMONYMS), day=rng.choice(DAYS), amount=rng.choice([2, 6, 16, 20]),
        title=rng.choice(TITLES), first=rng.choice(FIRST), last=rng.choice(LAST),
    )


def article(i: int, rng: random.Random, relevant_share: float = 0.05, words: int = 600) -> dict[str, str]:
    """One synthetic article as a JSON-ready record."""
    relevant = rng.random() < relevant_share
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        if relevant and rng.random() < 0.25:
            sentences.append(_fill(rng.choice(FACT_TEMPLATES), rng))
        else:
            sentences.append(_fill(rng.choice(FILLER), rng))
    paragraphs = [" ".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
    return {"text": "\n\n".join(paragraphs), "title": f"Synthetic report {i}",
            "url": f"https://example.org/synthetic/{i}", "published": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"}


def generate(n: int, seed: int = 7, relevant_share: float = 0.05) -> Iterator[dict[str, str]]:
    """N synthetic articles, the same for the same seed."""
    rng = random.Random(seed)
    for i in range(n):
        yield article(i, rng, relevant_share)


def write_jsonl(path: Path, n: int, seed: int = 7, relevant_share: float = 0.05) -> Path:
    """Write N articles as JSONL; returns the path."""
    with open(path, "w", encoding="utf-8") as f:
        for record in generate(n, seed, relevant_share):
            f.write(json.dumps(record) + "\n")
    return path
