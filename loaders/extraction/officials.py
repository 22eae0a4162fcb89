"""Officials frames: named office holders, their title, agency and country."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from deportgraph.vocabulary import EdgeType, Label

from ..claims import ArticleClaims, Fact, NodeRef
from ..gazetteer import Gazetteer, Match, read_pattern_lines
from .context import Context, PendingOfficial
from .facts import _agency, _country, _rule, official_id
from .frames import antecedent
from .names import _NOT_NAMES, UPPER, _name_after
from .referents import HOST_REFERENCE
from .sentences import DEST, PARTNER, PLAIN, Group, Sentence


def _officials_in(s: Sentence, ctx: Context) -> list[tuple[str, str | None]]:
    out = []
    for m in s.proper:
        if m.kind == "official":
            out.append((m.key, ctx.gazetteer.officials[m.key].country))
    return out


# Words that mark a party, campaign or charity before a title: its spokesperson is no official.
_NON_GOVERNMENT = re.compile(
    r"\b(Coalition|Alliance|Watch|Network|Greens|Party|Foundation|Institute|Association|Campaign|Action|Rights|"
    r"Amnesty|Federation|Society|Charity|Union|Movement|Council for|Group|Project|Advocates|opposition)\b"
    r"(?:\s+\w+){0,2},?\s*$")


_NON_GOVERNMENT_WORD = re.compile(
    r"\b(Coalition|Alliance|Watch|Network|Foundation|Institute|Association|Campaign|Rights|Amnesty|Federation|"
    r"Society|Charity|Movement|Advocates|University|Centre for|Center for)\b")


def _titles(s: Sentence, gaz: Gazetteer) -> list[Match]:
    """Title words that introduce a name: capitalized ("President"), or after a country or agency
    ("Homeland Security chief"), or a spokesperson's title."""
    out = []
    for t in s.lex_of("title"):
        first = s.text[t.start - s.start]
        if first.isupper() or _modifier(s, t, gaz) != (None, None) or s.text[t.start - s.start:].startswith("spokes") \
                or (len(_name_after(s, t)) >= 2 and s.text[t.end - s.start:t.end - s.start + 1] in (" ", ",")):
            out.append(t)
    return out


