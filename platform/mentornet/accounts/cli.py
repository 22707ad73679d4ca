"""``mentornet users create`` and ``mentornet tokens create``."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mentornet.accounts import services
from mentornet.accounts.models import ROLES, Membership
from mentornet.extensions import db
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from mentornet.tenancy.resolution import tenant_by_slug

users_cli = AppGroup("users", help="Manage users and their memberships.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


def tenant_or_exit(slug: str) -> Tenant:
    """The tenant with this slug, or exit 2 with a message (for every command)."""
    tenant = tenant_by_slug(slug)
    if tenant is None:
        click.echo(f"Error: no tenant {slug!r} (see `mentornet tenants list`)", err=True)
        raise SystemExit(2)
    return tenant


@users_cli.command("create")
@click.option("--tenant", "slug", required=True, help="Tenant slug, e.g. denmark.")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", default=None, help="Prompted for when omitted.")
@click.option("--name", default="")
@click.option("--office", "offices", multiple=True, help="Limit to an office (repeatable).")
def create_user(
    slug: str, email: str, role: str, password: str | None, name: str, offices: tuple[str, ...]
) -> None:
    """Create a user (or reuse one) and give her a role in a tenant."""
    tenant = tenant_or_exit(slug)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with with_tenant(tenant):
        try:
            user = services.ensure_user(email, name=name, password=password)
            membership = services.grant_membership(user, role, offices)
        except services.AccountError as exc:
            db.session.rollback()
            click.echo(f"Error: {exc.field}: {exc.message}", err=True)
            raise SystemExit(2) from None
        db.session.commit()
        click.echo(f"{user.email} is {membership.role} in {tenant.slug}")


@users_cli.command("operator")
@click.option("--email", required=True)
@click.option("--password", default=None, help="Prompted for when omitted.")
@click.option("--name", default="")
@click.option("--revoke", is_flag=True, help="Take the operator's rights away instead.")
def operator(email: str, password: str | None, name: str, revoke: bool) -> None:
    """Make a user a platform operator (she sees /admin: tenants, plans, counts)."""
    if revoke:
        user = services.user_by_email(email)
        if user is None:
            click.echo(f"Error: no user {email}", err=True)
            raise SystemExit(2)
        user.is_operator = False
        db.session.commit()
        click.echo(f"{user.email} is no longer an operator")
        return
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.ensure_user(email, name=name, password=password)
    except services.AccountError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc.field}: {exc.message}", err=True)
        raise SystemExit(2) from None
    user.is_operator = True
    db.session.commit()
    click.echo(f"{user.email} is a platform operator")


@tokens_cli.command("create")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@click.option("--name", default="cli", help="A label to recognise the token by.")
def create_token(slug: str, email: str, name: str) -> None:
    """Print a new API token for a member of a tenant (shown once)."""
    tenant = tenant_or_exit(slug)
    with with_tenant(tenant):
        user = services.user_by_email(email)
        membership = None
        if user is not None:
            membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        if membership is None:
            click.echo(f"Error: {email} is not a member of {slug}", err=True)
            raise SystemExit(2)
        raw = services.create_token(membership, name)
        db.session.commit()
    click.echo(raw)
