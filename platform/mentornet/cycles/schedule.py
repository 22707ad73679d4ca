"""Dates in a cycle: when each phase is due, when the coordinator checks in.

Core code: no Flask, no database. Months are calendar months (the 31st becomes the
last day of a shorter month); a fraction of a month counts as days of an average month.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DAYS_PER_MONTH = 365.25 / 12


def add_months(start: date, months: float) -> date:
    whole = int(months)
    month_index = start.month - 1 + whole
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=round((months - whole) * DAYS_PER_MONTH))


def whole_months_between(start: date, end: date) -> int:
    """Complete calendar months from ``start`` to ``end`` (0 when end is before start)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(0, months)


@dataclass(frozen=True)
class Due:
    kind: str  # "first", "regular" or "closing"
    on: date


def follow_ups(start: date, months: float, first_after_weeks: int, every_weeks: int) -> list[Due]:
    """The check-ins of a cycle that starts on ``start``: a first one, then a steady rhythm.

    Nothing is scheduled on or after the expected end; the closing check-in is made when
    the pair actually closes, not guessed in advance.
    """
    if months <= 0 or first_after_weeks < 1 or every_weeks < 1:
        raise ValueError("a cycle needs a length and check-ins at least a week apart")
    end = add_months(start, months)
    due = start + timedelta(weeks=first_after_weeks)
    dates: list[Due] = []
    kind = "first"
    while due < end:
        dates.append(Due(kind, due))
        kind = "regular"
        due += timedelta(weeks=every_weeks)
    return dates


@dataclass(frozen=True)
class PhaseSpan:
    key: str
    starts: date
    ends: date


def phase_plan(phases: Sequence[tuple[str, float]], start: date) -> list[PhaseSpan]:
    """When each phase of the template starts and ends for a pair active since ``start``."""
    spans, elapsed = [], 0.0
    for key, months in phases:
        spans.append(
            PhaseSpan(key, add_months(start, elapsed), add_months(start, elapsed + months))
        )
        elapsed += months
    return spans


def expected_phase(phases: Sequence[tuple[str, float]], start: date, today: date) -> str | None:
    """The phase the calendar says the pair should be in (the last one once it is over)."""
    plan = phase_plan(phases, start)
    for span in plan:
        if today < span.ends:
            return span.key
    return plan[-1].key if plan else None
