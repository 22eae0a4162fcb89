"""Mention chunks: country groups and the role each plays in its sentence."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING

from deportgraph.vocabulary import Status

from ..dates import MONTHS
from ..gazetteer import Gazetteer, Match
from ..numbers import COUNT_BEFORE, Money, find_money
from .sentences import ADJECTIVE, DEST, FROM, LOCATION, MODIFIER, NATIONALITY, PARTNER, PLAIN, TRANSIT, Group, Sentence

if TYPE_CHECKING:
    from .context import Context




_PREP = re.compile(
    r"\b(back to|to|into|towards?|bound for|headed for|headed to|destined for|reach(?:ed|ing|es)?|"
    r"land(?:ed|ing|s)? in|arriv(?:ed|ing|es|e|als?) in|touched down in|(?:housed|accommodated|resettled) in|"
    r"from|via|through|by way of|"
    r"stopover in|in|at(?!\s+(?:least|most|once|first|times)\b)|on|with|between|of|against|by|like|such as|"
    r"including|and)\b"
)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+|as well as\s+)?|and\s+|or\s+|&\s*|/\s*|as well as\s+)\s*")

_REMOVED_FROM = (r"\b(removed|deported|expelled|departing|departed|flown out|flown|sent|returned|repatriated|"
                 r"transferred|deportees|deportations?|removals?|returns?|flights?|returnees) (from|by)")
# "returns of sub-Saharan migrants from X": X is the deporting state.
_REMOVALS_OF_FROM = (r"\b(deportations?|returns?|removals?|transfers?|expulsions?|repatriations?|flights?)\s+of\s+"
                     r"(?:[\w-]+\s+){0,4}from\s+(the\s+)?$")
# "accept/receive <up to four words> from X": X is the deporting state.
_ACCEPTED_FROM = (r"\b(receiv\w*|accept\w*|tak\w+ (in|back)|took (in|back)|welcom\w*|host\w*|admit\w*)\s+"
                  r"(?:[\w-]+\s+){0,4}from\s+(the\s+)?$")
# Between a subject and its verb: "Washington asked", "the U.S. is quietly paying".
_SUBJECT_GAP = r"(?:['’]s)?(?:,\s*(?:meanwhile|however|too|though|in turn),)?\s+(?:(?:government|administration|"\
               r"officials|has|have|had|is|was|will|would|also|quietly|reportedly|already|then|later|still|now|"\
               r"\w+ly)\s+)*"





# Words of a region's compass point: "West and Central Africans", "the east African nation".
COMPASS_WORDS = ("north", "south", "east", "west", "central", "northern", "southern", "eastern", "western")
_COMPASS_WORDS = "(?:" + "|".join(w.capitalize() for w in COMPASS_WORDS) + ")"
_COMPASS = re.compile(_COMPASS_WORDS + r"\s")
_COMPASS_AND = re.compile(_COMPASS_WORDS + r"\s+(?:and|or)\s+\Z")


def _clean_proper(text: str, proper: list[Match], lex: list[Match]) -> list[Match]:
    """Drop the proper-noun hits that are not what they seem.

    A capital or an ambiguous name next to another capitalized word names something else
    ("Washington Post", "Georgia State", "Michael Jordan"); titles do not count ("Uzbek President").
    A country before a word of a company or a body (lexicon "org_suffix"), or after one ("org_prefix":
    "Air India"), names that body.
    """
    titles = {m.start for m in lex if m.form == "title"}
    organisations = {m.start for m in lex if m.form == "org_suffix"}
    prefixed = {m.end + 1 for m in lex if m.form == "org_prefix" and text[m.start:m.start + 1].isupper()}
    out = []
    for m in proper:
        if m.kind == "country" and (m.end + 1 in organisations or m.end in organisations or m.start in prefixed):
            continue  # "a Qatar Airways flight", "the Kenya Red Cross", "Air India": a company or a body
        if m.kind == "country" and text.startswith("$", m.end):
            continue  # "US$90 million", "NZ$5.5 million": a currency, not a state
        if m.kind == "country" and m.form.startswith("demonym") and _COMPASS.match(text, m.start) \
                and _COMPASS_AND.search(text, max(0, m.start - 24), m.start):
            continue  # "West and Central Africans": people of a region, not of the Central African Republic
        if m.kind == "country" and (m.form == "capital" or m.ambiguous):
            nxt = re.match(r"[ \t]+([A-Z][a-z]+)", text[m.end:m.end + 30])
            if nxt and m.end + nxt.start(1) not in titles and nxt.group(1) not in ("And", "Or"):
                continue
            prev = re.search(r"([A-Z][a-z]+)[ \t]+$", text[max(0, m.start - 30):m.start])
            if prev and not re.search(
                    r"[.!?\n]\s*$", text[max(0, m.start - 40):m.start - len(prev.group(0))]) and prev.group(1) not in (
                    "The", "In", "To", "From", "With", "And") and prev.group(1).lower() not in MONTHS \
                    and not prev.group(1).endswith("day"):  # "In July Berlin flew …", "on Monday Kabul said"
                continue  # "the Bibby Stockholm barge", "Michael Jordan": a name that ends in it
        out.append(m)
    return out



def drop_foreign_generic_agencies(text: str, proper: list[Match], gaz: Gazetteer) -> list[Match]:
    """A generic agency name ("Supreme Court", "Justice Department", ``ambiguous`` in agencies.jsonl)
    is the listed agency only when no other country qualifies it ("Israel's Supreme Court", or so
    qualified earlier in the article: the same court again) and the article names the agency's country."""
    named = {m.key for m in proper if m.kind == "country"}
    out: list[Match] = []
    foreign: set[str] = set()  # generic agencies another country's name qualified
    for m in proper:
        if m.kind == "agency" and m.ambiguous:
            country = gaz.agencies[m.key].country
            qualifier = next((c for c in reversed(out) if c.kind == "country" and 0 <= m.start - c.end <= 4
                              and re.fullmatch(r"(?:['’]s)?\s*", text[c.end:m.start])), None)
            if qualifier is not None and qualifier.key != country:
                foreign.add(m.key)
                continue
            if (qualifier is None and m.key in foreign) or (country and country not in named):
                continue
        out.append(m)
    return out


