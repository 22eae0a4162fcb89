"""The pipeline: the relevance gate, then every stage over every sentence of an article."""

from __future__ import annotations

import re

from deportgraph.vocabulary import EdgeType

from ..article import Article
from ..claims import ArticleClaims
from ..gazetteer import Gazetteer, Match, load_gazetteer
from .accepts import (
    _read_accepts,
    _read_home_country_refusals,
    _read_nationalities_in_context,
    _read_third_country_in_context,
)
from .context import (
    Context,
    _default_deporter,
    _full_names,
    _named_officials,
    dateline_state,
    holding_places,
    main_state,
    people_of,
)
from .courts import court_states, read_court_actions
from .mentions import _clean_proper, _groups, drop_foreign_generic_agencies, drop_unfilled_triggers, read_roles
from .money import _read_funding, _read_payment, _read_payment_received, read_priced_deal
from .officials import _read_officials, emit_officials
from .referents import HOST_REFERENCE, read_listed_hosts, read_status_in_context, read_transit_in_context
from .roles import apply_role_patterns
from .sentences import Sentence, _sentences

# Texts longer than this must contain a word of deportation or migration news to be read at all
# (shorter ones are cheap to read whole, and a lone sentence may state a removal in plain words).
GATE_MIN_CHARS = 1500

def extract(article: Article, gazetteer: Gazetteer | None = None) -> ArticleClaims:
    """Read every fact of one article.

    >>> a = Article("The United States deported 131 Uzbek nationals to Uzbekistan.")
    >>> [(str(f.type), f.subject, f.object) for f in extract(a).facts if f.type == "ACCEPTS_DEPORTEES_FROM"]
    [('ACCEPTS_DEPORTEES_FROM', 'UZB', 'USA')]
    """
    gaz = gazetteer or load_gazetteer()
    claims = ArticleClaims(source={
        "id": article.id, "url": article.url, "title": article.title, "publisher": article.publisher,
        "published": article.published, "path": article.path, "chars": len(article.text),
    })
    text = article.text
    lowered = text.lower()
    if len(lowered) > GATE_MIN_CHARS and not gaz.passes_gate(lowered):
        return claims
    lex = sorted(gaz.find_lexical(lowered), key=lambda m: (m.start, -m.end))
    if not is_relevant(lex):
        return claims
    proper = drop_foreign_generic_agencies(text, _clean_proper(text, list(gaz.find_proper(text)), lex), gaz)
    if not any(m.kind == "country" for m in proper):
        return claims
    claims.relevant = True
    sentences = _sentences(text, proper, lex)
    for s in sentences:
        drop_unfilled_triggers(s, gaz)
        s.groups = _groups(s)
    ctx = Context(
        text=text,
        gazetteer=gaz,
        deporter=None,
        third_country_lead=any(m.form == "third_country" for s in sentences[:4] for m in s.lex)
        or any(m.form == "third_country" for m in gaz.find_lexical((article.title or "").lower())),
        country_mentions=[m for m in proper if m.kind == "country" and (m.form in ("name", "capital") or (
            m.form == "demonym" and _STATE_AFTER_DEMONYM.match(text, m.end)))],
        full_names=_full_names(sentences, gaz),
        published=article.published,
        named_officials=_named_officials(text, proper, lex),
        holding_places=holding_places(sentences),
        people_of=people_of(sentences),
        dateline_state=dateline_state(text, [m for m in proper if m.kind == "country"]),
    )
    every_sentence = sentences
    read_forms = ("title", "title_plural", "status", "stopover")
    sentences = [s for s in sentences if s.proper or any(m.form in read_forms for m in s.lex)
                 or (any(m.form == "acceptance" for m in s.lex) and HOST_REFERENCE.search(s.text))]
    first_pass: set[int] = set()
    for s in sentences:
        if s.groups and any(m.form == "removal" or (m.form == "acceptance" and " from " in s.text)
                            for m in s.lex):  # what the main deporter is read from
            read_roles(s, ctx)
            apply_role_patterns(s)
            first_pass.add(id(s))
    ctx.deporter = _default_deporter(sentences, gaz, ctx.holding_places)
    ctx.deporter = gaz.part_of.get(ctx.deporter, ctx.deporter) if ctx.deporter else None
    ctx.court_states = court_states(every_sentence, ctx)
    ctx.main_state = main_state(ctx.country_mentions, ctx.deporter)
    pairs: dict[str, set[str]] = {}
    position = {id(s): i for i, s in enumerate(every_sentence)}
    for s in sentences:
        # roles depend on the main deporter only for a group that is it, or a place people were held in
        # (a stop once the deporter is another state): the rest stay as first read
        if s.groups and (id(s) not in first_pass or any(
                g.countries == [ctx.deporter] or set(g.countries) <= ctx.holding_places for g in s.groups)):
            read_roles(s, ctx)
            if any(m.form in ("removal", "acceptance") for m in s.lex):  # roles only frames read
                apply_role_patterns(s)
        before = len(claims.facts)
        read_sentence(s, ctx, claims)
        new_pairs = [(f.subject, f.object) for f in claims.facts[before:]
                     if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM and f.object]
        if not new_pairs:
            read_status_in_context(s, ctx, claims, pairs)
            read_transit_in_context(s, ctx, claims, pairs)
        i = position[id(s)]
        read_listed_hosts(s, every_sentence[i - 1] if i else None, ctx, claims, pairs)
        for host, deporter in new_pairs:
            pairs.setdefault(host, set()).add(deporter)
    if ctx.deporter is None:  # no removal said who removes ("Togo signed a pact with Denmark to receive…")
        senders = {d for ds in pairs.values() for d in ds}
        ctx.deporter = senders.pop() if len(senders) == 1 else None
        ctx.main_state = ctx.main_state or ctx.deporter
    _read_nationalities_in_context(every_sentence, ctx, claims)
    _read_home_country_refusals(every_sentence, ctx, claims)
    _read_third_country_in_context(sentences, ctx, claims)
    read_court_actions(every_sentence, ctx, claims)
    emit_officials(ctx, claims)
    return claims


