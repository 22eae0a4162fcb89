"""Gazetteers: the data files under ``patterns/`` compiled into Aho-Corasick automata.

Two automata find everything extraction needs in one pass each over an article:

* ``proper`` (case-sensitive, on the original text): countries by name, alias, demonym and
  capital (ISO 3166 data from pycountry, our aliases from ``countries.jsonl``), agencies and
  officials;
* ``lexical`` (on the lower-cased text): the words of removal, acceptance, status, money,
  people, titles... from ``lexicon.jsonl``.

They are built once per process (`load_gazetteer` is cached) and never sent between processes.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import ahocorasick
import pycountry

from deportgraph.errors import LoaderError

__all__ = [
    "Agency",
    "Country",
    "Gazetteer",
    "KnownOfficial",
    "LexEntry",
    "Match",
    "load_gazetteer",
    "read_pattern_lines",
]


# The lexicon category whose words let an article through the relevance gate: words that only
# deportation and migration news uses (removal words like "flight" or "returned" alone are too common).
GATE_CATEGORIES = ("gate",)
# Words that let an article through only two by two.
WEAK_GATE_CATEGORIES = ("removal", "acceptance")


@dataclass(frozen=True, slots=True)
class Country:
    """A country as the gazetteer knows it."""

    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Agency:
    """A government body, court or international organisation."""

    id: str
    name: str
    acronym: str | None
    country: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class KnownOfficial:
    """An official listed in ``officials.jsonl``."""

    id: str
    name: str
    titles: tuple[str, ...]
    country: str | None
    agency: str | None


@dataclass(frozen=True, slots=True)
class LexEntry:
    """One entry of ``lexicon.jsonl``: words of one category, maybe implying a status."""

    id: str
    category: str
    status: str | None
    needs_amount: bool = False  # a payment word only with a sum of money nearby ("gave Rwanda £270 million")
    needs_people: bool = False  # an acceptance word only with people nearby ("hosted 40 deportees", not "hosted talks")
    effect: str | None = None  # what a court ruling word does to an arrangement ("blocked", "allowed", …)
    terms: tuple[str, ...] = ()
    people_object: bool = False  # a removal word only with people as its object ("pushed 40 migrants back",
    # not "pushed Ghana to accept deportees")


@dataclass(frozen=True, slots=True)
class Currency:
    """One row of ``currencies.csv``: a currency, its fixed USD rate and every way it is written."""

    code: str
    usd_per_unit: float
    spellings: frozenset[str]


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer hit in a text: where, what kind, which entity, in which form."""

    start: int
    end: int
    kind: str  # country | agency | official | lex
    key: str  # iso3, agency id, official id, or lexicon entry id
    form: str  # name | demonym | demonym_plural | capital | alias | <lexicon category>
    ambiguous: bool = False


