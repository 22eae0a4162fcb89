"""Money frames: payments between countries and who funded removals or flights."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from deportgraph.vocabulary import EdgeType, Label

from ..claims import ArticleClaims, Fact, NodeRef
from ..gazetteer import Match
from ..numbers import Money, find_money
from .context import Context
from .facts import _agency, _country, _rule, agreement_id
from .frames import antecedent
from .lifecycle import PASSIVE_BEFORE, modal
from .mentions import BY_BEFORE, DEAL_NOUNS
from .referents import ARRANGEMENT_REFERENCE, HOST_REFERENCE
from .sentences import DEST, FROM, LOCATION, MODIFIER, NATIONALITY, PLAIN, TRANSIT, Sentence


def _read_payment(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    funding_spans = [(m.start, m.end) for m in s.lex if m.form == "funding"]
    money_all = find_money(s.text, ctx.gazetteer.currencies)
    received = [(m.start, m.end) for m in s.lex if m.form == "payment_received"]
    cues = [m for m in s.lex_of("payment") if not any(a <= m.start < b for a, b in (*funding_spans, *received))
            and (not ctx.gazetteer.lexicon[m.key].needs_amount
                 or any(0 <= x.start + s.start - m.end <= 60 for x in money_all))]
    before = len(claims.facts)
    for cue in cues:  # the first cue that gives a payment: "in exchange for the deal, a fee … paid to Mali"
        if ctx.text[cue.start:cue.end].lower() in ("in return for", "in exchange for"):
            _read_payment_in_return(s, ctx, claims, quote, cue, money_all)
        else:
            _read_payment_at(s, ctx, claims, quote, cue, money_all)
        if len(claims.facts) > before:
            return


def _read_payment_at(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str, cue: Match,
                     money_all: list[Money]) -> None:
    """A payment read from one payment word (``money_all``: the sentence's sums): the payer before it,
    the payee after it; in the passive ("Rwanda has been given $100,000 by Washington") the payee
    before it and the payer after "by"."""
    # a listed office holder pays or is paid for their state: "Rishi Sunak has agreed to give … to France"
    actors = [m for m in s.proper if (m.kind == "country" and m.form in ("name", "capital"))
              or m.kind == "agency" or (m.kind == "official" and ctx.gazetteer.officials[m.key].country)]
    before = [m for m in actors if m.end <= cue.start]
    # "the United States paying ...": an actor right before the cue pays; otherwise the sentence's subject.
    adjacent = before and re.fullmatch(r"\s*(?:[\w']+\s+){0,3}", ctx.text[before[-1].end:cue.start])
    first_m = before[-1] if adjacent else (before[0] if before else None)
    passive = not ctx.text[cue.start:cue.end].endswith("ing") and PASSIVE_BEFORE.search(
        ctx.text, max(s.start, cue.start - 30), cue.start)  # "is paying" is no passive
    if any(x.form == "people" and ((passive and 0 <= cue.start - x.end <= 30) or 0 <= x.start - cue.end <= 12)
           for x in s.lex):
        return  # "each deportee was given €1,000", "paid the returnees": money to people, not to a state
    payees: list[str] = []
    if passive and first_m is not None:
        payees = [_actor_id(ctx, claims, first_m, quote)]
        agent = next((m for m in actors if m.start > cue.end and m.start - cue.end <= 80
                      and BY_BEFORE.search(ctx.text, max(cue.end, m.start - 12), m.start)), None)
        partners = _partners(claims, first_m.key)
        payer = _actor_id(ctx, claims, agent, quote) if agent else (
            partners[0] if len(partners) == 1 else ctx.deporter)
        payees_listed = 1
    else:
        payer_m = first_m
        if payer_m is None and _PERSON_PAYS.search(ctx.text, max(s.start, cue.start - 20), cue.start):
            return  # "they paid money to a middleman": people paying, not a state
        payer = _actor_id(ctx, claims, payer_m, quote) if payer_m else ctx.deporter
        payees, payees_listed = _payees_after(s, ctx, claims, quote, cue, actors, payer_m, payer)
        if not payees and payer_m is not None and payer is not None and cue.key == "payment" and any(
                m.start + s.start >= cue.start - 40 for m in money_all):
            # "Sweden will pay 2.2bn kronor over ten years": a sum a named payer pays, with no payee named,
            # goes to the one country the payer sends deportees to (a fee or a grant may go to anyone)
            hosts = _hosts_of(claims, _state_of(ctx, claims, payer))
            payees = hosts if len(hosts) == 1 else []
    if payer is None or not payees:
        return
    if payer in ctx.gazetteer.countries:
        _country(ctx, claims, payer)  # the deporter or a partner, not yet a node of the article
    money = [m for m in money_all if m.start + s.start >= cue.start - 40]
    if not money and modal(s, cue, forms=("modal",)):
        return  # "could be compensated", "would pay if": no payment was made or promised
    if payees_listed > 1:
        money = []  # a sum for several countries is their total, not one country's amount
    for payee in payees:
        _add_payment(s, ctx, claims, quote, cue, payer, payee, money)


# A person or people as the subject right before a payment word: "they paid", "he had paid".
_PERSON_PAYS = re.compile(r"\b(?:they|he|she|we|i|you)\s+(?:\w+\s+)?\Z", re.IGNORECASE)


def _payees_after(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str, cue: Match,
                  actors: list[Match], payer_m: Match | None, payer: str | None) -> tuple[list[str], int]:
    """Who a payment word's payer pays: the actor after it (each country of its list), else the host
    that "the kingdom" after it refers to."""
    after = [m for m in actors if m.start >= cue.end and (payer_m is None or m.key != payer_m.key)]
    if after and after[0].start - cue.end <= 80:
        group = next((g for g in s.groups if g.start <= after[0].start < g.end), None)
        if group is not None and after[0].kind == "country" and len(group.countries) > 1:
            return [_country(ctx, claims, c) for c in group.countries], len(group.countries)
        return [_actor_id(ctx, claims, after[0], quote)], 1
    clause_end = s.start + s.clauses[s.clause_at(cue.start)][1]  # "… assistance to the kingdom"
    coref = HOST_REFERENCE.search(ctx.text, cue.end, max(clause_end, min(s.end, cue.end + 80)))
    if coref:
        host = antecedent(ctx, coref.start(), payer)
        if host is not None:
            return [_country(ctx, claims, host)], 1
    return [], 1


def _add_payment(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str, cue: Match, payer: str,
                 payee: str, money: list[Money]) -> None:
    """One PAID fact: payer and payee as states (an agency kept as a property), the first sum if any."""
    values: list[tuple[str, Any]] = []
    for role, node in (("payer_agency", payer), ("payee_agency", payee)):
        agency = ctx.gazetteer.agencies.get(node)
        if agency is not None:
            values.append((role, agency.id))
    payer, payee = _state_of(ctx, claims, payer), _state_of(ctx, claims, payee)
    if payer == payee:
        return
    purpose_from = cue.end - s.start
    if money:
        m = _in_payers_currency(ctx, money[0], payer)
        values += [("amount", m.amount), ("currency", m.currency), ("amount_usd", m.amount_usd),
                   ("amount_text", m.text)]
        purpose_from = m.end
    purpose = re.match(r"\s*(?:\w+\s+){0,3}?((?:to|for|in exchange for) [^,.;:]{3,120})", s.text[purpose_from:])
    if purpose:
        values.append(("purpose", purpose.group(1).strip()))
    confidence = 0.8 if money else 0.6
    claims.add(Fact(EdgeType.PAID, payer, payee, tuple(values), quote, _rule(f"paid:{cue.key}"), confidence))


def _hosts_of(claims: ArticleClaims, deporter: str) -> list[str]:
    """The states that take a deporter's deportees, as read so far in the article."""
    return sorted({f.subject for f in claims.facts if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM
                   and f.object == deporter and f.subject != deporter})


def _partners(claims: ArticleClaims, host: str) -> list[str]:
    """The states a host takes deportees from, as read so far in the article."""
    return sorted({f.object for f in claims.facts if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM
                   and f.subject == host and f.object and f.object != host})


# Between the payee and its verb of receiving: "Kosovo is due to", "the country will", "Palau would also",
# "Chad, which is being".
_RECEIVER_GAP = re.compile(r"(?:['’]s\s+government)?(?:,\s*(?:which|who))?\s+"
                           r"(?:(?:is|are|was|were|will|would|also|then|to|has|have|had|"
                           r"already|each|set|due|expected|now|reportedly|stands|confirmed|acknowledged|"
                           r"admitted)\s+){0,4}")


_BY_AGENT = re.compile(r"\s+(?:\([^)]{0,25}\)\s+)?(?:\w+\s+){0,2}?(?:by|from)\s+(?:the\s+)?")


def _read_payment_received(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    """"In return, Palau will receive $7.5 million": the subject of a verb of receiving, with a sum
    after it, is paid by the state it made the arrangement with (the one it takes deportees from,
    read in this article), or by the article's deporting state."""
    money = find_money(s.text, ctx.gazetteer.currencies)
    for cue in s.lex_of("payment_received"):
        amount = next((m for m in money if 0 <= m.start + s.start - cue.end <= 40
                       and not re.search(r"[.;]", s.text[cue.end - s.start:m.start])), None)
        if amount is None or modal(s, cue, forms=("modal",)):
            continue
        subject = next((g for g in reversed(s.groups) if g.end <= cue.start and g.role not in (NATIONALITY, FROM)
                        and len(g.countries) == 1
                        and _RECEIVER_GAP.fullmatch(s.text, g.end - s.start, cue.start - s.start)), None)
        payee = subject.countries[0] if subject else None
        rule = "paid-received"
        if payee is None:
            ref = HOST_REFERENCE.search(s.text, max(0, cue.start - s.start - 40), cue.start - s.start)
            if ref and _RECEIVER_GAP.fullmatch(s.text, ref.end(), cue.start - s.start):
                payee, rule = antecedent(ctx, s.start + ref.start(), ctx.deporter), "paid-received:reference"
        if payee is None:
            continue
        partners = _partners(claims, payee)
        agent = _BY_AGENT.match(s.text, amount.end)  # "was paid $6 million by Ottawa", "receiving $5m from"
        by = next((m.key for m in s.proper if agent and m.kind == "country" and m.form in ("name", "capital")
                   and m.start - s.start == agent.end()), None)
        payer = by or (partners[0] if len(partners) == 1 else ctx.deporter)
        if payer is None or payer == payee:
            continue
        if payer not in partners and not ARRANGEMENT_REFERENCE.search(s.text):
            continue  # money received with no arrangement between the two read yet: aid, trade, anything
        _country(ctx, claims, payer)
        _country(ctx, claims, payee)
        m = _in_payers_currency(ctx, amount, payer)
        values: list[tuple[str, Any]] = [("amount", m.amount), ("currency", m.currency),
                                         ("amount_usd", m.amount_usd), ("amount_text", m.text)]
        claims.add(Fact(EdgeType.PAID, payer, payee, tuple(values), quote, _rule(f"{rule}:{cue.key}"), 0.55))
        return


def _read_payment_in_return(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str, cue: Match,
                            money: list[Any]) -> None:
    """"Kosovo … will receive prisoners from Denmark in return for 210 million euros": the
    country the people come from pays the sentence's subject."""
    before = [m for m in s.proper if m.kind == "country" and m.form in ("name", "capital") and m.end <= cue.start]
    if len(before) < 2 or before[0].key == before[-1].key:
        return
    payee, payer = _country(ctx, claims, before[0].key), _country(ctx, claims, before[-1].key)
    values: list[tuple[str, Any]] = []
    after = [x for x in money if x.start + s.start >= cue.start]
    between = [x for x in money if before[0].end <= x.start + s.start < cue.start]
    if not after and len(between) == 1:  # "Eswatini confirmed receiving $5.1m from Washington in exchange for"
        after = between
    if after:
        values += [("amount", after[0].amount), ("currency", after[0].currency), ("amount_usd", after[0].amount_usd),
                   ("amount_text", after[0].text)]
    claims.add(Fact(EdgeType.PAID, payer, payee, tuple(values), quote, _rule(f"paid-in-return:{cue.key}"), 0.6))


# Funding words that name their funder only in a compound or a by-phrase ("a U.S.-chartered flight").
_COMPOUND_ONLY = "funding-compound"
# Roles of a country that is not the one doing something in its clause: where people go, come from, stop.
_NOT_ACTING = (DEST, FROM, NATIONALITY, LOCATION, TRANSIT)


# Right after a sum: the arrangement it prices ("a $6 million deal", "the £120m agreement").
_PRICED = re.compile(rf"\s+(?:[\w-]+\s+)?(?:{DEAL_NOUNS}|mou)\b", re.IGNORECASE)
# The same told after the deal: "a deal worth £10 million", "an agreement valued at about $3m".
_PRICED_AFTER = re.compile(rf"\b(?:{DEAL_NOUNS}|mou)s?\s+(?:worth|valued\s+at)\s+(?:about\s+|some\s+|up\s+to\s+|"
                           r"nearly\s+|almost\s+|more\s+than\s+|over\s+|an\s+estimated\s+)?\Z", re.IGNORECASE)


def read_priced_deal(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    """"part of a $6 million deal between Trump and El Salvador's President", "a deal worth £10 million":
    a sum that prices an arrangement between a known host and its deporting state is paid by the
    deporting state."""
    money = [m for m in find_money(s.text, ctx.gazetteer.currencies) if _PRICED.match(s.text, m.end)
             or _PRICED_AFTER.search(s.text, max(0, m.start - 60), m.start)]
    if len(money) != 1:
        return
    named = {m.key for m in s.proper if m.kind == "country"}
    named |= {c for m in s.proper if m.kind == "official" and (c := ctx.gazetteer.officials[m.key].country)}
    pairs = sorted({(f.subject, f.object) for f in claims.facts if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM
                    and f.object and f.subject in named and f.object in named})
    if len(pairs) != 1:
        return
    payee, payer = pairs[0]
    m = _in_payers_currency(ctx, money[0], payer)
    values: list[tuple[str, Any]] = [("amount", m.amount), ("currency", m.currency), ("amount_usd", m.amount_usd),
                                     ("amount_text", m.text)]
    claims.add(Fact(EdgeType.PAID, payer, payee, tuple(values), quote, _rule("paid-priced-deal"), 0.5))


def _read_funding(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    for cue in s.lex_of("funding"):
        funder_m = _funder(s, ctx, cue)
        if funder_m is not None:
            _add_funding(s, ctx, claims, quote, cue, funder_m)
            return


def _funder(s: Sentence, ctx: Context, cue: Match) -> Match | None:
    """Who pays, for one funding word: the country of a compound ("U.S.-chartered"), the actor of a
    by-phrase, else the nearest actor before the word that is not a destination, origin or stop."""
    compound = next((m for m in s.proper if m.kind == "country" and m.end == cue.start - 1
                     and ctx.text[m.end] == "-"), None)
    if compound is not None:
        return compound
    actors = [m for m in s.proper if (m.kind == "country" and m.form in ("name", "capital"))
              or m.kind in ("agency", "official")]
    actors += [g.mentions[0] for g in s.groups if g.role == MODIFIER and g.mentions[0] not in actors]
    by = re.match(r"\s*(?:entirely\s+|fully\s+)?by\s+(?:the\s+)?", ctx.text[cue.end:cue.end + 24])
    if by:
        governments = [m for m in s.proper if m.kind == "country" and m.form.startswith("demonym") and re.match(
            r"\s+(government|authorities|state)\b", ctx.text[m.end:m.end + 16])]
        after = sorted([m for m in actors + governments if m.start >= cue.end], key=lambda m: m.start)
        return after[0] if after else None
    if cue.key == _COMPOUND_ONLY:
        return None
    role = {id(m): g.role for g in s.groups for m in g.mentions}
    before = sorted((m for m in actors if m.end <= cue.start), key=lambda m: m.start)
    acting = [m for m in before if role.get(id(m)) not in _NOT_ACTING]
    return acting[-1] if acting else (before[-1] if before else None)


def _add_funding(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str, cue: Match, funder_m: Match) -> None:
    if funder_m.kind == "official":
        country = ctx.gazetteer.officials[funder_m.key].country
        if country is None:
            return
        funder_m = Match(funder_m.start, funder_m.end, "country", country, "official")
    funder = _actor_id(ctx, claims, funder_m, quote)
    funder_country = funder if funder_m.kind == "country" else ctx.gazetteer.agencies[funder].country
    other = ctx.deporter if ctx.deporter != funder_country else None
    if other is None:
        hosts = [c for g in s.groups if g.role in (DEST, PLAIN) for c in g.countries if c != funder_country]
        other = hosts[0] if hosts else (ctx.last_host if ctx.last_host != funder_country else None)
    if other is None or funder_country is None:
        return
    _country(ctx, claims, other)
    _country(ctx, claims, funder_country)
    host, deporter = (funder_country, other) if other == ctx.deporter else (other, funder_country)
    agreement = claims.node(NodeRef(Label.AGREEMENT, agreement_id(funder_country, other)))
    extractor = _rule(f"funded:{cue.key}")
    claims.add(Fact(Label.AGREEMENT, agreement, None, (
        ("parties", tuple(sorted((funder_country, other)))), ("host", host), ("deporter", deporter)),
        quote, extractor, 0.7))
    claims.add(Fact(EdgeType.FUNDED_BY, agreement, funder, (), quote, extractor, 0.75))


def _in_payers_currency(ctx: Context, money: Money, payer: str) -> Money:
    """A spelling several currencies share is the payer's own where its currency has it: "Canberra will
    pay $408 million" is Australian dollars, "Oslo paid 90 million kroner" Norwegian; "US$" says which."""
    own = ctx.gazetteer.home_currency.get(payer)
    if own is None or own.code == money.currency or money.spelling not in own.spellings:
        return money
    return replace(money, currency=own.code, amount_usd=round(money.amount * own.usd_per_unit, 2))


def _state_of(ctx: Context, claims: ArticleClaims, node: str) -> str:
    """The country that pays or is paid: an agency's own country ("the Home Office" pays for the UK);
    a body no state owns (IOM, the EU) stays itself."""
    agency = ctx.gazetteer.agencies.get(node)
    if agency is not None and agency.country:
        return _country(ctx, claims, agency.country)
    return node


def _actor_id(ctx: Context, claims: ArticleClaims, m: Match, quote: str) -> str:
    if m.kind == "agency":
        return _agency(ctx, claims, m.key, quote)
    if m.kind == "official":
        return _country(ctx, claims, ctx.gazetteer.officials[m.key].country or "")
    return _country(ctx, claims, m.key)


