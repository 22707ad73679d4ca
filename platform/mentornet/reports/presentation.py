"""A table as a reader meets it: named, formatted, charted, or written as CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from mentornet.i18n import text_direction
from mentornet.reports import charts, exports, labels
from mentornet.reports.figures import OTHER, SHARE, Hidden, Row, Table
from mentornet.reports.queries import UNKNOWN


def rows_are(kind: str) -> str:
    names = {
        "measure": _("Measure"),
        "stage": _("Stage"),
        "outcome": _("Measure"),
        "profession": _("Profession (ISCO-08 major group)"),
        "country": _("Country of origin"),
        "age_band": _("Age"),
        "month": _("Month"),
        "programme": _("Programme"),
    }
    return names.get(kind, kind)


@dataclass
class ShownRow:
    key: str
    label: str
    cells: list[str]
    total: bool = False


@dataclass
class Shown:
    key: str
    title: str
    note: str
    head: str  # the row labels' column
    columns: list[str]
    rows: list[ShownRow] = field(default_factory=list)
    chart: Markup | None = None

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _locale() -> str:
    locale = get_locale()
    return str(locale) if locale is not None else "en"


def _axis(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    pattern = "yMMM" if number == 1 else "MMM"
    return format_skeleton(pattern, date(year, number, 1), locale=_locale())


def _charted_rows(table: Table) -> list[Row]:
    return [r for r in table.rows if not r.total and r.key not in (UNKNOWN, OTHER)]


def chart(table: Table, chart_id: str) -> Markup | None:
    """The table's chart, or None when it has none or nothing to draw."""
    if table.chart is None or table.charted is None:
        return None
    index = table.column(table.charted)
    rows = _charted_rows(table)
    if not rows:
        return None
    points = []
    for row in rows:
        value = row.values[index]
        number = None if isinstance(value, Hidden) else value
        points.append(
            charts.Point(
                labels.row_label(table, row),
                float(number) if number is not None else None,
                labels.cell(value, table.unit(row, index)),
                _axis(row.key) if table.rows_are == "month" else "",
            )
        )
    column = labels.column_label(table.charted)
    drawn = [p for p in points if p.value is not None]
    if drawn:
        top = max(drawn, key=lambda p: p.value or 0)
        description = _(
            "%(column)s for each row of the table that follows. Highest: %(label)s, %(value)s.",
            column=column,
            label=top.label,
            value=top.text,
        )
    else:
        description = _("%(column)s: nothing to draw yet.", column=column)
    rtl = text_direction() == "rtl"
    is_share = table.columns[index].unit == SHARE
    title = f"{labels.title(table.key)}: {column}"
    if table.chart == "line":
        ticks = [(v, labels.cell(v, SHARE)) for v in (0, 0.25, 0.5, 0.75, 1.0)]
        svg = charts.line_chart(chart_id, title, description, points, rtl=rtl, ticks=ticks)
    else:
        svg = charts.bar_chart(
            chart_id, title, description, points, rtl=rtl, max_value=1.0 if is_share else None
        )
    return Markup(svg)  # noqa: S704  (built from escaped parts in charts)


def show(table: Table, chart_id: str | None = None) -> Shown:
    """The table named and formatted for the page, with its chart."""
    rows = [
        ShownRow(
            row.key,
            labels.row_label(table, row),
            [labels.cell(v, table.unit(row, i)) for i, v in enumerate(row.values)],
            row.total,
        )
        for row in table.rows
    ]
    return Shown(
        key=table.key,
        title=labels.title(table.key),
        note=labels.note(table.key),
        head=rows_are(table.rows_are),
        columns=[labels.column_label(c.key) for c in table.columns],
        rows=rows,
        chart=chart(table, chart_id or f"chart-{table.key}"),
    )


def csv_text(table: Table) -> str:
    """The table as CSV in the reader's language (see ``exports``)."""
    header = [rows_are(table.rows_are)]
    for column in table.columns:
        name = labels.column_label(column.key)
        header.append(f"{name} (%)" if column.unit == SHARE else name)
    rows = []
    for row in table.rows:
        label = labels.row_label(table, row)
        if row.unit == SHARE:
            label = f"{label} (%)"
        rows.append((label, [(v, table.unit(row, i)) for i, v in enumerate(row.values)]))
    return exports.to_csv(header, rows)
