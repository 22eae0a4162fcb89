"""Rule-based extraction: an `Article` in, its `ArticleClaims` out.

A short pipeline of small stages, each testable alone:

1. `split_sentences` — sentence spans, one regex pass;
2. `Gazetteer.find_proper` / `find_lexical` — every mention in one Aho-Corasick pass each;
3. the relevance gate — articles with no word of removal or acceptance stop here;
4. `read_roles` — what each country mention is in its sentence (destination, origin of the
   deportees, deporting state, transit, place, partner);
5. `read_sentence` — accepts/agreement, payment, funding and official facts, each with a status.

Extraction is a pure function of the article text and the pattern files: the same article
always gives the same claims, in the same order.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from deportgraph.vocabulary import EdgeType, Label, Status, best_status

from .article import Article
from .claims import ArticleClaims, Fact, NodeRef
from .dates import MONTHS
from .gazetteer import Gazetteer, Match, load_gazetteer
from .numbers import find_counts, find_money

__all__ = ["RULES_VERSION", "agreement_id", "extract", "official_id", "split_sentences"]

RULES_VERSION = "1"
# Texts longer than this must contain a word of deportation or migration news to be read at all
# (shorter ones are cheap to read whole, and a lone sentence may state a removal in plain words).
GATE_MIN_CHARS = 1500

# Roles a group of country mentions can play in its sentence.
DEST, FROM, NATIONALITY, TRANSIT, LOCATION, PLAIN, PARTNER, MODIFIER, ADJECTIVE = (
    "dest", "from", "nationality", "transit", "location", "plain", "partner", "modifier", "adjective",
)
_ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt",
    "col", "no", "inc", "co", "corp", "vs", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov",
    "dec", "prof", "adm", "sgt", "capt", "u.s.a", "d.c", "ft", "mt",
}
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*")
_PREP = re.compile(
    r"\b(back to|to|into|towards?|bound for|headed for|headed to|destined for|reach(?:ed|ing|es)?|"
    r"land(?:ed|ing|s)? in|arriv(?:ed|ing|es|e|als?) in|touched down in|(?:housed|accommodated|resettled) in|"
    r"from|via|through|by way of|"
    r"stopover in|in|at|on|with|between|of|against|by|like|such as|including|and)\b"
)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*|as well as\s+)\s*")
_PARTICLES = ("de", "da", "del", "der", "den", "du", "la", "le", "van", "von", "bin", "dos", "das", "di", "y")
_NAME_TOKEN = re.compile(r"(?:[A-Z][\w'’.-]*|" + "|".join(_PARTICLES) + r"|al-\w+|el-\w+)")
_NOT_NAMES = {
    "The", "A", "An", "On", "In", "At", "And", "But", "Said", "He", "She", "It", "They", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December", "Office", "Administration",
    "Department", "Ministry", "House", "Court", "Government", "Trump's", "Biden's", "Of", "For", "To",
    "Assembly", "Council", "Committee", "Commission", "Party", "Force", "Army", "Navy", "Staff", "Services",
    "Agency", "Union", "Nations", "Parliament", "Congress", "Senate", "Cabinet", "Bureau", "Authority",
}
_COREFERENCE = re.compile(
    r"\bthe (?:country|nation|government|kingdom|republic|(?:[A-Z][a-z]+ )?(?:American|African|Asian|"
    r"European|Caribbean|Balkan|Gulf) (?:nation|country|state))\b"
)
# "<removal word> from/by X" names the deporting state.
_REMOVED_FROM = (r"\b(removed|deported|expelled|departing|departed|flown out|flown|sent|returned|repatriated|"
                 r"transferred|deportees|deportations?|removals?|returns?|flights?|returnees) (from|by)")
# "returns of sub-Saharan migrants from X": X is the deporting state.
_REMOVALS_OF_FROM = (r"\b(deportations?|returns?|removals?|transfers?|expulsions?|repatriations?|flights?)\s+of\s+"
                     r"(?:[\w-]+\s+){0,4}from\s+(the\s+)?$")
# "accept/receive <up to four words> from X": X is the deporting state.
_ACCEPTED_FROM = (r"\b(receiv\w*|accept\w*|tak\w+ (in|back)|took (in|back)|welcom\w*|host\w*|admit\w*)\s+"
                  r"(?:[\w-]+\s+){0,4}from\s+(the\s+)?$")
# Between a subject and its verb: "Washington asked", "the U.S. is quietly paying".
_SUBJECT_GAP = r"(?:['’]s)?\s+(?:(?:government|administration|officials|has|have|had|is|was|will|would|also|quietly|"\
               r"reportedly|already|then|later)\s+)*"
_STATUS_PRECEDENCE = [
    Status.BLOCKED, Status.REFUSED, Status.ENDED, Status.IMPLEMENTED, Status.AGREED, Status.NEGOTIATING,
    Status.REQUESTED,
]
_ENFORCING_KINDS = {"ministry", "agency", "police", "military", "head_of_state_office"}


def agreement_id(party_a: str, party_b: str) -> str:
    """The id of the removals agreement between two countries, whatever order they come in.

    >>> agreement_id("UZB", "USA")
    'agr-USA-UZB'
    """
    a, b = sorted((party_a, party_b))
    return f"agr-{a}-{b}"


def official_id(name: str) -> str:
    """A person's id: the slug of their name.

    >>> official_id("Shavkat Mirziyoyev")
    'shavkat-mirziyoyev'
    >>> official_id("José Raúl Mulino")
    'jose-raul-mulino'
    """
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text: ends at ``.!?`` before a capital, and at line breaks.

    >>> t = "The U.S. deported 131 people. Uzbekistan paid.\\nA new line"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['The U.S. deported 131 people.', 'Uzbekistan paid.', 'A new line']
    """
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] == ".":
            word = re.search(r"([\w.]+)$", text[start:m.start()])
            token = word.group(1).lower().rstrip(".") if word else ""
            if (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())) and "\n" not in m.group(0):
                continue
        end = m.start() + len(m.group(0).rstrip())
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(slots=True)
class Group:
    """Country mentions that form one list ("Uzbekistan, Kazakhstan, and Kyrgyzstan")."""

    mentions: list[Match]
    role: str = PLAIN

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[-1].end

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys(m.key for m in self.mentions))


