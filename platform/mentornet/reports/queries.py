"""The report's counts, each one aggregate query over the bound tenant's rows.

Every figure is counted by the database (GROUP BY, conditional counts); Python only ever
sees grouped rows: a state, a month, a number of days with how many people took that
long. Medians come from that histogram of day counts, which works on PostgreSQL and
SQLite alike and stays small whatever the number of people.

The statements are ORM-enabled selects, so the tenancy layer scopes them to the bound
tenant (and row-level security does on PostgreSQL). A pair belongs to its mentee's office;
a mentor's figure (did she stay for another mentee) to the mentor's own office.

What the nightly retention erases (country, date of birth, profession, goals on the
profile) stops being counted, except for the coarse stand-ins it keeps (a ten-year age
band, the profession's major group): anonymised people still count as signed up,
matched and closed, and the cycle's own rows (states, goals in the mentorship, outcomes,
meetings) stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    Float,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import aliased

from mentornet.cycles.models import Agreement, Goal, Mentorship, Outcome
from mentornet.extensions import db
from mentornet.people.models import Participant
from mentornet.reports.filters import Filters
from mentornet.reports.models import KIND_COLUMNS, PairMonth
from mentornet.reports.sql import age_at, days_between, month_key, month_start, next_month_start

JOB_GOALS = ("job", "job_in_field")
# Closed with the programme's part done: both count as a completed cycle (KVINFO counts
# "separation or redefinition" as the cycle's end).
COMPLETED = ("completed", "redefined")
# A mentor has finished with a mentee in any of these.
FINISHED = ("completed", "redefined", "ended_early")
# Upper bound (exclusive) of each age band at sign-up; the keys are those retention keeps
# on an anonymised participant (``Participant.age_band``), so both count together.
AGE_BANDS = (
    (25, "under-25"),
    (35, "25-34"),
    (45, "35-44"),
    (55, "45-54"),
    (65, "55-64"),
)
OLDEST_BAND = "65-plus"
UNKNOWN = "unknown"

Histogram = list[tuple[int, int]]  # (days, how many)


@dataclass(frozen=True)
class Mentees:
    signed_up: int = 0  # in the period
    applied: int = 0  # today
    interviewed: int = 0
    waiting: int = 0


@dataclass(frozen=True)
class StateCount:
    state: str
    phase: str | None
    now: int  # in this state today
    proposed_in: int  # created in the period
    agreed_in: int  # agreed in the period
    closed_in: int  # closed in the period (the closed states)


@dataclass(frozen=True)
class Outcomes:
    closed: int = 0  # completed cycles with their outcomes recorded
    job_seekers: int = 0
    job_found: int = 0  # of the job seekers
    job_in_field: int = 0  # of the job seekers
    education_started: int = 0
    language_improved: int = 0
    network_grown: int = 0
    mentee_satisfaction: float | None = None
    mentor_satisfaction: float | None = None


@dataclass(frozen=True)
class Mentors:
    finished: int = 0  # mentors who finished with a mentee in the period
    stayed: int = 0  # of them, took another mentee afterwards


@dataclass(frozen=True)
class MeetingMonth:
    month: str
    pairs_meeting: int  # pairs with at least one meeting that month
    meetings: int
    minutes: int
    met_minimum: int  # pairs whose counted minutes reached their agreement's minimum


@dataclass
class Counts:
    """Everything the dashboard shows, as the database counted it."""

    mentees: Mentees = field(default_factory=Mentees)
    states: list[StateCount] = field(default_factory=list)
    outcomes: Outcomes = field(default_factory=Outcomes)
    mentors: Mentors = field(default_factory=Mentors)
    to_match: Histogram = field(default_factory=list)
    to_agreement: Histogram = field(default_factory=list)
    waiting: list[tuple[str | None, str | None, int]] = field(default_factory=list)
    countries: list[tuple[str | None, int]] = field(default_factory=list)
    ages: list[tuple[str, int]] = field(default_factory=list)
    spans: list[tuple[str, str | None, int]] = field(default_factory=list)
    meetings: list[MeetingMonth] = field(default_factory=list)


# --- helpers ------------------------------------------------------------------------------


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _during(column: Any, filters: Filters) -> Any:
    """``column`` (a timestamp) falls in the period, both end days included."""
    period = filters.period
    return and_(column >= _moment(period.start), column < _moment(period.end_exclusive))


def _count_if(condition: Any) -> Any:
    return func.count(case((condition, 1)))


def _office(statement: Any, filters: Filters, person: Any, on: Any) -> Any:
    """Limit ``statement`` to the filters' offices through ``person`` joined ``on``."""
    if filters.offices is None:
        return statement
    return statement.join(person, on).where(person.office.in_(filters.offices))


