"""Batch runs over the waiting list: a coordinator starts one, a background job computes it.

``start`` creates the run ``queued`` and hands the task ``matching.run_batch`` to the
job system once the request commits (inline without Redis, so the run is done when the
request answers; on the ``matching`` queue with it). ``compute`` is the task's body: it
works in stages (loading, scoring, assigning, saving) and commits the run's stage and
progress at each one, so the page and the API see them while the job works. Each commit
also ends the transaction the tenant is bound to; the next one binds it again (on
PostgreSQL ``app.tenant_id`` is set per transaction), so progress respects row-level
security without a second connection.

Before each stage the job re-reads the run under a row lock: a coordinator's ``cancel``
stops it there. Proposals are written in the last stage only, under that lock, so a
cancelled run never has any. A failure marks the run ``failed`` with its stage and the
error's class name (never a message), then goes on to rq, which records it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from redis.exceptions import RedisError
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mentornet.dbtypes import as_utc, utcnow
from mentornet.extensions import db
from mentornet.jobs import enqueue_after_commit, queues
from mentornet.jobs.enqueue import job_id_for
from mentornet.matching import services
from mentornet.matching.assignment import assign, values_from
from mentornet.matching.models import MatchExclusion, MatchingRun, MatchLock, MatchProposal
from mentornet.matching.scoring import Pool, score_matrix
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import TenantSettings

log = logging.getLogger(__name__)

TASK = "matching.run_batch"
ACTIVE = ("queued", "running")
# The share of the work done when each stage starts.
STAGES: dict[str, float] = {
    "queued": 0.0,
    "loading": 0.05,
    "scoring": 0.2,
    "assigning": 0.6,
    "saving": 0.9,
    "done": 1.0,
}


class RunInProgress(Exception):
    """The tenant already has a run waiting or working; it is ``run``."""

    def __init__(self, run: MatchingRun) -> None:
        super().__init__(f"run {run.id} is {run.status}")
        self.run = run


class NotCancellable(Exception):
    """The run has ended (done or failed): there is nothing left to cancel."""

    def __init__(self, run: MatchingRun) -> None:
        super().__init__(f"run {run.id} is {run.status}")
        self.run = run


class Cancelled(Exception):
    """The run was cancelled (or removed) while the job worked on it."""


def job_key(run_id: int) -> str:
    return f"run-{run_id}"


def job_id(tenant_id: int, run_id: int) -> str:
    """The rq job id of a run's job (stable, from its job_key)."""
    return job_id_for(TASK, tenant_id, job_key(run_id))


def active_run() -> MatchingRun | None:
    """The bound tenant's run that waits or works, if any."""
    return db.session.scalar(
        select(MatchingRun).where(MatchingRun.status.in_(ACTIVE)).order_by(MatchingRun.id).limit(1)
    )


# A run takes seconds to a minute; one still waiting or working after this long lost its
# worker (killed, or the queue was lost) and must not block the tenant's next run.
STALLED_AFTER = timedelta(hours=1)


def stalled(run: MatchingRun, now: datetime | None = None) -> bool:
    return run.status in ACTIVE and (now or utcnow()) - as_utc(run.created_at) > STALLED_AFTER


def _give_up(run: MatchingRun) -> None:
    """Cancel a stalled run (error ``Stalled``): its job, if it ever runs, skips it."""
    locked = _lock(run.id)
    if locked is not None and locked.status in ACTIVE:
        locked.status, locked.error, locked.finished_at = "cancelled", "Stalled", utcnow()
        db.session.flush()
        log.warning("matching run %s: stalled, cancelled to let a new run start", run.id)


def _params(
    settings: TenantSettings, min_score: float | None, bonus_per_month: float | None
) -> dict[str, float]:
    return {
        "min_score": settings.matching.min_score if min_score is None else float(min_score),
        "waiting_bonus_per_month": (
            settings.matching.waiting_bonus_per_month
            if bonus_per_month is None
            else float(bonus_per_month)
        ),
    }