@dataclass(slots=True)
class Sentence:
    """One sentence with its mentions, offsets relative to the article."""

    start: int
    end: int
    text: str
    proper: list[Match]
    lex: list[Match]
    groups: list[Group] = field(default_factory=list)

    def lex_of(self, *categories: str) -> list[Match]:
        return [m for m in self.lex if m.form in categories]


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
    named_officials: set[str] = field(default_factory=set)  # listed officials named in full or with a title


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
    proper = _clean_proper(text, list(gaz.find_proper(text)), lex)
    if not any(m.kind == "country" for m in proper):
        return claims
    claims.relevant = True
    sentences = _sentences(text, proper, lex)
    for s in sentences:
        s.groups = _groups(s)
    ctx = Context(
        text=text,
        gazetteer=gaz,
        deporter=None,
        third_country_lead=any(m.form == "third_country" for s in sentences[:4] for m in s.lex)
        or any(m.form == "third_country" for m in gaz.find_lexical((article.title or "").lower())),
        country_mentions=[m for m in proper if m.kind == "country" and m.form in ("name", "capital")],
        full_names=_full_names(sentences, gaz),
        published=article.published,
        named_officials=_named_officials(text, proper, lex),
    )
    every_sentence = sentences
    sentences = [s for s in sentences if s.proper or any(m.form == "title" for m in s.lex)]
    for s in sentences:
        read_roles(s, ctx)
    ctx.deporter = _default_deporter(sentences, gaz)
    for s in sentences:
        if s.groups:
            read_roles(s, ctx)
        read_sentence(s, ctx, claims)
    _read_nationalities_in_context(every_sentence, ctx, claims)
    _read_home_country_refusals(every_sentence, ctx, claims)
    _read_third_country_in_context(sentences, ctx, claims)
    return claims


def is_relevant(lex: list[Match]) -> bool:
    """The relevance gate: words of removal or acceptance, or of money next to people on the move."""
    forms = {m.form for m in lex}
    return bool(forms & {"removal", "acceptance"}) or bool(forms & {"payment", "funding"} and "people" in forms)


def _clean_proper(text: str, proper: list[Match], lex: list[Match]) -> list[Match]:
    """Drop the proper-noun hits that are not what they seem.

    A capital or an ambiguous name next to another capitalized word names something else
    ("Washington Post", "Georgia State", "Michael Jordan"); titles do not count ("Uzbek President").
    """
    titles = {m.start for m in lex if m.form == "title"}
    out = []
    for m in proper:
        if m.kind == "country" and (m.form == "capital" or m.ambiguous):
            nxt = re.match(r"[ \t]+([A-Z][a-z]+)", text[m.end:m.end + 30])
            if nxt and m.end + nxt.start(1) not in titles and nxt.group(1) not in ("And", "Or"):
                continue
            prev = re.search(r"([A-Z][a-z]+)[ \t]+$", text[max(0, m.start - 30):m.start])
            if m.ambiguous and prev and not re.search(r"[.!?\n]\s*$", text[max(0, m.start - 40):m.start - len(
                    prev.group(0))]) and prev.group(1) not in ("The", "In", "To", "From", "With", "And"):
                continue
        out.append(m)
    return out


def _sentences(text: str, proper: list[Match], lex: list[Match]) -> list[Sentence]:
    spans = split_sentences(text)
    starts = [a for a, _ in spans]
    buckets_p: list[list[Match]] = [[] for _ in spans]
    buckets_l: list[list[Match]] = [[] for _ in spans]
    for bucket, matches in ((buckets_p, proper), (buckets_l, lex)):
        for m in matches:
            i = bisect.bisect_right(starts, m.start) - 1
            if i >= 0 and m.end <= spans[i][1]:
                bucket[i].append(m)
    return [Sentence(a, b, text[a:b], buckets_p[i], buckets_l[i]) for i, (a, b) in enumerate(spans)]


def _groups(s: Sentence) -> list[Group]:
    groups: list[Group] = []
    text = s.text
    for m in (m for m in s.proper if m.kind == "country"):
        if groups:
            prev = groups[-1]
            gap = text[prev.end - s.start:m.start - s.start]
            same_form = (prev.mentions[-1].form.startswith("demonym")) == m.form.startswith("demonym")
            if same_form and _LIST_GAP.fullmatch(gap):
                prev.mentions.append(m)
                continue
        groups.append(Group([m]))
    return groups


def _default_deporter(sentences: list[Sentence], gaz: Gazetteer) -> str | None:
    """The state doing the removing in this article, from its least ambiguous mentions.

    "removed from X" / "deported by X" weigh most, X as the subject of a removal verb less,
    and an enforcement agency of X least. Needs the sentences' roles read once.
    """
    votes: Counter[str] = Counter()
    weak: Counter[str] = Counter()
    first: dict[str, int] = {}
    destinations: set[str] = set()
    for i, s in enumerate(sentences):
        removals = [m for m in s.lex if m.form == "removal"]
        if not removals:
            continue
        lead = 1.5 if i < 3 else 1.0  # the headline and lead say what the article is about
        for g in s.groups:
            if g.role == FROM:
                for c in g.countries:
                    votes[c] += 4 * lead
                    first.setdefault(c, i)
            elif g.role in (PLAIN, ADJECTIVE) and _remover(s, g, removals):
                votes[g.countries[0]] += 2 * lead
                first.setdefault(g.countries[0], i)
        for m in s.proper:
            if m.kind == "agency":
                agency = gaz.agencies[m.key]
                if agency.country and agency.kind in _ENFORCING_KINDS:
                    votes[agency.country] += 1
            elif m.kind == "official" and gaz.officials[m.key].country:
                weak[gaz.officials[m.key].country] += 1
        for g in s.groups:
            if g.role == MODIFIER:
                weak[g.countries[0]] += 1
            elif g.role == DEST:
                destinations.update(g.countries)
    if not votes:
        # Only office holders to go by: the government whose officials speak, but not a destination.
        votes = Counter({c: n for c, n in weak.items() if c not in destinations}) or weak
    if not votes:
        return None
    return min(votes.items(), key=lambda kv: (-kv[1], first.get(kv[0], len(sentences)), kv[0]))[0]


