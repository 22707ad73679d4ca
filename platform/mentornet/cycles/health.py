"""How a pair is doing against its agreement: on track, behind the minimum, or silent.

Core code: no Flask, no database. The agreement's minimum is either minutes a month of
some meeting kinds (KVINFO: two hours face to face) or hours over the whole cycle
(TRIEC: 24 hours in four months, spread evenly for the purpose of this check).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from mentornet.cycles.schedule import whole_months_between

ON_TRACK = "on_track"
BEHIND = "behind"
SILENT = "silent"


@dataclass(frozen=True)
class Minimum:
    kind: str  # "minutes_per_month" or "total_hours"
    value: int
    meeting_kinds: tuple[str, ...]
    months: float


@dataclass(frozen=True)
class MeetingFact:
    on: date
    kind: str
    minutes: int


@dataclass(frozen=True)
class Health:
    status: str
    expected_minutes: int
    counted_minutes: int
    last_meeting: date | None
    weeks_silent: int


def expected_minutes(minimum: Minimum, since: date, today: date) -> int:
    """Minutes the agreement asks for by ``today``, counting only complete months."""
    months = whole_months_between(since, today)
    if minimum.kind == "minutes_per_month":
        return minimum.value * months
    if minimum.months <= 0:
        return minimum.value * 60
    share = min(months, minimum.months) / minimum.months
    return round(minimum.value * 60 * share)


def health(
    minimum: Minimum,
    meetings: Iterable[MeetingFact],
    since: date,
    today: date,
    silent_after_weeks: int,
) -> Health:
    """Silence weighs heaviest: a pair nobody has heard from needs a call before a count."""
    meetings = list(meetings)
    counted = sum(m.minutes for m in meetings if m.kind in minimum.meeting_kinds and m.on <= today)
    last = max((m.on for m in meetings if m.on <= today), default=None)
    weeks_silent = max(0, (today - max(last or since, since)).days // 7)
    expected = expected_minutes(minimum, since, today)
    if weeks_silent >= silent_after_weeks:
        status = SILENT
    elif counted < expected:
        status = BEHIND
    else:
        status = ON_TRACK
    return Health(status, expected, counted, last, weeks_silent)
