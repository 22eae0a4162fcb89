"""Status and stops in context: a sentence that names no new arrangement but says what became of one
already read, or where its flight stopped on the way.

"Angola refused the request in May", "The Pacific nation later agreed", "The scheme was scrapped":
the host is named again, or referred to ("the country", "the kingdom", "its government"), or the
arrangement itself is ("the deal", "the plan"). The status word of that clause then dates a new step
in the pair's history. Facts made here say so in their rule id (``status/in-context…``) and carry a
lower confidence.
"""

from __future__ import annotations

import re

from deportgraph.vocabulary import EdgeType, Status

from ..claims import ArticleClaims, Fact
from ..gazetteer import Match
from .context import Context
from .facts import _agreement, _country, _rule, agreement_id
from .lifecycle import _adjectival, _event_dates, modal, said_of_other, sought_deal
from .mentions import ARRANGEMENT_NOUNS, COMPASS_WORDS, place_after
from .sentences import ADJECTIVE, MODIFIER, NATIONALITY, PARTNER, PLAIN, TRANSIT, Sentence

__all__ = [
    "ARRANGEMENT_REFERENCE", "DESTINATION_REFERENCE", "HOST_REFERENCE", "read_listed_hosts",
    "read_status_in_context", "read_transit_in_context", "referring_host",
]

# A noun phrase that refers back to a country already named: "the country", "the Central Asian nation",
# "the kingdom", "its government", "the island". The place words are also what a destination named
# by reference ends in ("sent back to the Central Asian nation": `DESTINATION_REFERENCE`).
_REFERRING_WORDS = r"(?:[Tt]he|[Tt]hat|[Tt]his)\s+(?:[A-Z][\w-]*\s+|[a-z]+-[a-z]+\s+|small\s+|tiny\s+|" \
                   r"impoverished\s+|landlocked\s+|(?:" + "|".join(COMPASS_WORDS) + r")\s+){0,3}"
_PLACE_WORDS = r"(?:country|nation|kingdom|republic|island nation|island|federation|state)\b"
HOST_REFERENCE = re.compile(
    rf"\b{_REFERRING_WORDS}(?:{_PLACE_WORDS}|(?:government|authorities)\b)"
    r"(?!\s+(?:of|to)\b|['’]s\s+(?:capital|cities|city|borders?|airports?|embassy|economy|citizens|nationals)\b)"
    r"|\b[Ii]ts\s+(?:government|president|authorities|leaders?|parliament)\b")
DESTINATION_REFERENCE = re.compile(rf"\b(?:back\s+)?to\s+{_REFERRING_WORDS}{_PLACE_WORDS}")
# A noun phrase that refers back to the arrangement: "the deal", "the plan", "the flights".
ARRANGEMENT_REFERENCE = re.compile(
    rf"\b(?:the|that|this|its|their|[\w.-]+['’]s)\s+(?:[\w’'-]+\s+){{0,2}}?(?:{ARRANGEMENT_NOUNS}|flights?|"
    r"deportations|removals|transfers)\b", re.IGNORECASE)
# A word of the lexicon that names an arrangement itself: "asylum agreements", "a similar MOU".
ARRANGEMENT_NAME = re.compile(rf"(?:{ARRANGEMENT_NOUNS}|mous?|memoranda)s?$", re.IGNORECASE)
_CONTEXT_STATUSES = {Status.REFUSED, Status.BLOCKED, Status.ENDED, Status.AGREED, Status.NEGOTIATING}


def referring_host(s: Sentence, ctx: Context, lo: int, hi: int) -> str | None:
    """The host a referring phrase between two offsets of the article stands for: the host read last,
    or the last one of the region the phrase names ("the Gulf state")."""
    ref = HOST_REFERENCE.search(ctx.text, lo, hi)
    if ref is None:
        return None
    region = ctx.gazetteer.region_of(ref.group(0))
    if region is None or ctx.last_host in region:
        return ctx.last_host
    fitting = [c.key for c in ctx.country_mentions if c.end <= ref.start() and c.key in region and c.key in ctx.hosts]
    return fitting[-1] if fitting else None


