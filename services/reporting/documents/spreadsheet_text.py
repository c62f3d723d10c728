"""The one rule every spreadsheet writer applies to text: a unit's words never become a formula.

A unit writes its results, difficulties and proposals freely; a line such as `=HYPERLINK("http://…")` must
open in the compiler's spreadsheet as the words the unit typed, never as a live formula or link. Each writer
(the service's own and the openpyxl reference) stores every text cell as a string cell AND passes it through
`spreadsheet_text`, which neutralises the characters spreadsheet programs read as the start of a formula,
as OWASP's CSV-injection guidance says: a leading `=`, `+`, `-`, `@`, tab or carriage return is preceded by a
single quote. The quote stays visible, which is the point: a copy to CSV or a paste elsewhere stays inert.
"""

from __future__ import annotations

# OWASP "CSV Injection": https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """The text as a spreadsheet cell must hold it: prefixed with `'` when it could start a formula."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text
