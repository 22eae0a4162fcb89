"""Agencies that act in an arrangement: the body that carries out a removal or announces it.

"ICE flew the men to Ghana", "the Home Office said the first flight left", "according to DHS, …":
an agency of the host or the deporting state (or a body no state owns, like IOM) in a sentence that
states the arrangement gets an ``ACTED_IN`` edge to its agreement, with its role: ``carried out``
when it is the subject of the removal or acceptance words, ``announced`` when it is the one speaking
(lexicon "speech"). Courts have their own edges (``BLOCKED_BY``, ``ALLOWED_BY``) and funders
``FUNDED_BY``; campaign groups act in no arrangement.
"""

from __future__ import annotations

import re

from deportgraph.vocabulary import EdgeType

from ..claims import ArticleClaims, Fact
from ..gazetteer import Match
from .context import Context
from .facts import _agency, _rule
from .lifecycle import modal
from .mentions import _remover
from .sentences import Group, Sentence

__all__ = ["ANNOUNCED", "CARRIED_OUT", "read_acting_agencies"]

CARRIED_OUT, ANNOUNCED = "carried out", "announced"
# Courts rule, campaign groups and parliaments act in no arrangement; a head of state's office ("the
# White House", "the administration") is the state itself, already a party.
_NOT_ACTORS = {"court", "ngo", "legislature", "head_of_state_office"}
# Between an agency and the word of speech after it: "DHS said", "the Home Office's statement", "ICE officials told".
_SPEAKER_GAP = re.compile(
    r"(?:['’]s)?\s+(?:(?:also|later|then|officials?|spokes\w+|in\s+a|on\s+\w+|has|had|have)\s+){0,3}")


def read_acting_agencies(s: Sentence, ctx: Context, claims: ArticleClaims,
                         agreements: list[tuple[str, tuple[str, str]]], quote: str) -> None:
    """The agencies of one sentence that carry out or announce the arrangements it states
    (``agreements``: each agreement id with its (host, deporter))."""
    agencies = [m for m in s.proper if m.kind == "agency"]
    if not agencies or not agreements:
        return
    # "blocked X from deporting", "could send": what was stopped or may happen was not carried out
    removals = [m for m in s.lex if m.form in ("removal", "acceptance") and not modal(s, m)
                and not re.search(r"\bfrom\s+\Z", s.text[max(0, m.start - s.start - 8):m.start - s.start])]
    speech = [m for m in s.lex if m.form == "speech"]
    for m in agencies:
        agency = ctx.gazetteer.agencies[m.key]
        if agency.kind in _NOT_ACTORS:
            continue
        mine = [a for a, parties in agreements if agency.country is None or agency.country in parties]
        role = _role(s, m, removals, speech) if mine else None
        if role is None:
            continue
        _agency(ctx, claims, m.key, quote)
        for agreement in mine:
            claims.add(Fact(EdgeType.ACTED_IN, m.key, agreement, (("role", role),), quote,
                            _rule(f"agency/{role.replace(' ', '-')}"), 0.6))


def _role(s: Sentence, m: Match, removals: list[Match], speech: list[Match]) -> str | None:
    """Speaking first: "the Home Office said 20 people were flown" announces what others carried out."""
    if _speaks(s, m, speech):
        return ANNOUNCED
    if removals and _remover(s, Group([m]), removals):
        return CARRIED_OUT
    return None


def _speaks(s: Sentence, m: Match, speech: list[Match]) -> bool:
    for w in speech:
        word = s.text[w.start - s.start:w.end - s.start].lower()
        if word == "according to":
            if 0 <= m.start - w.end <= 6:
                return True
        elif w.start >= m.end and _SPEAKER_GAP.fullmatch(s.text, m.end - s.start, w.start - s.start):
            return True
        elif word == "statement" and 0 <= m.start - w.end <= 12:
            return True  # "a statement from the Home Office"
    return False
