"""``mentornet matching run --tenant SLUG``: a batch run from the command line.

The command waits for its run: it computes it in this process through the job runner,
whatever ``REDIS_URL`` says, and prints the outcome (ids only).
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from mentornet.accounts.cli import tenant_or_exit
from mentornet.extensions import db
from mentornet.jobs.runner import TaskFailed
from mentornet.jobs.runner import run as run_task
from mentornet.matching import runs, services
from mentornet.matching.models import MatchingRun
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
        try:
            started = runs.start(
                by_user_id=None, min_score=min_score, bonus_per_month=bonus, in_background=False
            )
        except runs.RunInProgress as busy:
            message = f"Error: run {busy.run.id} is {busy.run.status}; wait or cancel it"
            click.echo(message, err=True)
            raise SystemExit(1) from None
        db.session.commit()
        run_id = started.id
    try:
        run_task(runs.TASK, tenant.id, run_id, job_key=runs.job_key(run_id))
    except TaskFailed as exc:
        click.echo(f"Error: run {run_id} failed: {exc.cause}", err=True)
        raise SystemExit(1) from None
    with with_tenant(tenant):
        result = db.session.get(MatchingRun, run_id, populate_existing=True)
        assert result is not None
        if result.status != "done":
            click.echo(f"run {run_id}: {result.status}")
            raise SystemExit(1)
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
