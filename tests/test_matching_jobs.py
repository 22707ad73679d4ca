"""Batch matching as a background job: inline without Redis, a real rq worker with it.

What a coordinator notices: a run she starts is done at once without a job queue, or
queued and then worked on, its stage and share done visible on the page and in the API
while the worker runs; she can cancel it before or while it runs, and a cancelled or
failed run proposes nothing; one run at a time; another programme's runs are not hers.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from babel.numbers import format_percent
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry
from sqlalchemy import select, text

from mentornet.extensions import db
from mentornet.jobs import enqueue
from mentornet.jobs.queues import QUEUES, queue
from mentornet.jobs.runner import run as run_task
from mentornet.matching import runs
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.conftest import login, work
from tests.people_helpers import add_participant

MENTEE = "Amina Yusuf"


def auth(world, role: str = "coordinator") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


@pytest.fixture
def pool(app, tenants) -> dict[str, int]:
    """Two mentees waiting in alpha and two mentors with a place each; one pair in bravo."""
    nurse = {"profession": "2221", "languages": ["da"], "office": "north"}
    return {
        "amina": add_participant(app, "alpha", name=MENTEE, days_waiting=30, **nurse),
        "sara": add_participant(app, "alpha", name="Sara Haddad", days_waiting=5, **nurse),
        "karen": add_participant(
            app, "alpha", kind="mentor", status="ready", name="Karen Holm", **nurse
        ),
        "lone": add_participant(
            app, "alpha", kind="mentor", status="ready", name="Lone Berg", **nurse
        ),
        "bea": add_participant(app, "bravo", name="Bea Bravo", days_waiting=3, **nurse),
        "bob": add_participant(
            app, "bravo", kind="mentor", status="ready", name="Bob Bravo", **nurse
        ),
    }


def _job(app, job_id: str) -> Job:
    with app.app_context():
        return Job.fetch(job_id, connection=queue("matching").connection)


def run_row(owner_engine, run_id: int) -> dict[str, Any]:
    with owner_engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, stage, progress, error FROM matching_runs WHERE id = :id"),
            {"id": run_id},
        )
        return dict(row.mappings().one())


def proposal_count(owner_engine, run_id: int) -> int:
    with owner_engine.connect() as conn:
        return conn.scalar(
            text("SELECT count(*) FROM match_proposals WHERE run_id = :id"), {"id": run_id}
        )


def run_count(owner_engine, tenant_id: int) -> int:
    with owner_engine.connect() as conn:
        return conn.scalar(
            text("SELECT count(*) FROM matching_runs WHERE tenant_id = :t"), {"t": tenant_id}
        )


def waiting_run(app, slug: str) -> int:
    """A queued run whose job has not started (as when the worker is busy elsewhere)."""
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with with_tenant(tenant):
            run = runs.start(by_user_id=None, min_score=0, in_background=False)
            db.session.commit()
            return run.id


def start(client, world, **body) -> Any:
    return client.post(
        f"/{world.slug}/api/v1/matching/runs", headers=auth(world), json={"min_score": 0, **body}
    )


def read(client, world, run_id: int) -> dict[str, Any]:
    response = client.get(f"/{world.slug}/api/v1/matching/runs/{run_id}", headers=auth(world))
    assert response.status_code == 200
    return response.json


def cancel(client, world, run_id: int, role: str = "coordinator"):
    return client.post(
        f"/{world.slug}/api/v1/matching/runs/{run_id}/cancel", headers=auth(world, role)
    )


@pytest.fixture
def stages(monkeypatch) -> dict[str, Any]:
    """Calls ``stages["hook"](run_id, stage)`` each time the job has committed a stage.

    The hook runs as a request from elsewhere would: outside the job's app context (a test
    request would otherwise share the job's ``g`` and session, which no real one does).
    """
    hooks: dict[str, Callable[[int, str], None]] = {"hook": lambda run_id, stage: None}

    def reached(run_id: int, stage: str) -> None:
        contextvars.Context().run(hooks["hook"], run_id, stage)

    monkeypatch.setattr(runs, "stage_reached", reached)
    return hooks


def _failing_scores(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise RuntimeError(f"could not score {MENTEE} <amina@example.net>")

    monkeypatch.setattr(runs, "score_matrix", fail)


# Inline mode (no REDIS_URL): the run is done when the request answers ---------------------


def test_inline_the_api_answers_with_the_run_done(client, tenants, pool, owner_engine):
    alpha, _ = tenants
    response = start(client, alpha)
    assert response.status_code == 202
    body = response.json
    assert response.headers["Location"].endswith(f"/alpha/api/v1/matching/runs/{body['id']}")
    assert (body["status"], body["stage"], body["progress"], body["error"]) == (
        "done",
        "done",
        1.0,
        None,
    )
    assert {p["mentee_id"] for p in body["proposals"]} == {pool["amina"], pool["sara"]}
    assert {p["mentor_id"] for p in body["proposals"]} == {pool["karen"], pool["lone"]}
    assert body["stats"]["proposals"] == 2 and body["finished_at"]
    assert read(client, alpha, body["id"])["proposals"] == body["proposals"]
    with owner_engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM pending_jobs")) == 0


def test_inline_the_web_start_leads_to_the_proposals(client, tenants, pool, english):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    response = client.post("/alpha/matching/runs", data={"min_score": "0", "bonus": "0"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert MENTEE in page and "Karen Holm" in page
    assert "<progress" not in page and "Cancel the run" not in page
    runs_page = client.get("/alpha/matching").text
    assert '<span class="badge">Done</span>' in runs_page and "2 proposals" in runs_page
    assert "Run the matching" in runs_page  # nothing in progress: she may start another


def test_one_run_at_a_time_per_programme(app, client, tenants, pool, owner_engine, english):
    alpha, bravo = tenants
    waiting = waiting_run(app, "alpha")
    busy = start(client, alpha)
    assert busy.status_code == 409
    error = busy.json["error"]
    assert error["code"] == "run_in_progress" and str(waiting) in error["message"]
    assert busy.headers["Location"].endswith(f"/alpha/api/v1/matching/runs/{waiting}")
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.post("/alpha/matching/runs", data={"min_score": "0"})
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"/alpha/matching/runs/{waiting}")
    followed = client.get(page.headers["Location"]).text
    assert "A run is already in progress" in followed
    assert "Run the matching" not in client.get("/alpha/matching").text
    assert run_count(owner_engine, alpha.id) == 1
    # Another programme is not held up by alpha's run.
    assert start(client, bravo).status_code == 202
    # Once it is cancelled, she may start again.
    assert cancel(client, alpha, waiting).status_code == 200
    assert start(client, alpha).json["status"] == "done"


def test_a_run_stalled_for_over_an_hour_gives_way_to_a_new_one(
    app, client, tenants, pool, owner_engine, english
):
    alpha, _ = tenants
    stuck = waiting_run(app, "alpha")
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE matching_runs SET status = 'running', created_at = :at WHERE id = :id"),
            {"at": datetime.now(UTC) - timedelta(minutes=59), "id": stuck},
        )
    assert start(client, alpha).status_code == 409  # within the hour it may still finish
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE matching_runs SET created_at = :at WHERE id = :id"),
            {"at": datetime.now(UTC) - timedelta(minutes=61), "id": stuck},
        )
    fresh = start(client, alpha)
    assert fresh.status_code == 202 and fresh.json["status"] == "done"
    old = run_row(owner_engine, stuck)
    assert (old["status"], old["error"]) == ("cancelled", "Stalled")
    assert proposal_count(owner_engine, stuck) == 0
    login(client, "alpha", alpha.emails["coordinator"])
    assert "stopped answering for over an hour" in client.get(f"/alpha/matching/runs/{stuck}").text


def test_cancel_a_waiting_run_then_again_and_not_a_finished_one(
    app, client, tenants, pool, owner_engine
):
    alpha, _ = tenants
    waiting = waiting_run(app, "alpha")
    for role in ("mentor", "mentee"):
        assert cancel(client, alpha, waiting, role).status_code == 403
    assert run_row(owner_engine, waiting)["status"] == "queued"
    response = cancel(client, alpha, waiting)
    assert response.status_code == 200
    assert (response.json["status"], response.json["proposals"]) == ("cancelled", [])
    assert cancel(client, alpha, waiting).status_code == 200  # again: nothing changes
    # Its job, delivered late, finds it cancelled and proposes nothing.
    with app.app_context():
        assert run_task(runs.TASK, alpha.id, waiting) == "cancelled"
    assert run_row(owner_engine, waiting)["status"] == "cancelled"
    assert proposal_count(owner_engine, waiting) == 0
    done = start(client, alpha).json
    refused = cancel(client, alpha, done["id"])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "not_cancellable"
    assert read(client, alpha, done["id"])["status"] == "done"
    assert proposal_count(owner_engine, done["id"]) == 2


def test_the_run_page_shows_the_stage_and_share_done_and_cancels(
    app, client, tenants, pool, owner_engine, english
):
    alpha, _ = tenants
    waiting = waiting_run(app, "alpha")
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get(f"/alpha/matching/runs/{waiting}").text
    assert "Waiting to start — 0%" in page
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE matching_runs SET status = 'running', stage = 'scoring', progress = 0.4")
        )
    page = client.get(f"/alpha/matching/runs/{waiting}").text
    assert '<progress max="1" value="0.4"' in page
    assert "Scoring — 40%" in page
    assert "run-progress.js" in page and "Cancel the run" in page
    state = client.get(f"/alpha/matching/runs/{waiting}/progress").json
    assert state == {
        "status": "running",
        "stage": "scoring",
        "progress": 0.4,
        "text": "Scoring — 40%",
        "active": True,
    }
    runs_page = client.get("/alpha/matching").text
    assert '<span class="badge">Running</span>' in runs_page
    assert "A run is in progress: Scoring — 40%." in runs_page
    cancelled = client.post(f"/alpha/matching/runs/{waiting}/cancel", follow_redirects=True)
    assert "The run is cancelled. It proposes nothing." in cancelled.text
    assert "<progress" not in cancelled.text and "Cancel the run" not in cancelled.text
    assert client.get(f"/alpha/matching/runs/{waiting}/progress").json["active"] is False
    assert run_row(owner_engine, waiting)["status"] == "cancelled"


def test_the_share_done_is_written_for_the_viewers_locale(app, client, tenants, pool, owner_engine):
    alpha, _ = tenants
    waiting = waiting_run(app, "alpha")
    with owner_engine.begin() as conn:
        conn.execute(text("UPDATE matching_runs SET status = 'running', progress = 0.4"))
    login(client, "alpha", alpha.emails["coordinator"])
    danish = client.get(f"/alpha/matching/runs/{waiting}/progress").json["text"]
    english = client.get(f"/alpha/matching/runs/{waiting}/progress?lang=en").json["text"]
    assert format_percent(0.4, locale="da") in danish  # "40 %"
    assert english.endswith("— 40%")


def test_a_failing_run_is_failed_with_an_error_class_and_retried_by_flush(
    app, client, tenants, pool, owner_engine, monkeypatch, english
):
    alpha, _ = tenants
    _failing_scores(monkeypatch)
    response = start(client, alpha)
    assert response.status_code == 202
    body = response.json
    assert (body["status"], body["stage"], body["error"], body["proposals"]) == (
        "failed",
        "scoring",
        "RuntimeError",
        [],
    )
    assert MENTEE not in response.text and "amina@" not in response.text
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get(f"/alpha/matching/runs/{body['id']}").text
    assert "The run failed" in page and "RuntimeError" in page and "Scoring" in page
    assert "amina@" not in page
    # The failed inline job waits in pending_jobs; once the cause is gone, flush reruns it.
    with owner_engine.connect() as conn:
        row = conn.execute(text("SELECT task, ids, last_error FROM pending_jobs")).one()
    assert (row.task, row.last_error) == ("matching.run_batch", "RuntimeError")
    monkeypatch.undo()
    result = app.test_cli_runner().invoke(args=["jobs", "flush"])
    assert result.exit_code == 0, result.output
    assert run_row(owner_engine, body["id"])["status"] == "done"
    assert proposal_count(owner_engine, body["id"]) == 2


def test_progress_is_visible_and_a_cancel_stops_the_job_between_stages(
    app, client, tenants, pool, owner_engine, stages
):
    alpha, _ = tenants
    waiting = waiting_run(app, "alpha")
    seen: dict[str, tuple] = {}

    def hook(run_id: int, stage: str) -> None:
        run = read(client, alpha, run_id)
        seen[stage] = (run["status"], run["stage"], run["progress"], len(run["proposals"]))
        if stage == "assigning":
            assert cancel(client, alpha, run_id).json["status"] == "cancelled"

    stages["hook"] = hook
    with app.app_context():
        assert run_task(runs.TASK, alpha.id, waiting, job_key=runs.job_key(waiting)) == "cancelled"
    assert seen == {
        "loading": ("running", "loading", 0.05, 0),
        "scoring": ("running", "scoring", 0.2, 0),
        "assigning": ("running", "assigning", 0.6, 0),
    }
    row = run_row(owner_engine, waiting)
    assert (row["status"], row["stage"]) == ("cancelled", "assigning")
    assert proposal_count(owner_engine, waiting) == 0


def test_the_cli_waits_for_its_run(app, runner, tenants, pool, owner_engine):
    alpha, _ = tenants
    result = runner.invoke(args=["matching", "run", "--tenant", "alpha", "--min-score", "0"])
    assert result.exit_code == 0, result.output
    assert "2 waiting, 2 proposals" in result.output
    assert MENTEE not in result.output  # ids only
    waiting = waiting_run(app, "alpha")
    busy = runner.invoke(args=["matching", "run", "--tenant", "alpha"])
    assert busy.exit_code == 1 and f"run {waiting} is queued" in busy.output
    assert run_count(owner_engine, alpha.id) == 2


# Tenant isolation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("GET", "/{slug}/api/v1/matching/runs/{run}"),
        ("POST", "/{slug}/api/v1/matching/runs/{run}/cancel"),
        ("POST", "/{slug}/api/v1/matching/runs/{run}/accept"),
    ],
)
def test_a_run_of_bravo_is_404_for_alpha_in_the_api(
    app, client, tenants, pool, owner_engine, method, route
):
    alpha, bravo = tenants
    theirs = waiting_run(app, "bravo")
    before = run_row(owner_engine, theirs)
    for slug in ("alpha", "bravo"):
        response = client.open(
            route.format(slug=slug, run=theirs), method=method, headers=auth(alpha, "admin")
        )
        assert response.status_code == 404, (slug, route)
        assert response.json["error"]["code"] == "not_found"
    assert run_row(owner_engine, theirs) == before
    # Bravo's own coordinator reaches it: the test above can fail.
    assert cancel(client, bravo, theirs).json["status"] == "cancelled"


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("GET", "/{slug}/matching/runs/{run}"),
        ("GET", "/{slug}/matching/runs/{run}/progress"),
        ("POST", "/{slug}/matching/runs/{run}/cancel"),
    ],
)
def test_a_run_of_bravo_is_404_for_alpha_on_the_pages(
    app, client, tenants, pool, owner_engine, method, route
):
    alpha, _ = tenants
    theirs = waiting_run(app, "bravo")
    before = run_row(owner_engine, theirs)
    login(client, "alpha", alpha.emails["admin"])
    for slug in ("alpha", "bravo"):
        response = client.open(route.format(slug=slug, run=theirs), method=method)
        assert response.status_code == 404, (slug, route)
    assert run_row(owner_engine, theirs) == before
    # Alpha's own run is no business of bravo's either: alpha starts one while bravo waits.
    mine = start(client, alpha).json
    assert mine["status"] == "done" and all(
        p["mentee_id"] in (pool["amina"], pool["sara"]) for p in mine["proposals"]
    )


# Redis mode with a real worker -------------------------------------------------------------


def test_with_a_worker_the_run_is_queued_then_shows_its_progress_then_is_done(
    queued, client, tenants, pool, owner_engine, stages, english
):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    response = start(client, alpha)
    assert response.status_code == 202
    body = response.json
    run_id = body["id"]
    assert (body["status"], body["stage"], body["progress"], body["proposals"]) == (
        "queued",
        "queued",
        0.0,
        [],
    )
    job_id = runs.job_id(alpha.id, run_id)
    with queued.app_context():
        assert queue("matching").job_ids == [job_id]
    assert _job(queued, job_id).args == ("matching.run_batch", alpha.id, run_id)  # ids only
    page = client.get(f"/alpha/matching/runs/{run_id}").text
    assert "Waiting to start — 0%" in page and "Cancel the run" in page
    seen: dict[str, tuple] = {}

    def hook(run_id: int, stage: str) -> None:
        run = read(client, alpha, run_id)
        text_now = client.get(f"/alpha/matching/runs/{run_id}/progress").json["text"]
        seen[stage] = (run["status"], run["progress"], text_now)

    stages["hook"] = hook
    work(queued)
    assert seen["scoring"] == ("running", 0.2, "Scoring — 20%")
    assert seen["assigning"] == ("running", 0.6, "Assigning — 60%")
    assert seen["saving"] == ("running", 0.9, "Saving — 90%")
    assert seen["done"][:2] == ("done", 1.0)
    done = read(client, alpha, run_id)
    assert done["status"] == "done" and len(done["proposals"]) == 2
    job = _job(queued, job_id)
    assert job.get_status() == JobStatus.FINISHED and job.return_value() == "done"
    assert MENTEE in client.get(f"/alpha/matching/runs/{run_id}").text


def test_with_a_worker_a_run_cancelled_before_it_starts_stays_empty(
    queued, client, tenants, pool, owner_engine
):
    alpha, _ = tenants
    run_id = start(client, alpha).json["id"]
    job_id = runs.job_id(alpha.id, run_id)
    assert cancel(client, alpha, run_id).json["status"] == "cancelled"
    assert _job(queued, job_id).get_status() == JobStatus.CANCELED  # taken off the queue
    with queued.app_context():
        assert queue("matching").count == 0
    work(queued)
    assert run_row(owner_engine, run_id)["status"] == "cancelled"
    assert proposal_count(owner_engine, run_id) == 0
    # Delivered anyway (say it was already taken): the job finds the run cancelled.
    with queued.app_context():
        again = enqueue(runs.TASK, alpha.id, run_id, job_key=runs.job_key(run_id))
    assert again.mode == "queued"
    work(queued)
    assert _job(queued, job_id).return_value() == "cancelled"
    assert proposal_count(owner_engine, run_id) == 0


def test_with_a_worker_a_cancel_mid_run_leaves_no_proposals(
    queued, client, tenants, pool, owner_engine, stages
):
    alpha, _ = tenants
    run_id = start(client, alpha).json["id"]

    def hook(run_id: int, stage: str) -> None:
        if stage == "scoring":
            response = cancel(client, alpha, run_id)
            assert response.status_code == 200 and response.json["status"] == "cancelled"

    stages["hook"] = hook
    work(queued)
    row = run_row(owner_engine, run_id)
    assert (row["status"], row["stage"]) == ("cancelled", "scoring")
    assert proposal_count(owner_engine, run_id) == 0
    job = _job(queued, runs.job_id(alpha.id, run_id))
    assert job.get_status() == JobStatus.FINISHED and job.return_value() == "cancelled"
    assert cancel(client, alpha, run_id).status_code == 200


def test_with_a_worker_a_failing_run_is_failed_and_its_job_too(
    queued, client, tenants, pool, owner_engine, monkeypatch
):
    alpha, _ = tenants
    _failing_scores(monkeypatch)
    run_id = start(client, alpha).json["id"]
    work(queued)  # the first try and three retries
    row = run_row(owner_engine, run_id)
    assert (row["status"], row["stage"], row["error"]) == ("failed", "scoring", "RuntimeError")
    assert proposal_count(owner_engine, run_id) == 0
    job_id = runs.job_id(alpha.id, run_id)
    with queued.app_context():
        registry = FailedJobRegistry(queue=queue("matching"))
        assert registry.get_job_ids() == [job_id]
        stored = b"".join(
            v
            for v in registry.connection.hgetall(f"rq:job:{job_id}").values()
            if isinstance(v, bytes)
        )
    assert MENTEE.encode() not in stored and b"amina@" not in stored
    job = _job(queued, job_id)
    assert (job.meta["error"], job.meta["attempts"]) == ("RuntimeError", 4)
    # A failed run no longer blocks the programme.
    assert start(client, alpha).status_code == 202


def test_the_cli_computes_its_run_here_even_with_a_job_queue(
    queued, runner, tenants, pool, owner_engine
):
    result = runner.invoke(args=["matching", "run", "--tenant", "alpha", "--min-score", "0"])
    assert result.exit_code == 0, result.output
    assert "2 waiting, 2 proposals" in result.output
    with queued.app_context():
        assert all(queue(name).count == 0 for name in QUEUES)
    with owner_engine.connect() as conn:
        assert conn.scalar(text("SELECT status FROM matching_runs")) == "done"
