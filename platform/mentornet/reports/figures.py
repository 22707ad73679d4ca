"""The counts shaped into the dashboard's tables: keys and numbers, no words.

Plain Python, no Flask and no database: ``labels`` names the keys in the reader's
language, ``charts`` draws a table's charted column, ``exports`` writes it as CSV and the
API returns it as JSON, so every view of a figure is the same figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mentornet.reports.queries import (
    AGE_BANDS,
    COMPLETED,
    OLDEST_BAND,
    UNKNOWN,
    Counts,
    Histogram,
)

# How a column's numbers read.
COUNT = "count"
SHARE = "share"  # a fraction 0..1, shown as a percentage
DAYS = "days"
NUMBER = "number"  # a mean with one decimal
HOURS = "hours"
SCORE = "score"  # satisfaction 1..5

TOP_COUNTRIES = 10
OTHER = "other"
NO_OFFICE = "office:"
TOTAL = "total"


class Hidden:
    """A cell left out because it counts fewer people than may be shown."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()
Value = int | float | Hidden | None


@dataclass(frozen=True)
class Column:
    key: str
    unit: str


@dataclass(frozen=True)
class Row:
    key: str
    values: tuple[Value, ...]
    total: bool = False
    unit: str | None = None  # overrides the columns' unit (the summary mixes units)
    label: str | None = None  # a name that needs no translating (a programme's name)


@dataclass(frozen=True)
class Table:
    key: str
    rows_are: str  # what the row keys name: measure, stage, outcome, profession, ...
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    chart: str | None = None  # "bar" or "line"
    charted: str | None = None  # the column the chart draws

    def column(self, key: str) -> int:
        return [c.key for c in self.columns].index(key)

    def unit(self, row: Row, index: int) -> str:
        return row.unit or self.columns[index].unit

    @property
    def is_empty(self) -> bool:
        return not self.rows


# --- small sums ---------------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def median(histogram: Histogram) -> float | None:
    """The median of a histogram of (days, how many): the middle person's days, or the
    mean of the two middle ones."""
    ordered = sorted((days, n) for days, n in histogram if n > 0)
    total = sum(n for _days, n in ordered)
    if not total:
        return None
    wanted = (total - 1) // 2, total // 2  # 0-based ranks of the middle person(s)
    found: list[int] = []
    seen = 0
    for days, n in ordered:
        for rank in wanted:
            if seen <= rank < seen + n and len(found) < 2:
                found.append(days)
        seen += n
    return (found[0] + found[-1]) / 2


def measured(histogram: Histogram) -> int:
    return sum(n for _days, n in histogram)


# --- the figures the tables share ---------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    signed_up: int
    proposed: int
    registered: int
    completed: int
    ended_early: int
    declined: int
    completion_rate: float | None
    job_found: float | None
    job_in_field: float | None
    education_started: float | None
    mentors_stayed: float | None
    days_to_match: float | None
    days_to_agreement: float | None
    mentee_satisfaction: float | None
    mentor_satisfaction: float | None


def headline(counts: Counts) -> Headline:
    proposed = sum(s.proposed_in for s in counts.states)
    registered = sum(s.agreed_in for s in counts.states)
    closed = {state: 0 for state in ("completed", "redefined", "ended_early", "declined")}
    for s in counts.states:
        if s.state in closed:
            closed[s.state] += s.closed_in
    completed = sum(closed[state] for state in COMPLETED)
    o = counts.outcomes
    return Headline(
        signed_up=counts.mentees.signed_up,
        proposed=proposed,
        registered=registered,
        completed=completed,
        ended_early=closed["ended_early"],
        declined=closed["declined"],
        completion_rate=share(completed, completed + closed["ended_early"]),
        job_found=share(o.job_found, o.job_seekers),
        job_in_field=share(o.job_in_field, o.job_seekers),
        education_started=share(o.education_started, o.closed),
        mentors_stayed=share(counts.mentors.stayed, counts.mentors.finished),
        days_to_match=median(counts.to_match),
        days_to_agreement=median(counts.to_agreement),
        mentee_satisfaction=o.mentee_satisfaction,
        mentor_satisfaction=o.mentor_satisfaction,
    )


