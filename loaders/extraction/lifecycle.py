"""Status mentions: which status a sentence gives each host, its event date, and its modality."""

from __future__ import annotations

import re
from datetime import date

from deportgraph.vocabulary import Status

from ..dates import MONTHS
from ..gazetteer import Match
from .mentions import _distance
from .sentences import PLAIN, Group, Sentence

_STATUS_PRECEDENCE = [
    Status.BLOCKED, Status.REFUSED, Status.ENDED, Status.IMPLEMENTED, Status.AGREED, Status.NEGOTIATING,
    Status.REQUESTED,
]

def _statuses_by_group(s: Sentence, hosts: list[Group], lex_status: dict[str, str]) -> dict[int, str | None]:
    """Each host group's status: from the status words of its own clause, else the nearest ones.

    A status word under a modal ("could agree", "would be open to accepting") gives at most a
    request; "not" before agreed or implemented makes a refusal.
    """
    cues: list[tuple[Match, str]] = []
    negations = [m for m in s.lex if m.form == "negation"]
    spans = s.clauses
    removal_spans = {(x.start, x.end) for x in s.lex if x.form == "removal"}
    for m in s.lex:
        status = lex_status.get(m.key)
        if status is None or _adjectival(s, m) or sought_deal(s, m, lex_status) or said_of_other(s, m, status):
            continue
        if m.form == "status" and (m.start, m.end) in removal_spans:
            continue  # "pushed 40 migrants back": a removal, not the request "pushed Ghana to accept"
        if status == Status.IMPLEMENTED and (moved_no_one(s, m) or _office_holders_subject(s, m, spans)):
            continue
        if status == Status.IMPLEMENTED and accepts_proposal(s, m):
            status = Status.AGREED
        if status in (Status.AGREED, Status.IMPLEMENTED) and any(0 <= m.start - n.end <= 12 for n in negations):
            if status == Status.IMPLEMENTED and not _state_subject(s, m, spans):
                continue  # "the first flight has not taken off": no step, and no state refused anything
            status = Status.REFUSED
        elif status in (Status.AGREED, Status.IMPLEMENTED) and (modal(s, m, spans) or _unreported_would(s, m)):
            status = Status.REQUESTED
        cues.append((m, status))
    clause_of = {id(g): s.clause_at(g.start) for g in hosts}
    found: dict[int, list[str]] = {id(g): [] for g in hosts}
    for m, status in cues:
        at = s.clause_at(m.start)
        own = [g for g in hosts if clause_of[id(g)] == at] or hosts
        nearest = min(own, key=lambda g: _distance(g, m))
        found[id(nearest)].append(status)
    out: dict[int, str | None] = {}
    for g in hosts:
        statuses = found[id(g)]
        out[id(g)] = next((st for st in _STATUS_PRECEDENCE if st in statuses), None)
    return out


def _office_holders_subject(s: Sentence, m: Match, spans: list[tuple[int, int]]) -> bool:
    """Office holders as the subject of a word of arrival or departure ("before the leaders of Liberia and
    Senegal arrived at the White House"): people travelling on business, not people moved."""
    lo = s.start + spans[s.clause_at(m.start)][0]
    titles = [t for t in s.lex if t.form in ("title", "title_plural") and lo <= t.start < m.start]
    return bool(titles) and len(s.text[lo - s.start:titles[0].start - s.start].split()) <= 3 and not any(
        x.form == "people" and titles[0].end <= x.start < m.start for x in s.lex)


_STATE_WORD = re.compile(r"\b(?:it|they|government|authorities|country|nation|kingdom|republic|officials|ministry)\b",
                         re.IGNORECASE)


def _state_subject(s: Sentence, m: Match, spans: list[tuple[int, int]]) -> bool:
    """Does a state stand before a word in its clause ("Ghana has not received", "it did not accept"), as
    opposed to a flight or the people ("the flight has not taken off")?"""
    lo = s.start + spans[s.clause_at(m.start)][0]
    return any(lo <= g.start < m.start and g.role == PLAIN for g in s.groups) or bool(
        _STATE_WORD.search(s.text, lo - s.start, m.start - s.start))