# Between the subject and its removal verb: "The United States has deported", "Washington quietly flew".
_REMOVER_GAP = re.compile(r"(?:['’]s)?(?:\s+(?!to\b)[\w-]+){0,4}\s+", re.IGNORECASE)
_REMOVAL_NOUN = re.compile(r"(?:ions?|flights?|als|al|returns|transfers)$", re.IGNORECASE)
# A country or demonym right before a removal noun: "a U.S. deportation flight", "German deportation".
_MODIFIER_GAP = re.compile(r"(?:['’]s)?[\s-]*(?:(?:military|charter(?:ed)?|government|federal)[\s-]+)?")


def _remover(s: Sentence, g: Group, removals: list[Match]) -> bool:
    """Is this country group the subject of a removal verb, or the modifier of a removal noun?"""
    text = s.text
    for r in removals:
        gap = text[g.end - s.start:r.start - s.start]
        if r.start < g.end or len(gap) > 50 or _between_country(s, g.end, r.start):
            continue
        noun = _REMOVAL_NOUN.search(text[r.start - s.start:r.end - s.start]) is not None
        if noun and _MODIFIER_GAP.fullmatch(gap):
            return True
        if g.role != ADJECTIVE and _REMOVER_GAP.fullmatch(gap) and "," not in gap \
                and not gap.rstrip().lower().endswith(" to"):
            return True
    return False


def _between_country(s: Sentence, a: int, b: int, skip: str | None = None) -> bool:
    """Is a country group (other than one in the role ``skip``) between offsets a and b?"""
    return any(a <= g.start < b and g.role != skip for g in s.groups)


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


def read_roles(s: Sentence, ctx: Context) -> None:
    """Give each country group of a sentence its role, from the words around it."""
    text = s.text
    people = [m for m in s.lex if m.form == "people"]
    titles = [m for m in s.lex if m.form == "title"]
    prev_end = s.start
    for g in s.groups:
        after = text[g.end - s.start:g.end - s.start + 30]
        if g.mentions[0].form.startswith("demonym"):
            if re.search(r"\bby\s+(?:(?:an?|the)\s+)?$", text[max(0, g.start - s.start - 10):g.start - s.start]) and \
                    re.match(r"\s+(?:navy|coast guard|military|border force|border guards?|police|authorities)\b",
                             after, re.IGNORECASE):
                g.role = FROM  # "moved to Albania by an Italian navy ship"
            elif any(0 <= t.start - g.end <= 2 for t in titles):
                g.role = MODIFIER
            elif any(0 <= p.start - g.end <= 25 and not re.search(r"[,.;]", text[g.end - s.start:p.start - s.start])
                     for p in people) or g.mentions[-1].form == "demonym_plural" or (
                    re.search(r"\b(?:a|an|one|another)\s+$", text[max(0, g.start - s.start - 9):g.start - s.start])
                    and re.match(r"\s*(?:[,.;:)]|and\b|or\b|$)", after)):
                g.role = NATIONALITY  # "Venezuelan men", "Cubans", "a Jamaican, a Laotian and a Yemeni"
            else:
                g.role = ADJECTIVE
            prev_end = g.end
            continue
        if re.match(r"\s+(nationals|citizens)\b", after):
            g.role = NATIONALITY
        elif any(0 <= t.start - g.end <= 1 for t in titles):
            g.role = MODIFIER
        else:
            g.role = _role_from_preposition(text[max(prev_end, g.start - 60) - s.start:g.start - s.start], g, ctx,
                                            text[:g.start - s.start].lower())
        prev_end = g.end
    for a, b in zip(s.groups, s.groups[1:], strict=False):
        if a.role == DEST and b.role == DEST and re.search(
                r"\b(before|then|en route|on (the|its) way|onward|continuing|on to|transferred to|connecting|"
                r"switched to|change planes)\b", text[a.end - s.start:b.start - s.start]):
            a.role = TRANSIT
        if a.role == NATIONALITY and b.role == DEST and len(a.countries) == 1 and re.fullmatch(
                r"\s*(back\s+)?to\s+(the\s+)?", text[a.end - s.start:b.start - s.start]) and re.search(
                r"\bfrom\s+(the\s+)?$", text[max(0, a.start - s.start - 12):a.start - s.start]):
            a.role = FROM


def _role_from_preposition(window: str, g: Group, ctx: Context, prefix: str) -> str:
    lowered = window.lower()
    matches = [m for m in _PREP.finditer(lowered) if m.group(1) not in ("like", "such as", "including", "and")]
    if not matches:
        return PLAIN
    m = matches[-1]
    prep = m.group(1)
    words_between = len(lowered[m.end():].split())
    if words_between > 4 or (words_between > 2 and prep in ("in", "at", "on", "with", "between", "of", "against")):
        return PLAIN
    if prep.startswith(("back to", "to", "into", "toward", "bound", "headed", "destined", "reach", "land", "arriv",
                        "touched", "housed", "accommodated", "resettled")):
        return DEST
    if prep in ("via", "through", "by way of", "stopover in"):
        return TRANSIT
    if prep == "from":
        before = lowered[:m.start()].rstrip()
        between = lowered[m.end():]
        if re.search(r"\bnot\s+(?:originally\s+)?$", before + " "):
            return PLAIN  # "who are not originally from Kosovo"
        if re.search(r"\b(presidents?|leaders?|ministers?|officials?|delegations?|envoys?|diplomats?)\W*$", before):
            return MODIFIER  # "five West African presidents — from Senegal, …"
        if re.search(r"\b(near|around|bordering|neighbou?ring|outside|other than|such as)\b", between) and \
                "countr" in between and "such as" not in between:
            return PLAIN  # "people from countries near Uganda"
        if "countr" in between or len(g.countries) > 1:
            return NATIONALITY if g.countries != [ctx.deporter] else FROM
        if re.search(_REMOVED_FROM + r"$", lowered[:m.end()]) or re.search(_ACCEPTED_FROM, prefix) or \
                re.search(_REMOVALS_OF_FROM, prefix):
            return FROM
        person = re.search(
            r"(nationals|citizens|immigrants|migrants|aliens|detainees|people|individuals|men|women|"
            r"foreigners|who are|who were|are|were|originally|hailing|coming|come|came|comes|born|them|those|"
            r"mainly|mostly|largely|primarily|asylum seekers|\d+|one|two|three|four|five|six|seven|eight|nine|ten)$",
            before)
        if person and g.countries != [ctx.deporter]:
            return NATIONALITY
        return FROM
    if prep == "by":
        if re.search(r"\b(received|accepted|admitted|hosted|housed|taken in|welcomed)\s+$", lowered[:m.start()]):
            return DEST  # "the 14 deportees received by Ghana"
        if re.search(r"\b(deported|removed|expelled|sent|flown|returned|repatriated|transferred|ordered out)\b",
                     prefix):
            return FROM
        return PLAIN
    if prep == "of" and re.search(r"\b(citizens|nationals|natives)\s+$", lowered[:m.start()]):
        return PLAIN if re.search(r"\bnot\s+(\w+\s+)?(citizens|nationals|natives)\s+$", lowered[:m.start()]) \
            else NATIONALITY
    if prep in ("in", "at", "on"):
        if len(matches) >= 2 and matches[-2].group(1) in ("to", "into") and re.search(r"\b(prisons?|jails?|camps?|"
                                                                                       r"centers?|centres?|facilit)",
                                                                                       lowered[matches[-2].end():]):
            return DEST
        return LOCATION
    if prep in ("with", "between", "against"):
        return PARTNER
    if prep == "of" and len(matches) >= 2 and matches[-2].group(1) in ("with", "between"):
        return PARTNER
    return PLAIN


