"""People's names: the capitalized words after a title."""

from __future__ import annotations

import re

from ..gazetteer import Match
from .sentences import Sentence

_PARTICLES = ("de", "da", "del", "der", "den", "du", "la", "le", "van", "von", "bin", "dos", "das", "di", "y")
# A capital letter, accented ones too ("Ábrego", "Łukasz", "Šefčovič").
UPPER = "[" + "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper()) + "]"
# (a Tongan or Hawaiian name may open with an okina: "‘Akilisi Pohiva")
_NAME_TOKEN = re.compile(rf"(?:[‘ʻ]?{UPPER}[\w'’.-]*|" + "|".join(_PARTICLES) + r"|al-\w+|el-\w+)")
_NOT_NAMES = {
    "The", "A", "An", "On", "In", "At", "And", "But", "Said", "I", "He", "She", "It", "They", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December", "Office", "Administration",
    "Department", "Ministry", "House", "Court", "Government", "Trump's", "Biden's", "Of", "For", "To",
    "Assembly", "Council", "Committee", "Commission", "Party", "Force", "Army", "Navy", "Staff", "Services",
    "Agency", "Union", "Nations", "Parliament", "Congress", "Senate", "Cabinet", "Bureau", "Authority",
    "Security", "Affairs", "Police", "Immigration", "Service", "Directorate", "Forces", "Guard", "Command",
    "Development", "Rights", "Cooperation", "Partnership", "Relations", "Programme", "Program", "Fund", "Former",
}



_TITLE_WORDS = {"secretary", "minister", "president", "assistant", "deputy", "general", "director", "spokesperson",
                "spokesman", "spokeswoman", "chief", "judge", "ambassador", "commissioner", "governor", "senator"}
# Military ranks that may stand between a title and the name: "Adviser Lt Gen (Retd) …", "Director General
# Major General …".
_RANKS = {"lt", "lt.", "gen", "gen.", "general", "major", "maj", "maj.", "col", "col.", "colonel", "brig", "brig.",
          "brigadier", "captain", "capt", "capt.", "admiral", "air", "marshal", "lieutenant", "(retd)", "retd"}
_RANK_RUN = re.compile(r"(?:(?:" + "|".join(re.escape(r) for r in sorted(_RANKS, key=len, reverse=True))
                       + r")\s+)+", re.IGNORECASE)
# Between a title and the name: nothing, or ", " or "of the Interior, " / "to Palau, ".
_TITLE_TAIL = re.compile(r"(?:\s+(?:of|for|at|in|to)\s+(?:the\s+)?(?:[\w'’-]+\s?){1,5})?,\s+|\s+")


# Before a state named in a title's complement: "of", or "of Internal Affairs of" (then the state).
_OF_STATE = re.compile(r"(?:\s+(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:\s+and)?\s+){0,2}[A-Z][\w'’-]*)?"
                       r"\s+of\s+(?:the\s+)?")


def _state_complement(s: Sentence, title: Match, rest: str) -> int | None:
    """Where a name starts after a state named in the title's complement, with no comma between."""
    lead = _OF_STATE.match(rest)
    if lead is None:
        return None
    at = title.end + lead.end()
    state = next((m for m in s.proper if m.kind == "country" and m.form == "name" and m.start == at), None)
    if state is None or not re.match(rf" {UPPER}", s.text[state.end - s.start:]):
        return None
    return state.end - title.end + 1


def _name_after(s: Sentence, title: Match) -> list[str]:
    """The capitalized words right after a title: the person's name, possessive dropped."""
    rest = s.text[title.end - s.start:]
    tail = _TITLE_TAIL.match(rest)
    if not tail:
        return []
    tokens: list[str] = []
    pos = tail.end()
    state = _state_complement(s, title, rest)
    if state is not None:  # "Prime Minister of Antigua and Barbuda Gaston Browne": the name after the state
        pos = state
    ranks = _RANK_RUN.match(rest, pos)
    if ranks:
        pos = ranks.end()
    places = {m.start - title.end for m in s.proper if m.kind in ("country", "agency")}
    while len(tokens) < 5:
        m = _NAME_TOKEN.match(rest, pos)
        if not m:
            break
        token = m.group(0)
        clean = re.sub(r"['’]s$", "", token).rstrip(".,")
        acronym = clean.isupper() and len(clean) > 1 and not clean.endswith(".") and not re.fullmatch(r"[IVX]+", clean)
        if clean in _NOT_NAMES or not clean or acronym or clean.lower() in _TITLE_WORDS or m.start() in places:
            break  # an acronym ("DHS"), another title or a state ("…, Uganda, which") begins the next phrase
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


