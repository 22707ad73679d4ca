"""A mentorship (one pair and its cycle) and every transition it went through."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db
from mentornet.tenancy.models import TenantScoped, tenant_fk, tenant_key

STATES = (
    "proposed",
    "introduced",
    "agreed",
    "active",
    "completed",
    "redefined",
    "declined",
    "ended_early",
)
# A mentor's place is taken while a mentorship is in one of these states.
OPEN_STATES = ("proposed", "introduced", "agreed", "active")


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

    transitions: Mapped[list[MentorshipTransition]] = relationship(
        back_populates="mentorship",
        cascade="all, delete-orphan",
        order_by="MentorshipTransition.id",
    )


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
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="transitions")
