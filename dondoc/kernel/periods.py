"""Reporting frequencies and periods as every service names them: the ids tasks announces (2026-M05,
2026-Q2, 2026-S1, 2026-9M, 2026-Y), how one is read and written, and its Vietnamese name.

When a period's data window opens and closes (Decree 09/2019/NĐ-CP) is tasks' rule
(`services/tasks/domain/periods.py`); this module only knows names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Final, Literal, get_args

from pydantic import Field

# How often a plan asks for a report (a plan's "hằng tháng", "hằng quý", "6 tháng", "9 tháng", "hằng năm").
Recurrence = Literal["monthly", "quarterly", "semiannual", "ninemonth", "annual"]
RECURRENCES: Final[tuple[Recurrence, ...]] = get_args(Recurrence)
RECURRENCE_LABELS: Final[dict[Recurrence, str]] = {
    "monthly": "Hằng tháng",
    "quarterly": "Hằng quý",
    "semiannual": "6 tháng",
    "ninemonth": "9 tháng",
    "annual": "Hằng năm",
}
# periods of each kind in a year
PERIODS_PER_YEAR: Final[dict[Recurrence, int]] = {
    "monthly": 12,
    "quarterly": 4,
    "semiannual": 2,
    "ninemonth": 1,
    "annual": 1,
}

PERIOD_ID_PATTERN: Final = r"\d{4}-(?:M(?:0[1-9]|1[0-2])|Q[1-4]|S[12]|9M|Y)"
_ID: Final = re.compile(r"^(\d{4})-(?:M(0[1-9]|1[0-2])|Q([1-4])|S([12])|(9M)|(Y))$")
_ROMAN: Final = {1: "I", 2: "II", 3: "III", 4: "IV"}

# A period as events carry it. Not validated on the wire: a report owed may name its period in the
# plan's own words ("Quý IV/2026") when the plan gave no frequency tasks can number.
PeriodId = Annotated[
    str,
    Field(
        description="Kỳ báo cáo: NNNN-Mtt (tháng), NNNN-Q1…Q4 (quý), NNNN-S1/S2 (6 tháng), NNNN-9M, NNNN-Y",
        examples=["2026-Q2"],
    ),
]


@dataclass(frozen=True, slots=True, order=True)
class PeriodName:
    """What a period id says: its kind, its reporting year and its number within the year."""

    kind: Recurrence
    year: int
    index: int = 1  # month 1–12, quarter 1–4, half 1–2; 1 for nine-month and annual

    def __post_init__(self) -> None:
        if not 1 <= self.index <= PERIODS_PER_YEAR[self.kind]:
            raise ValueError(f"{self.kind} periods are numbered 1–{PERIODS_PER_YEAR[self.kind]}")

    @property
    def id(self) -> str:
        """The id, e.g. 2026-M05, 2026-Q2, 2026-S1, 2026-9M, 2026-Y."""
        return format_period_id(self.kind, self.year, self.index)


def format_period_id(kind: Recurrence, year: int, index: int = 1) -> str:
    """The id of the `index`-th period of `kind` in `year`."""
    suffix = {
        "monthly": f"M{index:02d}",
        "quarterly": f"Q{index}",
        "semiannual": f"S{index}",
        "ninemonth": "9M",
        "annual": "Y",
    }[kind]
    return f"{year}-{suffix}"


def parse_period_id(text: str) -> PeriodName:
    """The period an id such as "2026-Q2" names (surrounding spaces ignored); ValueError otherwise."""
    match = _ID.match(text.strip())
    if match is None:
        raise ValueError(f"not a reporting period id: {text!r}")
    year, month, quarter, half, nine, _annual = match.groups()
    if month is not None:
        return PeriodName("monthly", int(year), int(month))
    if quarter is not None:
        return PeriodName("quarterly", int(year), int(quarter))
    if half is not None:
        return PeriodName("semiannual", int(year), int(half))
    return PeriodName("ninemonth" if nine is not None else "annual", int(year))


def is_period_id(text: str) -> bool:
    """Whether the text is exactly a period id (no surrounding spaces)."""
    return _ID.match(text) is not None


def period_label(period_id: str) -> str:
    """The Vietnamese name of a period, as a report title says it; an unknown id is shown as it is."""
    if not is_period_id(period_id):
        return period_id
    name = parse_period_id(period_id)
    year = name.year
    match name.kind:
        case "monthly":
            return f"tháng {name.index} năm {year}"
        case "quarterly":
            return f"quý {_ROMAN[name.index]} năm {year}"
        case "semiannual":
            return f"6 tháng {'đầu' if name.index == 1 else 'cuối'} năm {year}"
        case "ninemonth":
            return f"9 tháng năm {year}"
    return f"năm {year}"
