"""Role patterns: data that refine the role a country group plays in its clause.

Each pattern of ``patterns/roles.jsonl`` names a role and regular expressions for the words right
before the group (``before``, matched at the end of the clause's text before it) and right after it
(``after``, matched at the start of what follows). ``ends_with`` lists the words the text before the
group can end with (a leading "the" aside) for ``before`` to match: a dictionary look-up spares the
regular expression for almost every group. A pattern may apply only to groups that already hold one
of ``when_role``. Patterns are tried in file order; the first that matches sets the role.
They catch what prepositions alone get wrong: a stop on the way ("held in Oman before the onward
flight"), a mediator ("with the help of Qatar"), a place inside a relative clause about the people
("people who arrived in Norway"), the owner of a removal plan ("Sweden's plan to send…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from deportgraph.errors import LoaderError

from ..gazetteer import read_pattern_lines
from .sentences import Sentence

__all__ = ["RolePattern", "apply_role_patterns", "load_role_patterns"]

# How far before a group its patterns look (the longest pattern needs about a hundred characters).
_WINDOW = 160
_ROLES = {"dest", "from", "nationality", "transit", "location", "plain", "partner", "modifier", "adjective",
          "mediator"}


@dataclass(frozen=True, slots=True)
class RolePattern:
    """One entry of ``roles.jsonl``."""

    id: str
    role: str
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    when_role: frozenset[str]
    ends_with: frozenset[str]
    confidence: float
    examples: tuple[str, ...]


@cache
def load_role_patterns() -> tuple[RolePattern, ...]:
    """The role patterns, compiled once per process."""
    out = []
    for lineno, row in read_pattern_lines("roles.jsonl"):
        try:
            if row["role"] not in _ROLES:
                raise ValueError(f"unknown role {row['role']!r}")
            out.append(RolePattern(
                row["id"], row["role"],
                re.compile(row["before"] + r"\Z", re.IGNORECASE) if row.get("before") else None,
                re.compile(row["after"], re.IGNORECASE) if row.get("after") else None,
                frozenset(row.get("when_role", ())), frozenset(row.get("ends_with", ())), float(row["confidence"]),
                tuple(row.get("examples", ()))))
        except (ValueError, KeyError, re.error) as err:
            raise LoaderError(f"patterns/roles.jsonl:{lineno}", f"bad role pattern ({err})") from None
    return tuple(out)


@cache
def _by_last_word() -> tuple[dict[str, tuple[RolePattern, ...]], tuple[RolePattern, ...]]:
    """The patterns to try for each last word before a group, in file order, and those to try always."""
    patterns = load_role_patterns()
    words = {w for p in patterns for w in p.ends_with}
    always = tuple(p for p in patterns if not p.ends_with)
    return {w: tuple(p for p in patterns if not p.ends_with or w in p.ends_with) for w in words}, always


def apply_role_patterns(s: Sentence) -> None:
    """Give groups the role of the first pattern that matches around them, within their clause."""
    if not s.groups:
        return
    spans = s.clauses
    by_word, always = _by_last_word()
    for g in s.groups:
        a, b = spans[s.clause_at(g.start)]
        before = s.text[max(a, g.start - s.start - _WINDOW):g.start - s.start]
        after = s.text[g.end - s.start:b]
        words = before[-40:].lower().split()
        if words and words[-1] == "the":
            words.pop()
        for p in by_word.get(words[-1], always) if words else always:
            if p.when_role and g.role not in p.when_role:
                continue
            if p.before is not None and not p.before.search(before):
                continue
            if p.after is not None and not p.after.match(after):
                continue
            if p.before is None and p.after is None:
                continue
            g.role = p.role
            g.rule = p.id
            break
