"""``enqueue``: the one way to start background work, and ``flush`` for what had to wait.

The caller commits first: an inline job runs at once in its own session, and a queued
one may start before the request ends, so either reads only what is committed.

- Without ``REDIS_URL`` (the embedded default) the job runs inline, right now.
- With it, the job goes to its task's rq queue, with retries and backoff, a failure TTL
  of at most 30 days and a short result TTL. A ``job_key`` makes the job id: the same
  logical job enqueued again while the first waits or runs is not enqueued twice.
- When Redis cannot be reached, or an inline job fails, the job is kept in
  ``pending_jobs`` (ids only) and sent again by ``mentornet jobs flush`` or the worker.
  The web request never sees the error.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redis.exceptions import RedisError
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mentornet.dbtypes import as_utc, utcnow
from mentornet.extensions import db
from mentornet.jobs import queues
from mentornet.jobs.models import PendingJob
from mentornet.jobs.runner import TaskFailed, run
from mentornet.jobs.tasks import TaskSpec, check_arguments, get_task

log = logging.getLogger(__name__)

_FINISHED = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


@dataclass(frozen=True)
class Enqueued:
    """What became of a job: ``inline`` (ran now), ``queued``, ``scheduled``,
    ``duplicate`` (the same job_key is already waiting or running), ``pending`` (kept in
    pending_jobs to be sent later) or ``lost`` (not even that could be recorded)."""

    mode: str
    job_id: str | None = None
    result: Any = None


def job_id_for(task_name: str, tenant_id: int | None, job_key: str) -> str:
    """A stable rq job id for one logical job (rq ids allow letters, digits, ``_`` and ``-``)."""
    digest = hashlib.sha256(f"{task_name}|{tenant_id}|{job_key}".encode()).hexdigest()[:32]
    return f"mn-{digest}"


def enqueue(
    task_name: str,
    tenant_id: int | None,
    *ids: Any,
    job_key: str | None = None,
    at: datetime | None = None,
) -> Enqueued:
    """Start ``task_name`` for ``tenant_id`` (``None`` for a platform task) on ``ids``.

    Raises :class:`~mentornet.jobs.tasks.JobArgumentError` for anything but ids and
    :class:`~mentornet.jobs.tasks.UnknownTask` for a name nobody registered: those are
    bugs. Redis being down is not: the job waits in ``pending_jobs``.
    """
    spec = get_task(task_name)
    check_arguments(spec, tenant_id, ids, job_key)
    if at is not None and at.tzinfo is None:
        raise ValueError("at must be an aware datetime")
    if not queues.redis_url():
        if at is not None and at > utcnow():
            return _record(spec, tenant_id, ids, job_key, at, error=None)
        return _run_inline(spec, tenant_id, ids, job_key, at)
    try:
        return _send(spec, tenant_id, ids, job_key, at)
    except RedisError as exc:
        return _record(spec, tenant_id, ids, job_key, at, error=type(exc).__name__)


AFTER_COMMIT = "mentornet.jobs.after_commit"


def enqueue_after_commit(
    task_name: str,
    tenant_id: int | None,
    *ids: Any,
    job_key: str | None = None,
    at: datetime | None = None,
) -> None:
    """``enqueue`` once the current transaction commits; nothing if it rolls back.

    Services call this where the work is decided (a proposal, an invitation), so a job
    never runs for a row the request did not keep, and never before the row is visible.
    The arguments are checked now: a bug shows in the request, not in the worker.
    """
    spec = get_task(task_name)
    check_arguments(spec, tenant_id, ids, job_key)
    session = db.session()
    session.info.setdefault(AFTER_COMMIT, []).append((task_name, tenant_id, ids, job_key, at))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    for task_name, tenant_id, ids, job_key, at in session.info.pop(AFTER_COMMIT, ()):
        enqueue(task_name, tenant_id, *ids, job_key=job_key, at=at)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: Any) -> None:
    if not session.in_transaction():
        session.info.pop(AFTER_COMMIT, None)


def _run_inline(
    spec: TaskSpec, tenant_id: int | None, ids: tuple[Any, ...], job_key: str | None, at: Any
) -> Enqueued:
    try:
        return Enqueued("inline", result=run(spec.name, tenant_id, *ids, job_key=job_key))
    except Exception as exc:  # logged by the runner; kept to be run again by `jobs flush`
        return _record(spec, tenant_id, ids, job_key, at, error=_error_code(exc))


def _error_code(exc: BaseException) -> str:
    """The class name of what went wrong (the task's own, for a failed task)."""
    if isinstance(exc, TaskFailed) and exc.cause:
        return exc.cause
    return type(exc).__name__


def _send(
    spec: TaskSpec, tenant_id: int | None, ids: tuple[Any, ...], job_key: str | None, at: Any
) -> Enqueued:
    q = queues.queue(spec.queue)
    job_id = job_id_for(spec.name, tenant_id, job_key) if job_key else None
    options: dict[str, Any] = {
        "args": (spec.name, tenant_id, *ids),
        "kwargs": {"job_key": job_key} if job_key else {},
        "retry": queues.retry_policy(),
        "failure_ttl": queues.failure_ttl(),
        "result_ttl": queues.setting("JOBS_RESULT_TTL"),
        "job_timeout": queues.setting("JOBS_TIMEOUT"),
        "description": f"{spec.name} tenant={tenant_id} ids={list(ids)}",
        "job_id": job_id,
        "unique": job_id is not None,
    }
    scheduled = at is not None and at > utcnow()
    for _attempt in range(2):
        try:
            job = q.enqueue_at(at, run, **options) if scheduled else q.enqueue(run, **options)
            return Enqueued("scheduled" if scheduled else "queued", job_id=job.id)
        except DuplicateJobError:
            if not _forget_if_done(job_id, q.connection):
                return Enqueued("duplicate", job_id=job_id)
    return Enqueued("duplicate", job_id=job_id)


def _forget_if_done(job_id: str | None, connection: Any) -> bool:
    """A job with this id exists: if it already ended, delete it so a new one can start."""
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return True  # expired between the two calls
    if job.get_status() in _FINISHED:
        job.delete()
        return True
    return False


def _record(
    spec: TaskSpec,
    tenant_id: int | None,
    ids: tuple[Any, ...],
    job_key: str | None,
    at: datetime | None,
    error: str | None,
) -> Enqueued:
    """Keep the job in pending_jobs, in its own short transaction (ids only, even in logs)."""
    values = {
        "task": spec.name,
        "tenant_id": tenant_id,
        "ids": list(ids),
        "job_key": job_key,
        "run_at": at,
        "created_at": utcnow(),
        "attempts": 0,
        "last_error": error,
    }
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(PendingJob.__table__).values(**values))
    except SQLAlchemyError as exc:
        log.error(
            "job %s for tenant %s ids %s lost: %s, then %s",
            spec.name,
            tenant_id,
            list(ids),
            error,
            type(exc).__name__,
        )
        return Enqueued("lost")
    if error:
        log.warning(
            "job %s for tenant %s ids %s kept for later: %s", spec.name, tenant_id, list(ids), error
        )
    return Enqueued("pending")


