"""The outbox: what Mentornet would have mailed when no SMTP server is configured.

The demo has no mail server, yet a coordinator trying it should see what her mentees
would receive. Each row is one message as it would have left, in the recipient's
language; ``key`` is the job's receipt key, so a job delivered twice stores one row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db
from mentornet.tenancy.models import TenantScoped, tenant_key


class OutboxMessage(TenantScoped, db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        tenant_key("outbox_messages"),
        UniqueConstraint("tenant_id", "key", name="uq_outbox_messages_tenant_id_key"),
        Index("ix_outbox_messages_tenant_created", "tenant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    key: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
