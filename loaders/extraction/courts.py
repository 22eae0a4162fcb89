"""Court frames: a court or judge ruling on an arrangement, with the ruling's effect.

A clause with a court word (lexicon "court", or a listed court agency) and a ruling word (lexicon
"ruling", or a status word of blocking) acts on the arrangements its clause names, or, when it names
none, on the article's one arrangement (from the document context). Blocks, rulings that a scheme
is unlawful and orders to bring people back give a ``BLOCKED_BY`` edge to the court (a listed court,
else the courts of the country the court sits in) and a dated "blocked" status; a ruling that allows
removals gives an ``ALLOWED_BY`` edge and no status of its own (removals that follow show in the
status history).
"""

from __future__ import annotations

import re
from collections import Counter

from deportgraph.vocabulary import EdgeType, Label, Status

from ..claims import ArticleClaims, Fact, NodeRef
from .context import Context
from .facts import _agency, _agreement, _country, _rule
from .lifecycle import PASSIVE_BEFORE, _event_dates, modal
from .referents import ARRANGEMENT_REFERENCE, HOST_REFERENCE
from .sentences import DEST, LOCATION, PARTNER, PLAIN, Sentence

__all__ = ["read_court_actions"]

_BLOCKING = ("blocked", "ruled unlawful", "ordered return")
_ALLOWED = "allowed"
_PUNCTUATION = re.compile(r"[,;:.!?()]")


def read_court_actions(sentences: list[Sentence], ctx: Context, claims: ArticleClaims) -> None:
    """Court rulings on the article's arrangements (run after every sentence's accepts facts)."""
    pairs = Counter((f.subject, f.object) for f in claims.facts if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM
                    and dict(f.values).get("status") != Status.REFUSED)
    if not pairs:
        return
    gaz = ctx.gazetteer
    named = sorted({m.key for s in sentences for m in s.proper if m.kind == "agency"
                    and gaz.agencies[m.key].kind == "court" and gaz.agencies[m.key].country})
    hosts_known = {host for host, _ in pairs}
    named_before: list[set[str]] = []  # the arrangements' hosts each earlier sentence names, nearest last
    for s in sentences:
        clause_hosts = [set[str]() for _ in s.clauses]
        for g in s.groups:
            if g.role in (DEST, PLAIN, PARTNER, LOCATION):
                clause_hosts[s.clause_at(g.start)].update(c for c in g.countries if c in hosts_known)
        _read_sentence(s, ctx, claims, pairs, named, clause_hosts, named_before)
        named_before.append(set().union(*clause_hosts))


def court_states(sentences: list[Sentence], ctx: Context) -> set[str]:
    """The states whose courts the article names ("Nepal's Supreme Court", "a Kenyan court")."""
    gaz = ctx.gazetteer
    out = set()
    for s in sentences:
        courts = [m for m in s.proper if m.kind == "agency" and gaz.agencies[m.key].kind == "court"]
        if courts or s.lex_of("court"):
            country = _court_country(s, ctx, s.start, s.end, courts)
            if country is not None:
                out.add(gaz.part_of.get(country, country))
    return out


def _referred(clause_hosts: list[set[str]], at: int, named_before: list[set[str]],
              pairs: Counter[tuple[str, str | None]], names_place: bool) -> list[tuple[str, str | None]]:
    """The arrangements a court clause rules on: those whose host it names; else, for a clause that
    names neither a host nor a place by reference ("judges have since blocked such efforts"), those
    named last before it, in this sentence or the one before; else the article's one arrangement."""
    nearest = () if names_place else (*reversed(clause_hosts[:at]), *named_before[-1:])
    for hosts in (clause_hosts[at], *nearest):
        if hosts:
            return sorted(p for p in pairs if p[0] in hosts)
    return _main_pair(pairs)


def _read_sentence(s: Sentence, ctx: Context, claims: ArticleClaims, pairs: Counter[tuple[str, str | None]],
                   named: list[str], clause_hosts: list[set[str]], named_before: list[set[str]]) -> None:
    gaz = ctx.gazetteer
    courts = [m for m in s.proper if m.kind == "agency" and gaz.agencies[m.key].kind == "court"]
    court_words = [m for m in s.lex if m.form == "court"]
    if not courts and not court_words:
        return
    for at in range(len(s.clauses)):
        lo, hi = s.clause_span(at)
        if not any(lo <= m.start < hi for m in (*courts, *court_words)):
            continue
        effect = _effect(s, ctx, lo, hi)
        acted_at = at
        if effect is None:
            permitted = _permitted_removal(s, lo, hi)
            if permitted is None:
                continue
            effect, acted_at = _ALLOWED, s.clause_at(permitted)
        acted = _referred(clause_hosts, acted_at, named_before, pairs,
                          bool(HOST_REFERENCE.search(ctx.text, *s.clause_span(acted_at))))
        court_country = _court_country(s, ctx, lo, hi, courts)
        quote = " ".join(s.text.split())
        dates = _event_dates(s.text, ctx.published)
        for host, deporter in acted:
            if deporter is None:
                continue
            court = next((m.key for m in courts if lo <= m.start < hi), None)
            if court is None and len(named) == 1 and gaz.agencies[named[0]].country in (court_country, deporter):
                court = named[0]  # "the judge" of an article about one named court is that court
            court = _agency(ctx, claims, court, quote) if court else _courts_of(
                ctx, claims, court_country or deporter)
            rule = _rule(f"court/{effect.replace(' ', '-')}")
            if effect == _ALLOWED:
                agreement = _agreement(ctx, claims, host, deporter, None, False, quote, rule, 0.6, dates)
                claims.add(Fact(EdgeType.ALLOWED_BY, agreement, court, (("ruling", effect),), quote, rule, 0.7))
                continue
            agreement = _agreement(ctx, claims, host, deporter, Status.BLOCKED, False, quote, rule, 0.6, dates)
            claims.add(Fact(EdgeType.BLOCKED_BY, agreement, court, (("ruling", effect),), quote, rule, 0.7))
            claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, deporter, (
                ("status", Status.BLOCKED), ("dates", dates)), quote, rule, 0.6))