@dataclass
class Gazetteer:
    """Everything extraction looks up, compiled."""

    countries: dict[str, Country]
    agencies: dict[str, Agency]
    officials: dict[str, KnownOfficial]
    lexicon: dict[str, LexEntry]
    currencies: dict[str, tuple[str, float]]  # spelling -> (code, usd per unit)
    proper: Any = field(repr=False)
    lexical: Any = field(repr=False)
    surname_index: dict[str, str] = field(default_factory=dict)
    lex_status: dict[str, str] = field(default_factory=dict)  # lexicon entry id -> status it implies
    gate: Any = field(default=None, repr=False)  # the words that make an article worth reading
    part_of: dict[str, str] = field(default_factory=dict)  # territory iso3 -> sovereign iso3
    home_currency: dict[str, Currency] = field(default_factory=dict)  # iso3 -> its own currency
    regions: dict[str, frozenset[str]] = field(default_factory=dict)  # region word -> member iso3
    _region_words: re.Pattern[str] | None = field(default=None, repr=False)
    _terms: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _endings: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False)

    def passes_gate(self, lowered: str) -> bool:
        """The relevance gate's first, cheap test: a word only deportation and migration news uses,
        or two different words of removal or acceptance ("flown to … accepted")."""
        weak: set[str] = set()
        for end, (surface, strong) in self.gate.iter(lowered):
            if _bounded(lowered, end - len(surface) + 1, end + 1):
                if strong:
                    return True
                weak.add(surface)
                if len(weak) >= 2:
                    return True
        return False

    def region_of(self, phrase: str) -> frozenset[str] | None:
        """The states a phrase's region words allow ("the Central American country": Belize … Panama), or
        None when it names no region (``regions.jsonl``)."""
        if self._region_words is None:
            return None
        found = [self.regions[m.group(0)] for m in self._region_words.finditer(phrase)]
        return frozenset.intersection(*found) if found else None

    def find_proper(self, text: str) -> Iterator[Match]:
        """Leftmost longest word-bounded hits of countries, agencies and officials: where the longest
        name at a place is not a whole word ("EU Commission" in "EU Commissioner"), a shorter one is."""
        longest: dict[int, tuple[int, Any]] = {}
        for end, (surface, hits) in self.proper.iter(text):
            start = end - len(surface) + 1
            if _bounded(text, start, end + 1) and end > longest.get(start, (-1, None))[0]:
                longest[start] = (end, hits)
        taken = -1
        for start in sorted(longest):
            end, hits = longest[start]
            if start > taken:
                kind, key, form, ambiguous = hits[0]
                yield Match(start, end + 1, kind, key, form, ambiguous)
                taken = end

    def terms_of(self, category: str) -> tuple[str, ...]:
        """Every lower-cased term of a lexicon category, longest first."""
        cached = self._terms.get(category)
        if cached is None:
            cached = tuple(sorted({t for e in self.lexicon.values() if e.category == category for t in e.terms},
                                  key=lambda t: (-len(t), t)))
            self._terms[category] = cached
        return cached

    def ends_with(self, category: str) -> re.Pattern[str]:
        """One regex, built once, for "the text ends with a word of this lexicon category"."""
        found = self._endings.get(category)
        if found is None:
            found = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, self.terms_of(category))) + r")\Z")
            self._endings[category] = found
        return found

    def find_lexical(self, lowered: str) -> Iterator[Match]:
        """Every word-bounded hit of lexicon terms (overlaps allowed) in lower-cased text."""
        for end, (surface, hits) in self.lexical.iter(lowered):
            start = end - len(surface) + 1
            if _bounded(lowered, start, end + 1):
                for entry_id, category in hits:
                    yield Match(start, end + 1, "lex", entry_id, category)


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def read_pattern_lines(name: str) -> list[tuple[int, dict[str, Any]]]:
    """The entries of one JSON Lines file under ``patterns/``, each with its line number (for errors)."""
    path = resources.files("deportgraph.loaders") / "patterns" / name
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append((lineno, json.loads(line)))
            except json.JSONDecodeError as err:
                raise LoaderError(f"patterns/{name}:{lineno}", f"bad pattern line ({err.msg})") from None
    return rows


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    return [row for _, row in read_pattern_lines(name)]


def _iso_countries() -> dict[str, Country]:
    out = {}
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        out[c.alpha_3] = Country(c.alpha_3, c.alpha_2, name, ())
    out["XKX"] = Country("XKX", "XK", "Kosovo", ())
    return out


def _add(automaton: Any, surface: str, hit: tuple[Any, ...]) -> None:
    if not surface:
        return
    if surface in automaton:
        existing = automaton.get(surface)[1]
        if hit not in existing:
            existing.append(hit)
    else:
        automaton.add_word(surface, (surface, [hit]))


def _load_countries(proper: ahocorasick.Automaton) -> tuple[dict[str, Country], dict[str, str]]:
    """ISO 3166 countries with our names, demonyms and capitals (``countries.jsonl``), into ``proper``."""
    countries = _iso_countries()
    part_of: dict[str, str] = {}
    for row in _read_jsonl("countries.jsonl"):
        iso3 = row["iso3"]
        if row.get("part_of"):
            part_of[iso3] = row["part_of"]
        base = countries.get(iso3)
        if base is None:
            raise LoaderError("patterns/countries.jsonl", f"unknown ISO 3166 code {iso3!r} in {row['id']!r}")
        names = [n for n in row.get("names", []) if n]
        countries[iso3] = Country(iso3, base.iso2, base.name, tuple(sorted(set(names) - {base.name})))
        ambiguous = set(row.get("ambiguous", []))
        for form, values in (("name", names), ("capital", row.get("capitals", [])), ("city", row.get("cities", []))):
            for v in values:
                _add(proper, v, ("country", iso3, form, v in ambiguous))
        for d in row.get("demonyms", []):
            form = "demonym_plural" if d.endswith("s") and d[:-1] in row["demonyms"] else "demonym"
            _add(proper, d, ("country", iso3, form, d in ambiguous))
    for iso3, c in countries.items():
        _add(proper, c.name, ("country", iso3, "name", False))
    return countries, part_of


