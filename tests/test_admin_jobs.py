"""/admin/jobs: the operator sees failed jobs (ids, task, error class) and retries them;
without a job queue, the jobs kept in pending_jobs and a button to send them now."""

from __future__ import annotations

import re

import pytest
from rq.registry import FailedJobRegistry
from sqlalchemy import text

from mentornet.extensions import db
from mentornet.jobs import enqueue, task
from mentornet.jobs.queues import queue
from mentornet.people.models import Participant
from tests.conftest import login, work
from tests.people_helpers import add_participant
from tests.test_admin import make_operator, operator_login

NAME = "Fatima Hassan"
EMAIL = "fatima@example.org"
failing = {"on": True}


@pytest.fixture(autouse=True)
def _fail_by_default() -> None:
    failing["on"] = True


@task("tests.admin_welcome", queue="notifications")
def welcome(participant_id: int) -> str:
    """Fails while ``failing`` says so, with her name and address in the message."""
    participant = db.session.get(Participant, participant_id)
    if failing["on"]:
        raise ConnectionRefusedError(f"could not mail {participant.name} <{participant.email}>")
    return "sent"


@pytest.fixture
def queued(queued):
    """Failed jobs fail for good after one attempt, to reach the failed registry at once."""
    queued.config["JOBS_RETRY_MAX"] = 1
    return queued


def _row(page: str, job_id: str) -> list[str]:
    row = re.search(rf'<tr id="job-{job_id}">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def _failed_job(app, tenants) -> tuple[str, int]:
    alpha, _ = tenants
    pid = add_participant(app, "alpha", name=NAME, email=EMAIL)
    with app.app_context():
        sent = enqueue("tests.admin_welcome", alpha.id, pid)
    work(app)  # the first try and one retry
    return sent.job_id, pid


def test_the_operator_sees_a_failed_job_without_personal_data_and_retries_it(
    queued, client, tenants
):
    job_id, pid = _failed_job(queued, tenants)
    make_operator(queued)
    operator_login(client)
    tenants_page = client.get("/admin/?lang=en").text
    assert 'href="/admin/jobs"' in tenants_page
    page = client.get("/admin/jobs?lang=en")
    assert page.status_code == 200
    cells = _row(page.text, job_id)
    # job, queue, task, programme, ids, error, failed at, attempts, (retry button)
    assert cells[:6] == [
        job_id,
        "notifications",
        "tests.admin_welcome",
        "alpha",
        str(pid),
        "ConnectionRefusedError",
    ]
    assert cells[6] and cells[7] == "2"
    for private in (NAME, "Fatima", EMAIL):
        assert private not in page.text
    retried = client.post(f"/admin/jobs/{job_id}/retry?lang=en", follow_redirects=True)
    assert retried.status_code == 200
    assert f"Job {job_id} is back on the queue notifications." in retried.text
    assert f'id="job-{job_id}"' not in retried.text
    with queued.app_context():
        assert queue("notifications").job_ids == [job_id]
        assert FailedJobRegistry(queue=queue("notifications")).get_job_ids() == []
    failing["on"] = False
    work(queued)
    with queued.app_context():
        assert queue("notifications").count == 0
    assert "No job has failed." in client.get("/admin/jobs?lang=en").text
    # Retrying it again, or any unknown id, says so and changes nothing.
    again = client.post(f"/admin/jobs/{job_id}/retry?lang=en", follow_redirects=True)
    assert "This job is no longer in the failed list." in again.text
    assert client.post("/admin/jobs/not a job/retry").status_code == 404


def test_only_the_operator_sees_or_retries_failed_jobs(queued, client, tenants):
    alpha, _ = tenants
    job_id, _pid = _failed_job(queued, tenants)
    assert client.get("/admin/jobs").headers["Location"].endswith("/admin/login")
    login(client, "alpha", alpha.emails["admin"])  # a programme's admin is no operator
    assert client.get("/admin/jobs").status_code == 302
    refused = client.post(f"/admin/jobs/{job_id}/retry")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/admin/login")
    assert client.post("/admin/jobs/flush").status_code == 302
    with queued.app_context():
        assert FailedJobRegistry(queue=queue("notifications")).get_job_ids() == [job_id]
        assert queue("notifications").count == 0


def test_the_cli_lists_and_retries_through_the_same_functions(queued, tenants):
    alpha, _ = tenants
    job_id, pid = _failed_job(queued, tenants)
    cli = queued.test_cli_runner()
    listed = cli.invoke(args=["jobs", "failed"])
    assert listed.exit_code == 0, listed.output
    assert f"{job_id}  queue=notifications  task=tests.admin_welcome  tenant={alpha.id}" in (
        listed.output
    )
    assert f"ids={pid}  error=ConnectionRefusedError" in listed.output
    assert NAME not in listed.output
    assert cli.invoke(args=["jobs", "retry", job_id]).exit_code == 0
    with queued.app_context():
        assert queue("notifications").job_ids == [job_id]


def test_without_a_job_queue_the_page_shows_pending_jobs_and_sends_them(
    app, client, tenants, owner_engine
):
    alpha, _ = tenants
    app.config["REDIS_URL"] = None
    pid = add_participant(app, "alpha", name=NAME, email=EMAIL)
    with app.app_context():
        assert enqueue("tests.admin_welcome", alpha.id, pid).mode == "pending"  # failed inline
    make_operator(app)
    operator_login(client)
    page = client.get("/admin/jobs?lang=en").text
    assert 'id="inline-mode"' in page and "jobs run inline" in page
    assert "1 job waits in pending_jobs." in page
    assert "tests.admin_welcome" in page and "ConnectionRefusedError" in page
    assert NAME not in page and EMAIL not in page
    assert 'action="/admin/jobs/flush"' in page  # the "Send now" button
    still = client.post("/admin/jobs/flush?lang=en", follow_redirects=True).text
    assert "Pending jobs: 0 sent, 1 failed, 1 still waiting." in still
    failing["on"] = False
    sent = client.post("/admin/jobs/flush?lang=en", follow_redirects=True).text
    assert "Pending jobs: 1 sent, 0 failed, 0 still waiting." in sent
    assert "0 jobs wait in pending_jobs." in sent and 'action="/admin/jobs/flush"' not in sent
    with owner_engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM pending_jobs")) == 0
