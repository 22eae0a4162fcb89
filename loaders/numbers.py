"""Numbers in news prose: head counts ("nearly 300", "one hundred and thirty-one") and money."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Count", "Money", "find_counts", "find_money", "parse_number"]

_UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s+(?:million|thousand|billion))?"
    rf"|(?:(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*)"
)
HEDGES = {
    "over": ">", "more than": ">", "upwards of": ">", "at least": ">=", "nearly": "~", "almost": "~",
    "about": "~", "approximately": "~", "around": "~", "roughly": "~", "some": "~", "close to": "~",
    "an estimated": "~", "up to": "<=", "as many as": "<=", "fewer than": "<", "less than": "<",
    "under": "<", "a group of": "~",
}
_HEDGE = "|".join(sorted(map(re.escape, HEDGES), key=len, reverse=True))
# A head count as written before the people it counts: "1,700", "some 300", "more than two dozen".
COUNT_BEFORE = rf"(?:(?:{_HEDGE})\s+)?(?:{NUMBER})"


def parse_number(text: str) -> int | None:
    """An integer from digits or English number words.

    >>> parse_number("one hundred and thirty-one")
    131
    >>> parse_number("1,715")
    1715
    >>> parse_number("2.5 million")
    2500000
    >>> parse_number("a dozen")
    12
    """
    t = text.strip().lower().replace(",", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(million|thousand|billion))?", t)
    if m:
        value = float(m.group(1)) * (_SCALES[m.group(2)] if m.group(2) else 1)
        return round(value)
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", t):
        if word == "and" or not word:
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in ("hundred", "dozen"):
            current = max(current, 1) * _SCALES[word]
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


@dataclass(frozen=True, slots=True)
class Count:
    """A head count as written, with its hedge (``~``, ``>``, ``<=`` ...) or None when exact."""

    value: int
    text: str
    hedge: str | None
    start: int


_COUNT = re.compile(
    rf"(?<![\w$€£.])(?:(?P<hedge>{_HEDGE})\s+)?(?P<num>{NUMBER})(?![\w%])",
    re.IGNORECASE,
)


def find_counts(sentence: str, people_starts: list[int]) -> list[Count]:
    """Counts of people: numbers followed within three words by a people noun or demonym.

    ``people_starts`` are the offsets where such nouns begin in ``sentence``.

    >>> s = "The US deported approximately 100 Iranian nationals."
    >>> [c.value for c in find_counts(s, [s.index("Iranian")])]
    [100]
    """
    out = []
    for m in _COUNT.finditer(sentence):
        num = m.group("num")
        if num.lower() in {"a", "an", "one"} and not m.group("hedge"):
            continue
        if num.split()[0].lower() in _SCALES or re.search(r"[\d$€£]\s*$", sentence[max(0, m.start() - 2):m.start()]):
            continue
        value = parse_number(num)
        if value is None or value == 0 or (1900 <= value <= 2100 and num.isdigit()):
            continue
        tail = sentence[m.end():m.end() + 40]
        words_before = [s for s in people_starts if m.end() <= s <= m.end() + len(tail)]
        if not words_before:
            continue
        gap = sentence[m.end():words_before[0]]
        if len(gap.split()) > 3 or any(ch in gap for ch in ",.;:()"):
            continue
        hedge = HEDGES.get((m.group("hedge") or "").lower())
        out.append(Count(value, m.group(0).strip(), hedge, m.start()))
    return out


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of money as written, converted to USD at the fixed rate table."""

    amount: float
    currency: str
    amount_usd: float
    text: str
    start: int
    end: int
    spelling: str = ""  # the currency as written: "$", "kroner", "KSh"


_SCALE_WORDS = {"million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
                "thousand": 1e3, "k": 1e3}


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=8)
def _money_pattern(spellings: tuple[str, ...]) -> re.Pattern[str]:
    """The regex for sums in the currencies of a rate table, built once per table."""
    # Symbols and codes stand before the sum ("$6m", "KSh 50 million"), words after it ("20 million euros");
    # a code also after it ("3 million USD").
    symbols = sorted((s for s in spellings if not s[0].isalpha() or s.isupper() or "$" in s
                      or (" " not in s and not s.islower())), key=len, reverse=True)
    words = sorted((s for s in spellings if s not in symbols or (s.isalpha() and s.isupper() and len(s) == 3)),
                   key=len, reverse=True)
    sym = "|".join(map(re.escape, symbols)) or r"(?!)"
    wrd = "|".join(map(re.escape, words)) or r"(?!)"
    amount = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    scale = r"(?:\s*(?P<scale>million|billion|thousand|mln|mn|bn|m|b|k)\b)?"
    # a sum in words before a currency word: "half a billion pounds", "two million euros"
    in_words = (r"(?P<wnum>half\s+an?|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
                r"\s+(?P<wscale>million|billion)")
    return re.compile(
        rf"(?:(?P<sym>{sym})\s?{amount}{scale})|(?:{amount.replace('num', 'num2')}"
        rf"(?:\s*(?P<scale2>million|billion|thousand|mln|mn|bn|m|b|k)\b)?\s+(?P<word>{wrd})\b)"
        rf"|(?:\b{in_words}\s+(?P<word3>{wrd})\b)"
    )


def find_money(sentence: str, currencies: dict[str, tuple[str, float]]) -> list[Money]:
    """Amounts of money in a sentence, in any currency of the rate table.

    >>> table = {"$": ("USD", 1.0), "US$": ("USD", 1.0), "€": ("EUR", 1.08), "euros": ("EUR", 1.08)}
    >>> [(m.amount, m.currency) for m in find_money("paying $6 million and US$5.1m", table)]
    [(6000000.0, 'USD'), (5100000.0, 'USD')]
    >>> [round(m.amount_usd) for m in find_money("a grant of 20 million euros", table)]
    [21600000]
    """
    if _DIGIT.search(sentence) is None and "illion" not in sentence:
        return []
    pattern = _money_pattern(tuple(currencies))
    out = []
    for m in pattern.finditer(sentence):
        spelling = m.group("sym") or m.group("word") or m.group("word3")
        code, rate = currencies[spelling]
        if m.group("wnum"):
            words = m.group("wnum").lower()
            num = 0.5 if words.startswith("half") else float(_UNITS[words])
        else:
            num = float((m.group("num") or m.group("num2")).replace(",", ""))
        factor = _SCALE_WORDS.get((m.group("scale") or m.group("scale2") or m.group("wscale") or "").lower(), 1.0)
        value = num * factor
        out.append(Money(value, code, round(value * rate, 2), m.group(0), m.start(), m.end(), spelling))
    return out
