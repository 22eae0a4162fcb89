"""Sentences: spans, and the sentence model that later stages fill in (mentions, groups, roles)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..gazetteer import Match

_ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt",
    "col", "no", "inc", "co", "corp", "vs", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov",
    "dec", "prof", "adm", "sgt", "capt", "u.s.a", "d.c", "ft", "mt",
}
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*")

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



# Roles a group of country mentions can play in its sentence.
DEST, FROM, NATIONALITY, TRANSIT, LOCATION, PLAIN, PARTNER, MODIFIER, ADJECTIVE, MEDIATOR = (
    "dest", "from", "nationality", "transit", "location", "plain", "partner", "modifier", "adjective", "mediator",
)


@dataclass(slots=True)
class Sentence:
    """One sentence with its mentions, offsets relative to the article."""

    start: int
    end: int
    text: str
    proper: list[Match]
    lex: list[Match]
    groups: list[Group] = field(default_factory=list)
    _clauses: list[tuple[int, int]] | None = None
    _clause_starts: list[int] | None = None

    def lex_of(self, *categories: str) -> list[Match]:
        return [m for m in self.lex if m.form in categories]

    @property
    def clauses(self) -> list[tuple[int, int]]:
        """The sentence's clauses (`clauses.clause_spans`), cut once."""
        if self._clauses is None:
            from .clauses import clause_spans

            self._clauses = clause_spans(self.text)
            self._clause_starts = [a for a, _ in self._clauses]
        return self._clauses

    def clause_span(self, at: int) -> tuple[int, int]:
        """Clause ``at`` of the sentence as article offsets."""
        a, b = self.clauses[at]
        return self.start + a, self.start + b

    def clause_at(self, offset: int) -> int:
        """The index of the clause an article offset falls in."""
        if self._clause_starts is None:
            self.clauses  # noqa: B018 - cuts the clauses and their starts once
        assert self._clause_starts is not None
        return max(0, bisect.bisect_right(self._clause_starts, offset - self.start) - 1)



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


@dataclass(slots=True)
class Group:
    """Country mentions that form one list ("Uzbekistan, Kazakhstan, and Kyrgyzstan")."""

    mentions: list[Match]
    role: str = PLAIN
    rule: str | None = None  # the role pattern that set the role, if one did
    _countries: list[str] | None = None

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[-1].end

    @property
    def countries(self) -> list[str]:
        """The distinct countries of the group, in order (read once the group is complete)."""
        if self._countries is None or len(self._countries) > len(self.mentions):
            self._countries = list(dict.fromkeys(m.key for m in self.mentions))
        return self._countries