# --- the tables ---------------------------------------------------------------------------


SUMMARY_ROWS = (
    ("signed_up", COUNT),
    ("proposed", COUNT),
    ("registered", COUNT),
    ("completed", COUNT),
    ("completion_rate", SHARE),
    ("job_found", SHARE),
    ("job_in_field", SHARE),
    ("education_started", SHARE),
    ("mentors_stayed", SHARE),
    ("days_to_match", DAYS),
    ("days_to_agreement", DAYS),
    ("mentee_satisfaction", SCORE),
    ("mentor_satisfaction", SCORE),
)


def summary_table(counts: Counts) -> Table:
    h = headline(counts)
    rows = tuple(Row(key, (getattr(h, key),), unit=unit) for key, unit in SUMMARY_ROWS)
    return Table("summary", "measure", (Column("value", COUNT),), rows)


def pipeline_table(counts: Counts, phases: Sequence[str]) -> Table:
    """Where mentees and pairs stand: the open stages today, the closed ones in the period."""
    now: dict[str, int] = {}
    closed: dict[str, int] = {}
    by_phase: dict[str | None, int] = {}
    for s in counts.states:
        now[s.state] = now.get(s.state, 0) + s.now
        closed[s.state] = closed.get(s.state, 0) + s.closed_in
        if s.state == "active" and s.now:
            by_phase[s.phase] = by_phase.get(s.phase, 0) + s.now
    m = counts.mentees
    rows = [
        Row("applied", (m.applied,)),
        Row("interviewed", (m.interviewed,)),
        Row("waiting", (m.waiting,)),
        *(Row(state, (now.get(state, 0),)) for state in ("proposed", "introduced", "agreed")),
    ]
    known = [*phases, *sorted((p for p in by_phase if p and p not in phases), key=str)]
    rows += [Row(f"phase:{p}", (by_phase.get(p, 0),)) for p in known]
    if by_phase.get(None):
        rows.append(Row("phase:", (by_phase[None],)))
    rows += [
        Row(state, (closed.get(state, 0),))
        for state in ("completed", "redefined", "declined", "ended_early")
    ]
    return Table("pipeline", "stage", (Column("count", COUNT),), tuple(rows), "bar", "count")


def success_table(counts: Counts) -> Table:
    h = headline(counts)
    o, mentors = counts.outcomes, counts.mentors
    parts = (
        ("completion", h.completed, h.completed + h.ended_early),
        ("job_found", o.job_found, o.job_seekers),
        ("job_in_field", o.job_in_field, o.job_seekers),
        ("education_started", o.education_started, o.closed),
        ("language_improved", o.language_improved, o.closed),
        ("network_grown", o.network_grown, o.closed),
        ("mentors_stayed", mentors.stayed, mentors.finished),
    )
    rows = tuple(Row(key, (part, whole, share(part, whole))) for key, part, whole in parts)
    columns = (Column("count", COUNT), Column("of", COUNT), Column("share", SHARE))
    return Table("success", "outcome", columns, rows, "bar", "share")


