"""Frame patterns: which country group fills a frame's slot, as data (``patterns/frames.jsonl``).

A pattern names its frame and slot (``accepts``/``host``), the lexicon categories of its triggers,
a *finder* (how the slot is filled: ``role-near-trigger`` takes a group of the given roles on the
given side of a trigger, within so many characters; other finders read a structure such as
"the UK-Rwanda deal" or "deported there"), its parameters, a confidence, and examples that the tests
run. Patterns are tried in file order; ``when`` limits one to sentences where no host (or no
destination) was found yet. Every fact keeps the id of the pattern that filled its host.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from deportgraph.errors import LoaderError

from ..gazetteer import Match, read_pattern_lines
from ..numbers import COUNT_BEFORE
from .context import Context
from .lifecycle import _adjectival
from .mentions import ARRANGEMENT_NOUNS, BY_BEFORE, _between_country
from .referents import DESTINATION_REFERENCE, HOST_REFERENCE
from .sentences import DEST, FROM, NATIONALITY, PARTNER, Group, Sentence

__all__ = ["FramePattern", "HostReading", "fill_hosts", "load_frame_patterns"]


@dataclass(frozen=True, slots=True)
class FramePattern:
    """One entry of ``frames.jsonl``."""

    id: str
    frame: str
    slot: str
    finder: str
    triggers: tuple[str, ...]
    params: dict[str, Any]
    confidence: float
    when: str = "always"
    examples: tuple[str, ...] = ()


@dataclass(slots=True)
class HostReading:
    """The hosts a sentence's frames found, and the deporter once a finder has said who it is."""

    hosts: list[tuple[Group, str, float]] = field(default_factory=list)
    deporter: str | None = None


Finder = Callable[[Sentence, Context, HostReading, FramePattern, list[Match]], None]
_FINDERS: dict[str, Finder] = {}


def _finder(name: str) -> Callable[[Finder], Finder]:
    def register(fn: Finder) -> Finder:
        _FINDERS[name] = fn
        return fn
    return register


@cache
def load_frame_patterns(frame: str = "accepts") -> tuple[FramePattern, ...]:
    """The frame patterns of one frame, in file order, checked once per process."""
    out = []
    for lineno, row in read_pattern_lines("frames.jsonl"):
        try:
            if row["finder"] not in _FINDERS:
                raise ValueError(f"unknown finder {row['finder']!r}")
            pattern = FramePattern(row["id"], row["frame"], row["slot"], row["finder"], tuple(row["triggers"]),
                                   dict(row.get("params", {})), float(row["confidence"]), row.get("when", "always"),
                                   tuple(row.get("examples", ())))
        except (ValueError, KeyError, TypeError) as err:
            raise LoaderError(f"patterns/frames.jsonl:{lineno}", f"bad frame pattern ({err})") from None
        if pattern.frame == frame:
            out.append(pattern)
    return tuple(out)


def fill_hosts(s: Sentence, ctx: Context, deporter: str | None) -> HostReading:
    """Run the accepts patterns over a sentence: the host groups found, each with its pattern id."""
    reading = HostReading(deporter=deporter)
    by_form: dict[str, list[Match]] = {}
    by_forms: dict[tuple[str, ...], list[Match]] = {}
    for m in s.lex:
        if not (m.form == "removal" and _negated(s, m)):
            by_form.setdefault(m.form, []).append(m)
    for p in load_frame_patterns("accepts"):
        if p.when == "no_host" and reading.hosts:
            continue
        if p.when == "no_destination" and any(g.role == DEST for g, _, _ in reading.hosts):
            continue
        triggers = by_forms.get(p.triggers)
        if triggers is None:
            triggers = by_forms[p.triggers] = sorted(
                (m for form in p.triggers for m in by_form.get(form, ())), key=lambda m: (m.start, -m.end))
        _FINDERS[p.finder](s, ctx, reading, p, triggers)
    return reading


def _negated(s: Sentence, m: Match) -> bool:
    """"wasn't being repatriated", "were never deported": a removal that did not happen."""
    return any(x.form == "negation" and 0 <= m.start - x.end <= 10 for x in s.lex)


