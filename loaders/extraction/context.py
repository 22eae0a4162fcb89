"""The document model: what the whole article says that single sentences rely on."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from deportgraph.vocabulary import Status

from ..gazetteer import Gazetteer, Match
from .mentions import HOLDING_GAP, SIGNING, _remover, place_after
from .names import _name_after
from .sentences import ADJECTIVE, DEST, FROM, MODIFIER, PARTNER, PLAIN, Sentence

_ORGAN_GAP = re.compile(r"(?:['’]s)?\s+(?:(?:royal|national|federal|state)\s+)?", re.IGNORECASE)
_ENFORCING_KINDS = {"ministry", "agency", "police", "military", "head_of_state_office"}

@dataclass(slots=True)
class Context:
    """What the whole article says that single sentences rely on."""

    text: str
    gazetteer: Gazetteer
    deporter: str | None
    third_country_lead: bool
    country_mentions: list[Match]
    full_names: dict[str, str]  # surname -> full name seen in this article
    published: str | None
    last_host: str | None = None  # the host of the latest accepts fact: what "the government" may refer to
    hosts: set[str] = field(default_factory=set)  # every host read so far
    named_officials: set[str] = field(default_factory=set)  # listed officials named in full or with a title
    main_state: str | None = None  # the country the article is about, when one stands out
    officials: list[PendingOfficial] = field(default_factory=list)  # read, their country settled at the end
    person_countries: dict[str, Counter[str]] = field(default_factory=dict)  # person -> countries read for them
    holding_places: set[str] = field(default_factory=set)  # where the people were held on the way ("held in Djibouti")
    people_of: set[str] = field(default_factory=set)  # countries whose people the article names ("Afghan men")
    dateline_state: str | None = None  # where the article was filed from ("ACCRA, Ghana (AP) —")
    court_states: set[str] = field(default_factory=set)  # whose courts the article names ("Nepal's Supreme Court")


@dataclass(frozen=True, slots=True)
class PendingOfficial:
    """An office holder as one sentence names them, before the article's context fills their country."""

    person: str
    name: str
    title: str | None
    country: str | None
    agency: str | None
    quote: str
    rule: str
    confidence: float
    sentence_state: str | None = None  # the one country the person's sentence names, if one
    judicial: bool = False  # a judge, or the office holder of a court ("the president of the Supreme Court")
    removal_office: bool = False  # an office that runs removals ("Interior Minister", "minister (asylum)")
    other_side: str | None = None  # a country their sentence sets against them ("his Ugandan counterpart")
    speech_subject: str | None = None  # the state their reported words are about ("Austria has asked…, X said")


# A dateline opening a line: a city in capitals, its country, an agency, then a dash.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,}(?:,\s+[A-Z][\w .'-]+?)?(?:\s+\([\w .-]+\))?\s*[–—-]\s", re.MULTILINE)


def dateline_state(text: str, countries: list[Match]) -> str | None:
    r"""The country of the article's dateline in its first lines, from the country written after the
    city or the city as a capital ("BELMOPAN, Belize –", "ACCRA (Reuters) –").

    >>> from deportgraph.loaders.gazetteer import Match
    >>> dateline_state("x\nACCRA, Ghana (AP) — Ghana said", [Match(9, 14, "country", "GHA", "name")])
    'GHA'
    """
    found = _DATELINE.search(text, 0, 600)
    if found is None:
        return None
    return next((m.key for m in countries if found.start() <= m.start < found.end()), None)


def main_state(country_mentions: list[Match], deporter: str | None) -> str | None:
    """The country an article is about: the one named most, when it is named at least half again as
    often as the next; else the deporting state.

    >>> from deportgraph.loaders.gazetteer import Match
    >>> ms = [Match(0, 1, "country", "PER", "name")] * 3 + [Match(0, 1, "country", "CHL", "name")]
    >>> main_state(ms, None)
    'PER'
    """
    counts = Counter(m.key for m in country_mentions)
    ranked = counts.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] >= 1.5 * ranked[1][1]):
        return ranked[0][0]
    return deporter



