"""Clauses: a sentence cut where what is said about one arrangement stops and another begins.

Cuts fall at semicolons, at a comma before a clause-opening conjunction ("…, while Kosovo agreed") or
a relative pronoun ("the deal, which a court later struck down"),
around quotations, and at a dash before a new subject. A status word, a modal or a trigger is read
with the country groups of its own clause first.
"""

from __future__ import annotations

import bisect
import re

__all__ = ["clause_index", "clause_spans"]

# A comma (or dash) followed by a word that opens a new clause ("as well as" before a name joins a list).
_CLAUSE_OPENER = re.compile(
    r";\s*|[,—–]\s+(?=(?:while|but|whereas|although|though|after|before|since|even as|"
    r"as well as(?!\s+(?-i:(?:the\s+)?[A-Z]))|and then|yet|"
    r"however|meanwhile|which|who|whom|whose|and (?:the|a|an|it|its|their|they|he|she)\b)\b)"
    r"|\s+(?=[“\"])|(?<=[”\"])\s+"
    # a comma before a new subject and its verb: "…to Albania, the Netherlands has signed…"
    # (not a tag that reports the clause before: "…is unlawful, the Supreme Court has ruled")
    r"|,\s+(?=(?-i:(?:[Tt]he\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s+(?:has|have|had|is|are|was|were|"
    r"will|would|also|already)\s(?!(?:\w+\s+)?(?:ruled|said|found|held|decided|confirmed|announced|reported|told)\b)))"
    # "…, and Denmark has agreed": a singular verb after "and" opens a clause (a list would take "have")
    r"|,\s+(?=and\s+(?-i:(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s+(?:has|is|was)\s))",
    re.IGNORECASE)


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """The clauses of a sentence as (start, end) offsets into it.

    >>> t = "Ghana took 14 people, while the U.S. asked Togo; Benin refused."
    >>> [t[a:b] for a, b in clause_spans(t)]
    ['Ghana took 14 people,', 'while the U.S. asked Togo;', 'Benin refused.']
    """
    spans = []
    start = 0
    for m in _CLAUSE_OPENER.finditer(sentence):
        end = m.start() + len(m.group(0).rstrip())
        if sentence[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if sentence[start:].strip() or not spans:
        spans.append((start, len(sentence)))
    return spans


def clause_index(spans: list[tuple[int, int]], offset: int) -> int:
    """The clause an offset (into the sentence) falls in.

    >>> clause_index([(0, 10), (11, 20)], 12)
    1
    """
    return max(0, bisect.bisect_right([a for a, _ in spans], offset) - 1)