def read_sentence(s: Sentence, ctx: Context, claims: ArticleClaims) -> None:
    """All the facts one sentence states."""
    quote = " ".join(s.text.split())
    categories = {m.form for m in s.lex}
    if "title" in categories or any(m.kind == "official" for m in s.proper):
        _read_officials(s, ctx, claims, quote)
    if s.groups and ("removal" in categories or "acceptance" in categories):
        _read_accepts(s, ctx, claims, quote)
    if "payment" in categories:
        _read_payment(s, ctx, claims, quote)
    if "funding" in categories:
        _read_funding(s, ctx, claims, quote)


def _country(ctx: Context, claims: ArticleClaims, iso3: str) -> str:
    c = ctx.gazetteer.countries[iso3]
    return claims.node(NodeRef(Label.COUNTRY, iso3, (
        ("iso3", c.iso3), ("iso2", c.iso2), ("name", c.name), ("aliases", c.aliases))))


def _agency(ctx: Context, claims: ArticleClaims, agency_id: str, quote: str) -> str:
    a = ctx.gazetteer.agencies[agency_id]
    props: tuple[tuple[str, Any], ...] = (
        ("name", a.name), ("acronym", a.acronym), ("country_iso3", a.country), ("kind", a.kind))
    claims.node(NodeRef(Label.AGENCY, a.id, props))
    if a.country:
        _country(ctx, claims, a.country)
        claims.add(Fact(EdgeType.PART_OF, a.id, a.country, (), quote, _rule("gazetteer/agency-country"), 0.95))
    return a.id


def _rule(name: str) -> str:
    return f"{name}@{RULES_VERSION}"


def _statuses_by_group(s: Sentence, hosts: list[Group], lex_status: dict[str, str]) -> dict[int, str | None]:
    """Each host group's status: from the status words nearest to it."""
    cues: list[tuple[Match, str]] = []
    negations = [m for m in s.lex if m.form == "negation"]
    for m in s.lex:
        status = lex_status.get(m.key)
        if status is None or _adjectival(s, m):
            continue
        if status in (Status.AGREED, Status.IMPLEMENTED) and any(0 <= m.start - n.end <= 12 for n in negations):
            status = Status.REFUSED
        cues.append((m, status))
    found: dict[int, list[str]] = {id(g): [] for g in hosts}
    for m, status in cues:
        nearest = min(hosts, key=lambda g: _distance(g, m))
        found[id(nearest)].append(status)
    out: dict[int, str | None] = {}
    for g in hosts:
        statuses = found[id(g)]
        out[id(g)] = next((st for st in _STATUS_PRECEDENCE if st in statuses), None)
    return out


def _adjectival(s: Sentence, m: Match) -> bool:
    """A past participle describing people ("people deported from the U.S.") reports no new removal."""
    if m.form not in ("removal", "acceptance"):
        return False
    before = s.text[max(0, m.start - s.start - 30):m.start - s.start]
    return bool(re.search(r"\b(people|migrants|immigrants|nationals|deportees|men|women|individuals|persons|"
                          r"foreigners|asylum seekers|those|others|citizens|aliens)"
                          r"\s+(?:who\s+(?:were|are|had been)\s+)?$", before, re.IGNORECASE))


def _distance(g: Group, m: Match) -> int:
    if m.end <= g.start:
        return g.start - m.end
    if m.start >= g.end:
        return m.start - g.end
    return 0