def _default_deporter(sentences: list[Sentence], gaz: Gazetteer, holding: AbstractSet[str] = frozenset()
                      ) -> str | None:
    """The state doing the removing in this article, from its least ambiguous mentions.

    "removed from X" / "deported by X" weigh most, X as the subject of a removal verb less,
    and an enforcement agency of X or "received from X" least; "from X" where the people were held (``holding``) counts
    only when nothing else does. Needs the sentences' roles read once.
    """
    votes: dict[str, float] = defaultdict(float)  # weighted votes (the headline and lead weigh 1.5)
    weak: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    destinations: set[str] = set()
    for i, s in enumerate(sentences):
        removals = [m for m in s.lex if m.form == "removal"]
        signer = _signer_about_people(s, gaz)
        if signer is not None:  # "The Netherlands has signed an agreement with Uganda … for rejected asylum seekers"
            votes[signer] += 1.5 if i < 3 else 1.0
            first.setdefault(signer, i)
        for g in s.groups:  # "Germany's rejected asylum seekers": people in the state that removes them
            if len(g.countries) == 1 and _THEIR_PEOPLE.match(s.text, g.end - s.start):
                votes[g.countries[0]] += 1.0
                first.setdefault(g.countries[0], i)
        if not removals:
            if any(m.form == "acceptance" for m in s.lex):  # "Rwanda agreed to receive people from Britain"
                for c in (c for g in s.groups if g.role == FROM and not set(g.countries) <= holding
                          for c in g.countries):
                    votes[c] += 1.5 if i < 3 else 1.0
                    first.setdefault(c, i)
            continue
        _vote_removers(s, removals, 1.5 if i < 3 else 1.0, i, holding, votes, weak, first)
        _vote_state_at_work(s, gaz, votes, weak)
        for g in s.groups:
            if g.role == MODIFIER:
                weak[g.countries[0]] += 1
            elif g.role == DEST:
                destinations.update(g.countries)
    for c in _safe_third_countries(sentences):  # "Belize … to act as a safe third country": a host
        votes.pop(c, None)
        weak.pop(c, None)
    if not votes:
        # Only office holders to go by: the government whose officials speak, but not a destination.
        votes = {c: n for c, n in weak.items() if c not in destinations} or weak
    if not votes:
        return None
    return min(votes.items(), key=lambda kv: (-kv[1], first.get(kv[0], len(sentences)), kv[0]))[0]


def _signer_about_people(s: Sentence, gaz: Gazetteer) -> str | None:
    """The subject that signed a deal with a partner, in a sentence about people and with no word of
    acceptance (where the subject may be the host: "Rwanda signed a deal with Britain to receive …")."""
    if not any(m.form == "people" for m in s.lex) or any(m.form == "acceptance" for m in s.lex):
        return None
    signing = [m for m in s.lex if m.form == "status" and gaz.lex_status.get(m.key) == Status.AGREED
               and SIGNING.fullmatch(s.text, m.start - s.start, m.end - s.start)]
    for m in signing:  # (read before roles are: the subject opens the sentence, the partner follows "with")
        subject = next((g for g in s.groups if g.end <= m.start), None)
        partner = next((g for g in s.groups if g.start >= m.end), None)
        if subject is not None and partner is not None and len(subject.countries) == 1 \
                and _OPENS_SENTENCE.fullmatch(s.text, 0, subject.start - s.start) and m.start - subject.end <= 30 \
                and _WITH_BEFORE.search(s.text, 0, partner.start - s.start):
            return subject.countries[0]
    return None


_OPENS_SENTENCE = re.compile(r"\W*(?:the\s+)?", re.IGNORECASE)
_WITH_BEFORE = re.compile(r"\bwith\s+(?:the\s+)?\Z", re.IGNORECASE)

_THEIR_PEOPLE = re.compile(r"['’]s\s+(?:[\w-]+\s+)?(?:asylum[- ]seekers|prisoners|inmates|foreign\s+offenders|"
                           r"foreign\s+criminals)\b", re.IGNORECASE)
_ACTS_AS_THIRD = re.compile(r"\b(?:act|acts|acting|serve|serves|serving|designated|declared|recogni[sz]ed)\s+as\s+"
                            r"(?:an?\s+)?[“\"']?(?:safe\s+)?third[- ]country", re.IGNORECASE)


