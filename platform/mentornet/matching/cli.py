"""``mentornet matching run --tenant SLUG``: a batch run from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from mentornet.accounts.cli import tenant_or_exit
from mentornet.extensions import db
from mentornet.matching import services
from mentornet.tenancy.context import with_tenant

matching_cli = AppGroup("matching", help="Batch matching over a tenant's waiting list.")


@matching_cli.command("run")
@click.option("--tenant", "slug", required=True)
@click.option("--min-score", type=click.FloatRange(0, 1), default=None)
@click.option(
    "--bonus", type=click.FloatRange(0, 0.1), default=None, help="Score bonus per month of waiting."
)
@click.option("--accept", is_flag=True, help="Turn every proposal into a proposed mentorship.")
def run(slug: str, min_score: float | None, bonus: float | None, accept: bool) -> None:
    """Propose the pairs with the highest total score (ids only are printed)."""
    tenant = tenant_or_exit(slug)
    with with_tenant(tenant):
        result = services.run_batch(by_user_id=None, min_score=min_score, bonus_per_month=bonus)
        click.echo(
            f"run {result.id}: {result.stats.get('waiting', 0)} waiting, "
            f"{len(result.proposals)} proposals, method {result.stats.get('method', '-')}"
        )
        for proposal in result.proposals:
            click.echo(
                f"  mentee {proposal.mentee_id} -> mentor {proposal.mentor_id} "
                f"score {proposal.score:.3f}{' (locked)' if proposal.locked else ''}"
            )
        if accept:
            created, refused = services.accept(result, None, None)
            click.echo(f"accepted: {len(created)} proposed mentorships, {len(refused)} refused")
        db.session.commit()