def _histogram(statement: Any) -> Histogram:
    return [(int(days), int(n)) for days, n in db.session.execute(statement) if days is not None]


# --- the queries --------------------------------------------------------------------------


def mentees(filters: Filters) -> Mentees:
    """Mentees signed up in the period, and where those still before a match stand today."""
    p = Participant
    statement = select(
        _count_if(_during(p.created_at, filters)),
        _count_if(p.status == "applied"),
        _count_if(p.status == "interviewed"),
        _count_if(p.status == "ready"),
    ).where(p.kind == "mentee")
    if filters.offices is not None:
        statement = statement.where(p.office.in_(filters.offices))
    row = db.session.execute(statement).one()
    return Mentees(*(int(v or 0) for v in row))


def states(filters: Filters) -> list[StateCount]:
    """Mentorships per state and phase: today, and proposed, agreed or closed in the period."""
    m = Mentorship
    statement = select(
        m.state,
        m.phase,
        func.count(),
        _count_if(_during(m.created_at, filters)),
        _count_if(_during(m.agreed_at, filters)),
        _count_if(_during(m.closed_at, filters)),
    ).group_by(m.state, m.phase)
    mentee = aliased(Participant)
    statement = _office(statement, filters, mentee, mentee.id == m.mentee_id)
    return [
        StateCount(state, phase, int(now), int(proposed), int(agreed), int(closed))
        for state, phase, now, proposed, agreed, closed in db.session.execute(statement)
    ]


def outcomes(filters: Filters) -> Outcomes:
    """What the cycles completed in the period achieved; job figures among job seekers.

    A job seeker is a mentee whose mentorship had a job goal: the goals of the pair stay
    when her profile is erased.
    """
    m, o = Mentorship, Outcome
    seeker = select(Goal.id).where(Goal.mentorship_id == m.id, Goal.key.in_(JOB_GOALS)).exists()
    statement = (
        select(
            func.count(),
            _count_if(seeker),
            _count_if(and_(seeker, o.job_found.is_(True))),
            _count_if(and_(seeker, o.job_found.is_(True), o.job_in_field.is_(True))),
            _count_if(o.education_started.is_(True)),
            _count_if(o.language_improved.is_(True)),
            _count_if(o.network_grown.is_(True)),
            func.avg(o.mentee_satisfaction),
            func.avg(o.mentor_satisfaction),
        )
        .select_from(m)
        .join(o, o.mentorship_id == m.id)
        .where(m.state.in_(COMPLETED), _during(m.closed_at, filters))
    )
    mentee = aliased(Participant)
    statement = _office(statement, filters, mentee, mentee.id == m.mentee_id)
    row = db.session.execute(statement).one()
    counts = [int(v or 0) for v in row[:7]]
    satisfaction = [float(v) if v is not None else None for v in row[7:]]
    return Outcomes(*counts, *satisfaction)


def mentors(filters: Filters) -> Mentors:
    """Mentors who finished with a mentee in the period, and how many took another after."""
    m = Mentorship
    later = aliased(Mentorship)
    stayed = (
        select(later.id)
        .where(later.mentor_id == m.mentor_id, later.id != m.id, later.created_at >= m.closed_at)
        .exists()
    )
    statement = select(
        func.count(distinct(m.mentor_id)), func.count(distinct(case((stayed, m.mentor_id))))
    ).where(m.state.in_(FINISHED), _during(m.closed_at, filters))
    mentor = aliased(Participant)
    statement = _office(statement, filters, mentor, mentor.id == m.mentor_id)
    finished, kept = db.session.execute(statement).one()
    return Mentors(int(finished or 0), int(kept or 0))