def _groups(s: Sentence) -> list[Group]:
    """Country mentions joined into lists ("Uzbekistan, Kazakhstan and Kyrgyzstan"). A run joined by
    commas alone is no list ("With the help of Oman, Germany deported…"): a list closes with "and",
    "or", "&", a slash or "as well as"; and a list never spans two clauses ("…with Uganda, and Denmark has")."""
    groups: list[Group] = []
    closed: list[bool] = []
    text = s.text
    for m in (m for m in s.proper if m.kind == "country"):
        if groups:
            prev = groups[-1]
            gap = text[prev.end - s.start:m.start - s.start]
            same_form = (prev.mentions[-1].form.startswith("demonym")) == m.form.startswith("demonym")
            if same_form and _LIST_GAP.fullmatch(gap) and not (
                    "," in gap and s.clause_at(m.start) != s.clause_at(prev.end - 1)):  # ", and Denmark has agreed"
                prev.mentions.append(m)
                closed[-1] = closed[-1] or bool(_LIST_CLOSER.search(gap))
                continue
        groups.append(Group([m]))
        closed.append(False)
    out: list[Group] = []
    for g, is_list in zip(groups, closed, strict=True):
        out.extend([g] if is_list or len(g.mentions) == 1 else [Group([m]) for m in g.mentions])
    return out


_LIST_CLOSER = re.compile(r"\b(?:and|or)\b|[&/]|as well as", re.IGNORECASE)


# The nouns that name a deal itself, and with them the plans and policies a deal may carry out.
DEAL_NOUNS = r"deal|agreement|accord|pact|arrangement|memorandum"
ARRANGEMENT_NOUNS = DEAL_NOUNS + r"|plan|scheme|policy|programme|program|partnership"
# The verbs of signing a deal: "signed", "struck", "concluded".
SIGNING = re.compile(r"signed|signs|struck|reached|inked|concluded", re.IGNORECASE)
# After a verb of sending, a text sent, not people: "will send the US a new deportation deal", "sent a proposal".
_TEXT_NOUNS = rf"(?:{DEAL_NOUNS}|proposal|draft|letter|note|request)s?\b"
_SENDS_A_TEXT = re.compile(rf"\s+(?:(?:the\s+)?[\w.]+\s+)?(?:an?|the|its|their)\s+(?:[\w-]+\s+){{0,2}}?{_TEXT_NOUNS}"
                           rf"|\s+(?:(?:each|every)\s+\w+\s+)?{_TEXT_NOUNS}", re.IGNORECASE)