def _unreported_would(s: Sentence, m: Match) -> bool:
    """"would take" is a future only when reported ("Ghana said it would take"); else a condition."""
    word = s.text[m.start - s.start:m.end - s.start].lower()
    return word.startswith("would ") and not any(x.form == "speech" and x.end <= m.start for x in s.lex)


# Nouns a status word may be said of and still be about the arrangement; and pronouns (they stand for one).
_ABOUT_ARRANGEMENT = re.compile(
    r"(?:deal|agreement|accord|pact|plan|scheme|policy|programme|program|arrangement|memorandum|partnership|"
    r"flight|deportation|removal|transfer|return|operation|process|procedure|talk|negotiation|it|they|this|that|"
    r"which|who|government|court|judge|minister|ministry|officials?|authorities)s?", re.IGNORECASE)
_SUBJECT_OF = re.compile(r"\b([a-z]+)\s+(?:that\s+|which\s+)?(?:(?:is|was|were|are|has|have|had|been|being|be)\s+)"
                         r"{0,3}\Z")
_NO_OBJECT = re.compile(r"\s*(?:[,.;:)\]”\"]|\b(?:in|on|at|by|after|before|last|earlier|since|and|but|when|"
                        r"because|as|for)\b|\Z)")
_PEOPLE_SUBJECT = re.compile(r"\b(?:those|people|migrants|deportees|men|women|detainees|many|some|others|several|"
                             r"(?:their|his|her)\s+(?:own\s+)?(?:home\s+countr(?:y|ies)|countr(?:y|ies)\s+of\s+"
                             r"origin))\s+(?:who\s+|that\s+)?(?:(?:were|are|had|have|was|is)\s+)?\Z", re.IGNORECASE)
_SPEECH = re.compile(r"\s+to\s+(?:comment|say|confirm|discuss|elaborate|specify|disclose|answer|respond|reveal|"
                     r"identify|name|give details|provide details)\b", re.IGNORECASE)


# After a word of stopping, where: "halted briefly in", "stopped over at".
_STOPPED_AT = re.compile(r"\s+(?:\w+ly\s+)?(?:over\s+)?(?:in|at)\s", re.IGNORECASE)
# What a denial may deny that is not an arrangement but an account of one: "denied reports that ...".
_REPORTS = re.compile(r"\s+(?:[\w’']+\s+){0,2}?(?:reports?|claims?|allegations?|accounts?|accusations?|rumou?rs?|"
                      r"suggestions?)\b", re.IGNORECASE)


_PROPOSAL = re.compile(r"\s+(?:[\w’']+\s+){0,3}?(?:offer|proposal|request|deal|agreement|plan|terms|conditions|"
                       r"invitation|arrangement|demand)s?\b", re.IGNORECASE)


def accepts_proposal(s: Sentence, m: Match) -> bool:
    """"Kosovo has accepted the offer", "Honduras accepted to receive deportees": an acceptance word whose
    object is a proposal, or another verb, agrees to it; it reports no one taken in."""
    return m.form == "acceptance" and bool(_PROPOSAL.match(s.text, m.end - s.start)
                                           or re.match(r"\s+to\s+[a-z]", s.text[m.end - s.start:]))


def moved_no_one(s: Sentence, m: Match) -> bool:
    """"The UK has sent no one to Rwanda", "no one has actually been sent there": a removal whose object
    is no one names the pair but moves nobody (lexicon "negation-object")."""
    return any(x.key == "negation-object" and (0 <= x.start - m.end <= 2 or (
        0 <= m.start - x.end <= 40 and _NO_ONE_PASSIVE.fullmatch(s.text, x.end - s.start, m.start - s.start)))
        for x in s.lex)


# Between "no one" and the removal it was not the object of: "no one has actually been sent".
_NO_ONE_PASSIVE = re.compile(r"\s+(?:(?:has|have|had|was|were|is|are|yet|actually|ever|so\s+far|been|being)\s+)+",
                             re.IGNORECASE)


