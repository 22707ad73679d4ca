"""``mentornet demo seed``: demo logins for every tenant, so the demo can be tried at once."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mentornet.accounts import services
from mentornet.extensions import db
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant

demo_cli = AppGroup("demo", help="Demo data for trying Mentornet out.")

DEMO_PASSWORD = "mentornet-demo"  # noqa: S105 (printed in the README on purpose)
DEMO_ROLES = ("admin", "coordinator", "mentor", "mentee")


def demo_email(role: str, slug: str) -> str:
    return f"{role}@{slug}.example.org"


def seed_logins(tenant: Tenant) -> list[str]:
    """One login per role in ``tenant``; idempotent, so re-running the demo is safe."""
    created = []
    with with_tenant(tenant):
        for role in DEMO_ROLES:
            email = demo_email(role, tenant.slug)
            user = services.ensure_user(
                email, name=f"{role.capitalize()} ({tenant.slug})", password=DEMO_PASSWORD
            )
            user.locale = user.locale or tenant.default_locale
            services.grant_membership(user, role)
            created.append(email)
        db.session.commit()
    return created


@demo_cli.command("seed")
@click.option("--tenant", "slug", default=None, help="Only this tenant (default: all).")
def seed(slug: str | None) -> None:
    """Create the demo logins (one per role) in each tenant."""
    statement = select(Tenant).order_by(Tenant.slug)
    if slug:
        statement = statement.where(Tenant.slug == slug)
    tenants = db.session.scalars(statement).all()
    if not tenants:
        click.echo(
            "Error: no tenant to seed; run `mentornet tenants load tenants/` first", err=True
        )
        raise SystemExit(2)
    for tenant in tenants:
        emails = seed_logins(tenant)
        click.echo(f"{tenant.slug}: {', '.join(emails)} (password {DEMO_PASSWORD})")
