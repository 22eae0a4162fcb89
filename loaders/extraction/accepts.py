"""Accepts frames: who takes deportees from whom, with nationalities, count, status, transit and courts."""

from __future__ import annotations

import re
from typing import Any

from deportgraph.vocabulary import EdgeType, Status, best_status

from ..claims import ArticleClaims, Fact
from ..gazetteer import Gazetteer, Match
from ..numbers import find_counts
from .agencies import read_acting_agencies
from .context import _ENFORCING_KINDS, Context
from .facts import _agreement, _country, _part_of, _rule
from .frames import fill_hosts
from .lifecycle import (
    _CRITICS_DEMAND,
    PERSONAL_CONDITION,
    _adjectival,
    _event_dates,
    _statuses_by_group,
    accepts_proposal,
    modal,
    moved_no_one,
)
from .mentions import _SUBJECT_GAP, BY_BEFORE, SIGNING, _between_country, _remover, sends_a_text
from .officials import _officials_in
from .referents import ARRANGEMENT_NAME, HOST_REFERENCE
from .sentences import ADJECTIVE, DEST, FROM, NATIONALITY, PARTNER, PLAIN, TRANSIT, Group, Sentence


def _read_accepts(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    if s.text.rstrip("”\"’' )").endswith("?") or _CRITICS_DEMAND.search(s.text) or PERSONAL_CONDITION.search(s.text):
        return  # a question, critics demanding something or one person's fear states no arrangement
    listed = _listed_removers(s, s.lex_of("removal"))
    # "Austria and Sweden have also deported Afghans to Kabul": each of them removes; but of two parties
    # one of which is the people's own country, the other removes them
    other = _party_not_of_the_people(s) if listed and len(listed) == 2 else None
    senders: list[str | None] = [other] if other in (listed or ()) else list(listed) if listed else [None]
    for sender in senders:
        _read_accepts_of(s, ctx, claims, quote, sender)


def _read_accepts_of(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str,
                     listed_sender: str | None) -> None:
    """The accepts facts of a sentence, with the deporter it names (or ``listed_sender``, one state of a
    list that removes)."""
    gaz = ctx.gazetteer
    lex_status = gaz.lex_status
    removals = s.lex_of("removal")
    acceptances = s.lex_of("acceptance")
    deporter = listed_sender or _sentence_deporter(s, ctx, removals)
    triggers = removals + acceptances
    reading = fill_hosts(s, ctx, deporter or _coordinated_sender(s, [], nationals=True))
    hosts, deporter = reading.hosts, reading.deporter or _coordinated_sender(s, reading.hosts)
    if not hosts or deporter is None:
        return
    deporter = gaz.part_of.get(deporter, deporter)  # "expelled from Mayotte": France removes them
    statuses = _statuses_by_group(s, [g for g, _, _ in hosts], lex_status)
    # "non-Mexicans", "not Kosovars": a denied nationality is no nationality of the people, and a cue
    denied = [g for g in s.groups if g.role in (ADJECTIVE, NATIONALITY) and re.search(
        r"\b(not|none of them|non)[\s-]+(\w+\s+)?$", ctx.text[max(0, g.start - 20):g.start])]
    nationalities = sorted({c for g in s.groups if g.role == NATIONALITY and g not in denied
                            for c in g.countries} - {deporter})
    nationality_starts = {g.mentions[0].start for g in s.groups if g.role == NATIONALITY}
    third_spans = [(m.start, m.end) for m in s.lex_of("third_country")]
    # "back to their home countries" names the host; "permission from their home countries" does not
    # ("whose countries of origin will not take them back" names no host either)
    own = any(not any(a <= o.start < b or 0 <= a - o.end <= 30 for a, b in third_spans)
              and not re.search(r"\b(not|from|by)\s+$", ctx.text[max(0, o.start - 6):o.start])
              for o in s.lex_of("own_nationals"))
    third_cue = bool(s.lex_of("third_country")) or bool(denied) or ctx.third_country_lead
    # people of a region ("West Africans", "Asians") sent to one country are not all its nationals
    regional = any(m.key == "people-regional" for m in s.lex)
    origin = _origin_region(s, gaz)  # "more than 100 migrants, mostly from the Middle East"
    # people who sought asylum in the deporting state and are sent on to another are not its nationals
    asylum_seekers = bool(re.search(r"\basylum[- ](?:seekers?|claims?|applications?|applicants?)\b|\brefugees\b|"
                                    r"\b(?:claim|seek|seeking|sought) asylum\b", s.text, re.IGNORECASE)) and not own
    host_countries = [c for g, _, _ in hosts for c in g.countries if c != deporter]
    counts = []
    if len(host_countries) == 1:
        people = [m.start - s.start for m in s.lex if m.form == "people"]
        people += [g.start - s.start for g in s.groups if g.role == NATIONALITY]
        counts = find_counts(s.text, sorted(people))
    spans = s.clauses
    transit = [c for g in s.groups if g.role == TRANSIT for c in g.countries]
    negotiators = _officials_in(s, ctx)
    dates = _event_dates(s.text, ctx.published)
    agreements: list[tuple[str, tuple[str, str]]] = []  # (agreement, (host, deporter)) of each fact read
    senders = {id(g): _clause_sender(s, g, removals) for g, _, _ in hosts}
    onward = _onward_senders(s, ctx, removals, deporter, hosts, nationality_starts)
    for g, rule, confidence in hosts:
        if any(g.countries == [c] for c in senders.values()) or (
                listed_sender in g.countries and not set(g.countries) & set(nationalities)):
            continue  # the subject that signed with a host of its clause, or a list that removes, is no host
        # "…, the Netherlands has signed an arrangement with Uganda"
        sender = onward.get(id(g)) or senders[id(g)] or deporter
        status, hypothetical = _trigger_status(s, g, triggers, spans, lex_status)
        # a removal word with no status word and no modal states no step: it takes no date, so it
        # never outranks a dated step read elsewhere
        stated = statuses[id(g)] is not None or hypothetical or status != Status.REQUESTED
        status = statuses[id(g)] or status
        if hypothetical and status == Status.IMPLEMENTED:
            status, confidence = Status.REQUESTED, confidence * 0.7
        for host in g.countries:
            if host == sender or (host == ctx.deporter and g.role != DEST) or _part_of(ctx, host, sender):
                continue
            nats = nationalities or ([host] if own else [])
            if g.mentions[0].start in nationality_starts:
                # "deported 2,100 Nepalis and 1,700 Ethiopians": each host read from a nationality takes
                # its own people; the nationalities that are no host are still among them
                nats = sorted({host, *(n for n in nationalities if n not in host_countries)})
            # asylum seekers sent to a country whose people the article names are going home
            third = any(n != host for n in nats) if nats else (
                third_cue or (asylum_seekers and host not in ctx.people_of)
                or (regional and len(set(host_countries)) == 1) or (origin is not None and host not in origin))
            values: list[tuple[str, Any]] = [
                ("nationalities", tuple(nats)), ("status", status), ("third_country", third),
                ("dates", dates if stated else ())]
            if counts:
                c = counts[0]
                values += [("count", c.value), ("count_text", c.text), ("count_hedge", c.hedge)]
            _country(ctx, claims, host)
            _country(ctx, claims, sender)
            ctx.last_host = host
            ctx.hosts.add(host)
            trigger = (removals + acceptances)[0].key
            extractor = _rule(f"{rule}:{trigger}")
            claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, sender, tuple(values), quote, extractor,
                            confidence))
            agreement = _agreement(ctx, claims, host, sender, status, third, quote, extractor, confidence,
                                   dates if stated else ())
            agreements.append((agreement, (host, sender)))
            for t in transit:
                if t not in (host, sender):
                    _country(ctx, claims, t)
                    claims.add(Fact(EdgeType.TRANSIT_VIA, agreement, t, (), quote, _rule("transit/via"), 0.8))
            if status in (Status.AGREED, Status.NEGOTIATING, Status.IMPLEMENTED):
                for person, country in negotiators:
                    if country in (None, host, sender) and any(
                            m.form == "status" and lex_status.get(m.key) in (Status.AGREED, Status.NEGOTIATING)
                            for m in s.lex):
                        claims.add(Fact(EdgeType.NEGOTIATED, person, agreement, (), quote,
                                        _rule("negotiated/official"), 0.6))
    read_acting_agencies(s, ctx, claims, agreements, quote)


