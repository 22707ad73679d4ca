"""The Tenant and the mixin every tenant-owned model uses."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db
from mentornet.tenancy.session import TenantOwned


class TenantStatus(StrEnum):
    TRIAL = "trial"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    READ_ONLY = "read_only"
    CANCELED = "canceled"


class Tenant(db.Model):
    """One organisation. Not tenant-owned itself: it is the key everything else hangs on."""

    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint(
            "status IN ('trial', 'active', 'past_due', 'read_only', 'canceled')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), default=TenantStatus.ACTIVE.value)
    domain: Mapped[str | None] = mapped_column(String(253), unique=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Getting-started steps the admin ticked herself (the others are read off the data).
    checklist: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    @property
    def config(self):  # -> TenantSettings
        """The validated settings; parsed once per object (settings change rarely)."""
        from mentornet.tenancy.settings_schema import TenantSettings

        cached = self.__dict__.get("_config_cache")
        if cached is None or cached[0] is not self.settings:
            cached = (self.settings, TenantSettings.model_validate(self.settings))
            self.__dict__["_config_cache"] = cached
        return cached[1]

    @property
    def locales(self) -> list[str]:
        return list(self.config.locales)

    @property
    def default_locale(self) -> str:
        return self.config.locales[0]

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class SettingsChange(TenantOwned, db.Model):
    """One saved change to a tenant's settings: who, when, which section, and what changed.

    ``changes`` lists ``{"path", "before", "after"}`` per changed key path; ``before``
    keeps the whole settings so any change can be read in full, or undone by hand.
    """

    __tablename__ = "settings_changes"
    __table_args__ = (UniqueConstraint("tenant_id", "id", name="uq_settings_changes_tenant_id_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    section: Mapped[str] = mapped_column(String(40))
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The mixin tenant-owned models inherit; defined beside the session that scopes it.
TenantScoped = TenantOwned


def tenant_key(table: str) -> UniqueConstraint:
    """The ``UNIQUE (tenant_id, id)`` every tenant table carries."""
    return UniqueConstraint("tenant_id", "id", name=f"uq_{table}_tenant_id_id")


def tenant_fk(
    column: str, target: str, name: str, target_column: str = "id"
) -> ForeignKeyConstraint:
    """Composite ``(tenant_id, column)`` -> ``target (tenant_id, target_column)``.

    A row can only point at a row of its own tenant, even through a bug.
    """
    return ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.{target_column}"],
        ondelete="CASCADE",
        name=name,
    )
