"""Participants, the coordinator's interview notes, and consents.

One table for mentees and mentors: they share the profile the matching engine compares,
and the columns that belong to one side stay empty for the other. Nothing about religion,
ethnicity or anything else the tenant did not ask for has a column here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db
from mentornet.tenancy.models import TenantScoped, tenant_fk, tenant_key


class Participant(TenantScoped, db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        tenant_key("participants"),
        UniqueConstraint("tenant_id", "email", name="uq_participants_tenant_id_email"),
        CheckConstraint("kind IN ('mentee', 'mentor')", name="kind_known"),
        CheckConstraint(
            "status IN ('applied', 'interviewed', 'ready', 'matched', 'alumni', 'paused', "
            "'withdrawn')",
            name="status_known",
        ),
        CheckConstraint("capacity >= 0 AND capacity <= 20", name="capacity_range"),
        Index("ix_participants_tenant_kind_status", "tenant_id", "kind", "status"),
        # Reports: who signed up in a period (migration 0010).
        Index("ix_participants_tenant_kind_created_at", "tenant_id", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="applied")
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    office: Mapped[str | None] = mapped_column(String(40))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_locale: Mapped[str] = mapped_column(String(8))
    profession: Mapped[str | None] = mapped_column(String(4))  # ISCO-08 unit group
    education_level: Mapped[int | None] = mapped_column(SmallInteger)  # ISCED 2011, 0..8
    education_field: Mapped[str | None] = mapped_column(String(2))  # ISCED-F 2013 broad field
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    story: Mapped[str | None] = mapped_column(Text)
    sector: Mapped[str | None] = mapped_column(String(40))
    business_stage: Mapped[str | None] = mapped_column(String(20))
    intake_answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Mentee
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    wishes: Mapped[str | None] = mapped_column(Text)
    country_of_origin: Mapped[str | None] = mapped_column(String(2))
    arrival_year: Mapped[int | None] = mapped_column(Integer)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    # Mentor
    helps_with: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(SmallInteger, default=1)
    availability: Mapped[str | None] = mapped_column(Text)
    paused_until: Mapped[date | None] = mapped_column(Date)
    # Bookkeeping
    source: Mapped[str] = mapped_column(String(20), default="web")
    user_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ready_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set only when retention anonymises her (people/retention.py): coarse stand-ins the
    # reports may group by, never more than an ISCO-08 major group and a ten-year band.
    profession_group: Mapped[str | None] = mapped_column(String(1))
    age_band: Mapped[str | None] = mapped_column(String(8))

    interviews: Mapped[list[Interview]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        order_by="Interview.held_on.desc()",
        overlaps="consents",
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        order_by="Consent.given_at",
        overlaps="interviews",
    )

    def __repr__(self) -> str:
        return f"<Participant {self.id} {self.kind}>"


class Interview(TenantScoped, db.Model):
    """The coordinator's notes from the intake talk. Seen by coordinators and admins only."""

    __tablename__ = "interviews"
    __table_args__ = (
        tenant_key("interviews"),
        tenant_fk("participant_id", "participants", "fk_interviews_participant"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    participant_id: Mapped[int] = mapped_column(IdType, index=True)
    interviewer_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    held_on: Mapped[date] = mapped_column(Date)
    dreams: Mapped[str] = mapped_column(Text, default="")  # in her own words
    mentor_wish: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    participant: Mapped[Participant] = relationship(
        back_populates="interviews", overlaps="consents"
    )


class Consent(TenantScoped, db.Model):
    """Who agreed to what, when, to which exact notice; and when she withdrew."""

    __tablename__ = "consents"
    __table_args__ = (
        tenant_key("consents"),
        tenant_fk("participant_id", "participants", "fk_consents_participant"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    participant_id: Mapped[int] = mapped_column(IdType, index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    notice_version: Mapped[str] = mapped_column(String(40))
    notice_text: Mapped[str] = mapped_column(Text)  # exactly what she was shown
    locale: Mapped[str] = mapped_column(String(8))
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(20), default="self")

    participant: Mapped[Participant] = relationship(
        back_populates="consents", overlaps="interviews"
    )


class SignupAttempt(TenantScoped, db.Model):
    """One public sign-up attempt, by a hash of the address only: the rate limit's memory."""

    __tablename__ = "signup_attempts"
    __table_args__ = (
        tenant_key("signup_attempts"),
        Index("ix_signup_attempts_lookup", "tenant_id", "address_hash", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    address_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