def _listed_removers(s: Sentence, removals: list[Match]) -> list[str] | None:
    """The states of a list that is itself the subject of a removal, when the sentence names no other
    deporting state ("Austria and Sweden have also deported Afghans to Kabul"); not a list that takes
    people in ("Chad, Niger and Gabon have taken deportees")."""
    froms = [g for g in s.groups if g.role == FROM]
    if len(froms) == 1 and len(froms[0].countries) > 1 and BY_BEFORE.search(s.text, 0, froms[0].start - s.start):
        return froms[0].countries  # "deported – by Norway, Sweden and Turkey": each of them removes
    if froms:
        return None
    for g in s.groups:
        own = [r for r in removals if not any(a.form == "acceptance" and g.end <= a.start < r.start for a in s.lex)]
        if g.role == PLAIN and len(g.countries) > 1 and _remover(s, g, own):
            return g.countries
    return None


# What may stand before a clause's subject: "and", "while", a colon's lead-in, "the".
_SUBJECT_LEAD = re.compile(r"[\s,;:]*(?:(?:and|but|while|whereas|meanwhile|yet)\s+)?(?:[Tt]he\s+)?")


_FROM_REGION = re.compile(r"[^.;]{0,25}?\bfrom\s+((?:the\s+)?(?:[A-Z][\w-]*|sub-Saharan|southern)(?:\s+[A-Z][\w-]*)?)")