def sends_a_text(s: Sentence, m: Match) -> bool:
    """A verb of sending with a text as its object: "will send the US a new deal", "sent each country requests"."""
    return bool(_SENDS_A_TEXT.match(s.text, m.end - s.start))
_REMOVER_GAP = re.compile(r"(?:['’]s)?(?:\s+(?!to\b)[\w-]+){0,4}\s+", re.IGNORECASE)
_INTENTION_GAP = re.compile(r"(?:['’]s)?(?:\s+[\w-]+){0,5}\s+", re.IGNORECASE)
# Either side of a light verb before a removal noun: "has carried out its first direct".
_LIGHT_VERB_GAP = re.compile(r"(?:['’]s)?(?:\s+(?!to\b)[\w-]+){0,3}\s+", re.IGNORECASE)
# Between a status verb and the removal verb it governs: "agreed to", "refused to", "agreed in June 2025 to".
_CATENATIVE = re.compile(r"\s+(?:[\w-]+\s+){0,4}?to\s+", re.IGNORECASE)
_REMOVAL_NOUN = re.compile(r"(?:ions?|flights?|als|al|returns|transfers)$", re.IGNORECASE)
# A country or demonym right before a removal noun: "a U.S. deportation flight", "German deportation".
_MODIFIER_GAP = re.compile(r"(?:['’]s)?[\s-]*(?:(?:military|charter(?:ed)?|government|federal)[\s-]+)?")


_HEADLINE_INFINITIVE = re.compile(r"\s+to\s+")
# Right before the agent of a passive: "deported by (the)", "paid $6 million by".
BY_BEFORE = re.compile(r"\bby\s+(?:the\s+)?\Z")


def _remover(s: Sentence, g: Group, removals: list[Match]) -> bool:
    """Is this country group the subject of a removal verb, or the modifier of a removal noun?"""
    text = s.text
    for r in removals:
        gap = text[g.end - s.start:r.start - s.start]
        if r.start < g.end or len(gap) > 50 or _between_country(s, g.end, r.start):
            continue
        if _taking_in(s, r) or sends_a_text(s, r):
            continue  # "Kiribati and Tuvalu have taken asylum seekers" takes them in; "send the US a deal", a text
        noun = _REMOVAL_NOUN.search(text[r.start - s.start:r.end - s.start]) is not None
        if noun and _MODIFIER_GAP.fullmatch(gap):
            return True
        if noun and "," not in gap and any(x.form == "light_verb" and g.end <= x.start and x.end <= r.start
                                           and _LIGHT_VERB_GAP.fullmatch(text, g.end - s.start, x.start - s.start)
                                           and _LIGHT_VERB_GAP.fullmatch(text, x.end - s.start, r.start - s.start)
                                           for x in s.lex):
            return True  # "Austria has carried out its first direct deportation": the subject of a light verb
        intention = any(x.form in ("future", "modal") and g.end <= x.start and x.end <= r.start for x in s.lex)
        governs = any(x.form == "status" and g.end < x.start
                      and _CATENATIVE.fullmatch(text, x.end - s.start, r.start - s.start) for x in s.lex)
        if governs and _INTENTION_GAP.fullmatch(gap) and "," not in gap:
            return True  # "Denmark agreed to deport", "Sweden has refused to send": the subject of the verb
        fits = _REMOVER_GAP.fullmatch(gap) or (intention and _INTENTION_GAP.fullmatch(gap))
        if fits and any(x.form == "status" and g.end <= x.start and x.end <= r.start and 0 <= x.start - g.end <= 2
                        for x in s.lex):
            continue  # "the UK-Rwanda deal said removals…": the deal is the subject, not the country
        if fits and any(x.form in ("funding", "payment") and g.end <= x.start and x.end <= r.start for x in s.lex):
            continue  # "Uzbekistan funded the flight": who pays for a removal is not who carries it out
        if g.start == s.start and _HEADLINE_INFINITIVE.fullmatch(gap):
            return True  # a headline's "Norway to fly asylum seekers to Ghana": the subject of a plan
        if g.role != ADJECTIVE and fits and "," not in gap \
                and (intention or not gap.rstrip().lower().endswith(" to")):
            return True  # "Norway deported", "Norway revived the plan to send"
    return False


