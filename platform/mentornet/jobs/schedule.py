"""Scheduled work: the daily and nightly runs and what they start for each tenant.

Triggers: ``mentornet jobs cron`` (rq's ``CronScheduler``, at ``JOBS_DAILY_CRON`` and
``JOBS_NIGHTLY_CRON``, read in UTC) or a system cron running ``mentornet jobs daily`` and
``mentornet jobs nightly`` (these work without Redis too: the jobs then run inline).

- ``schedule.daily`` (platform): one ``schedule.tenant_daily`` per tenant that is not
  canceled, keyed by the day, so a double trigger queues it once.
- ``schedule.tenant_daily`` (tenant): picks what the day asks for and enqueues the mail
  tasks, with ids only:

  * each follow-up due that day or overdue (by at most ``FOLLOW_UP_LOOKBACK_DAYS``) and
    still scheduled: ``mail.follow_up_due``, once per follow-up and due date (older ones
    stay on the coordinator's dashboard and digest rather than flooding her mailbox
    after an outage or on the first run);
  * each pair waiting for its agreement for a week or more: in the cycle that is a pair
    in ``agreed`` (both said yes after meeting) whose written agreement is not accepted
    by both sides yet, counted from when it became ``agreed``: ``mail.agreement_reminder``
    (which writes to the side that has not accepted), at most once in each week of
    waiting, for ``AGREEMENT_REMINDERS`` weeks; after that the pair is the coordinator's
    case, in her digest. Pairs still ``proposed`` or ``introduced`` wait for a meeting or
    a yes, not for the agreement: the digest shows them to the coordinator;
  * each active pair with no meeting for the tenant's ``silent_after_weeks`` (the rule
    the "silent" badge uses, cycles/health.py; counted from the last meeting, or the
    start of the active cycle): ``mail.silent_pair_nudge``, at most once every two weeks,
    ``SILENT_NUDGES`` times per silence; a new meeting starts the count again;
  * every coordinator (the admins when there is none): ``mail.daily_digest`` for the day.

  Each of these is claimed with a receipt (``once``) in the job's transaction and
  enqueued when it commits, so a second run the same day, or a redelivered job, sends
  nothing twice.
- ``schedule.nightly`` (platform): one ``retention.anonymise`` per tenant (canceled ones
  too: their data still falls under retention), then billing's read-only sweep, the same
  code ``mentornet billing sweep`` runs.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from croniter import croniter
from flask import current_app
from rq.cron import CronJob, CronScheduler
from sqlalchemy import and_, case, func, or_, select

from mentornet.accounts.models import Membership, User
from mentornet.cycles.models import FollowUp, Meeting, Mentorship
from mentornet.dbtypes import as_utc, utcnow
from mentornet.extensions import db
from mentornet.jobs import queues
from mentornet.jobs.enqueue import enqueue_after_commit
from mentornet.jobs.runner import run
from mentornet.jobs.tasks import get_task, once, task
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.models import Tenant, TenantStatus

log = logging.getLogger(__name__)

CRON_DEFAULTS = {"JOBS_DAILY_CRON": "0 6 * * *", "JOBS_NIGHTLY_CRON": "30 2 * * *"}
CRON_TASKS = (("schedule.daily", "JOBS_DAILY_CRON"), ("schedule.nightly", "JOBS_NIGHTLY_CRON"))

FOLLOW_UP_LOOKBACK_DAYS = 28
WAITING_STATES = ("agreed",)  # both said yes; the written agreement waits
AGREEMENT_WAIT_DAYS = 7
AGREEMENT_REMINDERS = 4
SILENT_NUDGE_EVERY_DAYS = 14
SILENT_NUDGES = 3


@dataclass(frozen=True)
class Reminder:
    """One mail job the day asks for: its task, its ids, and the key that makes it once."""

    task: str
    ids: tuple[int | str, ...]
    key: str


def parse_day(value: str) -> date:
    """A day as ``YYYY-MM-DD`` (what jobs carry); ValueError otherwise."""
    return date.fromisoformat(value)


def today_utc() -> date:
    return utcnow().date()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def _day_of(moment: datetime) -> date:
    """The UTC day of a stored timestamp (SQLite hands back naive UTC)."""
    return as_utc(moment).astimezone(UTC).date()


# --- selection, for the bound tenant ---------------------------------------------------------


def due_follow_ups(day: date) -> list[tuple[int, date]]:
    """(follow-up id, due date) of check-ins due on ``day`` or overdue, still scheduled."""
    rows = db.session.execute(
        select(FollowUp.id, FollowUp.due_on)
        .where(
            FollowUp.status == "scheduled",
            FollowUp.due_on <= day,
            FollowUp.due_on > day - timedelta(days=FOLLOW_UP_LOOKBACK_DAYS),
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    return [(row.id, row.due_on) for row in rows]


def pairs_waiting_for_agreement(day: date) -> list[tuple[int, str, int]]:
    """(mentorship id, state, whole weeks waiting) of pairs waiting for their agreement
    for a week or more on ``day``, and no longer than the weeks that get a reminder."""
    latest = _start_of(day - timedelta(days=AGREEMENT_WAIT_DAYS - 1))
    earliest = _start_of(day - timedelta(days=AGREEMENT_WAIT_DAYS * (AGREEMENT_REMINDERS + 1) - 1))
    rows = db.session.execute(
        select(Mentorship.id, Mentorship.state, Mentorship.state_changed_at)
        .where(
            Mentorship.state.in_(WAITING_STATES),
            Mentorship.state_changed_at < latest,
            Mentorship.state_changed_at >= earliest,
        )
        .order_by(Mentorship.id)
    ).all()
    return [
        (row.id, row.state, (day - _day_of(row.state_changed_at)).days // AGREEMENT_WAIT_DAYS)
        for row in rows
    ]


def silent_pairs(day: date, silent_after_weeks: int | None = None) -> list[tuple[int, date, int]]:
    """(mentorship id, last contact, nudge number from 0) of active pairs with no meeting
    for ``silent_after_weeks`` on ``day``: one aggregate over the active pairs' meetings."""
    weeks = current_tenant.config.cycle.silent_after_weeks
    silent_days = 7 * (weeks if silent_after_weeks is None else silent_after_weeks)
    newest = day - timedelta(days=silent_days)  # last contact on or before it: silent
    oldest = newest - timedelta(days=SILENT_NUDGE_EVERY_DAYS * SILENT_NUDGES - 1)
    active = select(Mentorship.id).where(Mentorship.state == "active")
    last = (
        select(Meeting.mentorship_id, func.max(Meeting.held_on).label("held_on"))
        .where(Meeting.mentorship_id.in_(active), Meeting.held_on <= day)
        .group_by(Meeting.mentorship_id)
        .subquery()
    )
    contact = case(
        (
            and_(
                last.c.held_on.is_not(None),
                or_(Mentorship.active_since.is_(None), last.c.held_on > Mentorship.active_since),
            ),
            last.c.held_on,
        ),
        else_=Mentorship.active_since,
    )
    rows = db.session.execute(
        select(Mentorship.id, contact.label("contact"))
        .outerjoin(last, last.c.mentorship_id == Mentorship.id)
        .where(Mentorship.state == "active", contact <= newest, contact >= oldest)
        .order_by(Mentorship.id)
    ).all()
    return [
        (row.id, row.contact, ((day - row.contact).days - silent_days) // SILENT_NUDGE_EVERY_DAYS)
        for row in rows
    ]


def digest_recipients() -> list[int]:
    """Membership ids of the active coordinators, or of the admins when there is none."""
    for role in ("coordinator", "admin"):
        ids = list(
            db.session.scalars(
                select(Membership.id)
                .join(User, User.id == Membership.user_id)
                .where(Membership.role == role, User.is_active.is_(True))
                .order_by(Membership.id)
            )
        )
        if ids:
            return ids
    return []


def daily_reminders(day: date) -> list[Reminder]:
    """Every mail job ``day`` asks for in the bound tenant, each with its once-key."""
    reminders = [
        Reminder("mail.follow_up_due", (fid,), f"schedule.follow_up:{fid}:{due_on.isoformat()}")
        for fid, due_on in due_follow_ups(day)
    ]
    reminders += [
        Reminder("mail.agreement_reminder", (mid,), f"schedule.agreement:{mid}:{state}:{weeks}")
        for mid, state, weeks in pairs_waiting_for_agreement(day)
    ]
    reminders += [
        Reminder("mail.silent_pair_nudge", (mid,), f"schedule.silent:{mid}:{on.isoformat()}:{n}")
        for mid, on, n in silent_pairs(day)
    ]
    reminders += [
        Reminder(
            "mail.daily_digest",
            (membership_id, day.isoformat()),
            f"schedule.digest:{membership_id}:{day.isoformat()}",
        )
        for membership_id in digest_recipients()
    ]
    return reminders


# --- tasks -------------------------------------------------------------------------------------


def _tenant_ids(include_canceled: bool) -> list[int]:
    statement = select(Tenant.id).order_by(Tenant.id)
    if not include_canceled:
        statement = statement.where(Tenant.status != TenantStatus.CANCELED.value)
    return list(db.session.scalars(statement))


@task("schedule.daily", platform=True)
def daily(day_iso: str | None = None) -> int:
    """Start each live tenant's daily run for ``day_iso`` (today, UTC, by default)."""
    day = parse_day(day_iso) if day_iso else today_utc()
    tenant_ids = _tenant_ids(include_canceled=False)
    for tenant_id in tenant_ids:
        enqueue_after_commit(
            "schedule.tenant_daily",
            tenant_id,
            day.isoformat(),
            job_key=f"schedule.daily:{day.isoformat()}",
        )
    log.info("schedule.daily %s: %d tenant(s)", day.isoformat(), len(tenant_ids))
    return len(tenant_ids)


@task("schedule.tenant_daily")
def tenant_daily(day_iso: str) -> dict[str, int]:
    """The bound tenant's reminders and digests for the day, each sent once."""
    day = parse_day(day_iso)
    counts: Counter[str] = Counter()
    for reminder in daily_reminders(day):
        if once(reminder.key):
            enqueue_after_commit(
                reminder.task, current_tenant.id, *reminder.ids, job_key=reminder.key
            )
            counts[reminder.task] += 1
    log.info(
        "schedule.tenant_daily tenant %s %s: %s",
        current_tenant.id,
        day.isoformat(),
        ", ".join(f"{name}={n}" for name, n in sorted(counts.items())) or "nothing due",
    )
    return dict(counts)


@task("schedule.nightly", platform=True)
def nightly() -> dict[str, int]:
    """Retention for every tenant, then billing's sweep (one code path with its command)."""
    from mentornet.billing import services as billing

    day = today_utc().isoformat()
    tenant_ids = _tenant_ids(include_canceled=True)
    for tenant_id in tenant_ids:
        enqueue_after_commit("retention.anonymise", tenant_id, job_key=f"retention:{day}")
    read_only = billing.sweep()
    log.info(
        "schedule.nightly %s: %d tenant(s), %d now read-only", day, len(tenant_ids), len(read_only)
    )
    return {"tenants": len(tenant_ids), "read_only": len(read_only)}


# --- cron ----------------------------------------------------------------------------------------


def cron_expression(setting: str) -> str:
    """The configured cron expression, checked: a typo stops the process at start."""
    expression = str(current_app.config.get(setting) or CRON_DEFAULTS[setting]).strip()
    if not croniter.is_valid(expression):
        raise ValueError(f"{setting} is not a valid cron expression: {expression!r}")
    return expression


def register_cron(scheduler: CronScheduler) -> list[CronJob]:
    """Register the daily and nightly runs on rq's cron scheduler (ids only: no args
    but the task name and no tenant, as every job)."""
    jobs = []
    for name, setting in CRON_TASKS:
        jobs.append(
            scheduler.register(
                run,
                queue_name=get_task(name).queue,
                args=(name, None),
                cron=cron_expression(setting),
                name=f"mentornet.{name}",
                job_timeout=queues.setting("JOBS_TIMEOUT"),
                result_ttl=queues.setting("JOBS_RESULT_TTL"),
                failure_ttl=queues.failure_ttl(),
            )
        )
    return jobs
