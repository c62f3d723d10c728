"""Reporting periods as people read them, by the ids tasks announces (2026-S1, 2026-Q2, 2026-M05, …)."""

from __future__ import annotations

import re

_ID = re.compile(r"^(\d{4})-(?:M(\d{2})|Q([1-4])|S([12])|(9M)|(Y))$")
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period_label(period_id: str) -> str:
    """The Vietnamese name of a period, as a report title says it; an unknown id is shown as it is."""
    match = _ID.match(period_id)
    if match is None:
        return period_id
    year, month, quarter, half, nine, _annual = match.groups()
    if month is not None:
        return f"tháng {int(month)} năm {year}"
    if quarter is not None:
        return f"quý {_ROMAN[quarter]} năm {year}"
    if half is not None:
        return f"6 tháng {'đầu' if half == '1' else 'cuối'} năm {year}"
    if nine is not None:
        return f"9 tháng năm {year}"
    return f"năm {year}"
