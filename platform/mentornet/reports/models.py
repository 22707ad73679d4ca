"""Each pair's meetings per month, summed as they are logged, for the monthly figures.

The dashboard's "meetings per pair per month against the agreement" needs every meeting
of the period summed per pair and month. Over five years that is ~150,000 meetings in
~110,000 pair-months, and summing them at request time took ~190 ms of a 300 ms budget
(benchmarks/README.md, "Reports"). This table keeps those sums instead (migration 0011),
so the report reads one row per pair and month and only checks it against the pair's
agreement and dates, which stay where they are and may change.

The minutes are kept per meeting kind, not as "counted" minutes: which kinds count is
the agreement's choice, read when the report is counted. A meeting kind added to
``MEETING_KINDS`` needs its column here (and a migration).

It is kept in step by mapper events on ``Meeting``, whatever writes it (the tracking
service, the API, fixtures); bulk writes that bypass the ORM must call ``rebuild``.
Rows go with their pair (composite foreign key, ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from mentornet.cycles.models import Meeting
from mentornet.dbtypes import IdType
from mentornet.extensions import db
from mentornet.reports.sql import month_start
from mentornet.tenancy.models import TenantScoped, tenant_fk
from mentornet.tenancy.settings_schema import MEETING_KINDS

# The column of each meeting kind's minutes.
KIND_COLUMNS = {kind: f"minutes_{kind}" for kind in MEETING_KINDS}
SUMS = ("meetings", "minutes", *KIND_COLUMNS.values())


class PairMonth(TenantScoped, db.Model):
    """One pair's meetings in one calendar month: how many, and their minutes by kind."""

    __tablename__ = "report_pair_months"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "mentorship_id", "month"),
        tenant_fk("mentorship_id", "mentorships", "fk_report_pair_months_mentorship"),
        # A period's rows from the index alone on PostgreSQL.
        Index(
            "ix_report_pair_months_tenant_month",
            "tenant_id",
            "month",
            postgresql_include=["mentorship_id", *SUMS],
        ),
    )

    mentorship_id: Mapped[int] = mapped_column(IdType)
    month: Mapped[date] = mapped_column(Date)  # its first day
    meetings: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    minutes_face_to_face: Mapped[int] = mapped_column(Integer, default=0)
    minutes_phone: Mapped[int] = mapped_column(Integer, default=0)
    minutes_online: Mapped[int] = mapped_column(Integer, default=0)
    minutes_email: Mapped[int] = mapped_column(Integer, default=0)


assert set(SUMS) <= set(PairMonth.__table__.c.keys()), "a meeting kind without its column"


def _add(connection: Connection, values: dict[str, Any], sign: int) -> None:
    """Add one meeting (``sign`` 1) to its pair-month, or take it away (-1)."""
    table = PairMonth.__table__
    kind_column = KIND_COLUMNS.get(values["kind"])
    row = {
        "tenant_id": values["tenant_id"],
        "mentorship_id": values["mentorship_id"],
        "month": values["held_on"].replace(day=1),
        "meetings": sign,
        "minutes": sign * values["minutes"],
        **{
            column: sign * values["minutes"] if column == kind_column else 0
            for column in KIND_COLUMNS.values()
        },
    }
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(row)
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "mentorship_id", "month"],
        set_={name: table.c[name] + statement.excluded[name] for name in SUMS},
    )
    connection.execute(statement)
    if sign < 0:
        connection.execute(
            delete(table).where(
                table.c.tenant_id == row["tenant_id"],
                table.c.mentorship_id == row["mentorship_id"],
                table.c.month == row["month"],
                table.c.meetings <= 0,
            )
        )


FIELDS = ("tenant_id", "mentorship_id", "held_on", "kind", "minutes")


@event.listens_for(Meeting, "after_insert")
def _meeting_logged(_mapper: Any, connection: Connection, meeting: Meeting) -> None:
    _add(connection, {name: getattr(meeting, name) for name in FIELDS}, 1)


@event.listens_for(Meeting, "after_delete")
def _meeting_deleted(_mapper: Any, connection: Connection, meeting: Meeting) -> None:
    _add(connection, {name: getattr(meeting, name) for name in FIELDS}, -1)


@event.listens_for(Meeting, "after_update")
def _meeting_changed(_mapper: Any, connection: Connection, meeting: Meeting) -> None:
    """Moves the meeting between pair-months when a summed field changed (a note alone,
    as retention erases it, changes nothing here)."""
    attrs = inspect(meeting).attrs
    history = {name: attrs[name].history for name in FIELDS}
    if not any(h.has_changes() for h in history.values()):
        return
    before = {
        name: h.deleted[0] if h.deleted else getattr(meeting, name) for name, h in history.items()
    }
    _add(connection, before, -1)
    _add(connection, {name: getattr(meeting, name) for name in FIELDS}, 1)


def rebuild(connection: Connection) -> None:
    """Sum every meeting again, for meetings written without the ORM (bulk loads).

    Run it on a connection that sees and may write every tenant's rows (the owner)."""
    table, m = PairMonth.__table__, Meeting.__table__
    month = month_start(m.c.held_on)
    sums = [
        func.count(),
        func.sum(m.c.minutes),
        *(func.sum(case((m.c.kind == kind, m.c.minutes), else_=0)) for kind in KIND_COLUMNS),
    ]
    connection.execute(delete(table))
    connection.execute(
        insert(table).from_select(
            ["tenant_id", "mentorship_id", "month", *SUMS],
            select(m.c.tenant_id, m.c.mentorship_id, month, *sums).group_by(
                m.c.tenant_id, m.c.mentorship_id, month
            ),
        )
    )
