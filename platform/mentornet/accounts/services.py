"""Creating users and memberships, logging in and out, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email
from flask import g, session
from sqlalchemy import func, select

from mentornet.accounts.models import ROLES, ApiToken, Membership, User
from mentornet.accounts.passwords import hash_password, needs_rehash, verify_password
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.tenancy.context import bound_tenant_id, current_tenant, platform_scope

TOKEN_PREFIX = "mn_"  # noqa: S105 (a public prefix, not a secret)


class AccountError(ValueError):
    """A request the accounts service refuses; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError("email", str(exc)) from None


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def ensure_user(email: str, name: str = "", password: str | None = None) -> User:
    """The user with this email, created if new; a given password replaces the old one."""
    address = normalise_email(email)
    user = user_by_email(address)
    if user is None:
        user = User(email=address, name=name or address.split("@")[0])
        db.session.add(user)
    elif name:
        user.name = name
    if password is not None:
        set_password(user, password)
    return user


def set_password(user: User, password: str) -> None:
    from mentornet.accounts.passwords import MIN_PASSWORD_LENGTH

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "password", f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
        )
    user.password_hash = hash_password(password)


def grant_membership(user: User, role: str, offices: Iterable[str] = ()) -> Membership:
    """Give ``user`` a role in the bound tenant (or change the role she has there)."""
    if role not in ROLES:
        raise AccountError("role", f"role must be one of {', '.join(ROLES)}")
    known_offices = {o.key for o in current_tenant.config.offices}
    unknown = [o for o in offices if o not in known_offices]
    if unknown:
        raise AccountError("offices", f"unknown office: {', '.join(unknown)}")
    if user.id is None:
        db.session.flush()
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    if membership is None:
        membership = Membership(user_id=user.id, role=role, offices=list(offices))
        db.session.add(membership)
    else:
        membership.role = role
        membership.offices = list(offices)
    return membership


def authenticate(email: str, password: str) -> Membership | None:
    """The member of the bound tenant with these credentials, or None.

    A wrong password, an unknown email and a user of another tenant all get None after
    the same amount of hashing work, so the answer tells an attacker nothing.
    """
    user = user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if not user.is_active:
        return None
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    if membership is None:
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return membership


def login(membership: Membership) -> None:
    """Start a fresh session for this member: nothing of the old session survives but the
    language chosen before logging in."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session["user_id"] = membership.user_id
    session["tenant_id"] = membership.tenant_id
    session["nonce"] = secrets.token_urlsafe(16)
    session.permanent = True
    membership.user.last_login_at = utcnow()
    db.session.commit()


def logout() -> None:
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def load_session_member() -> None:
    """Put the logged-in member of the bound tenant on ``g`` (or nobody)."""
    g.user = None
    g.membership = None
    g.stranger = False
    user_id = session.get("user_id")
    if user_id is None:
        return
    tenant_id = bound_tenant_id()
    if tenant_id is None:
        g.user = db.session.get(User, user_id)
        return
    if session.get("tenant_id") != tenant_id:
        g.stranger = True  # logged in, but in another tenant: this one is not hers
        return
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user_id))
    if membership is None or not membership.user.is_active:
        g.stranger = True
        return
    g.user = membership.user
    g.membership = membership


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(membership: Membership, name: str = "") -> str:
    """A new API token for this member; the plain text is shown once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            user_id=membership.user_id,
            name=name[:100],
            token_hash=_hash_token(raw),
            prefix=raw[:12],
        )
    )
    return raw


def token_for(raw: str) -> ApiToken | None:
    """The live token with this text, in whichever tenant it belongs to.

    Looked up by hash in a platform scope: the caller compares its tenant with the bound
    one, so a token of tenant A asking tenant B gets a 404, not a 401.
    """
    if not raw.startswith(TOKEN_PREFIX):
        return None
    with platform_scope():
        token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(raw)))
    if token is None or token.revoked_at is not None:
        return None
    return token