def _origin_region(s: Sentence, gaz: Gazetteer) -> frozenset[str] | None:
    """The region the people of a sentence come from, when it names one ("migrants from West Africa")."""
    for m in s.lex:
        if m.form == "people":
            found = _FROM_REGION.match(s.text, m.end - s.start)
            region = gaz.region_of(found.group(1)) if found else None
            if region is not None:
                return region
    return None


def _clause_sender(s: Sentence, g: Group, removals: list[Match]) -> str | None:
    """The deporter a host's own clause names, when the sentence joins clauses about several arrangements:
    its subject, when that removes people ("Italy has transferred migrants to Albania") or signs with the
    host or for a place in it ("the Netherlands has signed an arrangement with Uganda", "Denmark has agreed
    to rent prison space in Kosovo")."""
    at = s.clause_at(g.start)
    if len(s.clauses) < 2:
        return None
    subject = next((c for c in s.groups if s.clause_at(c.start) == at), None)
    if subject is None or subject is g or subject.role != PLAIN or len(subject.countries) != 1 \
            or not _SUBJECT_LEAD.fullmatch(s.text, s.clauses[at][0], subject.start - s.start):
        return None
    own = [r for r in removals if s.clause_at(r.start) == at]
    signs = g.role in (PARTNER, DEST) and any(
        m.form == "status" and s.clause_at(m.start) == at and subject.end <= m.start <= g.start for m in s.lex)
    return subject.countries[0] if signs or (own and _remover(s, subject, own)) else None


def _coordinated_sender(s: Sentence, hosts: list[tuple[Group, str, float]], nationals: bool = False) -> str | None:
    """"Denmark and Rwanda agreed to send asylum seekers to Rwanda": of two states named together as
    the subject, the one that is not the destination sends; or, with ``nationals``, the one whose people
    are not the deportees ("Britain and Iraq signed an agreement on the return of Iraqis")."""
    if nationals:
        destinations = {g.countries[0] for g in s.groups if g.role == NATIONALITY and len(g.countries) == 1}
    else:
        destinations = {g.countries[0] for g, _, _ in hosts if g.role == DEST and len(g.countries) == 1}
    for g in s.groups:
        if g.role == PLAIN and len(g.countries) == 2 and len(destinations & set(g.countries)) == 1:
            return next(c for c in g.countries if c not in destinations)
    return None


# "the third African nation, after South Sudan and Eswatini, to accept": an ordinal states what was done.
_ORDINAL_SUBJECT = re.compile(r"\b(?:the|a)\s+(?:first|second|third|fourth|fifth|sixth|latest|last|only)\s+"
                              r"(?:[\w-]+\s+){0,2}(?:country|countries|nation|nations|state|states)\b[^.;]{0,60}?"
                              r"\bto\s+\Z", re.IGNORECASE)


def _trigger_status(s: Sentence, g: Group, triggers: list[Match], spans: list[tuple[int, int]],
                    lex_status: dict[str, str]) -> tuple[str, bool]:
    """The status the removal or acceptance words of a host's clause give it, and whether all of them
    stand under a modal: implemented when one reports people moved, else requested."""
    at = s.clause_at(g.start)
    own = [t for t in triggers if s.clause_at(t.start) == at] or triggers
    real = [t for t in own if not modal(s, t, spans)]
    moved = any(lex_status.get(t.key) == Status.IMPLEMENTED and (not _adjectival(s, t) or _counted(s))
                and not accepts_proposal(s, t) and not moved_no_one(s, t) and not sends_a_text(s, t)
                for t in real) or any(
        _ORDINAL_SUBJECT.search(s.text, max(0, t.start - s.start - 90), t.start - s.start) for t in own)
    return (Status.IMPLEMENTED if moved else Status.REQUESTED), bool(own) and not real