_PARTNER_WORD = re.compile(r"\b(?:with|and)\s+(?:the\s+)?\Z", re.IGNORECASE)


def _safe_third_countries(sentences: list[Sentence]) -> set[str]:
    """Countries said to act as a (safe) third country: the nearest country before the phrase that is not
    the partner it acts for ("Belize … signed with the United States to act as a safe third country")."""
    out: set[str] = set()
    for s in sentences:
        for found in _ACTS_AS_THIRD.finditer(s.text):
            before = [g for g in s.groups if g.end - s.start <= found.start() and g.role != PARTNER
                      and len(g.countries) == 1 and not _PARTNER_WORD.search(s.text, 0, g.start - s.start)]
            if before:
                out.add(before[-1].countries[0])
    return out


def _vote_removers(s: Sentence, removals: list[Match], lead: float, i: int, holding: AbstractSet[str],
                   votes: dict[str, float], weak: dict[str, float], first: dict[str, int]) -> None:
    """Votes of one sentence's groups: "removed from X" weighs 4, X as a removal's subject 2."""
    for g in s.groups:
        if g.role == FROM and set(g.countries) <= holding:
            for c in g.countries:
                weak[c] += 1
        elif g.role == FROM:
            for c in g.countries:
                votes[c] += 4 * lead
                first.setdefault(c, i)
        elif g.role in (PLAIN, ADJECTIVE) and len(g.countries) == 1 and _remover(s, g, removals):
            votes[g.countries[0]] += 2 * lead
            first.setdefault(g.countries[0], i)


def _vote_state_at_work(s: Sentence, gaz: Gazetteer, votes: dict[str, float], weak: dict[str, float]) -> None:
    """Votes of a state's organs and agencies at work in a removal sentence, and (weak) of its officials."""
    organs = [m for m in s.lex if m.form == "state_organ"]
    for g in s.groups:  # "the Malaysian Armed Forces", "Malaysia's navy": the state at work, like its agencies
        if any(o.start >= g.end and _ORGAN_GAP.fullmatch(s.text, g.end - s.start, o.start - s.start)
               for o in organs):
            votes[g.countries[-1]] += 1
    for m in s.proper:
        if m.kind == "agency":
            agency = gaz.agencies[m.key]
            if agency.country and agency.kind in _ENFORCING_KINDS:
                votes[agency.country] += 1
        elif m.kind == "official" and (official_country := gaz.officials[m.key].country):
            weak[official_country] += 1


# Between the subject and its removal verb: "The United States has deported", "Washington quietly flew".

def _named_officials(text: str, proper: list[Match], lex: list[Match]) -> set[str]:
    """Listed officials the article names in full ("Donald Trump") or after a title ("President Trump")."""
    title_ends = {m.end for m in lex if m.form == "title"}
    return {m.key for m in proper if m.kind == "official" and (
        " " in text[m.start:m.end] or m.start - 1 in title_ends or m.start - 2 in title_ends)}


def _full_names(sentences: list[Sentence], gaz: Gazetteer) -> dict[str, str]:
    names: dict[str, str] = {}
    for s in sentences:
        for title in s.lex_of("title"):
            tokens = _name_after(s, title)
            if len(tokens) >= 2:
                names.setdefault(tokens[-1], " ".join(tokens))
    return names


def holding_places(sentences: list[Sentence]) -> set[str]:
    """Countries the article says people were held in ("stranded for weeks in Djibouti"): a removal
    "from" such a place continues one that started elsewhere, so the place is a stop, not the deporter."""
    out: set[str] = set()
    for s in sentences:
        for m in s.lex:
            if m.form != "holding":
                continue
            for g in s.groups:
                if place_after(s, m, g, HOLDING_GAP):
                    out.update(g.countries)
    return out


def people_of(sentences: list[Sentence]) -> set[str]:
    """Countries the article names people of: "Afghans", "Afghan offenders", "Laotian nationals"."""
    out: set[str] = set()
    for s in sentences:
        people = [m for m in s.lex if m.form == "people"]
        for m in s.proper:
            if m.kind == "country" and (m.form == "demonym_plural" or (
                    m.form == "demonym" and any(0 <= p.start - m.end <= 25 for p in people))):
                out.add(m.key)
    return out
