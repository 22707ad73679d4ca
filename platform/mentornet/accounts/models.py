"""Users are global (one login, one email); everything they may do lives in a Membership.

A user with no membership in a tenant is a stranger there: the tenant's pages and API
answer 404, exactly as for something that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentornet.dbtypes import IdType, utcnow
from mentornet.extensions import db
from mentornet.tenancy.models import TenantScoped, tenant_fk, tenant_key


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    MENTOR = "mentor"
    MENTEE = "mentee"


ROLES = tuple(r.value for r in Role)
STAFF_ROLES = (Role.ADMIN.value, Role.COORDINATOR.value)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The platform operator: sees /admin (tenants, plans, counts), never a tenant's people.
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Membership(TenantScoped, db.Model):
    """A user's place in one tenant: a role and, for coordinators, optional offices."""

    __tablename__ = "memberships"
    __table_args__ = (
        tenant_key("memberships"),
        UniqueConstraint("tenant_id", "user_id", name="uq_memberships_tenant_id_user_id"),
        CheckConstraint("role IN ('admin', 'coordinator', 'mentor', 'mentee')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    # Office keys from the tenant's settings; empty means every office.
    offices: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


class ApiToken(TenantScoped, db.Model):
    """A bearer token for one user in one tenant; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        tenant_key("api_tokens"),
        # Composite: a token can only exist for a member of the same tenant.
        tenant_fk("user_id", "memberships", "fk_api_tokens_membership", target_column="user_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(IdType, index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    membership: Mapped[Membership] = relationship(viewonly=True, lazy="joined")


class Invitation(TenantScoped, db.Model):
    """A link that lets someone set a password and join a tenant with a role.

    Only the token's SHA-256 is stored; the link expires and works once.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        tenant_key("invitations"),
        tenant_fk("participant_id", "participants", "fk_invitations_participant"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20))
    offices: Mapped[list[str]] = mapped_column(JSON, default=list)
    participant_id: Mapped[int | None] = mapped_column(IdType)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SsoProvider(TenantScoped, db.Model):
    """A tenant's OpenID Connect provider: its members may log in through it."""

    __tablename__ = "sso_providers"
    __table_args__ = (
        tenant_key("sso_providers"),
        UniqueConstraint("tenant_id", name="uq_sso_providers_tenant_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    # Sealed (accounts/sealed.py): "fernet:" and the encrypted secret.
    client_secret: Mapped[str] = mapped_column(String(1024))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class SsoIdentity(TenantScoped, db.Model):
    """A provider's account (issuer + subject) linked to a user, after a verified email."""

    __tablename__ = "sso_identities"
    __table_args__ = (
        tenant_key("sso_identities"),
        UniqueConstraint(
            "tenant_id", "issuer", "subject", name="uq_sso_identities_tenant_id_issuer_subject"
        ),
        # Composite: a link can only exist for a member of the same tenant, and goes
        # when her membership goes.
        tenant_fk(
            "user_id", "memberships", "fk_sso_identities_membership", target_column="user_id"
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(IdType, index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