def days_to_match(filters: Filters) -> Histogram:
    """Days from her sign-up to her first proposed match, for first matches in the period."""
    m, p = Mentorship, Participant
    first = (
        select(m.mentee_id.label("mentee_id"), func.min(m.created_at).label("first_at"))
        .group_by(m.mentee_id)
        .subquery()
    )
    days = days_between(first.c.first_at, p.created_at).label("days")
    statement = (
        select(days, func.count())
        .select_from(first)
        .join(p, p.id == first.c.mentee_id)
        .where(_during(first.c.first_at, filters))
        .group_by(days)
    )
    if filters.offices is not None:
        statement = statement.where(p.office.in_(filters.offices))
    return _histogram(statement)


def days_to_agreement(filters: Filters) -> Histogram:
    """Days from the proposal to the agreement, for pairs that agreed in the period."""
    m = Mentorship
    days = days_between(m.agreed_at, m.created_at).label("days")
    statement = select(days, func.count()).where(_during(m.agreed_at, filters)).group_by(days)
    mentee = aliased(Participant)
    statement = _office(statement, filters, mentee, mentee.id == m.mentee_id)
    return _histogram(statement)


def waiting(filters: Filters) -> list[tuple[str | None, str | None, int]]:
    """Mentees waiting for a match today, by ISCO-08 major group and office."""
    p = Participant
    major = func.substr(p.profession, 1, 1).label("major")
    statement = (
        select(major, p.office, func.count())
        .where(p.kind == "mentee", p.status == "ready")
        .group_by(major, p.office)
    )
    if filters.offices is not None:
        statement = statement.where(p.office.in_(filters.offices))
    return [(group or None, office, int(n)) for group, office, n in db.session.execute(statement)]


def countries(filters: Filters) -> list[tuple[str | None, int]]:
    """Mentees signed up in the period by country of origin (None: not recorded or erased)."""
    p = Participant
    statement = (
        select(p.country_of_origin, func.count())
        .where(p.kind == "mentee", _during(p.created_at, filters))
        .group_by(p.country_of_origin)
    )
    if filters.offices is not None:
        statement = statement.where(p.office.in_(filters.offices))
    return [(code, int(n)) for code, n in db.session.execute(statement)]


def ages(filters: Filters) -> list[tuple[str, int]]:
    """Mentees signed up in the period by age band at sign-up; for an anonymised mentee,
    the band retention kept."""
    p = Participant
    age = age_at(p.created_at, p.date_of_birth)
    band = case(
        (p.date_of_birth.is_(None), func.coalesce(p.age_band, literal(UNKNOWN))),
        *((age < limit, literal(key)) for limit, key in AGE_BANDS),
        else_=literal(OLDEST_BAND),
    ).label("band")
    statement = (
        select(band, func.count())
        .where(p.kind == "mentee", _during(p.created_at, filters))
        .group_by(band)
    )
    if filters.offices is not None:
        statement = statement.where(p.office.in_(filters.offices))
    return [(key, int(n)) for key, n in db.session.execute(statement)]


def spans(filters: Filters) -> list[tuple[str, str | None, int]]:
    """How many pairs were active from which month to which (None: still active)."""
    m = Mentorship
    start = month_start(m.active_since).label("start")
    end = month_start(m.closed_at).label("end")
    statement = (
        select(start, end, func.count())
        .where(
            m.active_since.is_not(None),
            m.active_since <= filters.period.end,
            or_(m.closed_at.is_(None), m.closed_at >= _moment(filters.period.start)),
        )
        .group_by(start, end)
    )
    mentee = aliased(Participant)
    statement = _office(statement, filters, mentee, mentee.id == m.mentee_id)
    return [
        (month_key(s), month_key(e) if e is not None else None, int(n))
        for s, e, n in db.session.execute(statement)
    ]