@_finder("role-near-trigger")
def _role_near_trigger(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern,
                       triggers: list[Match]) -> None:
    """A group of one of ``roles`` before/after (``side``) a trigger, within ``within`` characters."""
    roles, side, within = set(p.params["roles"]), p.params.get("side", "after"), int(p.params["within"])
    taken_by = set(p.params.get("not_taken_by", ()))
    taken = {id(g) for g, rule, _ in reading.hosts if rule in taken_by}
    found = []
    for g in s.groups:
        if g.role not in roles or id(g) in taken:
            continue
        if p.params.get("not_deporter") and g.countries == [reading.deporter]:
            continue
        if any(_near(s, g, t, side, within, p) for t in triggers):
            found.append((g, p.id, p.confidence))
            if p.params.get("first_only"):
                break
    # hosts keep the order of their groups in the sentence, whichever pattern found them
    reading.hosts = sorted([*reading.hosts, *found], key=lambda h: h[0].start) if found else reading.hosts


def _near(s: Sentence, g: Group, t: Match, side: str, within: int, p: FramePattern) -> bool:
    if side == "after":
        return 0 <= g.start - t.end <= within
    if side == "before":
        if not 0 <= t.start - g.end <= within:
            return False
        return not (p.params.get("no_country_between") and _between_country(
            s, g.end, t.start, skip=p.params.get("skip_between_role")))
    return (t.start - g.end if t.start >= g.end else g.start - t.end if g.start >= t.end else 0) <= within


_PLURAL = re.compile(r"\b(?:the|these|those)\s+(?:countries|nations|governments)\b")
# What introduces the members of a plural reference named after it: "… include Chad, Niger and Togo".
_LIST_INTRO = re.compile(r"\b(?:include|includes|included|including|are|were|such as|among them|namely)\s+\Z")


@_finder("plural-reference")
def _plural_reference(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern,
                      triggers: list[Match]) -> None:
    """"…Benin, Angola and Moldova, asking whether the countries would accept…": a list named before a
    plural reference that a trigger follows, or after it ("the countries that agreed to take them
    include Chad, Niger and Togo")."""
    plural = _PLURAL.search(s.text)
    if not plural:
        return
    roles = set(p.params["roles"])
    if not any(t.start - s.start > plural.start() for t in triggers):
        return
    groups = [g for g in s.groups if len(g.countries) > 1 and g.role in roles and g.end - s.start <= plural.start()]
    if groups:
        reading.hosts.append((groups[-1], p.id, p.confidence))
        return
    # told after: "the countries that agreed to take them include Chad, Niger and Togo"
    last = max(t.end for t in triggers) - s.start
    listed = next((g for g in s.groups if g.start - s.start > last and g.role in roles
                   and _LIST_INTRO.search(s.text, max(0, g.start - s.start - 20), g.start - s.start)), None)
    if listed is not None:
        reading.hosts.append((listed, p.id, p.confidence))


@_finder("referring-destination")
def _referring_destination(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern,
                           triggers: list[Match]) -> None:
    """"sent to the East African country": the country named last before, not the deporter."""
    within = int(p.params["within"])
    for m in DESTINATION_REFERENCE.finditer(s.text):
        at = s.start + m.start()
        if not any(0 <= at - t.end <= within for t in triggers):
            continue
        host = antecedent(ctx, at, reading.deporter)
        if host is not None:
            reading.hosts.append((Group([Match(at, at + len(m.group(0)), "country", host, "reference")], DEST),
                                  p.id, p.confidence))
            return


_DEAL_WORDS = re.compile(rf"\s+(?:\w+\s+)?(?:{ARRANGEMENT_NOUNS}|treaty|communiqu[ée]|declaration)\b", re.IGNORECASE)


def deal_pairs(s: Sentence) -> list[tuple[Group, Group]]:
    """Two countries joined by a dash before a word for a deal: "the UK-Rwanda deal"."""
    out = []
    for a, b in zip(s.groups, s.groups[1:], strict=False):
        if len(a.countries) == 1 and len(b.countries) == 1 and a.countries != b.countries \
                and s.text[a.end - s.start:b.start - s.start] in ("-", "–", "—", "/") \
                and _DEAL_WORDS.match(s.text, b.end - s.start):
            out.append((a, b))
    return out