def _taking_in(s: Sentence, r: Match) -> bool:
    """A word both of removal and of acceptance ("taken", "took") with no destination after it in its
    clause reports people taken in, not sent away."""
    if not any(x.form == "acceptance" and x.start <= r.start and r.end <= x.end for x in s.lex):
        return False
    at = s.clause_at(r.start)
    return not any(g.role == DEST and g.start > r.end and s.clause_at(g.start) == at for g in s.groups)


def _between_country(s: Sentence, a: int, b: int, skip: str | Collection[str] | None = None) -> bool:
    """Is a country group (other than one in the role or roles ``skip``) between offsets a and b?"""
    skipped = {skip} if isinstance(skip, str) else set(skip or ())
    return any(a <= g.start < b and g.role not in skipped for g in s.groups)



# After a people noun, the noun it modifies: "the UK-Rwanda migrant deal", "an asylum seeker centre".
_NOUN_AFTER_PEOPLE = re.compile(
    rf"\s+(?:{DEAL_NOUNS}|plan|scheme|policy|crisis|route|centre|center|camp|hub|flows?)s?\b", re.IGNORECASE)


def read_roles(s: Sentence, ctx: Context) -> None:
    """Give each country group of a sentence its role, from the words around it."""
    text = s.text
    people = [m for m in s.lex if m.form == "people"]
    titles = [m for m in s.lex if m.form == "title"]
    moved = {(m.start, m.end) for m in s.lex if m.form == "removal"}  # "deportees": people a removal moved
    courts = s.lex_of("court")
    prev_end = s.start
    for g in s.groups:
        after = text[g.end - s.start:g.end - s.start + 30]
        if g.mentions[0].form.startswith("demonym") and not _REQUESTER.match(text, g.end - s.start):
            g.role = _demonym_role(s, g, titles, people, after)
            prev_end = g.end
            continue
        if re.match(r"\s+(nationals|citizens)\b", after) or any(
                p.start - g.end == 1 and (p.start, p.end) not in moved
                and not _NOUN_AFTER_PEOPLE.match(text, p.end - s.start) for p in people):
            g.role = NATIONALITY  # "Myanmar nationals", "1,086 Myanmar migrants" (not "the Ghana deportees")
        elif any(0 <= t.start - g.end <= 1 for t in titles) or any(0 <= c.start - g.end <= 1 for c in courts):
            g.role = MODIFIER  # "Interior Minister of …", "a Vienna court": the office's or the court's state
        elif g.mentions[0].form == "capital" and _CAPITAL_APPOSITION.search(text, 0, g.start - s.start):
            g.role = LOCATION  # "the embassy in the country's capital, Ouagadougou": a place, not a state
        else:
            at = g.start - s.start
            head = _LIST_HEAD.search(text, max(prev_end - s.start, at - 80), at)
            if head:  # "to the tiny African countries of Eswatini and Ghana": the list stands where its head does
                at = head.start()
            g.role = _role_from_preposition(text[max(prev_end - s.start, at - 60):at], g, ctx, text[:at].lower())
        if g.role in (PLAIN, ADJECTIVE) and _REQUESTER.match(text, g.end - s.start):
            g.role = PARTNER  # "rejected U.S. calls to accept", "Washington's request": who asks, not who acts
        if g.role not in (DEST, FROM, TRANSIT, LOCATION) and all(m.form == "city" for m in g.mentions):
            g.role = LOCATION  # a city is a place, never a state that acts: "Lahore", "Tijuana"
        prev_end = g.end
    _roles_in_sequence(s)


# Before a demonym used as a noun: "a Jamaican", "another Yemeni", "300 Sudanese" (a count: group "count").
_COUNTED_PERSON = re.compile(rf"\b(?:an?|one|another|(?P<count>{COUNT_BEFORE}))\s+\Z", re.IGNORECASE)