def _read_accepts(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    if s.text.rstrip("”\"’' )").endswith("?") or _CRITICS_DEMAND.search(s.text):
        return  # a question, or critics demanding something, states no arrangement
    gaz = ctx.gazetteer
    lex_status = gaz.lex_status
    removals = s.lex_of("removal")
    acceptances = s.lex_of("acceptance")
    deporter = _sentence_deporter(s, ctx, removals)
    hosts: list[tuple[Group, str, float]] = []
    status_cues = [m for m in s.lex if m.form in ("status", "payment")]
    triggers = removals + acceptances
    for g in s.groups:
        if g.role == DEST:
            if any(0 <= g.start - t.end <= 200 for t in triggers):
                hosts.append((g, "accepts/destination", 0.85))
        elif g.role in (PLAIN, PARTNER):
            if g.countries == [deporter]:
                continue
            if any(0 <= a.start - g.end <= 90 and not _between_country(s, g.end, a.start, skip=PARTNER)
                   for a in acceptances):
                hosts.append((g, "accepts/subject", 0.75))
            elif any(_distance(g, c) <= 80 for c in status_cues):
                hosts.append((g, "accepts/partner", 0.6))
    if not hosts and acceptances:
        # "Colombian President Gustavo Petro balked at receiving …": an office holder speaks for the host
        for g in s.groups:
            if g.role == MODIFIER and g.countries[0] != deporter and any(
                    0 <= a.start - g.end <= 80 and not _between_country(s, g.end, a.start) for a in acceptances):
                hosts.append((g, "accepts/official-subject", 0.6))
                break
    if not hosts and acceptances:
        plural = re.search(r"\b(?:the|these|those)\s+(?:countries|nations|governments)\b", s.text)
        groups = [g for g in s.groups if len(g.countries) > 1 and g.role in (PLAIN, PARTNER, MODIFIER)
                  and plural and g.end - s.start <= plural.start()]
        if groups and any(a.start - s.start > plural.start() for a in acceptances):
            hosts.append((groups[-1], "accepts/plural-reference", 0.5))
    if not any(g.role == DEST for g, _, _ in hosts):
        for m in _REFERRING_DESTINATION.finditer(s.text):
            at = s.start + m.start()
            if not any(0 <= at - t.end <= 60 for t in triggers):
                continue
            earlier = [c for c in ctx.country_mentions if c.end <= at and c.key not in (deporter, ctx.deporter)]
            if earlier:
                ref = Group([earlier[-1]], DEST)
                hosts.append((ref, "accepts/destination-reference", 0.6))
                break
    for a, b in _deal_pairs(s):
        # "the UK-Rwanda deal": the first names the deporting state, the second the host
        if deporter in (None, b.countries[0]) or not any(h is b for h, _, _ in hosts):
            deporter = a.countries[0]
        if not any(h is b for h, _, _ in hosts):
            hosts.append((b, "accepts/pair-deal", 0.6))
    for r in removals:
        if re.match(r"\s+there\b", ctx.text[r.end:r.end + 8]) and not any(g.role == DEST for g in s.groups):
            earlier = [g for g in s.groups if g.end <= r.start and g.role in (PLAIN, PARTNER)
                       and g.countries != [deporter]]
            if earlier and all(h is not earlier[-1] for h, _, _ in hosts):
                hosts.append((earlier[-1], "accepts/there", 0.6))
    if not hosts or deporter is None:
        return
    statuses = _statuses_by_group(s, [g for g, _, _ in hosts], lex_status)
    nationalities = sorted({c for g in s.groups if g.role == NATIONALITY for c in g.countries} - {deporter})
    third_spans = [(m.start, m.end) for m in s.lex_of("third_country")]
    # "back to their home countries" names the host; "permission from their home countries" does not
    own = any(not any(a <= o.start < b for a, b in third_spans)
              and not re.search(r"\b(not|from|by)\s+$", ctx.text[max(0, o.start - 6):o.start])
              for o in s.lex_of("own_nationals"))
    not_demonym = any(g.role == ADJECTIVE and re.search(r"\b(not|none of them|non)[\s-]+(\w+\s+)?$",
                                                     ctx.text[max(0, g.start - 20):g.start]) for g in s.groups)
    third_cue = bool(s.lex_of("third_country")) or not_demonym or ctx.third_country_lead
    # people who sought asylum in the deporting state and are sent on to another are not its nationals
    asylum_seekers = bool(re.search(r"\basylum[- ](?:seekers?|claims?|applications?|applicants?)\b|\brefugees\b|"
                                    r"\b(?:claim|seek|seeking|sought) asylum\b", s.text, re.IGNORECASE)) and not own
    host_countries = [c for g, _, _ in hosts for c in g.countries if c != deporter]
    counts = []
    if len(host_countries) == 1:
        people = [m.start - s.start for m in s.lex if m.form == "people"]
        people += [g.start - s.start for g in s.groups if g.role == NATIONALITY]
        counts = find_counts(s.text, sorted(people))
    default_status = Status.IMPLEMENTED if any(
        lex_status.get(m.key) == Status.IMPLEMENTED and not _adjectival(s, m) for m in removals + acceptances) \
        else Status.REQUESTED
    transit = [c for g in s.groups if g.role == TRANSIT for c in g.countries]
    courts = [m.key for m in s.proper if m.kind == "agency" and gaz.agencies[m.key].kind == "court"]
    negotiators = _officials_in(s, ctx)
    hypothetical = any(_HYPOTHETICAL.search(ctx.text[max(s.start, t.start - 40):t.start]) for t in triggers)
    dates = _event_dates(s.text, ctx.published)
    for g, rule, confidence in hosts:
        status = statuses[id(g)] or default_status
        if hypothetical and status in (Status.AGREED, Status.IMPLEMENTED) and not any(
                lex_status.get(m.key) == Status.IMPLEMENTED for m in s.lex if m.form in ("removal", "acceptance")):
            status, confidence = Status.REQUESTED, confidence * 0.7
        for host in g.countries:
            if host == deporter or (host == ctx.deporter and g.role != DEST) or _part_of(ctx, host, deporter):
                continue
            nats = nationalities or ([host] if own else [])
            third = any(n != host for n in nats) if nats else (third_cue or asylum_seekers)
            values: list[tuple[str, Any]] = [
                ("nationalities", tuple(nats)), ("status", status), ("third_country", third), ("dates", dates)]
            if counts:
                c = counts[0]
                values += [("count", c.value), ("count_text", c.text), ("count_hedge", c.hedge)]
            _country(ctx, claims, host)
            _country(ctx, claims, deporter)
            ctx.last_host = host
            trigger = (removals + acceptances)[0].key
            extractor = _rule(f"{rule}:{trigger}")
            claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, deporter, tuple(values), quote, extractor,
                            confidence))
            agreement = _agreement(ctx, claims, host, deporter, status, third, quote, extractor, confidence, dates)
            for t in transit:
                if t not in (host, deporter):
                    _country(ctx, claims, t)
                    claims.add(Fact(EdgeType.TRANSIT_VIA, agreement, t, (), quote, _rule("transit/via"), 0.8))
            if status == Status.BLOCKED:
                for court in courts:
                    _agency(ctx, claims, court, quote)
                    claims.add(Fact(EdgeType.BLOCKED_BY, agreement, court, (), quote, _rule("blocked/court"), 0.8))
            if status in (Status.AGREED, Status.NEGOTIATING, Status.IMPLEMENTED):
                for person, country in negotiators:
                    if country in (None, host, deporter) and any(
                            m.form == "status" and lex_status.get(m.key) in (Status.AGREED, Status.NEGOTIATING)
                            for m in s.lex):
                        claims.add(Fact(EdgeType.NEGOTIATED, person, agreement, (), quote,
                                        _rule("negotiated/official"), 0.6))


