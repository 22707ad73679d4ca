"""``mentornet jobs``: the worker, and the operator's view of what failed or waits.

Output is ids, task names and error class names only: jobs carry nothing else.
"""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup
from rq import Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry

from mentornet.extensions import db
from mentornet.jobs import queues
from mentornet.jobs.enqueue import flush

log = logging.getLogger(__name__)

jobs_cli = AppGroup("jobs", help="Background jobs: the worker, pending and failed jobs.")


def _require_redis() -> None:
    if not queues.redis_url():
        click.echo("Error: REDIS_URL is not set; without it jobs run inline.", err=True)
        raise SystemExit(2)


def _flush_pending() -> None:
    """Send what waited in pending_jobs; never let it stop the worker."""
    try:
        report = flush()
        if report.sent or report.failed:
            log.info(
                "pending jobs: %d sent, %d failed, %d waiting",
                report.sent,
                report.failed,
                report.waiting,
            )
    except Exception:
        log.exception("pending jobs could not be flushed")
    finally:
        # The forked work horses must not share the parent's database connections.
        db.session.remove()
        db.engine.dispose()


class MentornetWorker(Worker):
    """rq's forking worker that also sends pending jobs on its maintenance tick (~10 min)."""

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        _flush_pending()


@jobs_cli.command("worker")
@click.option(
    "--queue",
    "-q",
    "names",
    multiple=True,
    type=click.Choice(queues.QUEUES),
    help="A queue to listen on (repeatable); all of them by default.",
)
@click.option("--burst", is_flag=True, help="Quit once the queues are empty.")
def worker(names: tuple[str, ...], burst: bool) -> None:
    """Run jobs from the queues, with rq's scheduler for retries and scheduled jobs."""
    _require_redis()
    _flush_pending()
    conn = queues.worker_connection()
    listen = [queues.queue(name, conn) for name in (names or queues.QUEUES)]
    level = current_app.config.get("JOBS_LOG_LEVEL", "INFO")
    MentornetWorker(listen, connection=conn).work(
        burst=burst, with_scheduler=True, logging_level=level
    )


@jobs_cli.command("flush")
def flush_command() -> None:
    """Send the jobs kept in pending_jobs while Redis was unreachable."""
    report = flush()
    click.echo(
        f"pending jobs: {report.sent} sent, {report.failed} failed, {report.waiting} waiting"
    )
    if report.failed:
        raise SystemExit(1)


def _failed_registries():
    conn = queues.connection()
    for name in queues.QUEUES:
        yield name, FailedJobRegistry(queue=queues.queue(name, conn))


@jobs_cli.command("failed")
def failed() -> None:
    """List failed jobs: id, queue, task, tenant, ids and error class."""
    _require_redis()
    count = 0
    for name, registry in _failed_registries():
        for job_id in registry.get_job_ids():
            try:
                job = Job.fetch(job_id, connection=registry.connection)
            except NoSuchJobError:
                continue
            task_name, tenant_id, *ids = job.args or ("?", None)
            error = job.meta.get("error", "-")
            click.echo(
                f"{job.id}  queue={name}  task={task_name}  tenant={tenant_id}  "
                f"ids={','.join(map(str, ids)) or '-'}  error={error}"
            )
            count += 1
    click.echo(f"{count} failed job(s)")


@jobs_cli.command("retry")
@click.argument("job_id")
def retry(job_id: str) -> None:
    """Put a failed job back on its queue."""
    _require_redis()
    for name, registry in _failed_registries():
        if job_id in registry:
            registry.requeue(job_id)
            click.echo(f"{job_id} requeued on {name}")
            return
    click.echo(f"Error: no failed job {job_id}", err=True)
    raise SystemExit(1)
