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


# --- a corpus whose graph grows with it (bench/scale.py, bench/query.py, bench/push.py) ---------------
#
# `generate` above draws from a few fixed hosts, deporters and officials, so its graph stops growing
# after a few thousand articles. The generator below draws hosts and deporters from many countries
# and officials from tens of thousands of generated names, so nodes and edges keep growing with the
# archive. It works in chunks, each with its own seeded generator: chunk k is the same whoever
# makes it, so chunks can be made in parallel and written in order.

# (name as written in a sentence, demonym)
GROWING_HOSTS: list[tuple[str, str]] = [
    ("Afghanistan", "Afghan"), ("Albania", "Albanian"), ("Algeria", "Algerian"), ("Angola", "Angolan"),
    ("Argentina", "Argentine"), ("Armenia", "Armenian"), ("Azerbaijan", "Azerbaijani"), ("Bangladesh", "Bangladeshi"),
    ("Belarus", "Belarusian"), ("Belize", "Belizean"), ("Benin", "Beninese"), ("Bhutan", "Bhutanese"),
    ("Bolivia", "Bolivian"), ("Bosnia and Herzegovina", "Bosnian"), ("Botswana", "Motswana"), ("Brazil", "Brazilian"),
    ("Bulgaria", "Bulgarian"), ("Burkina Faso", "Burkinabe"), ("Burundi", "Burundian"), ("Cambodia", "Cambodian"),
    ("Cameroon", "Cameroonian"), ("Chad", "Chadian"), ("Chile", "Chilean"), ("China", "Chinese"),
    ("Colombia", "Colombian"), ("Costa Rica", "Costa Rican"), ("Cuba", "Cuban"), ("Djibouti", "Djiboutian"),
    ("Ecuador", "Ecuadorian"), ("Egypt", "Egyptian"), ("El Salvador", "Salvadoran"), ("Eritrea", "Eritrean"),
    ("Eswatini", "Swazi"), ("Ethiopia", "Ethiopian"), ("Fiji", "Fijian"), ("Gabon", "Gabonese"),
    ("Georgia", "Georgian"), ("Ghana", "Ghanaian"), ("Guatemala", "Guatemalan"), ("Guinea", "Guinean"),
    ("Guyana", "Guyanese"), ("Haiti", "Haitian"), ("Honduras", "Honduran"), ("India", "Indian"),
    ("Indonesia", "Indonesian"), ("Iran", "Iranian"), ("Iraq", "Iraqi"), ("Jamaica", "Jamaican"),
    ("Jordan", "Jordanian"), ("Kazakhstan", "Kazakh"), ("Kenya", "Kenyan"), ("Kosovo", "Kosovar"),
    ("Kyrgyzstan", "Kyrgyz"), ("Laos", "Lao"), ("Lebanon", "Lebanese"), ("Liberia", "Liberian"),
    ("Libya", "Libyan"), ("Madagascar", "Malagasy"), ("Malawi", "Malawian"), ("Malaysia", "Malaysian"),
    ("Mali", "Malian"), ("Mauritania", "Mauritanian"), ("Mexico", "Mexican"), ("Moldova", "Moldovan"),
    ("Mongolia", "Mongolian"), ("Montenegro", "Montenegrin"), ("Morocco", "Moroccan"), ("Mozambique", "Mozambican"),
    ("Namibia", "Namibian"), ("Nepal", "Nepali"), ("Nicaragua", "Nicaraguan"), ("Niger", "Nigerien"),
    ("Nigeria", "Nigerian"), ("North Macedonia", "Macedonian"), ("Pakistan", "Pakistani"), ("Panama", "Panamanian"),
    ("Paraguay", "Paraguayan"), ("Peru", "Peruvian"), ("Rwanda", "Rwandan"), ("Senegal", "Senegalese"),
    ("Serbia", "Serbian"), ("Sierra Leone", "Sierra Leonean"), ("Somalia", "Somali"), ("South Sudan", "South Sudanese"),
    ("Sri Lanka", "Sri Lankan"), ("Sudan", "Sudanese"), ("Suriname", "Surinamese"), ("Syria", "Syrian"),
    ("Tajikistan", "Tajik"), ("Tanzania", "Tanzanian"), ("Thailand", "Thai"), ("Togo", "Togolese"),
    ("Tunisia", "Tunisian"), ("Turkmenistan", "Turkmen"), ("Uganda", "Ugandan"), ("Ukraine", "Ukrainian"),
    ("Uruguay", "Uruguayan"), ("Uzbekistan", "Uzbek"), ("Venezuela", "Venezuelan"), ("Vietnam", "Vietnamese"),
    ("Yemen", "Yemeni"), ("Zambia", "Zambian"), ("Zimbabwe", "Zimbabwean"),
]
GROWING_DEPORTERS: list[tuple[str, str]] = [
    ("the United States", "American"), ("the United Kingdom", "British"), ("Germany", "German"),
    ("France", "French"), ("Italy", "Italian"), ("Spain", "Spanish"), ("the Netherlands", "Dutch"),
    ("Belgium", "Belgian"), ("Austria", "Austrian"), ("Switzerland", "Swiss"), ("Sweden", "Swedish"),
    ("Norway", "Norwegian"), ("Denmark", "Danish"), ("Finland", "Finnish"), ("Ireland", "Irish"),
    ("Poland", "Polish"), ("Greece", "Greek"), ("Portugal", "Portuguese"), ("Hungary", "Hungarian"),
    ("Czech Republic", "Czech"), ("Canada", "Canadian"), ("Australia", "Australian"), ("New Zealand", "New Zealander"),
    ("Japan", "Japanese"), ("South Korea", "South Korean"), ("Israel", "Israeli"), ("Saudi Arabia", "Saudi"),
    ("Qatar", "Qatari"), ("Kuwait", "Kuwaiti"), ("Russia", "Russian"), ("Singapore", "Singaporean"),
    ("South Africa", "South African"), ("Croatia", "Croatian"), ("Romania", "Romanian"), ("Lithuania", "Lithuanian"),
    ("Estonia", "Estonian"), ("Latvia", "Latvian"), ("Slovakia", "Slovak"), ("Slovenia", "Slovenian"),
    ("Luxembourg", "Luxembourger"),
]
_ONSETS = ["Ka", "Lu", "Mi", "So", "Da", "Re", "Ta", "No", "Vi", "Ze", "Ha", "Jo", "Be", "Ra", "Ni", "Fe",
           "Go", "Pa", "Si", "Wa"]