def _read_third_country_in_context(sentences: list[Sentence], ctx: Context, claims: ArticleClaims) -> None:
    """A host is a third country when any sentence naming it says the deportees are not its own
    ("Kosovo … who are not Kosovar citizens"), unless their nationalities say otherwise."""
    accepts = [f for f in claims.facts if f.type == EdgeType.ACCEPTS_DEPORTEES_FROM]
    by_pair: dict[tuple[str, str], list[Fact]] = {}
    for f in accepts:
        by_pair.setdefault((f.subject, f.object or ""), []).append(f)
    for (host, deporter), facts in by_pair.items():
        values = [dict(f.values) for f in facts]
        if any(v.get("third_country") or v.get("nationalities") for v in values):
            continue
        for s in sentences:
            if any(host in g.countries for g in s.groups) and s.lex_of("third_country"):
                status = best_status([v["status"] for v in values]) or Status.REQUESTED
                claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, deporter, (
                    ("nationalities", ()), ("status", status), ("third_country", True)),
                    " ".join(s.text.split()), _rule("accepts/third-country-in-context"), 0.5))
                _agreement(ctx, claims, host, deporter, status, True, " ".join(s.text.split()),
                           _rule("accepts/third-country-in-context"), 0.5)
                break


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
        nats = sorted({c for g in s.groups if g.role == NATIONALITY for c in g.countries} - {deporter})
        if not nats:
            continue
        status = best_status([dict(f.values)["status"] for f in accepts if (f.subject, f.object) == (host, deporter)])
        third = any(n != host for n in nats)
        extractor = _rule("accepts/nationalities-in-context")
        claims.add(Fact(EdgeType.ACCEPTS_DEPORTEES_FROM, host, deporter, (
            ("nationalities", tuple(nats)), ("status", status), ("third_country", third)), quote, extractor, 0.5))
        _agreement(ctx, claims, host, deporter, status or Status.REQUESTED, third, quote, extractor, 0.5)


_DEAL_WORDS = re.compile(r"\s+(?:\w+\s+)?(deal|agreement|pact|accord|partnership|scheme|plan|arrangement|"
                         r"memorandum|policy|programme|program)\b", re.IGNORECASE)


# "sent to the East African country", "flown back to the kingdom": a destination named by reference.
_REFERRING_DESTINATION = re.compile(
    r"\b(?:back\s+)?to\s+(?:the|that|this)\s+(?:[A-Z][\w-]*\s+){0,3}(?:country|nation|kingdom|republic|island|state)\b")
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|" \
         r"Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DATE = re.compile(rf"\b(?:{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?|(\d{{1,2}})\s+{_MONTH}"
                   rf"(?:\s+(\d{{4}}))?|(?:in|since|by|until)\s+{_MONTH}(?:\s+(\d{{4}}))?)\b")


def _event_dates(sentence: str, published: str | None) -> tuple[str, ...]:
    """Dates a sentence gives for what it reports ("on April 30", "in March 2025"), as ISO strings.

    A date without a year takes the publication's year, or the year before if that would put it
    after the publication.

    >>> _event_dates("The flight landed on April 30 and a deal was signed in March 2025.", "2025-05-02")
    ('2025-03', '2025-04-30')
    """
    out = set()
    pub_year = int(published[:4]) if published else None
    for m in _DATE.finditer(sentence):
        mon1, day1, year1, day2, mon2, year2, mon3, year3 = m.groups()
        month_name, day, year = (mon1, day1, year1) if mon1 else (mon2, day2, year2) if mon2 else (mon3, None, year3)
        month = MONTHS.get(month_name.lower().rstrip("."))
        if not month:
            continue
        y = int(year) if year else pub_year
        if y is None:
            continue
        if not year and published and f"{y:04d}-{month:02d}" > published[:7]:
            y -= 1
        try:
            iso = date(y, month, int(day)).isoformat() if day else f"{y:04d}-{month:02d}"
        except ValueError:
            continue
        out.add(iso)
    return tuple(sorted(out))


def _deal_pairs(s: Sentence) -> list[tuple[Group, Group]]:
    """Two countries joined by a dash before a word for a deal: "the UK-Rwanda deal"."""
    out = []
    for a, b in zip(s.groups, s.groups[1:], strict=False):
        if len(a.countries) == 1 and len(b.countries) == 1 and a.countries != b.countries \
                and s.text[a.end - s.start:b.start - s.start] in ("-", "–", "—", "/") \
                and _DEAL_WORDS.match(s.text, b.end - s.start):
            out.append((a, b))
    return out


def _part_of(ctx: Context, territory: str, country: str) -> bool:
    """A territory of the deporting state is not a host ("Christmas Island" for Australia)."""
    return ctx.gazetteer.part_of.get(territory) == country


def _agreement(ctx: Context, claims: ArticleClaims, host: str, deporter: str, status: str, third: bool,
               quote: str, extractor: str, confidence: float, dates: tuple[str, ...] = ()) -> str:
    agreement = claims.node(NodeRef(Label.AGREEMENT, agreement_id(host, deporter)))
    values = (("parties", tuple(sorted((host, deporter)))), ("status", status), ("third_country", third),
              ("host", host), ("deporter", deporter), ("dates", dates))
    claims.add(Fact(Label.AGREEMENT, agreement, None, values, quote, extractor, confidence))
    return agreement  # the store derives each party's PARTY_TO edge from this fact


