"""A country's profile (`queries.profile.country_profile`) as Markdown, ready to paste into a report."""

from __future__ import annotations

from typing import Any

from deportgraph.queries.profile import PROFILE_SECTIONS

__all__ = ["profile_markdown"]


def profile_markdown(profile: dict[str, Any]) -> str:
    """A profile as Markdown, ready to paste into a report."""
    lines = [f"# {profile['country']} ({profile['iso3']})", ""]
    titles = {"arrangements": "Arrangements", "payments": "Money", "officials": "Officials",
              "agencies": "Agencies", "court_rulings": "Court rulings"}
    for section in PROFILE_SECTIONS:
        rows = profile[section]
        lines += [f"## {titles[section]}", ""]
        if section == "payments":
            t = profile["totals"]
            lines += [f"Paid: USD {t['paid_usd']:,.0f}; received: USD {t['received_usd']:,.0f} "
                      "(sums that were disclosed)", ""]
        if not rows:
            lines += ["None reported.", ""]
            continue
        cols = list(rows[0])
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for row in rows:
            lines.append("| " + " | ".join(_md(row[c]) for c in cols) + " |")
        lines.append("")
    return "\n".join(lines)


def _md(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        value = f"{value:,.0f}"
    return str(value).replace("|", "\\|").replace("\n", " ")
