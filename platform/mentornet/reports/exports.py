"""CSV files of the report's tables: names in the reader's language, numbers plain.

Plain Python. Numbers are written as a spreadsheet reads them whatever its language:
digits with a full stop for decimals, shares as percentages with their unit in the
column's name, no thousands separators. The file starts with a byte order mark so that
spreadsheet programs open Danish or Arabic names as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from mentornet.reports.figures import COUNT, SHARE, Hidden, Value

HIDDEN_CELL = "<10"
BOM = "\ufeff"


def plain(value: Value, unit: str) -> str:
    if isinstance(value, Hidden):
        return HIDDEN_CELL
    if value is None:
        return ""
    if unit == COUNT:
        return str(int(value))
    if unit == SHARE:
        value = value * 100
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def to_csv(header: Sequence[str], rows: Sequence[tuple[str, Sequence[tuple[Value, str]]]]) -> str:
    """``header``: the row label's column, then each value column; ``rows``: a label and
    its (value, unit) cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for label, cells in rows:
        writer.writerow([label, *(plain(value, unit) for value, unit in cells)])
    return BOM + out.getvalue()
