"""Scheduled work: what the daily run picks per tenant, what it enqueues, the commands
that trigger it, and the cron registration.

The Redis tests use TEST_REDIS_URL (skipped without it, as in test_jobs.py) and look at
the jobs on the rq queues: their args are (task name, tenant id, ids...).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

from redis import Redis
from rq import SimpleWorker
from rq.cron import CronScheduler
from sqlalchemy import DateTime, bindparam, select, text

from mentornet.accounts.models import Membership
from mentornet.cycles.models import Agreement, FollowUp, Meeting, Mentorship
from mentornet.extensions import db
from mentornet.jobs.queues import queue
from mentornet.jobs.runner import run
from mentornet.jobs.schedule import (
    Reminder,
    daily_reminders,
    digest_recipients,
    due_follow_ups,
    pairs_waiting_for_agreement,
    register_cron,
    silent_pairs,
)
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.factories import make_tenant
from tests.people_helpers import add_participant

DAY = date(2026, 3, 10)  # a Tuesday
REDIS_DOWN = "redis://127.0.0.1:1/0"


@contextmanager
def bound(app, slug: str) -> Iterator[Tenant]:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with with_tenant(tenant):
            yield tenant


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def add_pair(app, slug: str, state: str = "active", **values) -> int:
    """A mentorship of tenant ``slug`` in ``state``, written directly; returns its id."""
    mentee = add_participant(app, slug, name="Amina", email=None, status="matched")
    mentor = add_participant(app, slug, kind="mentor", name="Karen", status="matched")
    with bound(app, slug):
        mentorship = Mentorship(
            mentee_id=mentee,
            mentor_id=mentor,
            state=state,
            created_at=at(DAY - timedelta(days=200)),
            **values,
        )
        db.session.add(mentorship)
        db.session.commit()
        return mentorship.id


def add_follow_up(app, slug: str, mentorship_id: int, due_on: date, status="scheduled") -> int:
    with bound(app, slug):
        follow_up = FollowUp(
            mentorship_id=mentorship_id, kind="regular", due_on=due_on, status=status
        )
        db.session.add(follow_up)
        db.session.commit()
        return follow_up.id


def add_meeting(app, slug: str, mentorship_id: int, held_on: date) -> None:
    with bound(app, slug):
        db.session.add(
            Meeting(
                mentorship_id=mentorship_id,
                held_on=held_on,
                kind="face_to_face",
                minutes=90,
                logged_by_side="mentee",
            )
        )
        db.session.commit()


# --- selection rules, at their boundaries ------------------------------------------------------


def test_follow_ups_due_today_or_overdue_and_still_scheduled(app, tenants):
    pair = add_pair(app, "alpha")
    today = add_follow_up(app, "alpha", pair, DAY)
    add_follow_up(app, "alpha", pair, DAY + timedelta(days=1))  # tomorrow: not yet
    overdue = add_follow_up(app, "alpha", pair, DAY - timedelta(days=27))
    add_follow_up(app, "alpha", pair, DAY - timedelta(days=28))  # past the look-back
    add_follow_up(app, "alpha", pair, DAY, status="done")
    add_follow_up(app, "alpha", pair, DAY, status="cancelled")
    theirs = add_follow_up(app, "bravo", add_pair(app, "bravo"), DAY)
    with bound(app, "alpha"):
        assert due_follow_ups(DAY) == [(overdue, DAY - timedelta(days=27)), (today, DAY)]
    with bound(app, "bravo"):  # bravo's own is found by bravo, and only there
        assert due_follow_ups(DAY) == [(theirs, DAY)]


def test_pairs_waiting_for_their_agreement_a_week_or_more(app, tenants):
    def waiting(days: int, state: str = "agreed", slug: str = "alpha") -> int:
        return add_pair(app, slug, state, state_changed_at=at(DAY - timedelta(days=days), 23))

    week = waiting(7)
    waiting(6)  # six days and 23 hours: not yet a week
    four_weeks = waiting(34)
    waiting(35)  # reminded four times already: the coordinator's digest has it
    waiting(10, state="proposed")  # waits for a meeting or a yes, not for the agreement
    waiting(10, state="active")
    theirs = waiting(8, slug="bravo")
    with bound(app, "alpha"):
        assert pairs_waiting_for_agreement(DAY) == [(week, "agreed", 1), (four_weeks, "agreed", 4)]
    with bound(app, "bravo"):
        assert pairs_waiting_for_agreement(DAY) == [(theirs, "agreed", 1)]


def test_silent_pairs_count_from_the_last_meeting_or_the_start(app, tenants):
    six_weeks = DAY - timedelta(weeks=6)  # the tenant's silent_after_weeks is 6 (default)
    silent = add_pair(app, "alpha", active_since=DAY - timedelta(days=100))
    add_meeting(app, "alpha", silent, six_weeks)
    recent = add_pair(app, "alpha", active_since=DAY - timedelta(days=100))
    add_meeting(app, "alpha", recent, six_weeks)
    add_meeting(app, "alpha", recent, six_weeks + timedelta(days=1))
    never_met = add_pair(app, "alpha", active_since=six_weeks - timedelta(days=14))
    # A meeting before the active cycle began does not make it older.
    started = add_pair(app, "alpha", active_since=six_weeks + timedelta(days=3))
    add_meeting(app, "alpha", started, six_weeks - timedelta(days=30))
    closed = add_pair(app, "alpha", "completed", active_since=DAY - timedelta(days=100))
    add_meeting(app, "alpha", closed, six_weeks - timedelta(days=5))
    long_ago = add_pair(app, "alpha", active_since=six_weeks - timedelta(days=42))  # 3 nudges
    theirs = add_pair(app, "bravo", active_since=six_weeks)
    with bound(app, "alpha"):
        assert silent_pairs(DAY) == [
            (silent, six_weeks, 0),
            (never_met, six_weeks - timedelta(days=14), 1),
        ]
        assert long_ago not in [row[0] for row in silent_pairs(DAY)]
        # The tenant's own rule: with four weeks, the recent pair is silent too.
        assert recent in [row[0] for row in silent_pairs(DAY, silent_after_weeks=4)]
    with bound(app, "bravo"):
        assert silent_pairs(DAY) == [(theirs, six_weeks, 0)]


def test_the_digest_goes_to_coordinators_or_else_to_admins(app, tenants):
    alpha, bravo = tenants
    with bound(app, "alpha"):
        assert digest_recipients() == [alpha.member_ids["coordinator"]]
        db.session.delete(db.session.get(Membership, alpha.member_ids["coordinator"]))
        db.session.commit()
        assert digest_recipients() == [alpha.member_ids["admin"]]
    with bound(app, "bravo"):
        assert digest_recipients() == [bravo.member_ids["coordinator"]]


def test_the_day_s_reminders_carry_ids_and_a_key_per_period(app, tenants):
    alpha, _ = tenants
    pair = add_pair(app, "alpha", active_since=DAY - timedelta(weeks=7))
    follow_up = add_follow_up(app, "alpha", pair, DAY)
    agreed = add_pair(app, "alpha", "agreed", state_changed_at=at(DAY - timedelta(days=8)))
    with bound(app, "alpha"):
        reminders = daily_reminders(DAY)
        # A week later the agreement reminder has a new key; the next day it has not.
        next_week = {r.key for r in daily_reminders(DAY + timedelta(days=7))}
        next_day = {r.key for r in daily_reminders(DAY + timedelta(days=1))}
    coordinator = alpha.member_ids["coordinator"]
    assert reminders == [
        Reminder("mail.follow_up_due", (follow_up,), f"schedule.follow_up:{follow_up}:2026-03-10"),
        Reminder("mail.agreement_reminder", (agreed,), f"schedule.agreement:{agreed}:agreed:1"),
        Reminder("mail.silent_pair_nudge", (pair,), f"schedule.silent:{pair}:2026-01-20:0"),
        Reminder(
            "mail.daily_digest",
            (coordinator, "2026-03-10"),
            f"schedule.digest:{coordinator}:2026-03-10",
        ),
    ]
    assert f"schedule.agreement:{agreed}:agreed:2" in next_week
    assert f"schedule.agreement:{agreed}:agreed:1" in next_day
    assert f"schedule.silent:{pair}:2026-01-20:0" in next_day  # two weeks per nudge


def test_selection_is_a_fixed_number_of_statements_however_many_pairs(app, tenants):
    """Cheap for a big tenant: SQL filters and one aggregate, not a loop over rows."""
    from sqlalchemy import event

    for _ in range(12):
        pair = add_pair(app, "alpha", active_since=DAY - timedelta(weeks=7))
        add_meeting(app, "alpha", pair, DAY - timedelta(weeks=7))
        add_follow_up(app, "alpha", pair, DAY)
    statements: list[str] = []
    with bound(app, "alpha"):
        engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            reminders = daily_reminders(DAY)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(reminders) == 12 + 12 + 1
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 6, selects


# --- the daily run, inline (no Redis) ------------------------------------------------------------


def _outbox(owner_engine, kind: str) -> list[tuple[str, str]]:
    with owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT key, recipient FROM outbox_messages WHERE kind = :k ORDER BY id"),
            {"k": kind},
        )
        return [tuple(r) for r in rows]


def test_a_due_follow_up_mails_its_coordinator_once_however_often_the_day_runs(
    app, tenants, owner_engine
):
    """End to end: `jobs daily` without Redis runs the tenant runs and the mail inline."""
    app.config["REDIS_URL"] = None
    today = datetime.now(UTC).date()
    pair = add_pair(app, "alpha", active_since=today - timedelta(days=20))
    add_meeting(app, "alpha", pair, today - timedelta(days=3))
    add_follow_up(app, "alpha", pair, today)
    cli = app.test_cli_runner()
    first = cli.invoke(args=["jobs", "daily"])
    assert first.exit_code == 0, first.output
    assert f"daily {today.isoformat()}: inline" in first.output
    sent = _outbox(owner_engine, "follow_up_due")
    assert [recipient for _key, recipient in sent] == ["coordinator@alpha.example.org"]
    again = cli.invoke(args=["jobs", "daily", "--day", today.isoformat()])
    assert again.exit_code == 0, again.output
    assert _outbox(owner_engine, "follow_up_due") == sent
    assert _outbox(owner_engine, "silent_pair_nudge") == []  # they met three days ago


def test_a_tenant_run_twice_the_same_day_claims_nothing_twice(app, tenants, owner_engine):
    alpha, _ = tenants
    app.config["REDIS_URL"] = None
    pair = add_pair(app, "alpha", active_since=DAY - timedelta(weeks=7))
    add_follow_up(app, "alpha", pair, DAY)
    with app.app_context():
        first = run("schedule.tenant_daily", alpha.id, DAY.isoformat())
        second = run("schedule.tenant_daily", alpha.id, DAY.isoformat())
    assert first == {
        "mail.follow_up_due": 1,
        "mail.silent_pair_nudge": 1,
        "mail.daily_digest": 1,
    }
    assert second == {}
    with owner_engine.connect() as conn:
        keys = [k for (k,) in conn.execute(text("SELECT key FROM job_receipts"))]
    assert all(key.startswith(f"{alpha.id}:") for key in keys)
    assert f"{alpha.id}:schedule.silent:{pair}:2026-01-20:0" in keys


def test_a_daily_run_reaches_every_tenant_but_the_canceled(app, tenants, owner_engine):
    alpha, bravo = tenants
    app.config["REDIS_URL"] = None
    with app.app_context():
        charlie = make_tenant("charlie")
        db.session.get(Tenant, charlie.id).status = "canceled"
        db.session.commit()
        assert run("schedule.daily", None, DAY.isoformat()) == 2
    with owner_engine.connect() as conn:
        keys = {k for (k,) in conn.execute(text("SELECT key FROM job_receipts"))}
    assert f"{alpha.id}:schedule.digest:{alpha.member_ids['coordinator']}:2026-03-10" in keys
    assert f"{bravo.id}:schedule.digest:{bravo.member_ids['coordinator']}:2026-03-10" in keys
    assert not any(key.startswith(f"{charlie.id}:") for key in keys)


# --- commands ---------------------------------------------------------------------------------


def test_the_daily_command_refuses_a_day_that_is_not_a_date(app, tenants):
    app.config["REDIS_URL"] = None
    result = app.test_cli_runner().invoke(args=["jobs", "daily", "--day", "10/03/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output or "%Y-%m-%d" in result.output


def test_the_nightly_command_runs_retention_and_the_billing_sweep(app, tenants, owner_engine):
    from mentornet.billing.models import BillingAccount

    alpha, bravo = tenants
    app.config.update(REDIS_URL=None, STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="wh")
    gone = add_participant(app, "alpha", status="withdrawn", story="My story")
    kept = add_participant(app, "bravo", status="withdrawn", story="My story")
    with app.app_context():
        db.session.get(Tenant, bravo.id).status = "past_due"
        db.session.add(
            BillingAccount(
                tenant_id=bravo.id,
                plan="programme",
                past_due_since=datetime.now(UTC) - timedelta(days=30),
            )
        )
        db.session.commit()
    with owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE participants SET status_changed_at = :t, updated_at = :t WHERE id = :id"
            ).bindparams(bindparam("t", type_=DateTime(timezone=True))),
            {"t": datetime.now(UTC) - timedelta(days=3 * 365), "id": gone},
        )
    result = app.test_cli_runner().invoke(args=["jobs", "nightly"])
    assert result.exit_code == 0, result.output
    assert f"nightly {datetime.now(UTC).date().isoformat()}: inline" in result.output

    def row(sql: str, **params) -> tuple:
        with owner_engine.connect() as conn:
            return tuple(conn.execute(text(sql), params).one())

    assert row("SELECT name, story FROM participants WHERE id = :i", i=gone) == ("", None)
    assert row("SELECT story FROM participants WHERE id = :i", i=kept) == ("My story",)
    assert row("SELECT status FROM tenants WHERE id = :i", i=bravo.id) == ("read_only",)
    assert row("SELECT status FROM tenants WHERE id = :i", i=alpha.id) == ("active",)


def test_the_cron_command_explains_itself_and_needs_redis(app):
    cli = app.test_cli_runner()
    helped = cli.invoke(args=["jobs", "cron", "--help"])
    assert helped.exit_code == 0
    assert "JOBS_DAILY_CRON" in helped.output and "JOBS_NIGHTLY_CRON" in helped.output
    app.config["REDIS_URL"] = None
    assert cli.invoke(args=["jobs", "cron"]).exit_code == 2


def test_the_cron_command_refuses_a_bad_expression_before_starting(app):
    app.config.update(REDIS_URL=REDIS_DOWN, JOBS_NIGHTLY_CRON="every night")
    result = app.test_cli_runner().invoke(args=["jobs", "cron"])
    assert result.exit_code == 2
    assert "JOBS_NIGHTLY_CRON" in result.output


def test_cron_registers_the_daily_and_nightly_runs_at_the_configured_times(app):
    app.config.update(JOBS_DAILY_CRON="15 5 * * 1-5", JOBS_NIGHTLY_CRON="0 3 * * *")
    with app.app_context():
        scheduler = CronScheduler(connection=Redis.from_url(REDIS_DOWN))  # never connects
        jobs = register_cron(scheduler)
    assert [(j.name, j.func, j.args, j.cron, j.queue_name) for j in jobs] == [
        ("mentornet.schedule.daily", run, ("schedule.daily", None), "15 5 * * 1-5", "default"),
        ("mentornet.schedule.nightly", run, ("schedule.nightly", None), "0 3 * * *", "default"),
    ]
    assert scheduler.get_jobs() == jobs
    assert all(0 < j.job_options["failure_ttl"] <= 30 * 24 * 3600 for j in jobs)


def test_the_default_cron_times_are_daily_at_six_and_nightly_at_half_past_two(app):
    with app.app_context():
        jobs = register_cron(CronScheduler(connection=Redis.from_url(REDIS_DOWN)))
    assert [j.cron for j in jobs] == ["0 6 * * *", "30 2 * * *"]


# --- with Redis: what goes on the queues ---------------------------------------------------


def _jobs(app, name: str) -> list[tuple]:
    with app.app_context():
        return sorted(tuple(job.args) for job in queue(name).jobs)


def test_the_daily_fan_out_queues_one_run_per_tenant_once_per_day(queued, tenants):
    alpha, bravo = tenants
    day = DAY.isoformat()
    with queued.app_context():
        run("schedule.daily", None, day)
        run("schedule.daily", None, day)  # a double trigger
    assert _jobs(queued, "default") == [
        ("schedule.tenant_daily", alpha.id, day),
        ("schedule.tenant_daily", bravo.id, day),
    ]


def test_a_tenant_run_queues_each_mail_job_once_with_ids_only(queued, tenants):
    alpha, _ = tenants
    pair = add_pair(queued, "alpha", active_since=DAY - timedelta(weeks=7))
    follow_up = add_follow_up(queued, "alpha", pair, DAY)
    agreed = add_pair(queued, "alpha", "agreed", state_changed_at=at(DAY - timedelta(days=8)))
    with bound(queued, "alpha"):
        db.session.add(
            Agreement(
                mentorship_id=agreed, minimum_kind="minutes_per_month", minimum_value=120, months=6
            )
        )
        db.session.commit()
    add_follow_up(queued, "bravo", add_pair(queued, "bravo"), DAY)  # not alpha's business
    with queued.app_context():
        run("schedule.tenant_daily", alpha.id, DAY.isoformat())
        run("schedule.tenant_daily", alpha.id, DAY.isoformat())
    coordinator = alpha.member_ids["coordinator"]
    assert _jobs(queued, "notifications") == sorted(
        [
            ("mail.follow_up_due", alpha.id, follow_up),
            ("mail.agreement_reminder", alpha.id, agreed),
            ("mail.silent_pair_nudge", alpha.id, pair),
            ("mail.daily_digest", alpha.id, coordinator, "2026-03-10"),
        ]
    )


def test_the_cron_jobs_start_the_daily_run_through_a_real_worker(queued, tenants):
    alpha, bravo = tenants
    with queued.app_context():
        from mentornet.jobs.queues import connection

        conn = connection()
        scheduler = CronScheduler(connection=conn)
        daily_job, _nightly = register_cron(scheduler)
        daily_job.next_enqueue_time = datetime.now(UTC) - timedelta(seconds=1)
        assert scheduler.enqueue_jobs() == [daily_job]
        assert [tuple(j.args) for j in queue("default").jobs] == [("schedule.daily", None)]
        SimpleWorker([queue("default", conn)], connection=conn).work(burst=True)
        today = datetime.now(UTC).date().isoformat()
        # The worker ran the daily run, which queued each tenant's; those ran too.
        receipts = set(db.session.execute(text("SELECT key FROM job_receipts")).scalars())
    assert f"{alpha.id}:schedule.digest:{alpha.member_ids['coordinator']}:{today}" in receipts
    assert f"{bravo.id}:schedule.digest:{bravo.member_ids['coordinator']}:{today}" in receipts
    assert _jobs(queued, "notifications") == sorted(
        [
            ("mail.daily_digest", alpha.id, alpha.member_ids["coordinator"], today),
            ("mail.daily_digest", bravo.id, bravo.member_ids["coordinator"], today),
        ]
    )
