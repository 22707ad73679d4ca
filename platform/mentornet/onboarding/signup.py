"""A new organisation signs itself up: a tenant in trial, and its first admin.

The slug becomes every URL of the programme (``/<slug>/...``), so it is checked for its
shape, for words the platform's own URLs use, and for being free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from mentornet.accounts import services as accounts
from mentornet.accounts.models import Membership, Role
from mentornet.accounts.passwords import verify_password
from mentornet.extensions import db
from mentornet.jobs import enqueue_after_commit
from mentornet.onboarding import presets
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant, TenantStatus

SLUG_SHAPE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SLUG_LENGTH = (3, 40)

# First path segments the platform uses, or may use, for itself.
_RESERVED = """
    about account accounts admin api app assets auth billing blog contact demo docs
    favicon.ico healthz help home join login logout mail media mentornet new operator
    platform pricing privacy readyz robots.txt root security settings signup sso start
    static status support system terms test tenant tenants www
"""
RESERVED_SLUGS = frozenset(_RESERVED.split())


class SignupError(ValueError):
    """A field of the sign-up form that cannot be accepted, with the reason to show."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Signup:
    organisation: str
    country: str
    slug: str
    admin_name: str
    email: str
    password: str
    preset: str
    locale: str


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot be a web address, in the reader's language; None if it can."""
    low, high = SLUG_LENGTH
    if not low <= len(slug) <= high:
        return _("Use between %(low)d and %(high)d characters.", low=low, high=high)
    if not SLUG_SHAPE.fullmatch(slug):
        return _("Use lower-case letters a-z, digits and single hyphens, starting with a letter.")
    if slug in RESERVED_SLUGS:
        return _("This address is reserved. Please choose another.")
    if db.session.scalar(select(func.count()).select_from(Tenant).where(Tenant.slug == slug)):
        return _("This address is already taken. Please choose another.")
    return None


def sign_up(form: Signup, presets_path: str | Path) -> tuple[Tenant, Membership]:
    """Create the tenant (status trial) and its admin; no commit.

    An email that already has a Mentornet account keeps its password, which must be
    given: signing up must never take over someone else's account.
    """
    problem = slug_problem(form.slug)
    if problem:
        raise SignupError("slug", problem)
    try:
        settings = presets.settings_for(
            presets_path,
            form.preset,
            name=form.organisation,
            country=form.country,
            locale=form.locale,
        )
    except KeyError:
        raise SignupError("preset", _("Please choose one of the presets.")) from None
    try:
        address = accounts.normalise_email(form.email)
    except accounts.AccountError:
        raise SignupError("email", _("This does not look like an email address.")) from None
    user = accounts.user_by_email(address)
    if (
        user is not None
        and user.password_hash
        and not verify_password(user.password_hash, form.password)
    ):
        raise SignupError(
            "password", _("This email already has a Mentornet account: give its password.")
        )
    tenant = Tenant(
        slug=form.slug,
        name=form.organisation,
        country=form.country,
        status=TenantStatus.TRIAL.value,
        settings=settings,
        checklist=[],
    )
    db.session.add(tenant)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SignupError(
            "slug", _("This address is already taken. Please choose another.")
        ) from None
    with with_tenant(tenant):
        if user is None or not user.password_hash:
            user = accounts.ensure_user(address, name=form.admin_name, password=form.password)
        user.locale = user.locale or form.locale
        membership = accounts.grant_membership(user, Role.ADMIN.value)
        db.session.flush()
        enqueue_after_commit("mail.organisation_created", tenant.id, user.id)
    return tenant, membership