def _demonym_role(s: Sentence, g: Group, titles: list[Match], people: list[Match], after: str) -> str:
    """The role of a demonym: the state acting ("by an Italian navy ship"), an office's country, the
    people's nationality ("Venezuelan men", "a Jamaican"), else an adjective."""
    text = s.text
    if re.search(r"\bby\s+(?:(?:an?|the)\s+)?$", text[max(0, g.start - s.start - 10):g.start - s.start]) and \
            re.match(r"\s+(?:navy|coast guard|military|border force|border guards?|police|authorities)\b",
                     after, re.IGNORECASE):
        return FROM  # "moved to Albania by an Italian navy ship"
    if any(0 <= t.start - g.end <= 2 for t in titles):
        return MODIFIER
    if any(0 <= p.start - g.end <= 25 and not re.search(r"[,.;]", text[g.end - s.start:p.start - s.start])
             for p in people) or g.mentions[-1].form == "demonym_plural" or (
            (counted := _COUNTED_PERSON.search(text, max(0, g.start - s.start - 40), g.start - s.start))
            and (re.match(r"\s*(?:[,.;:)]|and\b|or\b|$)", after)
                 or (counted.group("count") and re.match(r"\s+[a-z]+s\b", after)))):  # "70 Syrian officers"
        return NATIONALITY  # "Venezuelan men", "Cubans", "a Jamaican, a Laotian and a Yemeni", "300 Sudanese,"
    return ADJECTIVE


def _roles_in_sequence(s: Sentence) -> None:
    """Roles that depend on the groups around them: a stop before an onward destination, a place people
    were held in, the origin of a flight to a destination."""
    text = s.text
    removals = [m for m in s.lex if m.form == "removal"]
    holding = [m for m in s.lex if m.form == "holding"]
    if holding and any(g.role == DEST for g in s.groups):
        for g in s.groups:  # "deported to South Sudan, they will be held in Djibouti": a stop on the way
            if g.role == LOCATION and any(place_after(s, m, g, HOLDING_GAP) for m in holding):
                g.role = TRANSIT
    for a, b in zip(s.groups, s.groups[1:], strict=False):
        if a.role == DEST and b.role == DEST and re.search(
                r"\b(before|then|en route|on (the|its) way|onward|continuing|on to|transferred to|connecting|"
                r"switched to|change planes)\b", text[a.end - s.start:b.start - s.start]):
            a.role = TRANSIT
        if a.role == NATIONALITY and b.role == DEST and len(a.countries) == 1 and a.countries != b.countries \
                and re.fullmatch(
                r"\s*(back\s+)?to\s+(the\s+)?", text[a.end - s.start:b.start - s.start]) and re.search(
                r"\bfrom\s+(the\s+)?$", text[max(0, a.start - s.start - 12):a.start - s.start]) and not any(
                g.end <= a.start and g.role == PLAIN and _remover(s, g, removals) for g in s.groups):
            a.role = FROM  # "flew migrants from the U.S. to Panama", unless a subject deports them


# A plural noun for countries that a list of them follows: "the tiny African countries of", "a few nations,
# including", "three other countries —". The list plays the role the head plays in its clause.
_LIST_HEAD = re.compile(
    r"(?:\b(?:the|a|an|other|several|some|few|many|more|two|three|four|five|six|seven|eight|nine|ten|\d+|at least|"
    r"small|tiny|poor|[A-Z][\w-]*)\s+){0,4}(?:third\s+|partner\s+|host\s+)?(?:countries|nations|states|"
    r"governments)\s*(?:,\s*)?(?:of|like|such as|including|among them|namely|[—–:(])\s*(?:the\s+)?\Z")
# A word that opens a new clause between a preposition and the group: "in Copenhagen ruled on Thursday that".
_NEW_CLAUSE_WORD = re.compile(r"\b(?:that|whether|because|while|when|if|although|though|unless)\s+(?:the\s+)?\Z")
# A preposition whose object is a time ("In September 2025 Belgium asked", "on Monday Ghana said"): the
# group after it opens the clause.
_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME_OBJECT = re.compile(
    rf"\s*(?:(?:early|late|mid)[\s-]+)?(?:(?:(?:{_MONTH_WORD})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?|\d{{1,2}}\s+(?:{_MONTH_WORD})\.?)"
    rf"(?:,?\s+(?:19|20)\d\d)?|(?:19|20)\d\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\s*,?\s*(?:the\s+)?")
