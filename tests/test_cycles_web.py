"""Mentorship pages: both sides take their steps, the coordinator follows up, and a user of
another tenant or another pair finds nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.conftest import login
from tests.cycle_helpers import TODAY, advance, pair, propose
from tests.test_people_signup import rows


def csrf(page: str) -> str:
    found = re.search(r'csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    return found.group(1)


def form_post(client, url: str, page_url: str, data: dict[str, str]):
    """Post a form the way a browser does after loading the page (with its CSRF token)."""
    token = csrf(client.get(page_url).text)
    prefix = next(iter(data)).split("-", 1)[0]
    return client.post(url, data={f"{prefix}-csrf_token": token, **data})


@pytest.fixture
def active(app, client, tenants):
    alpha, _ = tenants
    mid = advance(client, alpha, propose(client, alpha, *pair(app, alpha))["id"], "active")["id"]
    return mid


def test_the_mentee_answers_records_the_first_meeting_and_goes_on(app, client, tenants):
    alpha, _ = tenants
    mid = propose(client, alpha, *pair(app, alpha))["id"]
    login(client, "alpha", alpha.emails["mentee"])
    me = client.get("/alpha/me?lang=en").text
    assert f"/alpha/mentorships/{mid}" in me
    url = f"/alpha/mentorships/{mid}?lang=en"
    page = client.get(url).text
    assert "Would you like to meet?" in page
    answered = form_post(
        client, f"/alpha/mentorships/{mid}/respond", url, {"respond-answer": "yes"}
    )
    assert answered.status_code == 303
    page = client.get(url).text
    assert "Send the answer" not in page  # she has answered at this stage
    future = (date.today() + timedelta(days=3)).isoformat()
    bad = form_post(
        client,
        f"/alpha/mentorships/{mid}/first-meeting?lang=en",
        url,
        {"first-first_meeting_on": future, "first-led_by": "mentee"},
    )
    assert bad.status_code == 422
    # The error sits beside the date field, and nothing changed.
    assert re.search(r'id="first-first_meeting_on-error">This date is in the future', bad.text)
    assert "Record the first meeting" in bad.text
    ok = form_post(
        client,
        f"/alpha/mentorships/{mid}/first-meeting",
        url,
        {"first-first_meeting_on": TODAY, "first-led_by": "mentee"},
    )
    assert ok.status_code == 303
    page = client.get(url).text
    assert "Do you want to go on together?" in page


def test_a_no_from_the_page_needs_a_reason(app, client, tenants, owner_engine):
    alpha, _ = tenants
    mid = propose(client, alpha, *pair(app, alpha))["id"]
    login(client, "alpha", alpha.emails["mentor"])
    url = f"/alpha/mentorships/{mid}?lang=en"
    bad = form_post(
        client, f"/alpha/mentorships/{mid}/respond?lang=en", url, {"respond-answer": "no"}
    )
    assert bad.status_code == 422
    assert 'id="respond-reason_code-error">Choose a reason from the list.' in bad.text
    assert rows(owner_engine, "SELECT state FROM mentorships") == [{"state": "proposed"}]
    form_post(
        client,
        f"/alpha/mentorships/{mid}/respond",
        url,
        {"respond-answer": "no", "respond-reason_code": "time"},
    )
    assert rows(owner_engine, "SELECT state FROM mentorships") == [{"state": "declined"}]


def test_the_pair_logs_meetings_and_goals_in_danish(app, client, tenants, active, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["mentor"])
    url = f"/alpha/mentorships/{active}"
    page = client.get(url).text
    assert "Log et møde" in page
    logged = form_post(
        client,
        f"/alpha/mentorships/{active}/meetings",
        url,
        {
            "meeting-held_on": TODAY,
            "meeting-kind": "face_to_face",
            "meeting-minutes": "90",
            "meeting-note": "Museum",
        },
    )
    assert logged.status_code == 303
    [meeting] = rows(owner_engine, "SELECT minutes, logged_by_side FROM meetings")
    assert (meeting["minutes"], meeting["logged_by_side"]) == (90, "mentor")
    [goal] = rows(owner_engine, "SELECT id FROM goals WHERE key = 'job_in_field'")
    form_post(
        client,
        f"/alpha/mentorships/{active}/goals/{goal['id']}",
        url,
        {f"goal{goal['id']}-status": "achieved"},
    )
    [goal] = rows(owner_engine, f"SELECT status, achieved_on FROM goals WHERE id = {goal['id']}")
    assert goal["status"] == "achieved" and str(goal["achieved_on"]) == TODAY


def test_coordinator_sees_list_health_and_due_follow_ups(
    app, client, tenants, active, owner_engine
):
    alpha, _ = tenants
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE follow_ups SET due_on = :d WHERE kind = 'first'"),
            {"d": date.today() - timedelta(days=2)},
        )
    login(client, "alpha", alpha.emails["coordinator"])
    home = client.get("/alpha/?lang=en").text
    assert "Follow-ups due" in home and "Overdue" in home and "Amina and Karen" in home
    listing = client.get("/alpha/mentorships?state=active&lang=en").text
    assert "Amina" in listing and "On track" in listing
    url = f"/alpha/mentorships/{active}?lang=en"
    [first] = rows(owner_engine, "SELECT id FROM follow_ups WHERE kind = 'first'")
    empty = form_post(
        client,
        f"/alpha/mentorships/{active}/follow-ups/{first['id']}?lang=en",
        url,
        {f"follow{first['id']}-note": ""},
    )
    assert empty.status_code == 422 and "Write a short note" in empty.text
    form_post(
        client,
        f"/alpha/mentorships/{active}/follow-ups/{first['id']}",
        url,
        {f"follow{first['id']}-note": "Coordinator-only: she is worried about money"},
    )
    assert "Overdue" not in client.get("/alpha/?lang=en").text
    # The note is the coordinator's: the pair never sees it.
    client.post("/alpha/logout")
    login(client, "alpha", alpha.emails["mentee"])
    page = client.get(url).text
    assert page.count("worried about money") == 0 and "Follow-ups" not in page


def test_coordinator_closes_with_outcomes_from_the_page(app, client, tenants, active, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    url = f"/alpha/mentorships/{active}?lang=en"
    missing = form_post(
        client, f"/alpha/mentorships/{active}/close?lang=en", url, {"close-to_state": "completed"}
    )
    assert missing.status_code == 422
    assert 'id="close-job_found-error"' in missing.text
    closed = form_post(
        client,
        f"/alpha/mentorships/{active}/close",
        url,
        {
            "close-to_state": "completed",
            "close-job_found": "yes",
            "close-job_in_field": "no",
            "close-education_started": "no",
            "close-language_improved": "yes",
            "close-network_grown": "yes",
            "close-mentee_satisfaction": "5",
            "close-farewell_held": "y",
            "close-farewell_on": TODAY,
        },
    )
    assert closed.status_code == 303
    [outcome] = rows(
        owner_engine, "SELECT job_found, job_in_field, mentee_satisfaction FROM outcomes"
    )
    assert (bool(outcome["job_found"]), bool(outcome["job_in_field"])) == (True, False)
    assert outcome["mentee_satisfaction"] == 5


STEP_ROUTES = [
    ("GET", "/{slug}/mentorships/{id}"),
    ("POST", "/{slug}/mentorships/{id}/respond"),
    ("POST", "/{slug}/mentorships/{id}/first-meeting"),
    ("POST", "/{slug}/mentorships/{id}/agreement"),
    ("POST", "/{slug}/mentorships/{id}/agreement/accept"),
    ("POST", "/{slug}/mentorships/{id}/meetings"),
    ("POST", "/{slug}/mentorships/{id}/goals"),
    ("POST", "/{slug}/mentorships/{id}/goals/{sub}"),
    ("POST", "/{slug}/mentorships/{id}/phase"),
    ("POST", "/{slug}/mentorships/{id}/end-early"),
    ("POST", "/{slug}/mentorships/{id}/close"),
    ("POST", "/{slug}/mentorships/{id}/satisfaction"),
    ("POST", "/{slug}/mentorships/{id}/follow-ups/{sub}"),
]
API_ROUTES = [
    ("GET", "/{slug}/api/v1/mentorships/{id}"),
    ("GET", "/{slug}/api/v1/mentorships/{id}/responses"),
    ("POST", "/{slug}/api/v1/mentorships/{id}/responses"),
    ("GET", "/{slug}/api/v1/mentorships/{id}/transitions"),
    ("POST", "/{slug}/api/v1/mentorships/{id}/transitions"),
    ("PATCH", "/{slug}/api/v1/mentorships/{id}/agreement"),
    ("POST", "/{slug}/api/v1/mentorships/{id}/agreement/accept"),
    ("GET", "/{slug}/api/v1/mentorships/{id}/meetings"),
    ("POST", "/{slug}/api/v1/mentorships/{id}/meetings"),
    ("GET", "/{slug}/api/v1/mentorships/{id}/goals"),
    ("POST", "/{slug}/api/v1/mentorships/{id}/goals"),
    ("PATCH", "/{slug}/api/v1/mentorships/{id}/goals/{sub}"),
    ("GET", "/{slug}/api/v1/mentorships/{id}/follow-ups"),
    ("POST", "/{slug}/api/v1/mentorships/{id}/follow-ups/{sub}/done"),
    ("POST", "/{slug}/api/v1/mentorships/{id}/close"),
    ("POST", "/{slug}/api/v1/mentorships/{id}/satisfaction"),
]


def _bravo_state(owner_engine):
    return [
        rows(owner_engine, f"SELECT * FROM {table} ORDER BY id")
        for table in ("mentorships", "meetings", "goals", "follow_ups", "mentorship_transitions")
    ]


@pytest.fixture
def bravo_active(app, client, tenants):
    _, bravo = tenants
    return advance(client, bravo, propose(client, bravo, *pair(app, bravo))["id"], "active")["id"]


def test_every_mentorship_route_of_b_is_404_for_a(app, client, tenants, bravo_active, owner_engine):
    alpha, bravo = tenants
    goal = rows(owner_engine, "SELECT id FROM goals")[0]["id"]
    follow_up = rows(owner_engine, "SELECT id FROM follow_ups")[0]["id"]
    before = _bravo_state(owner_engine)
    body = {
        "answer": "no",
        "reason_code": "time",
        "to": "ended_early",
        "note": "x",
        "held_on": TODAY,
        "kind": "phone",
        "minutes": 5,
        "status": "dropped",
        "satisfaction": 1,
        "key": "custom",
        "title": "x",
    }
    for role in ("coordinator", "admin", "mentee", "mentor"):
        headers = {"Authorization": f"Bearer {alpha.tokens[role]}"}
        for method, route in API_ROUTES:
            for slug in ("alpha", "bravo"):
                url = route.format(
                    slug=slug, id=bravo_active, sub=goal if "goals" in route else follow_up
                )
                response = client.open(url, method=method, headers=headers, json=body)
                assert response.status_code == 404, (role, method, url, response.status_code)
                assert response.json["error"]["code"] == "not_found"
    for role in ("coordinator", "mentee"):
        login(client, "alpha", alpha.emails[role])
        token = csrf(client.get("/alpha/me" if role == "mentee" else "/alpha/").text)
        for method, route in STEP_ROUTES:
            for slug in ("alpha", "bravo"):
                url = route.format(
                    slug=slug, id=bravo_active, sub=goal if "goals" in route else follow_up
                )
                response = client.open(
                    url, method=method, data={"csrf_token": token, "end-reason_code": "time"}
                )
                assert response.status_code == 404, (role, method, url, response.status_code)
        client.post("/alpha/logout")
    assert _bravo_state(owner_engine) == before
    # B's own coordinator still sees it.
    login(client, "bravo", bravo.emails["coordinator"])
    assert client.get(f"/bravo/mentorships/{bravo_active}").status_code == 200


def test_a_participant_of_another_pair_gets_404(app, client, tenants, active):
    alpha, _ = tenants
    # A second mentee of alpha with her own login, outside this pair.
    from mentornet.accounts import services as accounts
    from mentornet.extensions import db
    from mentornet.tenancy.context import with_tenant
    from mentornet.tenancy.models import Tenant
    from tests.people_helpers import add_participant

    with app.app_context(), with_tenant(db.session.get(Tenant, alpha.id)):
        user = accounts.ensure_user(
            "other@alpha.example.org", name="Other", password="pw-other-123"
        )
        accounts.grant_membership(user, "mentee")
        db.session.commit()
        user_id = user.id
    add_participant(app, "alpha", name="Other", user_id=user_id)
    login(client, "alpha", "other@alpha.example.org", "pw-other-123")
    assert client.get(f"/alpha/mentorships/{active}").status_code == 404
    assert client.get("/alpha/mentorships").status_code == 403  # the list is the coordinator's
