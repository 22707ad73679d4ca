"""The onboarding's one table: attempts to start a programme, by a hash of the address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db


class StartAttempt(db.Model):
    """A platform table (no tenant exists yet): the limit's memory, nothing personal."""

    __tablename__ = "start_attempts"
    __table_args__ = (Index("ix_start_attempts_lookup", "address_hash", "created_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    address_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