def _read_officials(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    gaz = ctx.gazetteer
    titles = _titles(s, gaz)
    for title in titles:
        tokens = _name_after(s, title)
        lead = s.text[max(0, title.start - s.start - 40):title.start - s.start]
        if not tokens or (_NON_GOVERNMENT.search(lead) and not re.search(r"\b(UN|U\.N\.|United Nations)\b", lead)):
            continue
        name_start = title.end + 1
        if any(m.start == name_start and m.kind in ("country", "agency") for m in s.proper):
            continue
        if any(t.start < title.start < t.end or (t.start == title.start and t.end > title.end)
               for t in titles):
            continue  # a longer title holds this one ("Assistant Secretary" holds "Secretary")
        first = s.text.find(tokens[0], title.end - s.start)
        named = (s.start + first, s.start + s.text.find(tokens[-1], first) + len(tokens[-1]))
        if any(m.kind == "official" and (name_start <= m.start <= name_start + 2 or
                                         (m.start < named[1] and named[0] < m.end)) for m in s.proper):
            continue  # a listed official: read below with this title
        if not ctx.text[named[1]:].strip():
            continue  # the stored text stops mid-name ("spokesperson Tricia McL")
        title_text = s.text[title.start - s.start:title.end - s.start]
        country, agency, rule = _office_of_title(s, title, tokens, ctx)
        person = _resolve_person(tokens, ctx)
        if _non_government_complement(s, title):
            continue
        _official(ctx, claims, person, " ".join(tokens), title_text, country, agency, quote, rule, 0.8, s, title,
                  named[1])
    _read_appositive_officials(s, ctx, claims, quote)
    _read_listed_officials(s, ctx, claims, quote)
    for m in s.proper:
        if m.kind != "official":
            continue
        known = gaz.officials[m.key]
        office: str | None = None
        country, agency = known.country, known.agency
        before = [t for t in titles if 0 <= m.start - t.end <= 2]
        surname_only = " " not in s.text[m.start - s.start:m.end - s.start]
        if surname_only and (m.key not in ctx.named_officials or re.match(
                r"[\s-]*(?:[A-Z]\w+[\s-]+)?(?:administration|government|era|doctrine)\b|[-–][A-Z]",
                s.text[m.end - s.start:], re.IGNORECASE)) and not before:
            continue  # "the Trump administration", or a surname never introduced with an office
        if before:
            t = max(before, key=lambda t: t.end - t.start)
            office = s.text[t.start - s.start:t.end - s.start]
            mod_country, mod_agency = _modifier(s, t, gaz)
            country, agency = mod_country or country, mod_agency or agency
        _official(ctx, claims, known.id, known.name, office or (known.titles[0] if known.titles else None),
                  country, agency, quote, "official/gazetteer", 0.9, s)


def _office_of_title(s: Sentence, title: Match, tokens: list[str], ctx: Context
                     ) -> tuple[str | None, str | None, str]:
    """The country and agency a title's own words give, and the rule that read them: the words before
    it, its complement, a party-state tag, a known office holder it serves, "the country's", "of X"."""
    country, agency = _modifier(s, title, ctx.gazetteer)
    rule = "official/title"
    if country is None and agency is None:
        country, agency = _complement(s, title, ctx.gazetteer)
    if country is not None or agency is not None:
        return country, agency, rule
    name_end = s.text.find(tokens[-1], title.end - s.start) + len(tokens[-1])
    country, tag = _affiliation(s.text[name_end:])
    rule = f"official/title+{tag}" if tag else rule
    if country is None:  # "President Okafor's adviser, Tunde Bello": the office of a known office holder
        country = _possessor_country(s, title, ctx)
        rule = f"{rule}+possessor" if country else rule
    if country is None:  # "the country's Minister of Immigration, Kaare Dybvad"
        country = _reference_owner(s, title, ctx)
        rule = f"{rule}+reference" if country else rule
    if country is None:  # "Prime Minister Peter O'Neill of Papua New Guinea"
        of = re.match(r"\s+of\s+(?:the\s+)?", s.text[name_end:])
        state = next((m for m in s.proper if of and m.kind == "country" and m.form == "name"
                      and m.start == s.start + name_end + of.end()), None)
        country = state.key if state else None
    if country is None:  # "Interior Minister Adel Hamdani attended the signing for Baghdad"
        acting = _ACTING_FOR.match(s.text, name_end)
        state = next((m for m in s.proper if acting and m.kind == "country" and m.form in ("name", "capital")
                      and m.start == s.start + acting.end()), None)
        country, rule = (state.key, f"{rule}+acting-for") if state else (None, rule)
    return country, None, rule


# A verb of acting and "for" the state served: "signed for Baghdad", "attended the talks on behalf of Kenya".
_ACTING_FOR = re.compile(r"\s+(?:attended|signed|spoke|speaking|negotiated|represented|appeared|sat)\b[^,;.]{0,30}?"
                         r"\b(?:for|on behalf of)\s+(?:the\s+)?")


_PERSON = rf"{UPPER}[\w'’.-]+(?:\s+(?:{UPPER}[\w'’.-]+|de|da|del|der|van|von|bin)){{1,3}}"
# Names, each maybe with its portfolio in brackets: "ministers Ana Ruiz (Immigration) and Omar Idris".
_NAME_ITEM = rf"{_PERSON}(?:\s+\([^()]{{1,40}}\))?"
_NAME_LIST = re.compile(rf"\s+({_NAME_ITEM}(?:,\s+{_NAME_ITEM})*,?\s+and\s+{_NAME_ITEM})")


def _read_listed_officials(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    """"with justices Ana Ruiz, Omar Idris and Lena Park": a plural title, then a list of names."""
    for title in s.lex_of("title_plural"):
        names = _NAME_LIST.match(s.text, title.end - s.start)
        if not names:
            continue
        country, agency = _modifier(s, title, ctx.gazetteer)
        for name in re.split(r",?\s+and\s+|,\s+", re.sub(r"\s+\([^()]*\)", "", names.group(1))):
            tokens = name.split()
            if any(t in _NOT_NAMES for t in tokens) or any(
                    m.kind in ("country", "agency") and m.start == s.start + s.text.find(name, title.end - s.start)
                    for m in s.proper):
                continue
            office = s.text[title.start - s.start:title.end - s.start]
            _official(ctx, claims, _resolve_person(tokens, ctx), name, office, country, agency, quote,
                      "official/title-list", 0.7, s, title)


_APPOSITIVE = re.compile(
    rf"(?P<name>{_PERSON}),\s+"
    r"(?:(?:the|a|an|its|their|[A-Z][\w.]*['’]s)\s+(?P<mod>[^,;:()]{0,50}?)|(?P<bare>))$")


def _read_appositive_officials(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    """"Thabile Mdluli, the government's acting spokesperson": a name, a comma, then the office."""
    gaz = ctx.gazetteer
    for title in s.lex_of("title"):
        m = _APPOSITIVE.search(s.text, 0, title.start - s.start)
        if not m:
            continue
        after = s.text[title.end - s.start:title.end - s.start + 1]
        if after.isalnum():
            continue
        if m.group("bare") is not None and s.text[title.start - s.start].isupper():
            continue  # "Ana Ruiz, President Okafor's adviser": a title that begins a new name
        mod = "mod" if m.group("mod") is not None else "bare"
        name_start, mod_start = s.start + m.start("name"), s.start + m.start(mod)
        if any(p.kind in ("country", "agency") and name_start <= p.start < s.start + m.end("name") for p in s.proper):
            continue
        tokens = m.group("name").split()
        if any(t in _NOT_NAMES for t in tokens):
            continue
        country = agency = None
        for p in s.proper:
            if s.start + m.start() <= p.start and p.end <= title.start:
                if p.kind == "country":
                    country = p.key
                elif p.kind == "agency":
                    agency = p.key
                    country = country or gaz.agencies[p.key].country
        if country is None and agency is None:
            country, agency = _complement(s, title, gaz)
        if country is None and agency is None and re.search(r"\bgovernment\b", s.text[m.start(mod):]) and \
                ctx.last_host:
            country = ctx.last_host
        title_text = s.text[mod_start - s.start:title.end - s.start].strip()
        person = _resolve_person(tokens, ctx)
        if _non_government_complement(s, title):
            continue
        _official(ctx, claims, person, " ".join(tokens), title_text, country, agency, quote, "official/appositive",
                  0.7, s, title)


# Between a country or agency and the title it qualifies: a possessive, and up to three words of the
# office ("Panama's Security Minister", "Dutch Migration and Foreign Affairs minister").
# After a possessive, up to two words of the office ("the Ugandan Foreign Ministry's permanent secretary").
# The state's own body may stand between ("Eswatini government spokesperson", "Sudanese military ruler").
_MODIFIER_GAP = re.compile(r"(?:['’]s)?(?:\s+(?:[A-Z][\w-]*(?:['’]s)?|and|of|for|the|&|government|state|federal|"
                           r"national|interim|transitional|military))*?"
                           r"(?:(?<=['’]s)(?:\s+[a-z][\w-]*){1,2})?\s?")
# "Honduran officials, including immigration director …": the title belongs to that country's officials.
_MEMBER_OF = re.compile(r"^\s+(?:officials|authorities|government|ministers|diplomats)\b[^.;:]{0,20}?"
                        r"\b(?:including|such as|like|among them)\s+(?:\w+\s+){0,2}$")


def _modifier(s: Sentence, title: Match, gaz: Gazetteer) -> tuple[str | None, str | None]:
    """The country or agency written just before a title ("Uzbek President", "DHS Secretary")."""
    for m in reversed(s.proper):
        if m.end > title.start:
            continue
        gap = s.text[m.end - s.start:title.start - s.start]
        if not (re.fullmatch(r"(?:['’]s)?\s?", gap) or (len(gap) <= 40 and _MODIFIER_GAP.fullmatch(gap))
                or _MEMBER_OF.search(gap)):
            return None, None
        if m.kind == "country":
            return m.key, None
        if m.kind == "agency":
            return gaz.agencies[m.key].country, m.key
        return None, None
    return None, None


@cache
def _affiliations() -> list[tuple[str, re.Pattern[str], str]]:
    """Tags written after a name that tell whose office it is (``patterns/affiliations.jsonl``)."""
    return [(e["id"], re.compile(e["after_name"]), e["country"]) for _, e in read_pattern_lines("affiliations.jsonl")]


@cache
def _offices() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """States whose offices never bear some title words (``patterns/offices.jsonl``)."""
    return tuple((e["country"], re.compile(e["not_in_title"])) for _, e in read_pattern_lines("offices.jsonl"))


def _title_excludes(title: str, country: str) -> bool:
    return any(c == country and words.search(title) for c, words in _offices())


_POSSESSOR = re.compile(r"\b([A-Z][\w’'-]+)['’]s\s+(?:[\w-]+\s+){0,2}\Z")


def _possessor_country(s: Sentence, title: Match, ctx: Context) -> str | None:
    """The country of the office holder whose aide a title names ("President Okafor's adviser")."""
    m = _POSSESSOR.search(s.text, max(0, title.start - s.start - 40), title.start - s.start)
    if not m:
        return None
    surname = m.group(1)
    countries = {o.country for o in ctx.officials if o.country and o.name.split()[-1] == surname}
    if len(countries) == 1:
        return countries.pop()
    known = ctx.gazetteer.surname_index.get(surname)
    return ctx.gazetteer.officials[known].country if known else None


def _affiliation(after_name: str) -> tuple[str | None, str | None]:
    """The country of a tag right after a name ("Sen. Ada Park, D-Vt."), and the tag's pattern id.

    >>> _affiliation(", R-Ohio, said")
    ('USA', 'us-party-state-tag')
    >>> _affiliation(" said")
    (None, None)
    """
    for pattern_id, regex, country in _affiliations():
        if regex.match(after_name):
            return country, pattern_id
    return None, None


def _complement(s: Sentence, title: Match, gaz: Gazetteer) -> tuple[str | None, str | None]:
    """The country or agency a title is "of": "head of Norway's migration office", "representative of
    the UN Refugee Agency (UNHCR)"."""
    rest = s.text[title.end - s.start:]
    of = re.match(r"\s+(?:of|for|at|in)\s+[^,;:.]{0,60}", rest)
    if not of:
        return None, None
    end = title.end + of.end()
    for m in s.proper:
        if title.end < m.start < end:
            if m.kind == "agency":
                return gaz.agencies[m.key].country, m.key
            if m.kind == "country":
                return m.key, None
    return None, None


def _resolve_person(tokens: list[str], ctx: Context) -> str:
    full = " ".join(tokens)
    gaz = ctx.gazetteer
    for o in gaz.officials.values():
        if full == o.name:
            return o.id
    if len(tokens) == 1:
        if tokens[0] in gaz.surname_index:
            return gaz.surname_index[tokens[0]]
        if tokens[0] in ctx.full_names:
            return official_id(ctx.full_names[tokens[0]])
    return official_id(full)


def _official(ctx: Context, claims: ArticleClaims, person: str, name: str, title: str | None,
              country: str | None, agency: str | None, quote: str, rule: str, confidence: float,
              s: Sentence | None = None, title_match: Match | None = None, name_end: int | None = None) -> None:
    """Note an office holder; their facts are written by `emit_officials` once the article is read."""
    if agency and agency in ctx.gazetteer.agencies and ctx.gazetteer.agencies[agency].kind == "ngo":
        return  # a campaign group's director holds no office of a state
    known = ctx.gazetteer.officials.get(person)
    if known:
        name = known.name
        country = country or known.country
        agency = agency or known.agency
    if agency and not country and agency in ctx.gazetteer.agencies:
        country = ctx.gazetteer.agencies[agency].country
    if country:
        ctx.person_countries.setdefault(person, Counter())[country] += 1
    judicial = removal_office = False
    if s is not None and title_match is not None:
        # a court word in or around the title, or the title itself a judge's: "Justice Hariprasad Phuyal"
        judicial = _office_of(s, title_match, "court", name) or any(
            x.form == "judicial_title" and (x.start, x.end) == (title_match.start, title_match.end) for x in s.lex)
        removal_office = _office_of(s, title_match, "removal_office", name)
    ctx.officials.append(PendingOfficial(
        person, name, title, country, agency, quote, rule, confidence,
        _sentence_state(ctx, s) if s is not None else None, judicial, removal_office,
        _other_side(s) if s is not None else None,
        _speech_subject(ctx, s, title_match, name_end) if s is not None and title_match and name_end else None))


# What may open a reported clause before its subject: "On 12 June, the", "that the", "In March, ".
_CLAUSE_LEAD = re.compile(r"\s*(?:(?:[A-Z][a-z]+|[Oo]n|[Ii]n|[Bb]y|[Ss]ince|[Ll]ast|[Tt]his)\b[^,;]{0,30},\s*)?"
                          r"(?:that\s+)?")
# What follows a subject: its verb or auxiliary ("Austria has asked", "Ghana agreed"), not a noun it
# modifies ("the Congo plan worked").
_PREDICATE = re.compile(r"(?:['’]s\s+government)?\s+(?:has|have|had|is|was|were|will|would|could|can|may|might|should|"
                        r"must|did|does|do|also|already|now|still|never|not|[a-z]+ed|[a-z]+s)\b")
_RELATIVE = re.compile(r",\s*(?:which|who)\b[^,;]{0,120},")
_TAG_AFTER = re.compile(r",\s*(?:[\w-]+\s+){0,5}\Z")


def _speech_subject(ctx: Context, s: Sentence, title: Match, name_end: int) -> str | None:
    """The state an office holder's reported words are about, as the subject of their clause: "Austria has
    asked Bosnia to host a centre, Interior Minister Ana Lind said"; "Justice Minister Sione Fifita said
    the kingdom will receive…"."""
    said = next((m for m in s.lex if m.form == "speech" and 0 <= m.start - name_end <= 25), None)
    if said is None:
        return None
    tag = _TAG_AFTER.search(s.text, 0, title.start - s.start)
    lo, hi = (s.start, s.start + tag.start()) if tag else (said.end, s.end)
    for g in s.groups:
        if lo <= g.start < hi:
            lead = _CLAUSE_LEAD.match(ctx.text, lo, g.start)
            relative = _RELATIVE.match(ctx.text, g.end)  # "Sierra Leone, which has a deal with Austria, has"
            if g.role == PLAIN and len(g.countries) == 1 and lead and re.fullmatch(
                    r"(?:[Tt]he\s+)?", ctx.text[lead.end():g.start]) and _PREDICATE.match(
                    ctx.text, relative.end() if relative else g.end):
                return g.countries[0]
            break
    opening = _CLAUSE_LEAD.match(ctx.text, lo, hi)
    ref = (HOST_REFERENCE.match(ctx.text, opening.end(), hi) or _OWN_STATE.match(ctx.text, opening.end(), hi)
           ) if opening else None  # "…, Minister X said", or "Minister X said her country would receive…"
    return _referred_state(ctx, s, ref.start(), ref.end()) if ref else None


_OWN_STATE = re.compile(r"(?:her|his|their|our)\s+(?:country|government|nation)\b", re.IGNORECASE)


_WORDS_BEFORE = re.compile(r"(?:[\w-]+\s+){1,2}\Z")
_COMPLEMENT = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?[^,;:()]{0,50}")


def _office_of(s: Sentence, title: Match, category: str, name: str) -> bool:
    """Do words of a lexicon category name the office: in the title, the words just before it, its
    complement or a bracket after the name ("Legal migration minister", "Minister of the Interior",
    "minister David Ek (asylum)", "president of the Supreme Court")?"""
    at, end = title.start - s.start, title.end - s.start
    before = _WORDS_BEFORE.search(s.text, max(0, at - 30), at)
    lo = s.start + (before.start() if before else at)
    complement = _COMPLEMENT.match(s.text, end)
    hi = s.start + (complement.end() if complement else end)
    spans = [(lo, hi)]
    named = s.text.find(name, end)
    if named >= 0:
        bracket = re.match(r"\s*\(([^)]{1,40})\)", s.text[named + len(name):])
        if bracket:
            spans.append((s.start + named + len(name), s.start + named + len(name) + bracket.end()))
    return any(m.form == category and a <= m.start and m.end <= b for m in s.lex for a, b in spans)


# "his Ugandan counterpart", "a deal with Uganda": the country on the other side of the office holder.
_COUNTERPART = re.compile(r"\b(?:his|her|their)\s+\Z")
_COUNTERPART_AFTER = re.compile(r"\s+(?:counterparts?|colleagues?|opposite numbers?)\b")


def _other_side(s: Sentence) -> str | None:
    sides = set()
    for g in s.groups:
        m = g.mentions[0]
        if g.role == PARTNER and _possessing_thing(s, g):
            continue  # "consistent with South Korea's obligations": no side facing anyone
        if g.role == PARTNER or (m.form.startswith("demonym") and _COUNTERPART.search(
                s.text, max(0, g.start - s.start - 8), g.start - s.start) and _COUNTERPART_AFTER.match(
                s.text, g.end - s.start)):
            sides.update(g.countries)
    return sides.pop() if len(sides) == 1 else None


def _possessing_thing(s: Sentence, g: Group) -> bool:
    """Is the group the owner of a thing ("South Korea's obligations"), not of its government or an office?"""
    owned = re.match(r"['’]s\s+", s.text[g.end - s.start:])
    return owned is not None and not any(
        m.form in ("title", "state_organ") and m.start == g.end + owned.end() for m in s.lex)


def _sentence_state(ctx: Context, s: Sentence) -> str | None:
    """The one country a sentence names or refers to ("…was not recognized by Germany", "their
    impoverished nation"), if it names exactly one. A reference that does the removing ("the government
    had deported") is the deporting state, not a host; so is a sentence whose only countries are where
    its removal sends people ("officials returned them to Turkey")."""
    named = {m.key for m in s.proper if m.kind == "country"}
    if ctx.deporter and any(m.form == "removal" for m in s.lex):
        sent_to = {c for g in s.groups if g.role == DEST for c in g.countries} - {ctx.deporter}
        if sent_to and named <= sent_to:  # "officials returned the four to Turkey": the removing state speaks
            named = {ctx.deporter}
    for ref in HOST_REFERENCE.finditer(s.text):
        state = _referred_state(ctx, s, s.start + ref.start(), s.start + ref.end())
        if state:
            named.add(state)
    return named.pop() if len(named) == 1 else None


def _referred_state(ctx: Context, s: Sentence, start: int, end: int) -> str | None:
    """The state "the country" or "the government" at these offsets stands for: the deporting state when
    the reference does the removing ("the government had deported"), else the country it refers back to,
    else, when it takes people in ("her country would receive"), the host read last."""
    def does(form: str) -> bool:
        return any(x.form == form and x.start >= end and _REFERENCE_VERB_GAP.fullmatch(ctx.text, end, x.start)
                   for x in s.lex)
    if does("removal"):
        return ctx.deporter
    found = antecedent(ctx, start, None)
    return found if found is not None or not does("acceptance") else ctx.last_host  # "would receive": the host


# Between a reference and the removal verb it is the subject of: "the government had (quietly) deported".
_REFERENCE_VERB_GAP = re.compile(r"(?:\s+(?:has|have|had|will|would|is|was|were|also|already|quietly|now)){0,3}\s+")
# "the country's Minister of Immigration", "the nation's interior minister": an office of a state referred to.
_PARAGRAPH = 600  # characters: about the paragraph before a reference
_REFERENCE_OWNER = re.compile(r"\b(?:the|this|that)\s+(?:country|nation|kingdom|republic|government)['’]s\s+"
                              r"(?:[\w-]+\s+){0,2}\Z", re.IGNORECASE)


def _reference_owner(s: Sentence, title: Match, ctx: Context) -> str | None:
    """The state whose office "the country's minister" names: the article's main state when it was named
    in the paragraph before, else the country named last."""
    at = title.start - s.start
    ref = _REFERENCE_OWNER.search(s.text, max(0, at - 60), at)
    if not ref:
        return None
    start = s.start + ref.start()
    recent = {m.key for m in ctx.country_mentions if start - _PARAGRAPH <= m.start < start}
    if ctx.main_state and ctx.main_state in recent:
        return ctx.main_state
    return antecedent(ctx, start, None)


def _non_government_complement(s: Sentence, title: Match) -> bool:
    """"director of Asia Human Rights and Labour Advocates": the office is in a campaign group."""
    rest = s.text[title.end - s.start:title.end - s.start + 80]
    of = re.match(r"\s+(?:of|for|at|with)\s+([^,;:.]{0,70})", rest)
    return bool(of and _NON_GOVERNMENT_WORD.search(of.group(1)))


def _inferred_country(o: PendingOfficial, ctx: Context) -> tuple[str, str, float] | None:
    """The country of an office holder whose own words give none, with the rule's suffix and the factor
    on its confidence: the one another sentence gives the same person, else (for a judge) the one state
    whose courts the article names, else the deporting state's, else the state their reported words are
    about, else the party facing the office holder they sign or meet with, or facing the counterpart
    their sentence names, else (for a removal office) the deporting state's, else the one country of
    their sentence, else the article's dateline or main state."""
    seen = ctx.person_countries.get(o.person)
    if seen:
        return min(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0], "person-context", 0.9
    if o.judicial and len(ctx.court_states) == 1:
        return next(iter(ctx.court_states)), "article-court", 0.7
    if o.judicial and ctx.deporter:  # courts rule on the removals of their own state
        return ctx.deporter, "deporters-court", 0.7
    if o.speech_subject:  # a spokesperson speaks for the state their words are about
        return o.speech_subject, "speech-subject", 0.6
    if (paired := _other_party(ctx, _paired_side(o, ctx.officials))) is not None:
        return paired, "paired-office-holder", 0.7
    if (other := _other_party(ctx, o.other_side)) is not None:
        return other, "other-party", 0.7
    if o.removal_office and ctx.deporter:  # an interior or migration ministry runs the removals
        return ctx.deporter, "deporters-office", 0.6
    if o.sentence_state:
        return o.sentence_state, "sentence-state", 0.7
    if ctx.dateline_state:  # "ACCRA, Ghana (AP) —": an office holder quoted there, with nothing else
        return ctx.dateline_state, "dateline-state", 0.5
    if ctx.main_state:
        return ctx.main_state, "article-state", 0.6
    return None


def emit_officials(ctx: Context, claims: ArticleClaims) -> None:
    """Write every office holder read, each with a country: the one their own words give, else the one
    the article's context gives (``_inferred_country``). A state whose offices never bear the title's
    words (``offices.jsonl``: the US has no ministers) gives way to the party facing it."""
    for o in ctx.officials:
        country, rule, confidence = o.country, o.rule, o.confidence
        if country is None and not _international(ctx, o.agency) and (found := _inferred_country(o, ctx)):
            country, suffix, factor = found
            rule, confidence = f"{rule}+{suffix}", confidence * factor
        if country is not None and o.country is None and o.title and _title_excludes(o.title, country):
            # "Foreign Minister X" in a US deal: the US has no ministers; the party facing it, else the
            # country the article names most after it
            country = _other_party(ctx, country) or _most_named(ctx, exclude=country)
            rule = f"{rule}+title-excludes"
        country = ctx.gazetteer.part_of.get(country, country) if country else None  # Christmas Island: Australia
        claims.node(NodeRef(Label.OFFICIAL, o.person))
        values = (("name", o.name), ("title", o.title), ("country_iso3", country), ("agency", o.agency))
        claims.add(Fact(Label.OFFICIAL, o.person, None, values, o.quote, _rule(rule), confidence))
        if o.agency and o.agency in ctx.gazetteer.agencies:
            _agency(ctx, claims, o.agency, o.quote)
            claims.add(Fact(EdgeType.HOLDS_OFFICE, o.person, o.agency, (("title", o.title),), o.quote, _rule(rule),
                            confidence))
        elif country:
            _country(ctx, claims, country)
            claims.add(Fact(EdgeType.HOLDS_OFFICE, o.person, country, (("title", o.title),), o.quote, _rule(rule),
                            confidence))


# Between two office holders who act as two sides: "by Foreign Minister A and Denmark's Minister B".
_PAIRED = re.compile(r"\s*(?:,\s*)?(?:and|with|met|meeting|alongside)\b[^.;:]{0,50}", re.IGNORECASE)


def _paired_side(o: PendingOfficial, officials: list[PendingOfficial]) -> str | None:
    """The country of the one office holder joined to ``o`` in its sentence whose own words give one."""
    at = o.quote.find(o.name)
    sides = set()
    for x in officials:
        if x is o or x.quote != o.quote or x.country is None or at < 0:
            continue
        other = o.quote.find(x.name)
        first, second = sorted(((at, o.name), (other, x.name)))
        if other >= 0 and _PAIRED.fullmatch(o.quote, first[0] + len(first[1]), second[0] - 1) is not None:
            sides.add(x.country)
    return sides.pop() if len(sides) == 1 else None


def _most_named(ctx: Context, exclude: str) -> str | None:
    counts = Counter(m.key for m in ctx.country_mentions if m.key != exclude)
    ranked = counts.most_common(2)
    return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None


def _other_party(ctx: Context, side: str | None) -> str | None:
    """The party facing ``side`` in the article's arrangement: the deporter facing a host, or the one
    host facing the deporter."""
    if side is None or ctx.deporter is None:
        return None
    if side == ctx.deporter:
        hosts = ctx.hosts - {side}
        return next(iter(hosts)) if len(hosts) == 1 else None
    return ctx.deporter


def _international(ctx: Context, agency: str | None) -> bool:
    """An office of a body no state owns (IOM, UNHCR, the EU Commission) has no country to fill in."""
    return agency is not None and agency in ctx.gazetteer.agencies and ctx.gazetteer.agencies[agency].country is None