def _sentence_deporter(s: Sentence, ctx: Context, removals: list[Match]) -> str | None:
    for g in s.groups:
        if g.role == FROM:
            return g.countries[0]
    for g in s.groups:
        if g.role in (PLAIN, ADJECTIVE) and _remover(s, g, removals):
            return g.countries[0]
    acceptances = s.lex_of("acceptance")
    subjects = [g for g in s.groups if g.role == PLAIN and any(
        0 <= a.start - g.end <= 90 and not _between_country(s, g.end, a.start, skip=PARTNER) for a in acceptances)]
    partners = [g for g in s.groups if g.role == PARTNER and g not in subjects and len(g.countries) == 1]
    if subjects and partners and partners[0].start > subjects[0].end and any(
            a.start > partners[0].end for a in acceptances):
        return partners[0].countries[0]  # "Rwanda has agreed with the United States to accept …"
    asks = [m for m in s.lex if m.form == "payment" or (m.form == "status" and ctx.gazetteer.lex_status.get(m.key)
                                                           == Status.REQUESTED)]
    for g in s.groups:
        if g.role == PLAIN and len(g.countries) == 1 and any(
                0 <= a.start - g.end <= 40 and re.fullmatch(_SUBJECT_GAP, ctx.text[g.end:a.start]) for a in asks):
            return g.countries[0]
    agreed = [m for m in s.lex if m.form == "status" and re.fullmatch(
        r"signed|signs|struck|reached|inked|concluded", ctx.text[m.start:m.end], re.IGNORECASE)]
    for g in s.groups:
        later = [p for p in s.groups if p.role == PARTNER and p.start > g.end]
        if g.role == PLAIN and later and any(0 <= a.start - g.end <= 40 and re.fullmatch(
                _SUBJECT_GAP, ctx.text[g.end:a.start]) for a in agreed) and not any(
                a.start > later[0].end for a in acceptances if "third country" not in ctx.text[a.start:a.end].lower()):
            return g.countries[0]  # "Washington signed a safe third country agreement with Paraguay"
    if ctx.deporter is None:
        for g in s.groups:
            if g.role == NATIONALITY and len(g.countries) == 1 and re.search(
                    r"\bfrom\s+(?:the\s+)?$", s.text[max(0, g.start - s.start - 10):g.start - s.start]):
                return g.countries[0]  # nothing else removes anyone here: "people from the United States"
        for m in s.proper:
            if m.kind == "agency":
                a = ctx.gazetteer.agencies[m.key]
                if a.country and a.kind in _ENFORCING_KINDS:
                    return a.country
    return ctx.deporter


# Critics, campaigners or lawyers urging or demanding: what they ask for is no arrangement.
_CRITICS_DEMAND = re.compile(
    r"\b(critics|activists|rights groups|human rights (?:groups|organi[sz]ations)|advocates|campaigners|opposition|"
    r"lawyers|charities|NGOs)\b[^.;]{0,60}?\b(urged|urging|called on|calling on|calls on|demanded|demanding|"
    r"want(?:s|ed)?|asked|asking)\b", re.IGNORECASE)
