"""Billing state per tenant and the Stripe events already processed.

Neither table is tenant-owned: the webhook reaches us with no tenant in the URL, and the
operator reads plans across tenants. Neither holds a participant's personal data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db


class BillingAccount(db.Model):
    """A tenant's plan and its Stripe customer and subscription, as the webhooks left them."""

    __tablename__ = "billing_accounts"

    tenant_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    plan: Mapped[str] = mapped_column(String(40), default="pilot")
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(255))
    subscription_status: Mapped[str | None] = mapped_column(String(40))
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    past_due_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The ``created`` time of the newest event applied: an older one arriving late is stale.
    last_event_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class StripeEvent(db.Model):
    """Each Stripe event id once: a second delivery of the same event changes nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    tenant_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("tenants.id", ondelete="SET NULL"), index=True
    )
    # applied, stale (older than what we hold) or ignored (a type we do not act on)
    outcome: Mapped[str] = mapped_column(String(20))
