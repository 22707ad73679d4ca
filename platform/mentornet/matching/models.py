"""What coordinators tell the engine (exclusions, locks) and what batch runs propose."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db
from mentornet.tenancy.models import TenantScoped, tenant_fk, tenant_key


def _person_fk(table: str, column: str) -> ForeignKeyConstraint:
    return tenant_fk(column, "participants", f"fk_{table}_{column}")


class MatchExclusion(TenantScoped, db.Model):
    """This mentor is never proposed for this mentee (a coordinator said so, or a no)."""

    __tablename__ = "match_exclusions"
    __table_args__ = (
        tenant_key("match_exclusions"),
        UniqueConstraint("tenant_id", "mentee_id", "mentor_id", name="uq_match_exclusions_pair"),
        _person_fk("match_exclusions", "mentee_id"),
        _person_fk("match_exclusions", "mentor_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentee_id: Mapped[int] = mapped_column(IdType, index=True)
    mentor_id: Mapped[int] = mapped_column(IdType)
    reason: Mapped[str] = mapped_column(String(20), default="coordinator")  # or "declined"
    created_by: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MatchLock(TenantScoped, db.Model):
    """The coordinator has decided: a batch run keeps this pair as it is."""

    __tablename__ = "match_locks"
    __table_args__ = (
        tenant_key("match_locks"),
        UniqueConstraint("tenant_id", "mentee_id", name="uq_match_locks_mentee"),
        _person_fk("match_locks", "mentee_id"),
        _person_fk("match_locks", "mentor_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentee_id: Mapped[int] = mapped_column(IdType)
    mentor_id: Mapped[int] = mapped_column(IdType)
    created_by: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


_ACTIVE_RUN = text("status IN ('queued', 'running')")


class MatchingRun(TenantScoped, db.Model):
    """One batch run over the waiting list: its settings, progress and outcome.

    A job computes it (see ``matching.runs``); a tenant has one queued or running run at
    most, enforced by a partial unique index.
    """

    __tablename__ = "matching_runs"
    __table_args__ = (
        tenant_key("matching_runs"),
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="status_known"
        ),
        Index(
            "uq_matching_runs_active",
            "tenant_id",
            unique=True,
            postgresql_where=_ACTIVE_RUN,
            sqlite_where=_ACTIVE_RUN,
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    stage: Mapped[str] = mapped_column(String(40), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A failed run's error class name, e.g. "MemoryError": never a message.
    error: Mapped[str | None] = mapped_column(String(80))

    proposals: Mapped[list[MatchProposal]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="MatchProposal.score.desc()"
    )


class MatchProposal(TenantScoped, db.Model):
    """A pair a batch run suggests; the coordinator accepts it (a proposed mentorship) or not."""

    __tablename__ = "match_proposals"
    __table_args__ = (
        tenant_key("match_proposals"),
        tenant_fk("run_id", "matching_runs", "fk_match_proposals_run"),
        _person_fk("match_proposals", "mentee_id"),
        _person_fk("match_proposals", "mentor_id"),
        CheckConstraint("status IN ('open', 'accepted', 'rejected', 'stale')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    run_id: Mapped[int] = mapped_column(IdType, index=True)
    mentee_id: Mapped[int] = mapped_column(IdType)
    mentor_id: Mapped[int] = mapped_column(IdType)
    score: Mapped[float] = mapped_column(Float)
    locked: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="open")
    mentorship_id: Mapped[int | None] = mapped_column(IdType)

    run: Mapped[MatchingRun] = relationship(back_populates="proposals")
