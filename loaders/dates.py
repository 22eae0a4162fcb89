"""Dates as ISO strings: the one form the store and both Cypher engines share."""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["MONTHS", "iso_date"]

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"]
    )
}
MONTHS.update({m[:3]: n for m, n in list(MONTHS.items())})
MONTHS["sept"] = 9

_NUMERIC = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_WORDY = re.compile(r"^(?:\w+,\s*)?(\d{1,2})?\s*([A-Za-z]+)\.?\s+(\d{1,2})?,?\s*(\d{4})")


def iso_date(value: object) -> str | None:
    """Read a publication date in a common spelling and give it as ``YYYY-MM-DD``.

    >>> iso_date("2025-05-01T10:00:00Z")
    '2025-05-01'
    >>> iso_date("May 1, 2025")
    '2025-05-01'
    >>> iso_date("Thu, 01 May 2025 10:00:00 GMT")
    '2025-05-01'
    >>> iso_date("soon") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    m = _NUMERIC.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
        return _checked(year, month, day, has_day=m.group(3) is not None)
    m = _WORDY.match(text)
    if m:
        day_before, month_name, day_after, year_text = m.groups()
        month_number = MONTHS.get(month_name.lower())
        day_text = day_before or day_after
        if month_number:
            return _checked(int(year_text), month_number, int(day_text or 1), has_day=day_text is not None)
    return None


def _checked(year: int, month: int, day: int, has_day: bool) -> str | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d.isoformat() if has_day else d.isoformat()[:7]