def _load_agencies(proper: ahocorasick.Automaton) -> dict[str, Agency]:
    agencies = {}
    for row in _read_jsonl("agencies.jsonl"):
        a = Agency(row["id"], row["name"], row.get("acronym"), row.get("country"), row.get("kind", "agency"))
        agencies[a.id] = a
        generic = set(row.get("ambiguous", []))  # "Supreme Court": this agency only where nothing says otherwise
        for alias in {a.name, a.acronym or "", *row.get("aliases", [])}:
            _add(proper, alias, ("agency", a.id, "alias", alias in generic))
    return agencies


def _load_officials(proper: ahocorasick.Automaton) -> tuple[dict[str, KnownOfficial], dict[str, str]]:
    officials = {}
    surname_index: dict[str, str] = {}
    for row in _read_jsonl("officials.jsonl"):
        o = KnownOfficial(row["id"], row["name"], tuple(row.get("titles", [])), row.get("country"),
                          row.get("agency"))
        officials[o.id] = o
        for alias in {o.name, *row.get("aliases", [])}:
            _add(proper, alias, ("official", o.id, "alias", False))
            if " " not in alias:
                surname_index[alias] = o.id
        surname_index.setdefault(o.name.split()[-1], o.id)
    return officials, surname_index


def _load_lexicon() -> tuple[dict[str, LexEntry], ahocorasick.Automaton, ahocorasick.Automaton]:
    """The lexicon's entries, their automaton and the relevance gate's (``lexicon.jsonl``)."""
    lexicon = {}
    lexical = ahocorasick.Automaton()
    gate = ahocorasick.Automaton()
    for row in _read_jsonl("lexicon.jsonl"):
        entry = LexEntry(row["id"], row["category"], row.get("status"), bool(row.get("needs_amount")),
                         bool(row.get("needs_people")), row.get("effect"), tuple(t.lower() for t in row["terms"]),
                         bool(row.get("people_object")))
        lexicon[entry.id] = entry
        for term in row["terms"]:
            _add(lexical, term.lower(), (entry.id, entry.category))
            if entry.category in GATE_CATEGORIES:
                gate.add_word(term.lower(), (term.lower(), True))
            elif entry.category in WEAK_GATE_CATEGORIES and term.lower() not in gate:
                gate.add_word(term.lower(), (term.lower(), False))
    lexical.make_automaton()
    gate.make_automaton()
    return lexicon, lexical, gate


def _load_regions(known: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Region words ("East African", "West Africa", "Gulf") and the states each takes in."""
    out: dict[str, frozenset[str]] = {}
    for lineno, row in read_pattern_lines("regions.jsonl"):
        unknown = [c for c in row.get("members", ()) if c not in known]
        if unknown or not row.get("words") or not row.get("members"):
            raise LoaderError(f"patterns/regions.jsonl:{lineno}",
                              f"a region needs words and known members (unknown: {unknown})")
        for word in row["words"]:
            out[word] = frozenset(row["members"])
    return out


def _load_currencies() -> tuple[dict[str, tuple[str, float]], dict[str, Currency]]:
    """Each spelling of a currency with its code and USD rate (a spelling several rows share, "$" or
    "kroner", reads as the first), and each country's own currency."""
    currencies: dict[str, tuple[str, float]] = {}
    path = resources.files("deportgraph.loaders") / "patterns" / "currencies.csv"
    home_currency: dict[str, Currency] = {}
    for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
        currency = Currency(row["code"], float(row["usd_per_unit"]), frozenset(row["spellings"].split("|")))
        for spelling in currency.spellings:
            currencies.setdefault(spelling, (currency.code, currency.usd_per_unit))
        for iso3 in filter(None, (row.get("countries") or "").split("|")):
            home_currency[iso3] = currency
    return currencies, home_currency


@cache
def load_gazetteer() -> Gazetteer:
    """Build (once per process) the gazetteer from the package's pattern files."""
    proper = ahocorasick.Automaton()
    countries, part_of = _load_countries(proper)
    agencies = _load_agencies(proper)
    officials, surname_index = _load_officials(proper)
    proper.make_automaton()
    lexicon, lexical, gate = _load_lexicon()
    currencies, home_currency = _load_currencies()
    lex_status = {e.id: e.status for e in lexicon.values() if e.status}
    regions = _load_regions(countries)
    region_words = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(regions, key=len, reverse=True))) + r")\b") \
        if regions else None
    return Gazetteer(countries, agencies, officials, lexicon, currencies, proper, lexical, surname_index,
                     lex_status, gate, part_of, home_currency=home_currency, regions=regions,
                     _region_words=region_words)