def _counted(s: Sentence) -> bool:
    """Does the sentence count the people ("the 131 migrants deported to Uzbekistan")? A participle that
    describes people counted was a removal carried out, not the people's kind."""
    people = sorted([m.start - s.start for m in s.lex if m.form == "people"]
                    + [g.start - s.start for g in s.groups if g.role == NATIONALITY])
    return bool(people) and bool(find_counts(s.text, people))


def _read_third_country_in_context(sentences: list[Sentence], ctx: Context, claims: ArticleClaims) -> None:
    """A host is a third country when any sentence naming it says the deportees are not its own
    ("Kosovo … who are not Kosovar citizens"), unless their nationalities say otherwise; a sentence
    saying the deportees are not from the host ("many … are not from Niger") says so whatever else."""
    accepts = [f for f in claims.facts if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM]
    by_pair: dict[tuple[str, str], list[Fact]] = {}
    for f in accepts:
        by_pair.setdefault((f.subject, f.object or ""), []).append(f)
    for (host, deporter), facts in by_pair.items():
        values = [dict(f.values) for f in facts]
        if any(v.get("third_country") for v in values):
            continue
        named = any(v.get("nationalities") for v in values)
        for s in sentences:
            if any(host in g.countries for g in s.groups) and (
                    (s.lex_of("third_country") and not named) or _not_from(s, host)):
                status = best_status([v["status"] for v in values]) or Status.REQUESTED
                claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, deporter, (
                    ("nationalities", ()), ("status", status), ("third_country", True)),
                    " ".join(s.text.split()), _rule("accepts/third-country-in-context"), 0.5))
                _agreement(ctx, claims, host, deporter, status, True, " ".join(s.text.split()),
                           _rule("accepts/third-country-in-context"), 0.5)
                break


# "are not from Niger"; "none of the men is from Eswatini" (a subject that denies, then the verb)
_NOT_FROM = re.compile(r"(?:\bnot\s+(?:all\s+|originally\s+)?|\b(?:none|neither|no\s+one)\b[^,;.]{0,30}?"
                       r"\b(?:is|are|was|were|comes?|came)\s+(?:originally\s+)?)"
                       r"(?:from|citizens\s+of|nationals\s+of|a\s+citizen\s+of)\s+(?:the\s+)?\Z", re.IGNORECASE)


def _not_from(s: Sentence, host: str) -> bool:
    """"Many of the deportees are not from Niger": people said not to come from the host."""
    return bool(s.lex_of("people")) and any(
        host in g.countries and _NOT_FROM.search(s.text, max(0, g.start - s.start - 30), g.start - s.start)
        for g in s.groups)


def _read_home_country_refusals(sentences: list[Sentence], ctx: Context, claims: ArticleClaims) -> None:
    """"Their home countries refused to take them back": each home country named in the article
    refused the deporting state."""
    lex_status = ctx.gazetteer.lex_status
    at = [i for i, s in enumerate(sentences) if s.lex_of("own_nationals")
          and any(lex_status.get(m.key) == Status.REFUSED for m in s.lex)]
    if not at or ctx.deporter is None:
        return
    hosts = {f.subject for f in claims.facts if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM}
    near = {j for i in at for j in range(i - 3, i + 4)}
    origins = {c for j, s in enumerate(sentences) if j in near for g in s.groups if g.role == NATIONALITY
               for c in g.countries}
    quote = " ".join(sentences[at[0]].text.split())
    for origin in sorted(origins - hosts - {ctx.deporter}):
        _country(ctx, claims, origin)
        claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, origin, ctx.deporter, (
            ("nationalities", (origin,)), ("status", Status.REFUSED), ("third_country", False)),
            quote, _rule("accepts/home-country-refused"), 0.5))