def read_status_in_context(s: Sentence, ctx: Context, claims: ArticleClaims,
                           pairs: dict[str, set[str]]) -> None:
    """Status steps for pairs already read (``pairs``: host -> its deporters) from a sentence that
    stated none itself."""
    if not pairs or s.text.rstrip("”\"’' )").endswith("?"):
        return
    lex_status = ctx.gazetteer.lex_status
    spans = s.clauses
    quote = " ".join(s.text.split())
    dates = _event_dates(s.text, ctx.published)
    done: set[tuple[str, str]] = set()
    negations = [m for m in s.lex if m.form == "negation"]
    for cue in s.lex:
        status = lex_status.get(cue.key)
        if cue.form != "status" or status not in _CONTEXT_STATUSES or _adjectival(s, cue) \
                or sought_deal(s, cue, lex_status) or said_of_other(s, cue, status):
            continue
        if status in (Status.AGREED,) and any(0 <= cue.start - n.end <= 12 for n in negations):
            status = Status.REFUSED
        elif modal(s, cue, spans):
            continue  # "could agree", "has the right to reject", "might end it": no step yet
        lo, hi = s.clause_span(s.clause_at(cue.start))
        named = [c for g in s.groups if lo <= g.start < hi and g.role in (PLAIN, PARTNER, MODIFIER, ADJECTIVE)
                 for c in g.countries if c in pairs and abs(g.start - cue.start) <= 80]
        rule = "status/in-context:named"
        hosts = sorted(set(named))
        if not hosts:
            ref = referring_host(s, ctx, lo, hi)
            if ref in pairs:
                hosts, rule = [ref], "status/in-context:reference"
            elif ARRANGEMENT_REFERENCE.search(ctx.text, lo, hi) and ctx.last_host in pairs and not s.groups:
                hosts, rule = [ctx.last_host], "status/in-context:arrangement"
            elif status in (Status.NEGOTIATING, Status.AGREED) and (partners := _new_partners(s, ctx, cue, lo, hi)):
                hosts, rule = partners, "status/in-context:partner"
                for host in partners:
                    pairs.setdefault(host, set()).add(str(ctx.deporter))
                    _country(ctx, claims, host)
        for host in hosts:
            for deporter in sorted(pairs[host]):
                if (host, deporter) in done:
                    continue
                done.add((host, deporter))
                extractor = _rule(f"{rule}:{cue.key}")
                # a partner the deporter talks with, in an article about third-country removals (its lead, or a
                # pair of the same deporter), takes others' nationals unless the article names its people
                third = (("third_country", True),) if rule.endswith("partner") and (
                    ctx.third_country_lead or (host not in ctx.people_of and _sends_to_third(claims, deporter))) else ()
                claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, deporter, (
                    ("status", status), ("dates", dates), *third), quote, extractor, 0.5))
                _agreement(ctx, claims, host, deporter, status, bool(third), quote, extractor, 0.5, dates)


def read_listed_hosts(s: Sentence, before: Sentence | None, ctx: Context, claims: ArticleClaims,
                      pairs: dict[str, set[str]]) -> None:
    """"… the US has sent migrants to a range of countries. These include Guatemala, Honduras and Panama";
    "Rwanda is one of four countries that have reached deals with Washington; the others are Uganda and
    Eswatini": a list that names the countries a removal or deal just before it took in."""
    opening = _LIST_OPENING.search(s.text)
    if opening is None or ctx.deporter is None:
        return
    at = s.start + opening.end()
    context = [m for m in (*(before.lex if before else ()), *s.lex) if m.end <= at]
    if not _PLURAL_PLACES.search(ctx.text, before.start if before else s.start, at) or not any(
            m.form in ("removal", "acceptance") for m in context):
        return
    lex_status = ctx.gazetteer.lex_status
    stated = [lex_status[m.key] for m in context if m.form == "status" and m.key in lex_status]
    moved = any(m.form == "removal" and lex_status.get(m.key) == Status.IMPLEMENTED for m in context)
    status = stated[-1] if stated else Status.IMPLEMENTED if moved else Status.REQUESTED
    third = any(m.form == "third_country" for m in (*context, *s.lex)) or ctx.third_country_lead
    quote = " ".join(s.text.split())
    extractor = _rule("accepts/listed-in-context")
    listed = {c for g in s.groups if g.start >= at and g.role != NATIONALITY
              and all(m.form in ("name", "alias") for m in g.mentions) for c in g.countries}  # not "three Afghans"
    for host in sorted(listed - {ctx.deporter}):
        _country(ctx, claims, host)
        claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, ctx.deporter, (
            ("nationalities", ()), ("status", status), ("third_country", third)), quote, extractor, 0.5))
        _agreement(ctx, claims, host, ctx.deporter, status, third, quote, extractor, 0.5)
        pairs.setdefault(host, set()).add(ctx.deporter)