def meeting_months(filters: Filters, first: date, last: date) -> list[MeetingMonth]:
    """Per month from ``first`` to before ``last``: meetings of the pairs active all month,
    and how many of those pairs met their agreement's minimum.

    The minimum counts only the meeting kinds the agreement names (KVINFO: face to face);
    a cycle-long minimum in hours is spread evenly over the agreed months. The meetings
    come summed per pair and month, with their minutes by kind (``PairMonth``, kept as
    they are logged): summing the period's meetings here took ~190 ms for five years of
    the benchmark's programme, reading the sums ~60 ms. Which kinds count and the minimum
    are read from the agreement (``pairs``) when counting, so a changed agreement or a
    pair's changed dates count as they are now.
    """
    m, agreement, summed = Mentorship, Agreement, PairMonth
    named = cast(agreement.meeting_kinds, String)
    expected = case(
        (agreement.minimum_kind == "minutes_per_month", cast(agreement.minimum_value, Float)),
        else_=cast(agreement.minimum_value, Float) * 60 / func.nullif(agreement.months, 0),
    )
    pairs = (
        select(
            m.id.label("id"),
            m.active_since.label("active_since"),
            m.closed_at.label("closed_at"),
            expected.label("expected"),
            *(
                case((named.like(f'%"{kind}"%'), 1), else_=0).label(column)
                for kind, column in KIND_COLUMNS.items()
            ),
        )
        .join(agreement, agreement.mentorship_id == m.id)
        .where(m.active_since < last, or_(m.closed_at.is_(None), m.closed_at >= _moment(first)))
    )
    mentee = aliased(Participant)
    # A plain subquery: as a MATERIALIZED CTE, PostgreSQL misjudged its size and looked
    # the sums up pair by pair (~100 ms for the five years instead of ~60).
    pairs = _office(pairs, filters, mentee, mentee.id == m.mentee_id).subquery("pairs")
    # A kind's flag only where the pair met that way that month: most pair-months have
    # one kind, and each flag is a LIKE on the agreement's JSON (~12 ms of five years).
    counted = sum(
        (
            case((getattr(summed, column) == 0, 0), else_=pairs.c[column] * getattr(summed, column))
            for column in KIND_COLUMNS.values()
        ),
        start=literal(0),
    )
    statement = (
        select(
            summed.month,
            func.count(),
            func.sum(summed.meetings),
            func.sum(summed.minutes),
            _count_if(counted >= pairs.c.expected),
        )
        .join(pairs, pairs.c.id == summed.mentorship_id)
        .where(
            summed.month >= first,
            summed.month < last,
            pairs.c.active_since < summed.month,
            or_(pairs.c.closed_at.is_(None), pairs.c.closed_at >= next_month_start(summed.month)),
        )
        .group_by(summed.month)
    )
    return [
        MeetingMonth(month_key(start), int(pairs_), int(n or 0), int(minutes or 0), int(met))
        for start, pairs_, n, minutes, met in db.session.execute(statement)
    ]


def plan_each_query() -> None:
    """On PostgreSQL, plan the report's queries for their actual period every time.

    The driver prepares a statement it has run five times, and PostgreSQL may then
    switch to one generic plan for every period. Run in a loop on the benchmark's data,
    the monthly meetings query did so after ten runs and took twice as long (65 ms, then
    130 ms); request by request it has not happened yet, but nothing rules it out.
    ``SET LOCAL`` keeps the choice to this request's transaction.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def collect(filters: Filters, months: list[str]) -> Counts:
    """Every count of the dashboard for the bound tenant."""
    plan_each_query()
    counts = Counts(
        mentees=mentees(filters),
        states=states(filters),
        outcomes=outcomes(filters),
        mentors=mentors(filters),
        to_match=days_to_match(filters),
        to_agreement=days_to_agreement(filters),
        waiting=waiting(filters),
        countries=countries(filters),
        ages=ages(filters),
    )
    if months:
        first = date.fromisoformat(f"{months[0]}-01")
        year, month = (int(x) for x in months[-1].split("-"))
        last = date(year + month // 12, month % 12 + 1, 1)
        counts.spans = spans(filters)
        counts.meetings = meeting_months(filters, first, last)
    return counts


def collect_comparable(filters: Filters) -> Counts:
    """The counts sister programmes compare (see ``federation``): fewer queries."""
    plan_each_query()
    return Counts(
        mentees=mentees(filters),
        states=states(filters),
        outcomes=outcomes(filters),
        mentors=mentors(filters),
        to_match=days_to_match(filters),
    )