def _read_nationalities_in_context(sentences: list[Sentence], ctx: Context, claims: ArticleClaims) -> None:
    """Nationalities named where no host is ("The men come from Vietnam and Laos") belong to the
    accepts pair the article reported last before them (or first, if none came before)."""
    accepts = [f for f in claims.facts if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM]
    if not accepts:
        return
    position = {" ".join(s.text.split()): i for i, s in reversed(list(enumerate(sentences)))}
    # per sentence, its first host: the main clause's ("Ghana received …, after deals with Uganda and Rwanda")
    reported = sorted((position.get(f.quote, 0), -n, f.subject, f.object or "") for n, f in enumerate(accepts))
    quoted = {f.quote for f in accepts}
    for i, s in enumerate(sentences):
        quote = " ".join(s.text.split())
        if quote in quoted:
            continue
        before = [r for r in reported if r[0] < i]
        _, _, host, deporter = before[-1] if before else max(reported, key=lambda r: (-r[0], r[1]))
        # a nationality that is the host of a pair of its own ("Indians lead the deported, followed by
        # Bangladeshis") went home there, not to this pair's host
        others = {f.subject for f in accepts if f.subject != host}
        nats = sorted({c for g in s.groups if g.role == NATIONALITY for c in g.countries} - {deporter} - others)
        if not nats:
            continue
        status = best_status([dict(f.values)["status"] for f in accepts if (f.subject, f.object) == (host, deporter)])
        third = any(n != host for n in nats)
        extractor = _rule("accepts/nationalities-in-context")
        claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, deporter, (
            ("nationalities", tuple(nats)), ("status", status), ("third_country", third)), quote, extractor, 0.5))
        _agreement(ctx, claims, host, deporter, status or Status.REQUESTED, third, quote, extractor, 0.5)



def _onward_senders(s: Sentence, ctx: Context, removals: list[Match], deporter: str,
                    hosts: list[tuple[Group, str, float]], nationality_starts: set[int]) -> dict[int, str]:
    """People an earlier removal brought to a host, sent home from there: "Ghana repatriated a Liberian,
    deported from the US", "a man deported from the US and sent to Ghana returned to Peru", "one deportee
    since repatriated" (in an article about a host). The state each host of the return takes them from."""
    homeward = s.lex_of("return_home")
    if not homeward:
        return {}
    people = [m for m in s.lex if m.form == "people"]
    # "deported men", "a national deported by", "Mr Kone, deported from", "the deportee": people already moved
    earlier = [r for r in removals if _adjectival(s, r) or any((p.start, p.end) == (r.start, r.end) for p in people)
               or (ctx.text[r.start:r.end].endswith("ed") and _MOVED_BEFORE.match(ctx.text, r.end) and (
                   any(0 < r.start - p.end <= 1 for p in people) or ctx.text.endswith(", ", 0, r.start)))]
    returns = [m for m in homeward if not any(r.start == m.start for r in earlier)]
    if not earlier or not returns:
        return {}
    at = returns[0].start
    subjects = [g for g in s.groups if g.role in (PLAIN, ADJECTIVE) and g.end <= at and len(g.countries) == 1
                and g.countries[0] != deporter]
    # "Ghana quietly repatriates …"; else the host the article last named
    here = subjects[0].countries[0] if subjects else ctx.last_host
    out = {}
    for g, _, _ in hosts:
        if (g.start < at and g.mentions[0].start not in nationality_starts) or deporter in g.countries:
            continue  # (taken back to the state that removed them, they are no one's deportees)
        # the last place the people were sent before this one: "… and sent to Ghana returned to Peru"
        stops = [d for d in s.groups if d.role in (DEST, TRANSIT) and d is not g and len(d.countries) == 1
                 and earlier[0].end <= d.start < g.start]
        sender = stops[-1].countries[0] if stops else here
        if sender is not None and sender != deporter and sender not in g.countries:
            out[id(g)] = sender
    return out


# After a participle that tells an earlier move: "deported from", "expelled by".
_MOVED_BEFORE = re.compile(r"\s+(?:from|by)\b")


