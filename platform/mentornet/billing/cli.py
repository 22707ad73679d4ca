"""``mentornet billing sweep``: write down read-only where a grace period has run out."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from mentornet.billing import services
from mentornet.extensions import db

billing_cli = AppGroup("billing", help="Plans and billing status of the tenants.")


@billing_cli.command("sweep")
def sweep() -> None:
    """Overdue tenants past the grace period become read-only (ids only are printed).

    The pages already treat them so; this makes the stored status say it too, for the
    operator's list and for reports. Run it daily, e.g. from cron.
    """
    if not services.billing_enabled():
        click.echo("billing is off (no STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET): nothing to do")
        return
    changed = services.sweep()
    db.session.commit()
    click.echo(f"{len(changed)} tenant(s) now read-only" + (f": {changed}" if changed else ""))