@_finder("pair-deal")
def _pair_deal(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern, triggers: list[Match]) -> None:
    """"the UK-Rwanda deal": the first names the deporting state, the second the host."""
    for a, b in deal_pairs(s):
        if reading.deporter in (None, b.countries[0]) or not any(h is b for h, _, _ in reading.hosts):
            reading.deporter = a.countries[0]
        if not any(h is b for h, _, _ in reading.hosts):
            reading.hosts.append((b, p.id, p.confidence))


_THERE = re.compile(r"\s+(?:[\w-]+\s+){0,3}?there\b")


@_finder("there")
def _there(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern, triggers: list[Match]) -> None:
    """"deported there": the group named before the trigger, when the sentence names no destination."""
    roles = set(p.params["roles"])
    for r in triggers:
        if _THERE.match(ctx.text, r.end, r.end + 40) and not any(g.role == DEST for g in s.groups):
            earlier = [g for g in s.groups if g.end <= r.start and g.role in roles
                       and g.countries != [reading.deporter]]
            if earlier and all(h is not earlier[-1] for h, _, _ in reading.hosts):
                reading.hosts.append((earlier[-1], p.id, p.confidence))


@_finder("nationals-home")
def _nationals_home(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern,
                    triggers: list[Match]) -> None:
    """"The Dominican Republic deported 11,000 Haitians": with no destination named, people of one
    nationality removed go to their own country (unless the sentence says they went elsewhere)."""
    if reading.deporter is None or any(g.role == DEST for g in s.groups):
        return  # (a stop on the way, "through Doha", names no destination)
    if any(m.form == "third_country" for m in s.lex):
        return  # "Venezuelans deported to third countries": sent anywhere but home
    home = {m.start for m in s.lex_of("return_home")}
    real = [r for r in triggers if not _adjectival(s, r) or r.start in home]
    within = int(p.params["within"])
    named = [g for g in s.groups if g.role == NATIONALITY and len(g.countries) == 1
             and g.countries != [reading.deporter]]
    lists: list[list[Group]] = []  # runs of a counted list: "2,100 Nepalis, 1,700 Ethiopians and 1,200 Filipinos"
    for g in named:
        if lists and _COUNTED_LIST.fullmatch(ctx.text, lists[-1][-1].end, g.start):
            lists[-1].append(g)
        else:
            lists.append([g])
    near = [run for run in lists if any(abs(g.start - r.start) <= within for g in run for r in real)]
    groups = [g for run in near for g in run]
    people_word = ctx.gazetteer.ends_with("people")
    if len({g.countries[0] for g in groups}) > 1 and (len(near) > 1 or ctx.third_country_lead or all(
            people_word.search(ctx.text[r.start:r.end].lower()) for r in real)):
        return  # "the deportees included four Nigerians and two Malians": who they are, not where they went
    seen: set[str] = set()
    for g in groups:
        if g.countries[0] in seen:
            continue
        seen.add(g.countries[0])
        person = _ONE_PERSON.search(s.text, 0, g.start - s.start) and g.mentions[0].form == "demonym"
        if person and ctx.hosts - set(g.countries):
            continue  # "one of the men, an Iraqi," in an article about a host: his nationality, not where he goes
        reading.hosts.append((Group(g.mentions[:1], DEST), p.id, p.confidence))


# Between two items of a list of counted nationalities: "2,100 Nepalis, 1,700 Ethiopians and 1,200 Filipinos".
_COUNTED_LIST = re.compile(rf"\s*(?:,\s*|,?\s*and\s+)(?:{COUNT_BEFORE})?\s*", re.IGNORECASE)
_ONE_PERSON = re.compile(r"\b(?:an?|one)\s+\Z", re.IGNORECASE)


# People referred back to: "the men", "these deportees", "they".
_ANAPHORIC_PEOPLE = re.compile(r"\b(?:(?:the|these|those)\s+(?:\w+\s+)?(?:men|women|people|migrants|deportees|group|"
                               r"detainees|asylum\s+seekers|returnees)|they|them)\b", re.IGNORECASE)