def _people_refuse(s: Sentence, at: int) -> bool:
    """Are people the subject of the refusal word at ``at`` ("those unwilling to return")? Not when they
    are the object of a taking or a removal just before ("countries asked about taking the men have
    refused": the countries refuse)."""
    found = _PEOPLE_SUBJECT.search(s.text, max(0, at - 30), at)
    if found is None:
        return False
    people = s.start + found.start()
    return not any(x.form in ("acceptance", "removal") and 0 <= people - x.end <= 12 for x in s.lex)


def _of_personal_claim(s: Sentence, m: Match) -> bool:
    """A refusal of a person's claim, application or appeal (lexicon "personal_claim"), just before it
    ("whose claims were rejected", "claims Cyprus has rejected") or after it ("rejected his appeal")."""
    return any(x.form == "personal_claim" and (0 <= m.start - x.end <= 25 or 0 <= x.start - m.end <= 15)
               and not re.search(r"[,;.]", s.text[min(x.end, m.end) - s.start:max(x.start, m.start) - s.start])
               for x in s.lex)


def said_of_other(s: Sentence, m: Match, status: str | None) -> bool:
    """Is a status word said of something other than the arrangement? "declined to comment";
    "rejected asylum seekers", "abandoned children"; "the visa is cancelled", "a war that ended"."""
    at, end = m.start - s.start, m.end - s.start
    word = s.text[at:end]
    if status == Status.REFUSED and (_SPEECH.match(s.text, end) or _people_refuse(s, at)
                                     or _REPORTS.match(s.text, end) or _of_personal_claim(s, m)):
        return True  # "declined to comment"; "those unwilling to return"; "denied reports that they deport";
        # "whose asylum claims were rejected"
    if word.endswith("ed") and " " not in word and any(p.form == "people" and 0 <= p.start - m.end <= 2 for p in s.lex):
        return True
    if any(x.form == "offence" and 0 <= x.start - m.end <= 12 for x in s.lex):
        return True  # "have not committed crimes": a deed of the people, not a step of the deal
    if status == Status.BLOCKED and _STOPPED_AT.match(s.text, end) and any(
            p.kind == "country" and p.form in ("name", "capital") and 0 <= p.start - s.start - end <= 24
            for p in s.proper):
        return True  # "the flight halted briefly in Honduras": a stop on the way, not a block
    if status in (Status.ENDED, Status.BLOCKED) and _NO_OBJECT.match(s.text, end):
        subject = _SUBJECT_OF.search(s.text, max(0, at - 40), at)
        if subject is None:
            return False
        return not _ABOUT_ARRANGEMENT.fullmatch(subject.group(1)) and not any(
            p.form == "people" and p.end - s.start == subject.end(1) for p in s.lex)
    return False


def sought_deal(s: Sentence, m: Match, lex_status: dict[str, str]) -> bool:
    """A word for a deal that a request or talks are about ("negotiating agreements", "asked for a deal")
    is no deal yet: the verb before it gives the status."""
    if lex_status.get(m.key) != Status.AGREED or m.form != "status":
        return False
    return any(x.form == "status" and lex_status.get(x.key) in (Status.NEGOTIATING, Status.REQUESTED)
               and x.end <= m.start and m.start - x.end <= 30 and not re.search(r"[,;:.]", s.text[
                   x.end - s.start:m.start - s.start]) for x in s.lex)


# The auxiliary of a passive right before a participle: "has been given", "must be allowed".
PASSIVE_BEFORE = re.compile(r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+ly\s+)?\Z", re.IGNORECASE)


# A passive that only names a risk, a fear or what is to come: "in danger of being sent", "to avoid being
# deported", "a risk of people sent there being wrongly deported", "the men in line to be deported".
_NON_FINITE = re.compile(
    r"(?:\b(?:of|from|about|risk|face|facing|fear|avoid)\s+being\s+"
    r"|\b(?:risks?|danger|fears?|threat|face|facing|avoid|avoiding|prevent|preventing)\b[^,;:.]{0,40}?\bbeing\s+"
    r"|\bto\s+be\s+)(?:\w+ly\s+)?\Z", re.IGNORECASE)