def start(
    *,
    by_user_id: int | None,
    min_score: float | None = None,
    bonus_per_month: float | None = None,
    in_background: bool = True,
) -> MatchingRun:
    """Create a queued run and have its job start when the caller commits.

    Raises :class:`RunInProgress` while another run of the tenant waits or works (one at
    a time: each proposes from the same waiting list). ``in_background=False`` leaves
    the job to the caller (the CLI runs it in its own process).
    """
    busy = active_run()
    if busy is not None and stalled(busy):
        _give_up(busy)
        busy = active_run()
    if busy is not None:
        raise RunInProgress(busy)
    run = MatchingRun(
        status="queued",
        stage="queued",
        progress=0.0,
        params=_params(current_tenant.config, min_score, bonus_per_month),
        created_by=by_user_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except IntegrityError:  # another request started one in the meantime
        busy = active_run()
        if busy is None:
            raise
        raise RunInProgress(busy) from None
    if in_background:
        enqueue_after_commit(TASK, current_tenant.id, run.id, job_key=job_key(run.id))
    return run


def cancel(run: MatchingRun) -> MatchingRun:
    """Cancel a queued or running run; the job stops before its next stage.

    Cancelling a cancelled run changes nothing. Raises :class:`NotCancellable` for a run
    that is done or failed. The caller commits, then calls :func:`drop_waiting_job`.
    """
    locked = _lock(run.id)
    if locked is None:
        raise LookupError(run.id)
    if locked.status in ("done", "failed"):
        raise NotCancellable(locked)
    if locked.status != "cancelled":
        locked.status, locked.finished_at = "cancelled", utcnow()
        db.session.flush()
    return locked


def drop_waiting_job(run: MatchingRun) -> None:
    """Take a cancelled run's job off its queue if no worker has started it.

    Only a courtesy: a job that starts anyway finds the run cancelled and does nothing.
    """
    if not queues.redis_url():
        return  # inline: the job has run already, or waits in pending_jobs and will skip
    try:
        job = Job.fetch(job_id(run.tenant_id, run.id), connection=queues.connection())
        if job.get_status() in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            job.cancel()
    except NoSuchJobError:
        pass
    except (RedisError, InvalidJobOperation) as exc:
        log.warning("matching run %s: job not cancelled in rq: %s", run.id, type(exc).__name__)


# The job ------------------------------------------------------------------------------


def stage_reached(run_id: int, stage: str) -> None:
    """Called once a stage's progress is committed (ids only in the log)."""
    log.info("matching run %s: %s", run_id, stage)


def _lock(run_id: int) -> MatchingRun | None:
    """The run as the database has it now, its row locked until the transaction ends."""
    return db.session.scalar(
        select(MatchingRun)
        .where(MatchingRun.id == run_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _advance(run_id: int, stage: str) -> None:
    """Commit the stage and its progress, unless the run was cancelled meanwhile."""
    run = _lock(run_id)
    if run is None or run.status != "running":
        raise Cancelled
    run.stage, run.progress = stage, STAGES[stage]
    db.session.commit()
    stage_reached(run_id, stage)


@dataclass
class _Batch:
    """What the loading stage read, as plain data: commits expire ORM objects."""

    min_score: float
    bonus_per_month: float
    waiting: int
    mentors: int
    locked: list[tuple[int, int]] = field(default_factory=list)  # (mentee_id, mentor_id)
    mentee_ids: list[int] = field(default_factory=list)  # open mentees, in the pool's order
    mentor_ids: list[int] = field(default_factory=list)
    pool: Pool | None = None
    excluded: list[tuple[int, int]] = field(default_factory=list)  # (row, column) in the pool


def _load(params: dict[str, Any], settings: TenantSettings) -> _Batch:
    mentees = services.waiting_mentees()
    mentors = services.available_mentors()
    batch = _Batch(
        min_score=float(params["min_score"]),
        bonus_per_month=float(params["waiting_bonus_per_month"]),
        waiting=len(mentees),
        mentors=len(mentors),
    )
    free = {m.id: places for m, places in mentors}
    locks = {lock.mentee_id: lock.mentor_id for lock in db.session.scalars(select(MatchLock))}
    # Locked pairs are the coordinator's decisions: kept as they are, places taken first.
    open_mentees = []
    for mentee in mentees:
        mentor_id = locks.get(mentee.id)
        if mentor_id is not None and free.get(mentor_id, 0) > 0:
            free[mentor_id] -= 1
            batch.locked.append((mentee.id, mentor_id))
        elif mentor_id is None:
            open_mentees.append(mentee)
    pool_mentors = [(m, free[m.id]) for m, _ in mentors if free[m.id] > 0]
    if not (open_mentees and pool_mentors):
        return batch
    batch.mentee_ids = [m.id for m in open_mentees]
    batch.mentor_ids = [m.id for m, _ in pool_mentors]
    batch.pool = Pool(
        [services.profile_of(m) for m in open_mentees],
        [services.profile_of(m, places) for m, places in pool_mentors],
        services.criteria_for(settings),
    )
    row = {mentee_id: i for i, mentee_id in enumerate(batch.mentee_ids)}
    column = {mentor_id: j for j, mentor_id in enumerate(batch.mentor_ids)}
    batch.excluded = [
        (row[mentee_id], column[mentor_id])
        for mentee_id, mentor_id in db.session.execute(
            select(MatchExclusion.mentee_id, MatchExclusion.mentor_id)
        )
        if mentee_id in row and mentor_id in column
    ]
    return batch


def _assign(batch: _Batch, scores: np.ndarray, allowed: np.ndarray):
    assert batch.pool is not None
    bonus = batch.pool.days_waiting / 30.0 * batch.bonus_per_month
    values = values_from(scores, allowed, batch.min_score, bonus)
    return assign(values, batch.pool.capacity)


def _save(run_id: int, batch: _Batch, pairs: list[tuple[int, int, float]], stats: dict) -> None:
    """Write the proposals and mark the run done, in one transaction under the row lock."""
    run = _lock(run_id)
    if run is None or run.status != "running":
        raise Cancelled
    proposals = [
        MatchProposal(run_id=run_id, mentee_id=mentee, mentor_id=mentor, score=0.0, locked=True)
        for mentee, mentor in batch.locked
    ] + [
        MatchProposal(run_id=run_id, mentee_id=mentee, mentor_id=mentor, score=score)
        for mentee, mentor, score in pairs
    ]
    db.session.add_all(proposals)
    run.stats = {
        **stats,
        "waiting": batch.waiting,
        "mentors": batch.mentors,
        "proposals": len(proposals),
    }
    run.status, run.stage, run.progress = "done", "done", STAGES["done"]
    run.error, run.finished_at = None, utcnow()
    db.session.commit()


def _fail(run_id: int, stage: str, error: str) -> None:
    """Mark the run failed, in its own transaction (the job's work was rolled back)."""
    try:
        run = _lock(run_id)
        if run is not None and run.status == "running":
            run.status, run.stage, run.error, run.finished_at = "failed", stage, error, utcnow()
        db.session.commit()
    except Exception as exc:  # the job's own error is what rq must record
        db.session.rollback()
        log.error("matching run %s: could not be marked failed: %s", run_id, type(exc).__name__)


def compute(run_id: int) -> str:
    """The job: compute the run stage by stage; returns how it ended.

    Safe to deliver twice: a run that is done or cancelled is left alone; a run that
    failed (a retry) or was interrupted is computed again from the start.
    """
    run = _lock(run_id)
    if run is None:
        return "missing"  # absent, or another tenant's: the same answer
    if run.status in ("done", "cancelled"):
        status = run.status
        db.session.rollback()
        return status
    settings = current_tenant.config
    params = dict(run.params or {})
    stage = "loading"
    run.status, run.stage, run.progress, run.error = "running", stage, STAGES[stage], None
    try:
        db.session.commit()
    except IntegrityError:  # a retry, but the tenant has started another run since
        db.session.rollback()
        return "superseded"
    stage_reached(run_id, stage)
    try:
        batch = _load(params, settings)
        stage = "scoring"
        _advance(run_id, stage)
        pairs: list[tuple[int, int, float]] = []
        stats: dict[str, Any] = {}
        if batch.pool is not None:
            scores, allowed = score_matrix(batch.pool, batch.excluded)
            stage = "assigning"
            _advance(run_id, stage)
            result = _assign(batch, scores, allowed)
            pairs = [
                (batch.mentee_ids[i], batch.mentor_ids[j], float(scores[i, j]))
                for i, j in result.pairs
            ]
            stats = {
                "method": result.method,
                "rounds": result.rounds,
                "proved_optimal": result.proved_optimal,
                "total": round(result.total, 4),
            }
        stage = "saving"
        _advance(run_id, stage)
        _save(run_id, batch, pairs, stats)
    except Cancelled:
        db.session.rollback()
        log.info("matching run %s: stopped, cancelled before %s", run_id, stage)
        return "cancelled"
    except Exception as exc:
        db.session.rollback()
        _fail(run_id, stage, type(exc).__name__)
        raise
    stage_reached(run_id, "done")
    return "done"