@dataclass
class FlushReport:
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # rows left in pending_jobs afterwards


def flush(limit: int = 500) -> FlushReport:
    """Send the pending jobs (with Redis) or run the due ones (inline); delete each sent one.

    Each row is claimed with a compare-and-set on ``attempts`` first, so two flushers do
    not both send it. With Redis still down, flushing stops at the first failure.
    """
    report = FlushReport()
    now = utcnow()
    redis_mode = bool(queues.redis_url())
    table = PendingJob.__table__
    with db.engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id).limit(limit)).mappings().all()
    for row in rows:
        run_at = as_utc(row["run_at"])
        if not redis_mode and run_at is not None and run_at > now:
            continue  # inline mode: a scheduled job waits until it is due
        with db.engine.begin() as conn:
            claimed = conn.execute(
                update(table)
                .where(table.c.id == row["id"], table.c.attempts == row["attempts"])
                .values(attempts=row["attempts"] + 1)
            ).rowcount
        if not claimed:
            continue
        error, redis_down = None, False
        try:
            spec = get_task(row["task"])
            ids = tuple(row["ids"] or ())
            if redis_mode:
                _send(spec, row["tenant_id"], ids, row["job_key"], run_at)
            else:
                run(spec.name, row["tenant_id"], *ids, job_key=row["job_key"])
        except RedisError as exc:
            error, redis_down = type(exc).__name__, True
        except Exception as exc:
            error = _error_code(exc)
        with db.engine.begin() as conn:
            if error is None:
                conn.execute(delete(table).where(table.c.id == row["id"]))
            else:
                conn.execute(update(table).where(table.c.id == row["id"]).values(last_error=error))
        if error is None:
            report.sent += 1
            continue
        report.failed += 1
        if redis_down:
            break  # Redis is still unreachable; the rest waits for the next flush
    with db.engine.connect() as conn:
        report.waiting = conn.scalar(select(func.count()).select_from(table)) or 0
    return report