def modal(s: Sentence, m: Match, spans: list[tuple[int, int]] | None = None,
          forms: tuple[str, ...] = ("modal", "future")) -> bool:
    """Is a word under a modal, condition (lexicon "modal") or future or intention ("future") of its own
    clause: "might be flown", "will send", "plans to return"?"""
    if _NON_FINITE.search(s.text, max(0, m.start - s.start - 70), m.start - s.start):
        return True  # "in danger of being sent": not reported as done
    modals = [x for x in s.lex if x.form in forms and x.end <= m.start and m.start - x.end <= 45]
    if not modals:
        return False
    clause_start = s.start + (spans or s.clauses)[s.clause_at(m.start)][0]
    return any(clause_start <= x.start for x in modals)


# A relative clause about people: "who" stands for persons, so what follows describes them.
_WHO_CLAUSE = re.compile(r"\b(?:who|whom)\s+(?:(?:have|has|had)\s+)?(?:\w+ly\s+)?(?:were|are|was|is|been|being)"
                         r"(?:\s+being)?\s+(?:\w+ly\s+)?$|(?<!were )(?<!was )(?<!are )(?<!is )\bbeing\s+$"
                         r"|\b(?:who|whom)\s+(?:cannot|can't|could\s+not|couldn't|can|could|may|might|must|should)"
                         r"(?:\s+not)?\s+be\s+$", re.IGNORECASE)


def _adjectival(s: Sentence, m: Match) -> bool:
    """A past participle describing people reports no new removal: "people deported from the U.S.",
    "the deported migrants"."""
    if m.form not in ("removal", "acceptance"):
        return False
    before = s.text[max(0, m.start - s.start - 30):m.start - s.start]
    if _WHO_CLAUSE.search(before):
        return True  # "migrants from other countries who were deported by the United States"
    people_before = re.search(
        r"\b(people|migrants|immigrants|nationals|deportees|men|women|individuals|persons|"
        r"foreigners|asylum seekers|those|others|citizens|aliens)"
        r"[”\"’']?\s+(?P<who>(?:who|that)\s+(?:[\w’']+\s+){0,2}?(?:were|are|was|is|be|been|being)\s+)?$", before,
        re.IGNORECASE)
    if people_before:
        # a headline drops its auxiliary: "Syrian men returned from Turkey to Idlib" reports the removal
        # (unless the people are an earlier verb's object: "Morocco agrees to take back citizens expelled by …")
        return bool(people_before.group("who")) or not _headline(s) or any(
            x.form in ("acceptance", "removal", "status") and x.end <= m.start - len(before) + people_before.start()
            for x in s.lex)
    word = s.text[m.start - s.start:m.end - s.start]
    if word.endswith("ed") and " " not in word and any(
            x.form in ("acceptance", "removal") and x is not m and 0 <= m.start - x.end <= 2 for x in s.lex):
        return True  # "agreed to receive deported activists"
    return word.endswith("ed") and " " not in word and not _OBJECT_AFTER.match(s.text, m.end - s.start) and any(
        p.form == "people" and 0 <= p.start - m.end <= 12 for p in s.lex) and bool(
        re.search(r"(?:\b(?:the|a|an|one|these|those|of|for|with|newly|recently|some|all|other)|\d|[,(])\s*$",
                  before, re.IGNORECASE)) and not _FLOATING_QUANTIFIER.search(before)


def _headline(s: Sentence) -> bool:
    """The article's first line when it reads as a headline: no full stop at its end."""
    return s.start == 0 and not s.text.rstrip().endswith((".", "!", "?", '"', "”", "’", "'"))


# A determiner or number after a participle opens its object: "…, received a second group", "…, returned 19
# men" is a verb, where "…, deported migrants" describes the people.
_OBJECT_AFTER = re.compile(r"\s+(?:a|an|the|this|these|their|its|his|her|another|\d[\d,.]*)\s", re.IGNORECASE)