_MIDDLES = ["ra", "lo", "na", "mi", "sha", "vi", "de", "ko", "li", "re", "ba", "to", "zu", "ga", "pe"]
_ENDS = ["r", "n", "sh", "v", "l", "k", "m", "d", "t", "s", "z", "x"]
# 160 first names × 300 surnames: 48,000 officials' names, so the officials keep growing with the archive.
GROWING_FIRST: list[str] = [o + m + ("" if (a + b) % 3 else "l") for a, o in enumerate(_ONSETS)
                            for b, m in enumerate(_MIDDLES[:8])]
GROWING_LAST: list[str] = [o + m + _ENDS[(a * 5 + b) % len(_ENDS)] for a, o in enumerate(_ONSETS)
                           for b, m in enumerate(_MIDDLES)]
GROWING_CHUNK = 2000  # articles per seeded chunk

GROWING_FACT_TEMPLATES = [
    *FACT_TEMPLATES[:7],
    "{host_dem} {title} {first} {last} said the arrangement with {dep_plain} would continue.",
    "{dep_dem} {title} {first} {last} announced that {num} deportees would be flown to {host} next month.",
    "{title} {first} {last} of {host} said the arrangement with {dep_plain} would continue.",
    "The flight carrying {num} people to {host} stopped in {transit} on the way.",
]
_FILLERS: list[str] = [f.format(day=d) for f in FILLER for d in DAYS]
_FILLER_WORDS: list[int] = [len(f.split()) for f in _FILLERS]


def _fill_growing(template: str, rng: random.Random) -> str:
    host, host_dem = rng.choice(GROWING_HOSTS)
    dep, dep_dem = rng.choice(GROWING_DEPORTERS)
    return template.format(
        dep=dep[0].upper() + dep[1:], dep_plain=dep, dep_dem=dep_dem, host=host, host_dem=host_dem,
        num=rng.choice(NUMBERS), dem=rng.choice(GROWING_HOSTS)[1], day=rng.choice(DAYS),
        amount=rng.choice([2, 6, 16, 20, 35, 50]), title=rng.choice(TITLES), first=rng.choice(GROWING_FIRST),
        last=rng.choice(GROWING_LAST),
        transit=rng.choice(GROWING_DEPORTERS[26:31])[0],
    )


def growing_article(i: int, rng: random.Random, relevant_share: float = 0.05, words: int = 600) -> dict[str, str]:
    """One article of the growing corpus as a JSON-ready record."""
    relevant = rng.random() < relevant_share
    sentences: list[str] = []
    count = 0
    while count < words:
        if relevant and rng.random() < 0.25:
            sentence = _fill_growing(rng.choice(GROWING_FACT_TEMPLATES), rng)
            count += sentence.count(" ") + 1
        else:
            k = rng.randrange(len(_FILLERS))
            sentence = _FILLERS[k]
            count += _FILLER_WORDS[k]
        sentences.append(sentence)
    paragraphs = [" ".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
    return {"text": "\n\n".join(paragraphs), "title": f"Synthetic report {i}",
            "url": f"https://example.org/synthetic/{i}", "published": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"}


def growing_chunk(chunk: int, n: int, seed: int = 7, relevant_share: float = 0.05) -> str:
    """Articles ``chunk*GROWING_CHUNK`` up to ``n`` (at most GROWING_CHUNK of them) as JSONL text."""
    rng = random.Random(f"deportgraph-growing:{seed}:{chunk}")
    start = chunk * GROWING_CHUNK
    return "".join(json.dumps(growing_article(i, rng, relevant_share)) + "\n"
                   for i in range(start, min(n, start + GROWING_CHUNK)))


def generate_growing(n: int, seed: int = 7, relevant_share: float = 0.05) -> Iterator[dict[str, str]]:
    """N articles of the growing corpus, the same for the same seed (one at a time, never all in memory)."""
    for chunk in range(-(-n // GROWING_CHUNK)):
        rng = random.Random(f"deportgraph-growing:{seed}:{chunk}")
        for i in range(chunk * GROWING_CHUNK, min(n, (chunk + 1) * GROWING_CHUNK)):
            yield growing_article(i, rng, relevant_share)
