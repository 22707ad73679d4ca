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
from mentornet.cycles.models import Mentorship
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


OPERATOR_EMAIL = "operator@mentornet.example.org"


def seed_operator() -> str:
    """The platform operator's demo login, for /admin."""
    user = services.ensure_user(OPERATOR_EMAIL, name="Operator", password=DEMO_PASSWORD)
    user.is_operator = True
    return OPERATOR_EMAIL


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

    A participant waiting for a match is picked when there is one: ``seed_mentorships``
    then proposes the two logins to each other.
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


# How far the demo takes its first pairs: one of each step a coordinator meets.
DEMO_STEPS = ("proposed", "proposed", "introduced", "agreed", "active", "active", "completed")


def seed_mentorships(tenant: Tenant) -> int:
    """A few pairs at each step of the cycle, so the mentorship pages have something to show.

    The demo mentee and mentor logins are proposed to each other first: logged in as
    either, one can answer the proposal and walk the cycle from her side.
    """
    from mentornet.cycles import services as cycles
    from mentornet.cycles import tracking
    from mentornet.cycles.access import SYSTEM, CycleError
    from mentornet.cycles.lifecycle import FIRST_MEETING_LEADS
    from mentornet.cycles.outcomes import Outcome

    with with_tenant(tenant):
        if db.session.scalar(select(Mentorship.id).limit(1)) is not None:
            return 0
        ready = (Participant.status == "ready") & (Participant.source == DEMO_SOURCE)
        order = (Participant.user_id.is_(None), Participant.id)  # the logins first
        mentees = db.session.scalars(
            select(Participant).where(ready, Participant.kind == "mentee").order_by(*order)
        ).all()
        today = date.today()
        free = Participant.paused_until.is_(None) | (Participant.paused_until <= today)
        mentors = db.session.scalars(
            select(Participant).where(ready, free, Participant.kind == "mentor").order_by(*order)
        ).all()
        led_by = FIRST_MEETING_LEADS.get(tenant.config.cycle.first_meeting, ("mentee",))[0]
        made = 0
        for step, mentee, mentor in zip(DEMO_STEPS, mentees, mentors, strict=False):
            try:
                m = cycles.propose(mentee, mentor, by_user_id=None)
                if step != "proposed":
                    cycles.record_first_meeting(m, SYSTEM, on=today, led_by=led_by)
                if step in ("agreed", "active", "completed"):
                    for side in ("mentee", "mentor"):
                        cycles.respond(m, SYSTEM, answer="yes", side=side)
                if step in ("active", "completed"):
                    for side in ("mentee", "mentor"):
                        cycles.accept_agreement(m, SYSTEM, side=side)
                    kind = m.agreement.meeting_kinds[0]
                    tracking.log_meeting(m, SYSTEM, held_on=today, kind=kind, minutes=120)
                if step == "completed":
                    outcome = Outcome(True, True, False, True, True, 5, 4, farewell_held=True)
                    cycles.close(m, SYSTEM, to_state="completed", outcome=outcome)
            except CycleError:
                db.session.rollback()  # this pair only: the ones before are committed
                continue
            db.session.commit()
            made += 1
        return made


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
        made = seed_mentorships(tenant)
        if made:
            click.echo(f"{tenant.slug}: {made} mentorships at every step of the cycle")
    if not slug:
        click.echo(f"operator (/admin): {seed_operator()} (password {DEMO_PASSWORD})")
        db.session.commit()