# "have all accepted deportees": a quantifier after an auxiliary belongs to the subject, and the
# participle is the verb of the clause, not a description of the people after it.
_FLOATING_QUANTIFIER = re.compile(r"\b(?:have|has|had|are|were|was|is|will|would)\s+(?:all|both|each)\s*$",
                                  re.IGNORECASE)


# Month names come from loaders/dates.py (one list); capitalized as news writes them.
_MONTH = "(" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
_DATE = re.compile(rf"\b(?:{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?|(\d{{1,2}})\s+{_MONTH}"
                   rf"(?:\s+(\d{{4}}))?|(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ee]arly|[Ll]ate|[Mm]id-?)\s+{_MONTH}"
                   rf"(?:\s+(\d{{4}}))?|(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ee]arly|[Ll]ate|[Mm]id-?)\s+((?:19|20)\d\d))\b")


# A temporal clause with its own words before a date: the date is that clause's event, not the report's.
_BACKGROUND_CLAUSE = re.compile(r"\b(?:[Ss]ince|[Aa]fter|[Bb]efore|[Uu]ntil|[Ff]ollowing|[Ww]hen)\s+[^,;:.]*?\w+\s+\Z")


def _event_dates(sentence: str, published: str | None) -> tuple[str, ...]:
    """Dates a sentence gives for what it reports ("on April 30", "in March 2025"), as ISO strings.

    A date without a year takes the publication's year, or the year before if that would put it
    after the publication.

    >>> _event_dates("The flight landed on April 30 and a deal was signed in March 2025.", "2025-05-02")
    ('2025-03', '2025-04-30')
    >>> _event_dates("In January the plan was dropped; talks began in 2023.", "2025-07-01")
    ('2023', '2025-01')
    >>> _event_dates("The first flight since the Taliban took power in August 2021 left.", "2025-07-01")
    ()
    >>> _event_dates("The men were flown out on Wednesday; a judge ruled on Friday.", "2024-10-18")
    ('2024-10-16', '2024-10-18')
    """
    out = set()
    pub_year = int(published[:4]) if published else None
    for m in _DATE.finditer(sentence):
        if _BACKGROUND_CLAUSE.search(sentence, max(0, m.start() - 90), m.start()):
            continue  # "since the Taliban took power in August 2021" dates another event
        mon1, day1, year1, day2, mon2, year2, mon3, year3, year_only = m.groups()
        if year_only:
            out.add(year_only)
            continue
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
    if published and len(published) >= 10:
        out.update(_weekdays(sentence, published))
    return tuple(sorted(out))


_WEEKDAY = re.compile(r"(?<!\bnext )(?<!\bby )(?<!\buntil )(?<!\bcoming )\b(Monday|Tuesday|Wednesday|Thursday|Friday|"
                      r"Saturday|Sunday)\b")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekdays(sentence: str, published: str) -> set[str]:
    """"On Friday" in news is the last such day up to the publication date."""
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return set()
    out = set()
    for m in _WEEKDAY.finditer(sentence):
        if _BACKGROUND_CLAUSE.search(sentence, max(0, m.start() - 90), m.start()):
            continue
        back = (pub.weekday() - _WEEKDAYS.index(m.group(1))) % 7
        out.add(date.fromordinal(pub.toordinal() - back).isoformat())
    return out



# One person's fear under a condition: "if she were forced to return to Afghanistan", "if he is deported".
PERSONAL_CONDITION = re.compile(r"\bif\s+(?:she|he|I|we)\s+(?:were|was|is|are|gets?|got|had been|has been)\b",
                                re.IGNORECASE)
_CRITICS_DEMAND = re.compile(
    r"\b(critics|activists|rights groups|human rights (?:groups|organi[sz]ations)|advocates|campaigners|opposition|"
    r"lawyers|charities|NGOs)\b[^.;]{0,60}?\b(urged|urging|called on|calling on|calls on|demanded|demanding|"
    r"want(?:s|ed)?|asked|asking)\b", re.IGNORECASE)