def _effect(s: Sentence, ctx: Context, lo: int, hi: int) -> str | None:
    effects = []
    for m in s.lex:
        if not lo <= m.start < hi:
            continue
        entry = ctx.gazetteer.lexicon[m.key]
        if (entry.effect or entry.status == Status.BLOCKED) and modal(s, m):
            continue  # "sought to block", "could halt": an attempt or a possibility, no ruling
        if entry.effect == _ALLOWED and PASSIVE_BEFORE.search(ctx.text, max(lo, m.start - 20), m.start):
            continue  # "must be allowed to speak": people are let do something, no removal is
        if entry.effect:
            effects.append(entry.effect)
        elif entry.status == Status.BLOCKED:
            effects.append("blocked")
    if _found_unlawful(s, lo, hi):
        effects.append("ruled unlawful")
    blocking = [e for e in effects if e in _BLOCKING]
    return blocking[0] if blocking else (effects[0] if effects else None)


# What stands before a removal a ruling permits: "the government can send", "they may be deported".
_PERMISSION = re.compile(r"\b(?:can|may)\s+(?:\w+ly\s+)?(?:be\s+)?\Z", re.IGNORECASE)


def _permitted_removal(s: Sentence, lo: int, hi: int) -> int | None:
    """Where a removal stands that the court's finding says may go ahead: "The government can send
    asylum seekers to Rwanda, the Supreme Court ruled"; "a judge ruled they may be deported to Ghana"."""
    if not any(m.form == "court_finding" and lo <= m.start < hi for m in s.lex):
        return None
    for m in s.lex:
        if m.form == "removal" and _PERMISSION.search(s.text, max(0, m.start - s.start - 20), m.start - s.start):
            return m.start
    return None


def _found_unlawful(s: Sentence, lo: int, hi: int) -> bool:
    """"The court ruled the policy was illegal": a finding verb, the arrangement, then a word of
    unlawfulness that is not said of people ("illegal migrants"); or the finding told after it ("the
    plan is unlawful, the court ruled")."""
    findings = [m for m in s.lex if m.form == "court_finding" and lo <= m.start < hi]
    people = [m for m in s.lex if m.form == "people"]
    for u in s.lex:
        if u.form != "unlawful" or not lo <= u.start < hi or any(0 <= p.start - u.end <= 2 for p in people):
            continue
        for f in findings:
            if 0 < u.start - f.end <= 50 and ARRANGEMENT_REFERENCE.search(s.text, f.end - s.start, u.start - s.start):
                return True
            told_after = 0 < f.start - u.end <= 50 and _TOLD_AFTER.match(s.text, u.end - s.start)
            if told_after and ARRANGEMENT_REFERENCE.search(s.text, max(lo - s.start, u.start - s.start - 80),
                                                           u.start - s.start):
                return True
    return False


# Between a word of unlawfulness and the finding told after it: ", the Supreme Court has".
_TOLD_AFTER = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’.-]+\s+){1,5}?(?:has\s+|have\s+)?(?=\w+)")


def _main_pair(pairs: Counter[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """The article's one arrangement, when one is reported more than any other."""
    ranked = pairs.most_common(2)
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return [ranked[0][0]]
    return []


def _court_country(s: Sentence, ctx: Context, lo: int, hi: int, courts: list) -> str | None:
    """Where the court sits: a listed court's country, else a country or demonym written just before or
    after the court word ("a court in Rome", "an Italian court", "a US district court")."""
    for m in courts:
        if lo <= m.start < hi and ctx.gazetteer.agencies[m.key].country:
            return ctx.gazetteer.agencies[m.key].country
    for w in (m for m in s.lex if m.form == "court" and lo <= m.start < hi):
        for c in s.proper:
            before, after = 0 <= w.start - c.end <= 12, 0 <= c.start - w.end <= 5
            between = ctx.text[c.end:w.start] if before else ctx.text[w.end:c.start]
            if before and not _COURT_MODIFIER_GAP.fullmatch(between):
                continue  # "to Uganda until the Supreme Court": Uganda is no word of the court's name
            if (before or after) and not _PUNCTUATION.search(between):  # "to Chad, a court": not Chad's
                return c.key
    return None


# What may stand between a country and its court word: "Kenya's High Court", "a US district court".
_COURT_MODIFIER_GAP = re.compile(r"(?:['’]s)?\s*(?:(?:[A-Z][\w.-]*|district|federal|high|supreme|appeals?|"
                                 r"appellate|constitutional|top|administrative|lower|regional|state|"
                                 r"immigration)\s*)*")


def _courts_of(ctx: Context, claims: ArticleClaims, iso3: str) -> str:
    """The courts of a country, as one agency node, when the text names no particular court."""
    country = ctx.gazetteer.countries[iso3]
    agency_id = f"{iso3.lower()}-courts"
    claims.node(NodeRef(Label.AGENCY, agency_id, (
        ("name", f"Courts of {country.name}"), ("acronym", None), ("country_iso3", iso3), ("kind", "court"))))
    _country(ctx, claims, iso3)
    return agency_id