# Words that make what follows hypothetical: it may happen, it has not.
_HYPOTHETICAL = re.compile(r"\b(could|might|may|would|should|if|unless|whether|possibly|potentially|proposed|"
                           r"plans? to|planning to|wants? to|seeks? to|seeking to|hopes? to|considering)"
                           r"\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _read_payment(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    funding_spans = [(m.start, m.end) for m in s.lex if m.form == "funding"]
    money_all = find_money(s.text, ctx.gazetteer.currencies)
    cues = [m for m in s.lex_of("payment") if not any(a <= m.start < b for a, b in funding_spans)
            and (not ctx.gazetteer.lexicon[m.key].needs_amount
                 or any(0 <= x.start + s.start - m.end <= 60 for x in money_all))]
    if not cues:
        return
    cue = cues[0]
    if ctx.text[cue.start:cue.end].lower() in ("in return for", "in exchange for"):
        _read_payment_in_return(s, ctx, claims, quote, cue, money_all)
        return
    actors = [m for m in s.proper if (m.kind == "country" and m.form in ("name", "capital"))
              or m.kind == "agency"]
    before = [m for m in actors if m.end <= cue.start]
    # "the United States paying ...": an actor right before the cue pays; otherwise the sentence's subject.
    adjacent = before and re.fullmatch(r"\s*(?:[\w']+\s+){0,3}", ctx.text[before[-1].end:cue.start])
    payer_m = before[-1] if adjacent else (before[0] if before else None)
    payer = _actor_id(ctx, claims, payer_m, quote) if payer_m else ctx.deporter
    after = [m for m in actors if m.start >= cue.end and (payer_m is None or m.key != payer_m.key)]
    payee: str | None = None
    if after and after[0].start - cue.end <= 80:
        payee = _actor_id(ctx, claims, after[0], quote)
    else:
        coref = _COREFERENCE.search(ctx.text, cue.end, min(s.end, cue.end + 60))
        if coref:
            earlier = [m for m in ctx.country_mentions if m.end <= coref.start() and m.key != payer]
            if earlier:
                payee = _country(ctx, claims, earlier[-1].key)
    if payer is None or payee is None or payer == payee:
        return
    if payer_m is None:
        _country(ctx, claims, payer)
    values: list[tuple[str, Any]] = []
    money = [m for m in find_money(s.text, ctx.gazetteer.currencies) if m.start + s.start >= cue.start - 40]
    purpose_from = cue.end - s.start
    if money:
        m = money[0]
        values += [("amount", m.amount), ("currency", m.currency), ("amount_usd", m.amount_usd),
                   ("amount_text", m.text)]
        purpose_from = m.end
    purpose = re.match(r"\s*(?:\w+\s+){0,3}?((?:to|for|in exchange for) [^,.;:]{3,120})", s.text[purpose_from:])
    if purpose:
        values.append(("purpose", purpose.group(1).strip()))
    confidence = 0.8 if money else 0.6
    claims.add(Fact(EdgeType.PAID, payer, payee, tuple(values), quote, _rule(f"paid:{cue.key}"), confidence))


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
    if after:
        values += [("amount", after[0].amount), ("currency", after[0].currency), ("amount_usd", after[0].amount_usd),
                   ("amount_text", after[0].text)]
    claims.add(Fact(EdgeType.PAID, payer, payee, tuple(values), quote, _rule(f"paid-in-return:{cue.key}"), 0.6))


def _read_funding(s: Sentence, ctx: Context, claims: ArticleClaims, quote: str) -> None:
    cue = s.lex_of("funding")[0]
    actors = [m for m in s.proper if (m.kind == "country" and m.form in ("name", "capital"))
              or m.kind == "agency"]
    by = re.match(r"\s*(?:entirely\s+|fully\s+)?by\s+(?:the\s+)?", ctx.text[cue.end:cue.end + 24])
    if by:
        governments = [m for m in s.proper if m.kind == "country" and m.form.startswith("demonym") and re.match(
            r"\s+(government|authorities|state)\b", ctx.text[m.end:m.end + 16])]
        after = sorted([m for m in actors + governments if m.start >= cue.end], key=lambda m: m.start)
        funder_m = after[0] if after else None
    else:
        before = [m for m in actors if m.end <= cue.start]
        funder_m = before[-1] if before else None
    if funder_m is None:
        return
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


def _actor_id(ctx: Context, claims: ArticleClaims, m: Match, quote: str) -> str:
    if m.kind == "agency":
        return _agency(ctx, claims, m.key, quote)
    return _country(ctx, claims, m.key)


# --- officials -------------------------------------------------------------------------------------


_TITLE_WORDS = {"secretary", "minister", "president", "assistant", "deputy", "general", "director", "spokesperson",
                "spokesman", "spokeswoman", "chief", "judge", "ambassador", "commissioner", "governor", "senator"}
# Between a title and the name: nothing, or ", " or "of the Interior, " / "for parliament affairs, ".
_TITLE_TAIL = re.compile(r"(?:\s+(?:of|for|at|in)\s+(?:the\s+)?(?:[\w'’-]+\s?){1,5})?,\s+|\s+")


def _name_after(s: Sentence, title: Match) -> list[str]:
    """The capitalized words right after a title: the person's name, possessive dropped."""
    rest = s.text[title.end - s.start:]
    tail = _TITLE_TAIL.match(rest)
    if not tail:
        return []
    tokens: list[str] = []
    pos = tail.end()
    while len(tokens) < 5:
        m = _NAME_TOKEN.match(rest, pos)
        if not m:
            break
        token = m.group(0)
        clean = re.sub(r"['’]s$", "", token).rstrip(".,")
        acronym = clean.isupper() and len(clean) > 1 and not clean.endswith(".") and not re.fullmatch(r"[IVX]+", clean)
        if clean in _NOT_NAMES or not clean or acronym or clean.lower() in _TITLE_WORDS:
            break  # an acronym ("DHS") or another title begins the next phrase, not this name
        tokens.append(clean)
        if clean != token.rstrip(".") or token.endswith(","):
            break
        pos = m.end()
        if not rest.startswith(" ", pos):
            break
        pos += 1
    while tokens and tokens[-1] in _PARTICLES:
        tokens.pop()
    if tokens and tokens[0] in _PARTICLES:
        return []
    return tokens


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


def _titles(s: Sentence, gaz: Gazetteer) -> list[Match]:
    """Title words that introduce a name: capitalized ("President"), or after a country or agency
    ("Homeland Security chief"), or a spokesperson's title."""
    out = []
    for t in s.lex_of("title"):
        first = s.text[t.start - s.start]
        if first.isupper() or _modifier(s, t, gaz) != (None, None) or s.text[t.start - s.start:].startswith("spokes") \
                or (len(_name_after(s, t)) >= 2 and s.text[t.end - s.start:t.end - s.start + 1] == " "):
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
        if any(m.kind == "official" and name_start <= m.start <= name_start + 2 for m in s.proper):
            continue  # a listed official: read below with this title
        title_text = s.text[title.start - s.start:title.end - s.start]
        country, agency = _modifier(s, title, gaz)
        person = _resolve_person(tokens, ctx)
        _official(ctx, claims, person, " ".join(tokens), title_text, country, agency, quote, "official/title", 0.8)
    _read_appositive_officials(s, ctx, claims, quote)
    for m in s.proper:
        if m.kind != "official":
            continue
        known = gaz.officials[m.key]
        title_text = None
        country, agency = known.country, known.agency
        before = [t for t in titles if 0 <= m.start - t.end <= 2]
        surname_only = " " not in s.text[m.start - s.start:m.end - s.start]
        if surname_only and (m.key not in ctx.named_officials or re.match(
                r"[\s-]*(?:[A-Z]\w+[\s-]+)?(?:administration|government|era|doctrine)\b|[-–][A-Z]",
                s.text[m.end - s.start:], re.IGNORECASE)) and not before:
            continue  # "the Trump administration", or a surname never introduced with an office
        if before:
            t = max(before, key=lambda t: t.end - t.start)
            title_text = s.text[t.start - s.start:t.end - s.start]
            mod_country, mod_agency = _modifier(s, t, gaz)
            country, agency = mod_country or country, mod_agency or agency
        _official(ctx, claims, known.id, known.name, title_text or (known.titles[0] if known.titles else None),
                  country, agency, quote, "official/gazetteer", 0.9)


_APPOSITIVE = re.compile(
    r"(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|del|van|von|bin)){1,3}),\s+"
    r"(?:the|a|an|its|their|[A-Z][\w.]*['’]s)\s+(?P<mod>[^,;:()]{0,50}?)$")


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
        name_start, mod_start = s.start + m.start("name"), s.start + m.start("mod")
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
        if country is None and agency is None and re.search(r"\bgovernment\b", s.text[m.start("mod"):]) and \
                ctx.last_host:
            country = ctx.last_host
        title_text = s.text[mod_start - s.start:title.end - s.start].strip()
        person = _resolve_person(tokens, ctx)
        _official(ctx, claims, person, " ".join(tokens), title_text, country, agency, quote, "official/appositive",
                  0.7)


def _modifier(s: Sentence, title: Match, gaz: Gazetteer) -> tuple[str | None, str | None]:
    """The country or agency written just before a title ("Uzbek President", "DHS Secretary")."""
    for m in reversed(s.proper):
        if m.end > title.start:
            continue
        gap = s.text[m.end - s.start:title.start - s.start]
        if not re.fullmatch(r"(?:['’]s)?\s?", gap):
            return None, None
        if m.kind == "country":
            return m.key, None
        if m.kind == "agency":
            return gaz.agencies[m.key].country, m.key
        return None, None
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
              country: str | None, agency: str | None, quote: str, rule: str, confidence: float) -> None:
    known = ctx.gazetteer.officials.get(person)
    if known:
        name = known.name
        country = country or known.country
        agency = agency or known.agency
    claims.node(NodeRef(Label.OFFICIAL, person))
    values = (("name", name), ("title", title), ("country_iso3", country), ("agency", agency))
    claims.add(Fact(Label.OFFICIAL, person, None, values, quote, _rule(rule), confidence))
    if agency and agency in ctx.gazetteer.agencies:
        _agency(ctx, claims, agency, quote)
        claims.add(Fact(EdgeType.HOLDS_OFFICE, person, agency, (("title", title),), quote, _rule(rule), confidence))
    elif country:
        _country(ctx, claims, country)
        claims.add(Fact(EdgeType.HOLDS_OFFICE, person, country, (("title", title),), quote, _rule(rule),
                        confidence))