# A demonym that names the state: "the Argentine government", "Ugandan President", "Kenyan authorities".
_STATE_AFTER_DEMONYM = re.compile(r"\s+(?:government|authorities|President|Prime Minister|Foreign Minister|"
                                  r"Interior Minister|foreign ministry|officials|state)\b")


def is_relevant(lex: list[Match]) -> bool:
    """The relevance gate: words of removal or acceptance, or of money next to people on the move."""
    forms = {m.form for m in lex}
    return bool(forms & {"removal", "acceptance"}) or bool(forms & {"payment", "funding"} and "people" in forms)



_PRICE_WORD = re.compile(r"[$£€¥]|\b(?:million|billion|bn|mn)\b")


def read_sentence(s: Sentence, ctx: Context, claims: ArticleClaims) -> None:
    """All the facts one sentence states."""
    quote = " ".join(s.text.split())
    categories = {m.form for m in s.lex}
    if "title" in categories or "title_plural" in categories or any(m.kind == "official" for m in s.proper):
        _read_officials(s, ctx, claims, quote)
    if (s.groups or HOST_REFERENCE.search(s.text)) and ("removal" in categories or "acceptance" in categories):
        _read_accepts(s, ctx, claims, quote)
    before = len(claims.facts)
    if "payment" in categories:
        _read_payment(s, ctx, claims, quote)
    if len(claims.facts) == before and "payment_received" in categories:
        _read_payment_received(s, ctx, claims, quote)  # also "X was paid $6 million by Y"
    if not categories & {"payment", "payment_received"} and _PRICE_WORD.search(s.text):
        read_priced_deal(s, ctx, claims, quote)
    if "funding" in categories:
        _read_funding(s, ctx, claims, quote)


