"""``mentornet jobs``: the worker, and the operator's view of what failed or waits.

Output is ids, task names and error class names only: jobs carry nothing else.
"""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup
from rq import Worker

from mentornet.extensions import db
from mentornet.jobs import failures, queues
from mentornet.jobs.enqueue import Enqueued, flush

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


@jobs_cli.command("failed")
def failed() -> None:
    """List failed jobs: id, queue, task, tenant, ids and error class."""
    _require_redis()
    jobs = failures.failed_jobs()
    for job in jobs:
        click.echo(
            f"{job.id}  queue={job.queue}  task={job.task}  tenant={job.tenant_id}  "
            f"ids={','.join(map(str, job.ids)) or '-'}  error={job.error}"
        )
    click.echo(f"{len(jobs)} failed job(s)")


@jobs_cli.command("retry")
@click.argument("job_id")
def retry(job_id: str) -> None:
    """Put a failed job back on its queue."""
    _require_redis()
    name = failures.retry(job_id)
    if name is None:
        click.echo(f"Error: no failed job {job_id}", err=True)
        raise SystemExit(1)
    click.echo(f"{job_id} requeued on {name}")


# --- scheduled work -------------------------------------------------------------------------


def _report(what: str, result: Enqueued) -> None:
    """One line on what became of a scheduled run; a failure exits 1."""
    click.echo(f"{what}: {result.mode}" + (f" ({result.job_id})" if result.job_id else ""))
    if result.mode in ("pending", "lost"):
        click.echo("Error: it did not run; see the log and `mentornet jobs flush`.", err=True)
        raise SystemExit(1)


@jobs_cli.command("daily")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to remind for, YYYY-MM-DD (today, UTC, by default).",
)
def daily_command(day) -> None:
    """Run the daily reminders and digests now (for a system cron; inline without Redis)."""
    from mentornet.jobs import enqueue
    from mentornet.jobs.schedule import today_utc

    iso = (day.date() if day else today_utc()).isoformat()
    _report(f"daily {iso}", enqueue("schedule.daily", None, iso, job_key=f"schedule.daily:{iso}"))


@jobs_cli.command("nightly")
def nightly_command() -> None:
    """Run the nightly retention and billing sweep now (for a system cron)."""
    from mentornet.jobs import enqueue
    from mentornet.jobs.schedule import today_utc

    iso = today_utc().isoformat()
    _report(f"nightly {iso}", enqueue("schedule.nightly", None, job_key=f"schedule.nightly:{iso}"))


@jobs_cli.command("cron")
def cron_command() -> None:
    """Start rq's cron scheduler: the daily run at JOBS_DAILY_CRON, the nightly at
    JOBS_NIGHTLY_CRON (UTC). Run exactly one, beside the workers that do the jobs."""
    import os
    import time

    from rq.cron import CronScheduler

    from mentornet.jobs.schedule import CRON_TASKS, cron_expression, register_cron

    _require_redis()
    try:
        for _name, setting in CRON_TASKS:
            cron_expression(setting)
    except ValueError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from None
    # rq reads cron expressions in the process's local time; ours are UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()
    level = current_app.config.get("JOBS_LOG_LEVEL", "INFO")
    scheduler = CronScheduler(connection=queues.worker_connection(), logging_level=level)
    register_cron(scheduler)
    scheduler.start()