# A list that continues the sentence before: "These include", "The others are", "Among them are".
_LIST_OPENING = re.compile(r"(?:^|[,;:.]\s+)(?:these|they|those|the\s+others|others)\s+(?:include|included|includes|"
                           r"are|were)\s+|(?:^|[,;:.]\s+)among\s+them\s+(?:are|were)\s+", re.IGNORECASE)
_PLURAL_PLACES = re.compile(r"\b(?:countries|nations|states|destinations)\b", re.IGNORECASE)


def _sends_to_third(claims: ArticleClaims, deporter: str) -> bool:
    """Has the article read the deporter sending people to a country not their own?"""
    return any(f.type == EdgeType.ACCEPTS_DEPORTEES_FROM and f.object == deporter
               and dict(f.values).get("third_country") for f in claims.facts)


def _new_partners(s: Sentence, ctx: Context, cue: Match, lo: int, hi: int) -> list[str]:
    """"Washington is negotiating with countries such as Libya, Rwanda and Benin": in an article about
    removals, the states the deporting state, as its clause's subject, talks or signs with."""
    subject = next((g for g in s.groups if lo <= g.start < cue.start), None)
    if subject is None or subject.role != PLAIN or subject.countries != [ctx.deporter] or not _OPENS.fullmatch(
            ctx.text, lo, subject.start):
        return []
    return sorted({c for g in s.groups if g.role == PARTNER and cue.end <= g.start < hi
                   for c in g.countries if c != ctx.deporter})


# What may stand before a clause's subject: an adverb or time phrase and a comma, "and", "the".
_OPENS = re.compile(r"[\s,;:]*(?:(?:[Nn]ow|[Mm]eanwhile|[Ss]ince then|[Ss]o far|[Aa]nd|[Bb]ut)\s*,?\s+)?(?:[Tt]he\s+)?")


# Between a word of stopping on the way and the country: "refuelled in", "a stopover at the airport in".
_STOP_GAP = re.compile(r"\s+(?:[\w,-]+\s+){0,5}?(?:in|at)\s+(?:the\s+)?", re.IGNORECASE)
# A place, then the stop made there: "at Istanbul airport, where they changed planes".
_WHERE_STOP = re.compile(r"(?:\s+[\w-]+){0,2},?\s+where\s+(?:[\w-]+\s+){0,4}", re.IGNORECASE)


def read_transit_in_context(s: Sentence, ctx: Context, claims: ArticleClaims, pairs: dict[str, set[str]]) -> None:
    """"En route, the plane refuelled in Greece": a stop named in a sentence that states no arrangement
    is on the way of the one read last."""
    host = ctx.last_host
    if host is None or host not in pairs or len(pairs[host]) != 1:
        return
    [deporter] = sorted(pairs[host])
    quote = " ".join(s.text.split())
    # a stop word's place, or a place the role patterns read as a stop ("held in Djibouti before being flown on")
    stop_words = s.lex_of("stopover")
    stops = [g for g in s.groups
             if (g.role == TRANSIT and g.rule) or any(place_after(s, m, g, _STOP_GAP) for m in stop_words)
             or any(0 <= m.start - g.end <= 60 and _WHERE_STOP.fullmatch(s.text, g.end - s.start, m.start - s.start)
                    for m in stop_words)]
    for g in stops:
        for stop in g.countries:
            if stop not in (host, deporter):
                _country(ctx, claims, stop)
                claims.add(Fact(EdgeType.TRANSIT_VIA, agreement_id(host, deporter), stop, (), quote,
                                _rule("transit/in-context"), 0.5))