def _sentence_deporter(s: Sentence, ctx: Context, removals: list[Match]) -> str | None:
    for g in s.groups:
        if g.role == FROM:
            return g.countries[0]
    for g in s.groups:
        # a list as the subject ("Colombo and Kathmandu agreed to send…") names no one deporter
        if g.role in (PLAIN, ADJECTIVE) and len(g.countries) == 1 and _remover(s, g, removals):
            return g.countries[0]
    acceptances = s.lex_of("acceptance")
    subjects = [g for g in s.groups if g.role == PLAIN and any(
        0 <= a.start - g.end <= 90 and not _between_country(s, g.end, a.start, skip=PARTNER) for a in acceptances)]
    partners = [g for g in s.groups if g.role == PARTNER and g not in subjects and len(g.countries) == 1]
    if partners and any(a.start > partners[0].end for a in acceptances) and (
            (subjects and partners[0].start > subjects[0].end)
            or HOST_REFERENCE.search(ctx.text, s.start, partners[0].start)):
        # "Rwanda has agreed with the United States to accept …", "the country was negotiating an
        # agreement with Washington to receive deportees"
        return partners[0].countries[0]
    asks = [m for m in s.lex if m.form == "payment" or (m.form == "status" and ctx.gazetteer.lex_status.get(m.key)
                                                           == Status.REQUESTED)]
    for g in s.groups:
        if g.role == PLAIN and len(g.countries) == 1 and any(
                0 <= a.start - g.end <= 40 and re.fullmatch(_SUBJECT_GAP, ctx.text[g.end:a.start]) for a in asks):
            return g.countries[0]
    signer = _deal_signer(s, ctx, acceptances)
    if signer is not None:
        return signer
    if ctx.deporter is None:
        return _deporter_of_last_resort(s, ctx)
    return ctx.deporter


def _deal_signer(s: Sentence, ctx: Context, acceptances: list[Match]) -> str | None:
    """The subject that signed or reached a deal with a partner: "Washington signed a safe third country
    agreement with Paraguay" (unless the partner is the article's deporter)."""
    # "signed", "struck"; or "Finland is negotiating a similar …"
    agreed = [m for m in s.lex if m.form == "status" and (
        SIGNING.fullmatch(ctx.text, m.start, m.end) or ctx.gazetteer.lex_status.get(m.key) == Status.NEGOTIATING)]
    named_deals = [m for m in acceptances if ARRANGEMENT_NAME.search(ctx.text, m.start, m.end)]
    for g in s.groups:
        later = [p for p in s.groups if p.role == PARTNER and p.start > g.end]
        if ctx.deporter is not None and any(p.countries == [ctx.deporter] for p in later):
            continue  # "Dominica signed a similar MOU with the United States": the partner deports
        if g.role == PLAIN and later and any(0 <= a.start - g.end <= 40 and re.fullmatch(
                _SUBJECT_GAP, ctx.text[g.end:a.start]) for a in agreed) and not any(
                a.start > later[0].end for a in acceptances if "third country" not in ctx.text[a.start:a.end].lower()):
            return g.countries[0]  # "Washington signed a safe third country agreement with Paraguay"
        if g.role == PLAIN and later and any(later[0].start > a.end and 0 <= a.start - g.end <= 50 and re.fullmatch(
                _SUBJECT_GAP + r"\w+\s+", ctx.text[g.end:a.start]) for a in named_deals):
            return g.countries[0]  # "The United States has also reached asylum agreements with Canada"
    return None


def _party_not_of_the_people(s: Sentence) -> str | None:
    """Two parties, one of them the people's own country: the other removes them ("Tanzania and Burundi
    signed a deal to repatriate Burundian refugees")."""
    nationalities = {c for g in s.groups if g.role == NATIONALITY for c in g.countries}
    if len(nationalities) != 1:
        return None
    for g in s.groups:
        if g.role == PLAIN and len(g.countries) == 2 and nationalities < set(g.countries):
            return next(c for c in g.countries if c not in nationalities)
    return None


def _deporter_of_last_resort(s: Sentence, ctx: Context) -> str | None:
    """With no deporter in the article: "people from the United States", an enforcing agency's state, or
    the one state whose courts the article names ("The Federal Court in Sydney blocked the transfer …":
    a court rules on its own state's removals)."""
    for g in s.groups:
        if g.role == NATIONALITY and len(g.countries) == 1 and re.search(
                r"\bfrom\s+(?:the\s+)?$", s.text[max(0, g.start - s.start - 10):g.start - s.start]):
            return g.countries[0]  # nothing else removes anyone here: "people from the United States"
    for m in s.proper:
        if m.kind == "agency":
            a = ctx.gazetteer.agencies[m.key]
            if a.country and a.kind in _ENFORCING_KINDS:
                return a.country
    return next(iter(ctx.court_states)) if len(ctx.court_states) == 1 else None


# Critics, campaigners or lawyers urging or demanding: what they ask for is no arrangement.
