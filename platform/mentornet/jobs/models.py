"""Platform tables of the job system. Neither is tenant-owned and neither holds personal
data: task names, tenant ids, row ids, keys made of ids, timestamps and error class names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db


class PendingJob(db.Model):
    """A job that could not be handed to Redis (or failed inline), waiting to be sent again.

    ``mentornet jobs flush`` and the worker (at start and on its maintenance tick) send
    these and delete each row once its job is enqueued.
    """

    __tablename__ = "pending_jobs"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    task: Mapped[str] = mapped_column(String(80))
    tenant_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    job_key: Mapped[str | None] = mapped_column(String(200))
    run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # An error class name such as "ConnectionError", never a message.
    last_error: Mapped[str | None] = mapped_column(String(80))


class JobReceipt(db.Model):
    """Work already done, by key, so a job delivered twice does it once (see ``once``)."""

    __tablename__ = "job_receipts"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    tenant_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
