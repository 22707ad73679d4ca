"""``mentornet demo seed``: demo logins and synthetic participants for every tenant, so the
demo can be tried at once with a waiting list worth matching."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import insert, select

from mentornet.accounts import services
from mentornet.extensions import db
from mentornet.people import synthetic
from mentornet.people.models import Participant
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant

demo_cli = AppGroup("demo", help="Demo data for trying Mentornet out.")

DEMO_PASSWORD = "mentornet-demo"  # noqa: S105 (printed in the README on purpose)
DEMO_ROLES = ("admin", "coordinator", "mentor", "mentee")
DEMO_SOURCE = "demo"
# Rows per INSERT: big enough to be quick, small enough to keep parameter lists modest.
INSERT_CHUNK = 1000


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


def _link_login(people: list[dict[str, Any]], kind: str, slug: str) -> None:
    """Give the demo mentee or mentor login one generated profile, so "My profile" works.

    A participant waiting for a match is picked when there is one, since no mentorship is
    generated that a "matched" profile would point to.
    """
    if not people:
        return
    email = demo_email(kind, slug)
    user = services.user_by_email(email)
    if user is None:
        return
    taken = db.session.scalar(
        select(Participant.id)
        .where((Participant.email == email) | (Participant.user_id == user.id))
        .limit(1)
    )
    if taken is not None:
        return  # someone already has that address or that login here: leave her be
    person = next((p for p in people if p["status"] == "ready"), people[0])
    person["email"] = email
    person["user_id"] = user.id


def seed_participants(
    tenant: Tenant, mentees: int, mentors: int, seed: int, today: date | None = None
) -> bool:
    """Insert synthetic mentees and mentors into ``tenant``; False if it already has some.

    The random generator is seeded per tenant and kind, so one tenant's people do not
    change with the other tenants seeded or with the number of mentors asked for. Rows go
    in through ORM bulk inserts in chunks and one commit: 10,000 people take seconds.
    """
    with with_tenant(tenant):
        seeded = db.session.scalar(
            select(Participant.id).where(Participant.source == DEMO_SOURCE).limit(1)
        )
        if seeded is not None:
            return False
        settings = tenant.config
        today = today or date.today()
        rows: list[dict[str, Any]] = []
        for kind, count in (("mentee", mentees), ("mentor", mentors)):
            rng = random.Random(f"{seed}:{tenant.slug}:{kind}")
            people = synthetic.generate(settings, kind, count, rng, today)
            for person in people:
                person.update(tenant_id=tenant.id, source=DEMO_SOURCE, user_id=None)
            _link_login(people, kind, tenant.slug)
            rows.extend(people)
        for start in range(0, len(rows), INSERT_CHUNK):
            db.session.execute(insert(Participant), rows[start : start + INSERT_CHUNK])
        db.session.commit()
    return True


@demo_cli.command("seed")
@click.option("--tenant", "slug", default=None, help="Only this tenant (default: all).")
@click.option(
    "--mentees",
    default=60,
    show_default=True,
    type=click.IntRange(min=0),
    help="Synthetic mentees per tenant.",
)
@click.option(
    "--mentors",
    default=50,
    show_default=True,
    type=click.IntRange(min=0),
    help="Synthetic mentors per tenant.",
)
@click.option(
    "--seed",
    "seed_value",
    default=2024,
    show_default=True,
    type=int,
    help="Random seed: the same seed gives the same people.",
)
def seed(slug: str | None, mentees: int, mentors: int, seed_value: int) -> None:
    """Create the demo logins (one per role) and synthetic participants in each tenant.

    Tenants that already have demo participants are skipped, so ``make demo`` can run twice.
    """
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
        if seed_participants(tenant, mentees, mentors, seed_value):
            click.echo(f"{tenant.slug}: {mentees} mentees, {mentors} mentors")
        else:
            click.echo(f"{tenant.slug}: demo participants already there; skipped")