def waiting_table(counts: Counts, offices: Sequence[str]) -> Table:
    """Waiting mentees by profession (ISCO-08 major group) in each office, largest first."""
    cells: dict[tuple[str, str], int] = {}
    present: set[str] = set()
    for group, office, n in counts.waiting:
        key = (group or UNKNOWN, f"office:{office or ''}")
        cells[key] = cells.get(key, 0) + n
        present.add(key[1])
    columns = [f"office:{o}" for o in offices]
    columns += sorted(c for c in present if c not in columns)
    groups: dict[str, int] = {}
    for (group, _office), n in cells.items():
        groups[group] = groups.get(group, 0) + n
    order = sorted(groups, key=lambda g: (g == UNKNOWN, -groups[g], g))
    rows = [
        Row(g, (*(cells.get((g, c), 0) for c in columns), groups[g])) for g in order if groups[g]
    ]
    if rows:
        totals = [sum(cells.get((g, c), 0) for g in groups) for c in columns]
        rows.append(Row(TOTAL, (*totals, sum(totals)), total=True))
    table_columns = (*(Column(c, COUNT) for c in columns), Column(TOTAL, COUNT))
    return Table("waiting", "profession", table_columns, tuple(rows), "bar", TOTAL)


def _counted(key: str, items: Iterable[tuple[str, int]], total: int) -> Table:
    rows = tuple(Row(k, (n, share(n, total))) for k, n in items)
    return Table(
        key,
        {"countries": "country", "ages": "age_band"}[key],
        (Column("count", COUNT), Column("share", SHARE)),
        rows,
        "bar",
        "count",
    )


def countries_table(counts: Counts) -> Table:
    """The ten most common countries of origin, then the others, then those not recorded."""
    known = sorted(((c, n) for c, n in counts.countries if c), key=lambda x: (-x[1], x[0]))
    unknown = sum(n for c, n in counts.countries if not c)
    total = sum(n for _c, n in counts.countries)
    items = known[:TOP_COUNTRIES]
    rest = sum(n for _c, n in known[TOP_COUNTRIES:])
    if rest:
        items.append((OTHER, rest))
    if unknown:
        items.append((UNKNOWN, unknown))
    return _counted("countries", items, total)


def ages_table(counts: Counts) -> Table:
    found = dict(counts.ages)
    order = [key for _limit, key in AGE_BANDS] + [OLDEST_BAND]
    total = sum(found.values())
    items = [(key, found.get(key, 0)) for key in order] if total else []
    if found.get(UNKNOWN):
        items.append((UNKNOWN, found[UNKNOWN]))
    return _counted("ages", items, total)


def active_all_month(spans: Iterable[tuple[str, str | None, int]], months: Sequence[str]):
    """Pairs active for the whole of each month, from the (first month, last month) counts."""
    active = dict.fromkeys(months, 0)
    for start, end, n in spans:
        for month in months:
            if start < month and (end is None or end > month):
                active[month] += n
    return active


def meetings_table(counts: Counts, months: Sequence[str]) -> Table:
    """Per month: pairs active all month, their meetings and hours per pair, and the share
    that met the minimum their agreement sets."""
    active = active_all_month(counts.spans, months)
    found = {m.month: m for m in counts.meetings}
    rows = []
    for month in months:
        pairs = active[month]
        m = found.get(month)
        meetings, minutes, met = (m.meetings, m.minutes, m.met_minimum) if m else (0, 0, 0)
        rows.append(
            Row(
                month,
                (
                    pairs,
                    meetings / pairs if pairs else None,
                    minutes / 60 / pairs if pairs else None,
                    met,
                    share(met, pairs),
                ),
            )
        )
    columns = (
        Column("pairs", COUNT),
        Column("meetings_per_pair", NUMBER),
        Column("hours_per_pair", HOURS),
        Column("met", COUNT),
        Column("met_share", SHARE),
    )
    return Table("meetings", "month", columns, tuple(rows), "line", "met_share")


TABLES = ("summary", "pipeline", "success", "waiting", "countries", "ages", "meetings")


def tables(
    counts: Counts, *, phases: Sequence[str], offices: Sequence[str], months: Sequence[str]
) -> list[Table]:
    """Every table of the dashboard, in the order the page shows them."""
    return [
        summary_table(counts),
        pipeline_table(counts, phases),
        success_table(counts),
        waiting_table(counts, offices),
        countries_table(counts),
        ages_table(counts),
        meetings_table(counts, months),
    ]
