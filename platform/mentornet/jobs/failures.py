"""What failed, and what waits to be sent: the operator's view of the job system.

``mentornet jobs failed`` / ``jobs retry`` and the /admin/jobs page both read it here.
Jobs carry a task name, a tenant id and row ids, and the runner keeps only the error's
class name and the count of failed attempts on them, so this shows nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select

from mentornet.dbtypes import as_utc
from mentornet.extensions import db
from mentornet.jobs import queues
from mentornet.jobs.models import PendingJob

# What an rq job id looks like (ours are "mn-" and a digest; rq's own are UUIDs).
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    task: str
    tenant_id: int | None
    ids: tuple[Any, ...]
    error: str
    failed_at: datetime | None
    attempts: int | None  # failed attempts, retries included (None: not recorded)


def _registries(conn: Redis | None = None) -> Iterator[tuple[str, FailedJobRegistry]]:
    conn = conn if conn is not None else queues.connection()
    for name in queues.QUEUES:
        yield name, FailedJobRegistry(queue=queues.queue(name, conn))


def _failed_job(queue_name: str, job: Job) -> FailedJob:
    task_name, tenant_id, *ids = job.args or ("?", None)
    attempts = job.meta.get("attempts")
    return FailedJob(
        id=job.id,
        queue=queue_name,
        task=str(task_name),
        tenant_id=tenant_id,
        ids=tuple(ids),
        error=str(job.meta.get("error", "-")),
        failed_at=as_utc(job.ended_at),
        attempts=int(attempts) if attempts is not None else None,
    )


def failed_jobs(limit: int = 500) -> list[FailedJob]:
    """Failed jobs of every queue, the most recent failure first (Redis mode only)."""
    found: list[FailedJob] = []
    for name, registry in _registries():
        for job_id in registry.get_job_ids(0, limit - 1, desc=True):
            try:
                job = Job.fetch(job_id, connection=registry.connection)
            except NoSuchJobError:
                continue  # expired between the two calls
            found.append(_failed_job(name, job))
    oldest = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda job: job.failed_at or oldest, reverse=True)
    return found[:limit]


def retry(job_id: str) -> str | None:
    """Put a failed job back on its queue; its queue's name, or None if no failed job has
    this id (already retried, expired, or never failed)."""
    for name, registry in _registries():
        if job_id in registry:
            try:
                registry.requeue(job_id)
            except (InvalidJobOperation, NoSuchJobError):
                return None  # someone else retried it a moment ago
            return name
    return None


def pending_count() -> int:
    """Jobs kept in pending_jobs: Redis was unreachable, or they failed inline."""
    return db.session.scalar(select(func.count()).select_from(PendingJob)) or 0


def pending_jobs(limit: int = 200) -> list[PendingJob]:
    """The jobs kept in pending_jobs, oldest first (ids, task names and error classes)."""
    return list(db.session.scalars(select(PendingJob).order_by(PendingJob.id).limit(limit)))