@_finder("anaphoric-people")
def _anaphoric_people(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern,
                      triggers: list[Match]) -> None:
    """"The men were being deported – by Norway and Sweden": people referred back to, removed by a state
    the sentence names and sent nowhere it names, go to the host read last."""
    host = ctx.last_host
    if host is None or reading.deporter is None or host == reading.deporter:
        return
    if not s.groups or any(g.role != FROM or not BY_BEFORE.search(s.text, 0, g.start - s.start) for g in s.groups):
        return  # only states named as the agents ("by Norway"); any other state says more than this can
    within = int(p.params["within"])
    if any(_ANAPHORIC_PEOPLE.search(s.text, max(0, t.start - s.start - within), t.start - s.start)
           for t in triggers):
        reading.hosts.append((Group([Match(s.start, s.start, "country", host, "reference")], DEST), p.id,
                              p.confidence))


@_finder("referring-subject")
def _referring_subject(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern,
                       triggers: list[Match]) -> None:
    """"The Central Asian nation agreed to take them": a phrase that refers back to the host read last,
    as the subject of an acceptance, with no country named between."""
    within = int(p.params["within"])
    for m in HOST_REFERENCE.finditer(s.text):
        at = s.start + m.end()
        if not any(0 <= t.start - at <= within and not _between_country(s, at, t.start, skip=PARTNER)
                   for t in triggers):
            continue  # (the partner it deals with may stand between: "the country … with Washington to receive")
        host = antecedent(ctx, s.start + m.start(), reading.deporter)
        if host is not None:
            mention = Match(s.start + m.start(), at, "country", host, "reference")
            reading.hosts.append((Group([mention], DEST), p.id, p.confidence))
            return


def antecedent(ctx: Context, at: int, deporter: str | None) -> str | None:
    """What "the country" at an offset refers to: the country named last before it that is not a
    deporting state of the sentence or the article; of the region its words name, if they name one."""
    earlier = [c for c in ctx.country_mentions if c.end <= at and c.key not in (deporter, ctx.deporter)]
    phrase = HOST_REFERENCE.match(ctx.text, at) or DESTINATION_REFERENCE.match(ctx.text, at)
    region = ctx.gazetteer.region_of(phrase.group(0)) if phrase else None
    if region is not None:  # "the Central American country": a state of that region, the deporter too
        inside = [c for c in ctx.country_mentions if c.end <= at and c.key in region]
        earlier = [c for c in inside if c.key not in (deporter, ctx.deporter)] or inside or earlier
    hosts = [c for c in earlier if c.key in ctx.hosts]  # a host already read is the likelier referent
    return (hosts or earlier)[-1].key if earlier else None


@_finder("known-official-subject")
def _known_official_subject(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern,
                            triggers: list[Match]) -> None:
    """"Bukele agreed to house the deportees": a listed office holder speaks for their country."""
    within = int(p.params["within"])
    for m in s.proper:
        if m.kind != "official":
            continue
        country = ctx.gazetteer.officials[m.key].country
        if country is None or country == reading.deporter:
            continue
        if any(0 <= t.start - m.end <= within and not _between_country(s, m.end, t.start) for t in triggers):
            reading.hosts.append((Group([Match(m.start, m.end, "country", country, "official")], DEST), p.id,
                                  p.confidence))
            return


@_finder("facility-destination")
def _facility_destination(s: Sentence, ctx: Context, reading: HostReading, p: FramePattern,
                          triggers: list[Match]) -> None:
    """"sent to CECOT", "flown to the centres in Gjader": a listed detention site names its country."""
    within = int(p.params["within"])
    for m in s.proper:
        if m.kind != "agency":
            continue
        agency = ctx.gazetteer.agencies[m.key]
        if agency.kind != "detention" or agency.country in (None, reading.deporter):
            continue
        if any(0 <= m.start - t.end <= within for t in triggers) and re.search(
                r"\b(?:to|into|at|in)\s+(?:the\s+|a\s+)?(?:\w+\s+){0,3}$", s.text[:m.start - s.start]):
            reading.hosts.append((Group([Match(m.start, m.end, "country", agency.country, "facility")], DEST),
                                  p.id, p.confidence))
            return