# A prepositional phrase closed by a comma before the group, unless the group is in apposition to a
# word for a country ("to the East African country, Rwanda"); a preposition right before the comma is
# an adverb with no object ("Two years on, the UK").
_CLOSED_PHRASE = re.compile(r"(?:\w[^,;:]*(?<!country)(?<!nation)(?<!state)(?<!kingdom)(?<!island)(?<!republic))?"
                            r"[,;:]\s*(?:the\s+)?\Z", re.IGNORECASE)
# A country followed by its request: "U.S. calls", "Washington's request", "British pressure".
_REQUESTER = re.compile(r"(?:['’]s)?\s+(?:requests?|calls|demands?|pressure|offers?|proposals?|pleas?|overtures?)\b",
                        re.IGNORECASE)
# Between a word of holding and the place: "held in", "stranded for weeks at", "kept temporarily in the".
HOLDING_GAP = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:in|at)\s+(?:the\s+)?", re.IGNORECASE)
_CAPITAL_APPOSITION = re.compile(r"\bcapital(?:\s+city)?,?\s+(?:of\s+)?\Z", re.IGNORECASE)


def place_after(s: Sentence, word: Match, g: Group, gap: re.Pattern[str], within: int = 40) -> bool:
    """Does country group ``g`` follow ``word`` within ``within`` characters, across a ``gap`` such as
    "in", "for weeks at", "at the airport in" ("held in Djibouti", "refuelled in Greece")?"""
    return 0 <= g.start - word.end <= within and bool(gap.fullmatch(s.text, word.end - s.start, g.start - s.start))


def _after_people(before: str, ctx: Context) -> bool:
    """Does the text before a preposition end with a word for people ("a man from Laos")? The words are
    the lexicon's "people" category."""
    return bool(ctx.gazetteer.ends_with("people").search(before))


def _role_from_preposition(window: str, g: Group, ctx: Context, prefix: str) -> str:
    lowered = window.lower()
    matches = [m for m in _PREP.finditer(lowered) if m.group(1) not in ("like", "such as", "including", "and")]
    if not matches:
        return PLAIN
    m = matches[-1]
    prep = m.group(1)
    if re.fullmatch(r"\s+(?:which|whom|where)\s+", lowered[m.end():]) or re.search(
            r"\b(?:whom|who|which)\s+\Z", lowered[m.end():]):
        return PLAIN  # "the states to which Israel sends them", "up to 80 nationals whom Australia cannot return"
    if _CLOSED_PHRASE.search(lowered[m.end():]) or _NEW_CLAUSE_WORD.search(lowered[m.end():]) or (
            prep in ("in", "on", "by") and _TIME_OBJECT.fullmatch(lowered, m.end())):
        return PLAIN  # "according to DHS, Uzbekistan paid", "ruled on Monday that Denmark": the phrase is closed
    words_between = len(lowered[m.end():].split())
    if words_between > 4 or (words_between > 2 and prep in ("in", "at", "on", "with", "between", "of", "against")):
        return PLAIN
    if prep.startswith(("back to", "to", "into", "toward", "bound", "headed", "destined", "reach", "land", "arriv",
                        "touched", "housed", "accommodated", "resettled")):
        return DEST
    if prep in ("via", "through", "by way of", "stopover in"):
        return TRANSIT
    if prep == "from":
        return _role_after_from(lowered, m, g, ctx, prefix)
    if prep == "by":
        return _role_after_by(lowered, m, prefix)
    if prep == "of" and re.search(r"\b(citizens|nationals|natives)\s+$", lowered[:m.start()]):
        return PLAIN if re.search(r"\bnot\s+(\w+\s+)?(citizens|nationals|natives)\s+$", lowered[:m.start()]) \
            else NATIONALITY
    if prep in ("in", "at", "on"):
        return _role_after_in(lowered, matches)
    if prep in ("with", "between", "against"):
        if re.search(r"\b(?:borders?|frontiers?|boundary|boundaries)\s+$", lowered[:m.start()]):
            return LOCATION  # "over the Arctic border with Russia": a place, not a party
        return PARTNER
    if prep == "of" and len(matches) >= 2 and matches[-2].group(1) in ("with", "between"):
        return PARTNER
    return PLAIN


