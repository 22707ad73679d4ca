"""Background jobs: inline without Redis, rq queues and a real worker with it.

The Redis tests use TEST_REDIS_URL (the ``redis_url`` fixture skips without it, or fails
under --require-services) and empty that database before each test.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import jsonify
from redis import Redis
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry
from sqlalchemy import text

from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.jobs import JobArgumentError, enqueue, enqueue_after_commit, once, task
from mentornet.jobs.enqueue import flush
from mentornet.jobs.models import JobReceipt, PendingJob
from mentornet.jobs.queues import MAX_FAILURE_TTL, QUEUES, queue
from mentornet.jobs.runner import run
from mentornet.jobs.tasks import UnknownTask
from mentornet.people.models import Participant
from mentornet.tenancy.context import bound_tenant_id, current_tenant, with_tenant
from mentornet.tenancy.models import Tenant
from tests.conftest import work
from tests.people_helpers import add_participant

REDIS_DOWN = "redis://127.0.0.1:1/0"
PERSONAL = "Fatima Hassan <fatima@example.org>"

# What the test tasks saw; SimpleWorker runs jobs in this process.
seen: list[tuple[str | None, int | None]] = []
attempts: list[int] = []


@pytest.fixture(autouse=True)
def _reset() -> None:
    seen.clear()
    attempts.clear()


@task("tests.whoami")
def whoami() -> str:
    seen.append((current_tenant.slug, bound_tenant_id()))
    return current_tenant.slug


@task("tests.move_office", queue="matching")
def move_office(participant_id: int) -> str:
    """Tries both ways to change a row by id: a get() and an ORM bulk update."""
    from sqlalchemy import update

    db.session.execute(
        update(Participant).where(Participant.id == participant_id).values(office="moved")
    )
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        return "missing"
    participant.office = "moved"
    return "moved"


@task("tests.flaky", queue="notifications")
def flaky(succeed_after: int) -> None:
    attempts.append(1)
    if succeed_after < 0 or len(attempts) <= succeed_after:
        raise RuntimeError(f"could not write to {PERSONAL}")


@task("tests.claim_then_fail")
def claim_then_fail(participant_id: int) -> None:
    assert once(f"claim:{participant_id}")
    raise RuntimeError("after the claim")


@task("tests.platform_tenant", platform=True)
def platform_tenant() -> int | None:
    seen.append((None, bound_tenant_id()))
    return bound_tenant_id()


def _inline(app):
    app.config["REDIS_URL"] = None
    return app


def _receipts(owner_engine) -> list[tuple[str, int | None]]:
    with owner_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT key, tenant_id FROM job_receipts"))]


def _pending(owner_engine) -> list[dict]:
    with owner_engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM pending_jobs ORDER BY id")).mappings().all()
    return [dict(r) for r in rows]


def _office(owner_engine, participant_id: int) -> str:
    with owner_engine.connect() as conn:
        return conn.scalar(
            text("SELECT office FROM participants WHERE id = :id"), {"id": participant_id}
        )


# Inline mode (no REDIS_URL): the embedded default ---------------------------------------


def test_inline_runs_now_with_the_tenant_bound(app, tenants, owner_engine):
    alpha, _ = tenants
    pid = add_participant(app, "alpha")
    with _inline(app).app_context():
        done = enqueue("tests.whoami", alpha.id)
        ping = enqueue("jobs.ping", alpha.id, pid)
        assert bound_tenant_id() is None  # the caller's binding is untouched
    assert (done.mode, done.result) == ("inline", "alpha")
    assert seen == [("alpha", alpha.id)]
    assert (ping.mode, ping.result) == ("inline", "done")
    assert _receipts(owner_engine) == [(f"{alpha.id}:jobs.ping:{pid}", alpha.id)]


def test_a_job_decided_in_a_transaction_starts_only_when_it_commits(app, tenants, owner_engine):
    alpha, _ = tenants
    kept, dropped = add_participant(app, "alpha"), add_participant(app, "alpha")
    with _inline(app).app_context():
        tenant = db.session.get(Tenant, alpha.id)
        with with_tenant(tenant):
            enqueue_after_commit("jobs.ping", alpha.id, dropped)
            db.session.rollback()
            enqueue_after_commit("jobs.ping", alpha.id, kept)
            assert _receipts(owner_engine) == []  # not before the commit
            db.session.commit()
    assert _receipts(owner_engine) == [(f"{alpha.id}:jobs.ping:{kept}", alpha.id)]
    with app.app_context(), pytest.raises(JobArgumentError):
        enqueue_after_commit("jobs.ping", alpha.id, "ada@example.org")


def test_a_platform_task_runs_with_no_tenant_bound(app, tenants):
    with _inline(app).app_context():
        assert enqueue("tests.platform_tenant", None).result is None
    assert seen == [(None, None)]


@pytest.mark.parametrize(
    "args, kwargs",
    [
        (("jobs.ping", 1, {"email": "fatima@example.org"}), {}),
        (("jobs.ping", 1, PERSONAL), {}),
        (("jobs.ping", 1, "fatima@example.org"), {}),
        (("jobs.ping", 1, "x" * 65), {}),
        (("jobs.ping", 1, ["1", "2"]), {}),
        (("jobs.ping", 1, True), {}),
        (("jobs.ping", 1, 2), {"job_key": "welcome fatima"}),
        (("jobs.ping", None, 2), {}),  # a tenant task needs its tenant
        (("jobs.ping", "alpha", 2), {}),  # the id, not the slug
        (("tests.platform_tenant", 1), {}),  # a platform task takes no tenant
    ],
)
def test_only_ids_travel_in_jobs(app, owner_engine, args, kwargs):
    with _inline(app).app_context(), pytest.raises(JobArgumentError):
        enqueue(*args, **kwargs)
    assert _pending(owner_engine) == []


def test_an_unknown_task_is_a_bug_not_a_pending_job(app, owner_engine):
    with _inline(app).app_context(), pytest.raises(UnknownTask):
        enqueue("tests.nobody_registered_this", 1)
    assert _pending(owner_engine) == []


def test_a_failing_inline_job_waits_in_pending_jobs_and_flush_runs_it(app, tenants, owner_engine):
    alpha, _ = tenants
    with _inline(app).app_context():
        assert enqueue("tests.flaky", alpha.id, 1).mode == "pending"
    [row] = _pending(owner_engine)
    assert (row["task"], row["tenant_id"], row["last_error"]) == (
        "tests.flaky",
        alpha.id,
        "RuntimeError",
    )
    assert PERSONAL not in str(row)
    result = app.test_cli_runner().invoke(args=["jobs", "flush"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed, 0 waiting" in result.output
    assert len(attempts) == 2 and _pending(owner_engine) == []


def test_a_job_for_later_waits_until_due_in_inline_mode(app, tenants, owner_engine):
    alpha, _ = tenants
    with _inline(app).app_context():
        assert enqueue("tests.whoami", alpha.id, at=utcnow() + timedelta(hours=1)).mode == "pending"
        assert (flush().sent, seen) == (0, [])
        with owner_engine.begin() as conn:
            conn.execute(text("UPDATE pending_jobs SET run_at = NULL"))
        report = flush()
    assert (report.sent, report.waiting) == (1, 0)
    assert seen == [("alpha", alpha.id)]


# Idempotency under at-least-once delivery ----------------------------------------------


def test_a_job_delivered_twice_does_its_work_once(app, tenants, owner_engine):
    alpha, _ = tenants
    pid = add_participant(app, "alpha")
    with app.app_context():
        assert run("jobs.ping", alpha.id, pid) == "done"
        assert run("jobs.ping", alpha.id, pid) == "already done"
    assert _receipts(owner_engine) == [(f"{alpha.id}:jobs.ping:{pid}", alpha.id)]


def test_a_receipt_is_rolled_back_with_its_failed_job(app, tenants, owner_engine):
    alpha, _ = tenants
    with app.app_context(), pytest.raises(Exception, match="RuntimeError"):
        run("tests.claim_then_fail", alpha.id, 7)
    assert _receipts(owner_engine) == []
    with app.app_context():  # so the retry claims it again and does the work
        tenant = db.session.get(Tenant, alpha.id)
        with with_tenant(tenant):
            assert once("claim:7") is True
            assert once("claim:7") is False


def test_receipts_of_two_tenants_do_not_collide(app, tenants, owner_engine):
    alpha, bravo = tenants
    pid_a = add_participant(app, "alpha")
    with app.app_context():
        assert run("jobs.ping", alpha.id, pid_a) == "done"
        # The same key for bravo is bravo's own (and alpha's participant is not bravo's).
        assert run("jobs.ping", bravo.id, pid_a) == "missing"
    assert [key for key, _ in _receipts(owner_engine)] == [f"{alpha.id}:jobs.ping:{pid_a}"]


# Tenant isolation --------------------------------------------------------------------------


def test_a_job_of_tenant_a_cannot_reach_a_row_of_tenant_b(queued, tenants, owner_engine):
    alpha, bravo = tenants
    pid_b = add_participant(queued, "bravo", office="south")
    with queued.app_context():
        intruder = enqueue("tests.move_office", alpha.id, pid_b)
        ping = enqueue("jobs.ping", alpha.id, pid_b)
    work(queued)
    with queued.app_context():
        conn = queue("default").connection
        assert Job.fetch(intruder.job_id, connection=conn).return_value() == "missing"
        assert Job.fetch(ping.job_id, connection=conn).return_value() == "missing"
    assert _office(owner_engine, pid_b) == "south"
    assert _receipts(owner_engine) == []
    # The same job for bravo reaches the row: the test above can fail.
    with queued.app_context():
        own = enqueue("tests.move_office", bravo.id, pid_b)
    work(queued)
    with queued.app_context():
        assert Job.fetch(own.job_id, connection=conn).return_value() == "moved"
    assert _office(owner_engine, pid_b) == "moved"


# Redis mode with a real worker ---------------------------------------------------------------


def test_a_real_worker_runs_the_job_with_its_tenant(queued, tenants, owner_engine):
    alpha, bravo = tenants
    pid = add_participant(queued, "bravo")
    with queued.app_context():
        first = enqueue("tests.whoami", alpha.id)
        second = enqueue("jobs.ping", bravo.id, pid)
        assert (first.mode, second.mode) == ("queued", "queued")
        assert queue("default").count == 2
    assert seen == []  # nothing ran in the request
    work(queued)
    assert seen == [("alpha", alpha.id)]
    assert _receipts(owner_engine) == [(f"{bravo.id}:jobs.ping:{pid}", bravo.id)]
    with queued.app_context():
        job = Job.fetch(second.job_id, connection=queue("default").connection)
        assert job.get_status() == JobStatus.FINISHED
        assert job.args == ("jobs.ping", bravo.id, pid)  # ids, nothing else


def test_jobs_go_to_their_task_queue_with_retries_and_bounded_ttls(queued, tenants):
    alpha, _ = tenants
    queued.config.pop("JOBS_RETRY_INTERVALS")  # the production backoff
    with queued.app_context():
        sent = enqueue("tests.flaky", alpha.id, 0)
        job = Job.fetch(sent.job_id, connection=queue("notifications").connection)
        assert queue("notifications").job_ids == [job.id]
    assert (job.retries_left, job.retry_intervals) == (3, [10, 60, 300])
    assert 0 < job.failure_ttl <= MAX_FAILURE_TTL == 30 * 24 * 3600
    assert 0 < job.result_ttl <= 24 * 3600


def test_the_same_job_key_is_queued_once_while_it_waits(queued, tenants):
    alpha, _ = tenants
    with queued.app_context():
        first = enqueue("tests.whoami", alpha.id, job_key="daily-42")
        again = enqueue("tests.whoami", alpha.id, job_key="daily-42")
        other = enqueue("tests.whoami", alpha.id, job_key="daily-43")
        assert (first.mode, again.mode, other.mode) == ("queued", "duplicate", "queued")
        assert again.job_id == first.job_id
        assert queue("default").count == 2
    work(queued)
    assert len(seen) == 2
    with queued.app_context():  # once it has run, the same key may start a new job
        assert enqueue("tests.whoami", alpha.id, job_key="daily-42").mode == "queued"
    work(queued)
    assert len(seen) == 3


def test_a_failing_job_is_retried_then_failed_and_the_cli_retries_it(queued, tenants):
    alpha, _ = tenants
    with queued.app_context():
        sent = enqueue("tests.flaky", alpha.id, -1)
    work(queued)
    assert len(attempts) == 4  # the first try and three retries
    with queued.app_context():
        q = queue("notifications")
        registry = FailedJobRegistry(queue=q)
        assert registry.get_job_ids() == [sent.job_id]
        expires = registry.connection.zscore(registry.key, sent.job_id)
        assert expires - utcnow().timestamp() <= MAX_FAILURE_TTL
        job = Job.fetch(sent.job_id, connection=q.connection)
        assert job.get_status() == JobStatus.FAILED
        stored = b"".join(v for v in q.connection.hgetall(job.key).values() if isinstance(v, bytes))
        assert PERSONAL.encode() not in stored  # the message stayed in the worker's log
    cli = queued.test_cli_runner()
    listed = cli.invoke(args=["jobs", "failed"])
    assert listed.exit_code == 0, listed.output
    assert (
        f"{sent.job_id}  queue=notifications  task=tests.flaky  tenant={alpha.id}" in listed.output
    )
    assert "ids=-1  error=RuntimeError" in listed.output
    assert PERSONAL not in listed.output
    retried = cli.invoke(args=["jobs", "retry", sent.job_id])
    assert retried.exit_code == 0, retried.output
    with queued.app_context():
        assert queue("notifications").job_ids == [sent.job_id]
        assert FailedJobRegistry(queue=queue("notifications")).get_job_ids() == []
    work(queued)
    assert len(attempts) == 5
    assert cli.invoke(args=["jobs", "retry", "mn-nope"]).exit_code == 1


# Redis down: the web keeps answering -------------------------------------------------------


def _add_enqueue_route(app) -> None:
    def ping_later(participant_id: int):
        result = enqueue("jobs.ping", current_tenant.id, participant_id)
        return jsonify(mode=result.mode), 202

    app.add_url_rule(
        "/<tenant>/_test/ping/<int:participant_id>", view_func=ping_later, methods=["POST"]
    )


def test_without_redis_a_request_runs_its_job_inline(app, tenants, owner_engine):
    alpha, _ = tenants
    pid = add_participant(app, "alpha")
    _add_enqueue_route(_inline(app))
    response = app.test_client().post(f"/alpha/_test/ping/{pid}")
    assert (response.status_code, response.json) == (202, {"mode": "inline"})
    assert _receipts(owner_engine) == [(f"{alpha.id}:jobs.ping:{pid}", alpha.id)]


def test_with_redis_down_a_request_that_enqueues_still_answers(app, tenants, owner_engine):
    alpha, _ = tenants
    pid = add_participant(app, "alpha")
    app.config["REDIS_URL"] = REDIS_DOWN
    _add_enqueue_route(app)
    response = app.test_client().post(f"/alpha/_test/ping/{pid}")
    assert response.status_code == 202
    assert response.json == {"mode": "pending"}
    [row] = _pending(owner_engine)
    ids = json.loads(row["ids"]) if isinstance(row["ids"], str) else row["ids"]
    assert (row["task"], row["tenant_id"], ids, row["attempts"]) == (
        "jobs.ping",
        alpha.id,
        [pid],
        0,
    )
    assert row["last_error"] in {"ConnectionError", "TimeoutError"}
    # Still down: flush keeps the row and counts the attempt.
    with app.app_context():
        report = flush()
    assert (report.sent, report.failed, report.waiting) == (0, 1, 1)
    assert _pending(owner_engine)[0]["attempts"] == 1


def test_pending_jobs_are_sent_when_redis_is_back(app, tenants, owner_engine, redis_url):
    alpha, _ = tenants
    pid = add_participant(app, "alpha")
    app.config["REDIS_URL"] = REDIS_DOWN
    with app.app_context():
        assert enqueue("jobs.ping", alpha.id, pid, job_key=f"ping-{pid}").mode == "pending"
    Redis.from_url(redis_url).flushdb()
    app.config["REDIS_URL"] = redis_url
    result = app.test_cli_runner().invoke(args=["jobs", "flush"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed, 0 waiting" in result.output
    assert _pending(owner_engine) == []
    work(app)
    assert _receipts(owner_engine) == [(f"{alpha.id}:jobs.ping:{pid}", alpha.id)]
    Redis.from_url(redis_url).flushdb()


# The worker command ------------------------------------------------------------------------


def test_the_worker_command_flushes_pending_jobs_then_works_in_burst(queued, tenants, owner_engine):
    alpha, bravo = tenants
    pid_a = add_participant(queued, "alpha")
    pid_b = add_participant(queued, "bravo")
    with queued.app_context():
        assert enqueue("jobs.ping", alpha.id, pid_a).mode == "queued"
        # One that waited while Redis was down.
        db.session.add(PendingJob(task="jobs.ping", tenant_id=bravo.id, ids=[pid_b]))
        db.session.commit()
    result = queued.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert sorted(_receipts(owner_engine)) == sorted(
        [(f"{alpha.id}:jobs.ping:{pid_a}", alpha.id), (f"{bravo.id}:jobs.ping:{pid_b}", bravo.id)]
    )
    assert _pending(owner_engine) == []
    with queued.app_context():
        assert all(queue(name).count == 0 for name in QUEUES)


def test_the_worker_command_needs_redis(app):
    _inline(app)
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 2
    assert "REDIS_URL" in result.output


def test_the_job_tables_have_no_column_for_personal_data():
    """Platform tables, readable from any tenant's job: ids, names of tasks and errors only."""
    assert set(JobReceipt.__table__.columns.keys()) == {"id", "key", "tenant_id", "created_at"}
    assert set(PendingJob.__table__.columns.keys()) == {
        "id",
        "task",
        "tenant_id",
        "ids",
        "job_key",
        "run_at",
        "created_at",
        "attempts",
        "last_error",
    }


def test_a_job_for_later_waits_in_rq_scheduled_registry(queued, tenants):
    alpha, _ = tenants
    with queued.app_context():
        later = enqueue("tests.whoami", alpha.id, at=utcnow() + timedelta(hours=1))
        assert later.mode == "scheduled"
        assert queue("default").scheduled_job_registry.get_job_ids() == [later.job_id]
        assert queue("default").count == 0
    work(queued)
    assert seen == []
