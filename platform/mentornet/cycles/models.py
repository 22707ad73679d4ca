"""A mentorship (one pair and its cycle) and what it records on the way.

Transitions, each side's answers, the agreement, meetings, goals, the coordinator's
follow-ups and the outcomes at closing. The rules about them live in ``lifecycle``,
``health``, ``schedule`` and ``outcomes``; these are only the rows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentornet.cycles.lifecycle import OPEN_STATES, STATES
from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db
from mentornet.tenancy.models import TenantScoped, tenant_fk, tenant_key

__all__ = ["OPEN_STATES", "STATES"]


class Mentorship(TenantScoped, db.Model):
    __tablename__ = "mentorships"
    __table_args__ = (
        tenant_key("mentorships"),
        tenant_fk("mentee_id", "participants", "fk_mentorships_mentee"),
        tenant_fk("mentor_id", "participants", "fk_mentorships_mentor"),
        CheckConstraint(
            "state IN ('proposed', 'introduced', 'agreed', 'active', 'completed', "
            "'redefined', 'declined', 'ended_early')",
            name="state_known",
        ),
        CheckConstraint("mentee_id <> mentor_id", name="two_people"),
        Index("ix_mentorships_tenant_mentor_state", "tenant_id", "mentor_id", "state"),
        Index("ix_mentorships_tenant_mentee_state", "tenant_id", "mentee_id", "state"),
        # Reports: pairs closed in a period (migration 0010).
        Index("ix_mentorships_tenant_closed_at", "tenant_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentee_id: Mapped[int] = mapped_column(IdType)
    mentor_id: Mapped[int] = mapped_column(IdType)
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    score: Mapped[float | None] = mapped_column(Float)
    # The explanation as the coordinator saw it when she proposed (criterion facts).
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    proposed_by: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The cycle's milestones, kept on the row so lists and reports need no joins.
    first_meeting_on: Mapped[date | None] = mapped_column(Date)
    first_meeting_led_by: Mapped[str | None] = mapped_column(String(12))
    agreed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active_since: Mapped[date | None] = mapped_column(Date)
    phase: Mapped[str | None] = mapped_column(String(40))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    transitions: Mapped[list[MentorshipTransition]] = relationship(
        back_populates="mentorship",
        cascade="all, delete-orphan",
        order_by="MentorshipTransition.id",
    )
    responses: Mapped[list[Response]] = relationship(
        cascade="all, delete-orphan", order_by="Response.id"
    )
    agreement: Mapped[Agreement | None] = relationship(cascade="all, delete-orphan")
    meetings: Mapped[list[Meeting]] = relationship(
        cascade="all, delete-orphan", order_by="(Meeting.held_on.desc(), Meeting.id.desc())"
    )
    goals: Mapped[list[Goal]] = relationship(cascade="all, delete-orphan", order_by="Goal.id")
    follow_ups: Mapped[list[FollowUp]] = relationship(
        cascade="all, delete-orphan", order_by="(FollowUp.due_on, FollowUp.id)"
    )
    outcome: Mapped[Outcome | None] = relationship(cascade="all, delete-orphan")


class MentorshipTransition(TenantScoped, db.Model):
    """Who moved a mentorship from one state to another, when and why."""

    __tablename__ = "mentorship_transitions"
    __table_args__ = (
        tenant_key("mentorship_transitions"),
        tenant_fk("mentorship_id", "mentorships", "fk_mentorship_transitions_mentorship"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(IdType, index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    by_user_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    # The phase entered, for moves inside ``active`` (and the first phase on starting).
    phase: Mapped[str | None] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="transitions")


class Response(TenantScoped, db.Model):
    """One side's answer: at ``proposed`` (shall we meet?) or ``introduced`` (shall we go on?)."""

    __tablename__ = "mentorship_responses"
    __table_args__ = (
        tenant_key("mentorship_responses"),
        tenant_fk("mentorship_id", "mentorships", "fk_mentorship_responses_mentorship"),
        UniqueConstraint(
            "tenant_id", "mentorship_id", "side", "stage", name="uq_mentorship_responses_answer"
        ),
        CheckConstraint("side IN ('mentee', 'mentor')", name="side_known"),
        CheckConstraint("answer IN ('yes', 'no')", name="answer_known"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(IdType)
    side: Mapped[str] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str] = mapped_column(String(3))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    by_user_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Agreement(TenantScoped, db.Model):
    """What the pair agreed, from the tenant's template, and when each side accepted it."""

    __tablename__ = "agreements"
    __table_args__ = (
        tenant_key("agreements"),
        tenant_fk("mentorship_id", "mentorships", "fk_agreements_mentorship"),
        UniqueConstraint("tenant_id", "mentorship_id", name="uq_agreements_mentorship"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(IdType)
    minimum_kind: Mapped[str] = mapped_column(String(20))
    minimum_value: Mapped[int] = mapped_column(Integer)
    meeting_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    months: Mapped[float] = mapped_column(Float)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    mentee_accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mentor_accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Meeting(TenantScoped, db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        tenant_key("meetings"),
        tenant_fk("mentorship_id", "mentorships", "fk_meetings_mentorship"),
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_range"),
        Index("ix_meetings_tenant_mentorship_held_on", "tenant_id", "mentorship_id", "held_on"),
        # Reports: a period's meetings, read from the index alone on PostgreSQL (0010).
        Index(
            "ix_meetings_tenant_held_on",
            "tenant_id",
            "held_on",
            postgresql_include=["mentorship_id", "kind", "minutes"],
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(IdType)
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    logged_by_side: Mapped[str] = mapped_column(String(12))  # mentee, mentor or coordinator
    logged_by_user_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Goal(TenantScoped, db.Model):
    __tablename__ = "goals"
    __table_args__ = (
        tenant_key("goals"),
        tenant_fk("mentorship_id", "mentorships", "fk_goals_mentorship"),
        CheckConstraint(
            "status IN ('open', 'in_progress', 'achieved', 'dropped')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(IdType, index=True)
    key: Mapped[str] = mapped_column(String(40))  # one of her goals, or "custom"
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    target_on: Mapped[date | None] = mapped_column(Date)
    achieved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FollowUp(TenantScoped, db.Model):
    """A coordinator's check-in with the pair, scheduled from the cycle template."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        tenant_key("follow_ups"),
        tenant_fk("mentorship_id", "mentorships", "fk_follow_ups_mentorship"),
        CheckConstraint("status IN ('scheduled', 'done', 'cancelled')", name="status_known"),
        Index("ix_follow_ups_tenant_status_due_on", "tenant_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(IdType, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # first, regular, closing
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")  # coordinator-only


class Outcome(TenantScoped, db.Model):
    """What the cycle achieved, recorded at closing; each side may add her satisfaction."""

    __tablename__ = "outcomes"
    __table_args__ = (
        tenant_key("outcomes"),
        tenant_fk("mentorship_id", "mentorships", "fk_outcomes_mentorship"),
        UniqueConstraint("tenant_id", "mentorship_id", name="uq_outcomes_mentorship"),
        CheckConstraint(
            "mentee_satisfaction IS NULL OR mentee_satisfaction BETWEEN 1 AND 5",
            name="mentee_satisfaction_range",
        ),
        CheckConstraint(
            "mentor_satisfaction IS NULL OR mentor_satisfaction BETWEEN 1 AND 5",
            name="mentor_satisfaction_range",
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(IdType)
    job_found: Mapped[bool | None] = mapped_column(Boolean)
    job_in_field: Mapped[bool | None] = mapped_column(Boolean)
    education_started: Mapped[bool | None] = mapped_column(Boolean)
    language_improved: Mapped[bool | None] = mapped_column(Boolean)
    network_grown: Mapped[bool | None] = mapped_column(Boolean)
    mentee_satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    mentor_satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    farewell_held: Mapped[bool] = mapped_column(Boolean, default=False)
    farewell_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