def _role_after_from(lowered: str, m: re.Match[str], g: Group, ctx: Context, prefix: str) -> str:
    """The role of a group after "from": the deporting state, the deportees' origin, a stop, a place."""
    before = lowered[:m.start()].rstrip()
    between = lowered[m.end():]
    if re.search(r"\bnot\s+(?:originally\s+)?$", before + " "):
        return PLAIN  # "who are not originally from Kosovo"
    if re.search(r"\b(presidents?|leaders?|ministers?|officials?|delegations?|envoys?|diplomats?)\W*$", before):
        return MODIFIER  # "five West African presidents — from Senegal, …"
    if re.search(r"\b(statements?|reports?|letters?|notes?|announcements?|sources?|spokes(?:man|woman|person)|"
                 r"data|figures|word|news|comments?|response|reply)\W*$", before):
        return MODIFIER  # "according to a statement from Brazil's Justice Ministry": who said it
    if ctx.deporter is not None and ctx.deporter not in g.countries and set(g.countries) <= ctx.holding_places:
        return TRANSIT  # "the flight from Djibouti" after "held in Djibouti": a stop on the way
    if re.search(r"\b(near|around|bordering|neighbou?ring|outside|other than|such as)\b", between) and \
            "countr" in between and "such as" not in between:
        return PLAIN  # "people from countries near Uganda"
    if "countr" in between or len(g.countries) > 1:
        return NATIONALITY if g.countries != [ctx.deporter] else FROM
    if re.search(_REMOVED_FROM + r"$", lowered[:m.end()]) or re.search(_ACCEPTED_FROM, prefix) or \
            re.search(_REMOVALS_OF_FROM, prefix):
        return FROM
    person = re.search(
        r"(who are|who were|are|were|originally|hailing|coming|come|came|comes|born|them|those|"
        r"mainly|mostly|largely|primarily|\d+|one|two|three|four|five|six|seven|eight|nine|ten)$",
        before) or _after_people(before, ctx)
    if person and g.countries != [ctx.deporter]:
        return NATIONALITY
    return FROM


def _role_after_by(lowered: str, m: re.Match[str], prefix: str) -> str:
    """The role of a group after "by": the host that received people, or the state that removed them."""
    if re.search(r"\b(received|accepted|admitted|hosted|housed|taken in|welcomed)\s+$", lowered[:m.start()]):
        return DEST  # "the 14 deportees received by Ghana"
    if re.search(r"\b(deported|removed|expelled|sent|flown|returned|repatriated|transferred|ordered out)\b",
                 prefix):
        return FROM
    if re.search(r"\b(intercepted|rescued|picked up|caught|arrested|apprehended|detained|seized|stopped)\s+"
                 r"(?:\w+\s+){0,3}$", lowered[:m.start()]):
        return FROM  # "asylum seekers intercepted by Australia('s navy)": the state that holds and removes them
    if re.search(r"\b(asked|pressed|pressured|approached|urged|requested|invited|courted|lobbied)\s+$",
                 lowered[:m.start()]):
        return FROM  # "Chad has been asked by Canada to take in deportees": the state that would remove them
    return PLAIN


def _role_after_in(lowered: str, matches: list[re.Match[str]]) -> str:
    """"sent to prisons in El Salvador": a destination; else where something happens."""
    if len(matches) >= 2 and matches[-2].group(1) in ("to", "into") and re.search(
            r"(prisons?|jails?|camps?|centers?|centres?|facilit)\b", lowered[matches[-2].end():]):  # "a megaprison"
        return DEST
    return LOCATION



def _distance(g: Group, m: Match) -> int:
    if m.end <= g.start:
        return g.start - m.end
    if m.start >= g.end:
        return m.start - g.end
    return 0


