"""Sister programmes compared: yearly figures of the tenants that opted in, anonymised.

Only counts leave a programme, never a row about a person, and small groups stay hidden:
a count under :data:`MIN_PEOPLE` is not shown, nor a share with fewer than that many
people on either side of it (those it counts and those it leaves out), nor a median of
fewer people. A tenant that did not opt in (``reports.federation`` in its settings) is
neither shown nor shown the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from mentornet.extensions import db
from mentornet.reports import queries
from mentornet.reports.figures import (
    COUNT,
    DAYS,
    HIDDEN,
    SHARE,
    Column,
    Row,
    Table,
    Value,
    headline,
    measured,
    median,
)
from mentornet.reports.filters import Filters, Period
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant, TenantStatus

MIN_PEOPLE = 10

COLUMNS = (
    Column("signed_up", COUNT),
    Column("registered", COUNT),
    Column("completed", COUNT),
    Column("completion_rate", SHARE),
    Column("job_found", SHARE),
    Column("job_in_field", SHARE),
    Column("education_started", SHARE),
    Column("mentors_stayed", SHARE),
    Column("days_to_match", DAYS),
)


def count_cell(n: int) -> Value:
    return n if n >= MIN_PEOPLE else HIDDEN


def share_cell(part: int, whole: int) -> Value:
    if min(part, whole - part) < MIN_PEOPLE:
        return HIDDEN
    return part / whole


def median_cell(histogram: queries.Histogram) -> Value:
    if measured(histogram) < MIN_PEOPLE:
        return HIDDEN
    return median(histogram)


def programme_row(key: str, label: str, counts: queries.Counts) -> Row:
    """One programme's comparable figures, each cell already made safe to show."""
    h = headline(counts)
    o, mentors = counts.outcomes, counts.mentors
    values = (
        count_cell(h.signed_up),
        count_cell(h.registered),
        count_cell(h.completed),
        share_cell(h.completed, h.completed + h.ended_early),
        share_cell(o.job_found, o.job_seekers),
        share_cell(o.job_in_field, o.job_seekers),
        share_cell(o.education_started, o.closed),
        share_cell(mentors.stayed, mentors.finished),
        median_cell(counts.to_match),
    )
    return Row(key, values, label=label)


def comparison_table(rows: Sequence[Row]) -> Table:
    return Table("federation", "programme", COLUMNS, tuple(rows), "bar", "completion_rate")


def opted_in(tenant: Tenant) -> bool:
    return bool(tenant.config.reports.federation)


def sisters(this: Tenant) -> list[Tenant]:
    """The other programmes that share their figures, by name."""
    tenants = db.session.scalars(
        select(Tenant)
        .where(Tenant.id != this.id, Tenant.status != TenantStatus.CANCELED.value)
        .order_by(Tenant.name, Tenant.id)
    ).all()
    return [tenant for tenant in tenants if opted_in(tenant)]


def compare(this: Tenant, year: int, today: date, own_label: str) -> Table:
    """This programme first, then its opted-in sisters, for the calendar ``year``.

    Each programme is counted with its own tenant bound, through the same scoped
    queries as its own dashboard, so nothing but the finished counts crosses over.
    """
    period = Period.year(year)
    if year == today.year:
        period = Period(period.start, today)
    filters = Filters(period, None, year=year, today=today)
    rows = []
    for tenant in [this, *sisters(this)]:
        with with_tenant(tenant):
            counts = queries.collect_comparable(filters)
        label = own_label if tenant.id == this.id else tenant.name
        rows.append(programme_row(tenant.slug, label, counts))
    return comparison_table(rows)