# Removal words that also move money: "transferred $7.5 million", "sent $5m" move no people.
_MONEY_MOVERS = ("removal-deport-past", "removal-deport")
_MONEY_PASSIVE = re.compile(r"\s+(?:(?:has|have|had|was|were|is|are|been|being|be|already|also|now)\s+)+")


# A person named right after an acceptance word: "about taking Abrego".
_PERSON_AFTER = re.compile(r"\s+(?:in\s+)?([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})(?=[\s,.;]|$)")
# A participle with no object after it describes the noun before it (across a passive auxiliary):
# "remittances sent from the US", "the proposal was sent by Argentina".
_THING_GAP = re.compile(r"\s*|\s+(?:was|were|is|are|had been|has been|have been|been|being)\s+")
_NO_OBJECT_AFTER = re.compile(r"\s+(?:from|to|by|back|home|abroad|across|into|through|via|overseas)\b")


def drop_unfilled_triggers(s: Sentence, gaz: Gazetteer) -> None:
    """Drop trigger words whose frame needs people it cannot find: "hosted 40 deportees" opens an
    acceptance, "hosted talks" does not; "fly the migrants" a removal, "fly to Paris" not
    (``needs_people`` in the lexicon); "send officials" is no removal either (lexicon "not_deportees")."""
    def has_people(m: Match) -> bool:
        if gaz.lexicon[m.key].people_object:  # "pushed five migrants back": the people are its object
            return any(0 <= x.start - m.end <= 25 and (x.form == "people" or x.form == "demonym_plural")
                       and not any(c.kind == "country" and c.form in ("name", "capital") and m.end <= c.start < x.start
                                   for c in s.proper)
                       for x in (*s.lex, *s.proper))
        if m.form == "acceptance" and (person := _PERSON_AFTER.match(s.text, m.end - s.start)) and not any(
                x.start == s.start + person.start(1) for x in s.proper):
            return True  # "about taking Abrego": a person, by name
        return any(0 <= x.start - m.end <= 60 and (x.form == "people" or x.form == "demonym_plural")
                   for x in (*s.lex, *s.proper))
    sums: list[Money] | None = None  # the sentence's sums of money, found once if a word needs them

    def takes_money(m: Match) -> bool:  # "Fiji will receive $5 million": a sum received, no people
        nonlocal sums
        if sums is None:
            sums = find_money(s.text, gaz.currencies)
        at, end = m.start - s.start, m.end - s.start
        # a sum right after the word, or the subject of a passive ("after £140m had already been sent")
        return any(0 <= x.start - end <= 25 or (at - 50 <= x.start and x.end <= at
                                                and _MONEY_PASSIVE.fullmatch(s.text, x.end, at)) for x in sums)

    def sends_no_deportees(m: Match) -> bool:  # "agreed to send officials", "remittances sent from the US"
        return m.form == "removal" and any(x.form == "not_deportees" and (
            (0 <= x.start - m.end <= 20 and _DETERMINERS.fullmatch(s.text, m.end - s.start, x.start - s.start))
            or (0 <= m.start - x.end <= 16 and _THING_GAP.fullmatch(s.text, x.end - s.start, m.start - s.start)
                and s.text[m.start - s.start:m.end - s.start].endswith(("ed", "sent"))
                and _NO_OBJECT_AFTER.match(s.text, m.end - s.start) is not None))
            for x in s.lex)

    received = {(m.start, m.end) for m in s.lex if m.form == "payment_received"}
    s.lex = [m for m in s.lex if not (m.form in ("acceptance", "removal") and gaz.lexicon[m.key].needs_people
                                      and not has_people(m))
             # "they ended up in a prison": where something came to be, not an arrangement ended
             and not (gaz.lex_status.get(m.key) == Status.ENDED and _UP_AFTER.match(s.text, m.end - s.start))
             and not (((m.form == "acceptance" and (m.start, m.end) in received) or m.key in _MONEY_MOVERS)
                      and takes_money(m)) and not sends_no_deportees(m)]


_UP_AFTER = re.compile(r"\s+up\b")
# Between a removal verb and its object: "send a senior delegation", "sent two teams".
_DETERMINERS = re.compile(r"\s+(?:(?:a|an|the|its|their|his|her|some|more|senior|two|three|several|\d+)\s+)*")
