"""Coordinators' lists, registration, profiles, interviews; who sees interview notes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.conftest import login
from tests.people_helpers import add_participant
from tests.test_people_signup import VALID_MENTEE, rows

SECRET = "Confidential: she fled in 2015"


def names_on(page: str) -> list[str]:
    return re.findall(r'<td><a href="/[a-z]+/people/\d+">([^<]+)</a></td>', page)


@pytest.fixture
def people(app, tenants):
    return {
        "nadia": add_participant(
            app,
            "alpha",
            name="Nadia Nurse",
            email="nadia@example.net",
            profession="2221",
            languages=["ar", "da"],
            days_waiting=40,
        ),
        "olga": add_participant(
            app,
            "alpha",
            name="Olga Engineer",
            profession="2142",
            languages=["ru"],
            office="south",
            days_waiting=5,
        ),
        "mira": add_participant(
            app,
            "alpha",
            name="Mira Midwife",
            profession="2222",
            status="interviewed",
            interview_notes=SECRET,
        ),
        "karen": add_participant(
            app, "alpha", kind="mentor", name="Karen Mentor", status="ready", profession="2221"
        ),
        "bravo_person": add_participant(app, "bravo", name="Bella Bravo", interview_notes=SECRET),
    }


def test_lists_filter_search_sort_and_page(client, tenants, people):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    base = "/alpha/people?kind=mentee"
    assert sorted(names_on(client.get(base).text)) == [
        "Mira Midwife",
        "Nadia Nurse",
        "Olga Engineer",
    ]
    assert names_on(client.get(f"{base}&status=interviewed").text) == ["Mira Midwife"]
    assert names_on(client.get(f"{base}&office=south").text) == ["Olga Engineer"]
    assert sorted(names_on(client.get(f"{base}&profession=222").text)) == [
        "Mira Midwife",
        "Nadia Nurse",
    ]
    assert names_on(client.get(f"{base}&language=ru").text) == ["Olga Engineer"]
    assert names_on(client.get(f"{base}&days=30").text) == ["Nadia Nurse"]
    assert names_on(client.get(f"{base}&q=NADIA").text) == ["Nadia Nurse"]
    assert names_on(client.get(f"{base}&sort=name").text) == [
        "Mira Midwife",
        "Nadia Nurse",
        "Olga Engineer",
    ]
    assert names_on(client.get(f"{base}&sort=waiting&status=ready").text) == [
        "Nadia Nurse",
        "Olga Engineer",
    ]
    assert names_on(client.get("/alpha/people?kind=mentor").text) == ["Karen Mentor"]
    paged = client.get(f"{base}&sort=name&per_page=2&page=2").text
    assert names_on(paged) == ["Olga Engineer"]
    assert "Bella Bravo" not in client.get(f"{base}&q=Bella").text


def test_dashboard_counts_by_status(client, tenants, people):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get("/alpha/people?kind=mentee&lang=en").text
    counts = dict(
        re.findall(r'<span class="number">(\d+)</span>\s*<span class="label">([^<]+)</span>', page)
    )
    assert counts["2"] == "Waiting for a match"
    assert counts["1"] in {"Applied", "Interviewed", "Matched", "Paused"}


def test_coordinator_limited_to_an_office_sees_only_hers(app, runner, client, tenants, people):
    runner.invoke(
        args=[
            "users",
            "create",
            "--tenant",
            "alpha",
            "--email",
            "south@alpha.example.org",
            "--role",
            "coordinator",
            "--password",
            "south office pw",
            "--office",
            "south",
        ]
    )
    login(client, "alpha", "south@alpha.example.org", "south office pw")
    assert names_on(client.get("/alpha/people?kind=mentee").text) == ["Olga Engineer"]
    assert client.get(f"/alpha/people/{people['nadia']}").status_code == 404


def test_coordinator_registers_a_walk_in(client, tenants, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    data = {k: v for k, v in VALID_MENTEE.items() if not k.startswith("consent")}
    refused = client.post("/alpha/people/new?kind=mentee", data=data)
    assert refused.status_code == 400  # consent not recorded
    assert rows(owner_engine, "SELECT id FROM participants") == []
    data.pop("email")  # a walk-in by phone
    created = client.post("/alpha/people/new?kind=mentee", data=dict(data, consent_recorded="y"))
    assert created.status_code == 302
    [person] = rows(owner_engine, "SELECT id, source, email, phone FROM participants")
    assert (person["source"], person["email"]) == ("coordinator", None)
    [consent] = rows(owner_engine, "SELECT recorded_by FROM consents")
    assert consent["recorded_by"] == "coordinator"


def test_coordinator_edits_a_profile_and_changes_status(client, tenants, people, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    form = client.get(f"/alpha/people/{people['olga']}/edit").text
    assert 'value="Olga Engineer"' in form
    data = {
        "name": "Olga Ivanova",
        "office": "south",
        "preferred_locale": "en",
        "languages": ["ru", "en"],
        "profession": "2142",
        "goals": ["job"],
        "intake_level": "low",
        "intake_children": "no",
    }
    assert client.post(f"/alpha/people/{people['olga']}/edit", data=data).status_code == 302
    client.post(f"/alpha/people/{people['olga']}/status", data={"status": "paused"})
    [olga] = rows(
        owner_engine,
        "SELECT name, languages, status FROM participants WHERE id = :i",
        i=people["olga"],
    )
    assert olga["name"] == "Olga Ivanova" and olga["status"] == "paused"
    bad = client.post(f"/alpha/people/{people['olga']}/edit", data=dict(data, profession="0000"))
    assert bad.status_code == 400 and 'id="profession-error"' in bad.text


def test_recording_an_interview(client, tenants, people, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    data = {
        "held_on": "2026-11-20",
        "dreams": "Work as an engineer in Denmark",
        "mentor_wish": "A woman engineer",
        "languages": ["ru"],
        "notes": "Shy at first",
    }
    assert client.post(f"/alpha/people/{people['olga']}/interview", data=data).status_code == 302
    [row] = rows(
        owner_engine,
        "SELECT dreams, notes FROM interviews WHERE participant_id = :i",
        i=people["olga"],
    )
    assert row["notes"] == "Shy at first"
    missing = client.post(
        f"/alpha/people/{people['olga']}/interview", data={"held_on": "2026-11-20"}
    )
    assert missing.status_code == 400 and 'id="dreams-error"' in missing.text


@pytest.mark.parametrize(
    ("role", "sees"), [("admin", True), ("coordinator", True), ("mentor", False), ("mentee", False)]
)
def test_interview_notes_visibility_by_role(client, tenants, people, role, sees):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails[role])
    response = client.get(f"/alpha/people/{people['mira']}")
    assert (SECRET in response.text) is sees
    assert response.status_code == (200 if sees else 403)
    api = client.get(
        f"/alpha/api/v1/mentees/{people['mira']}",
        headers={"Authorization": f"Bearer {alpha.tokens[role]}"},
    )
    assert SECRET not in api.text  # the API never carries interview notes


def test_interview_notes_never_reach_the_participant_herself(app, client, tenants, people):
    alpha, _ = tenants
    link = invite(client, alpha, people["mira"], email="mira@example.net", app=app)
    client.post("/alpha/logout")
    client.post(
        link, data={"name": "Mira", "password": "mira's password", "confirm": "mira's password"}
    )
    page = client.get("/alpha/me")
    assert page.status_code == 200 and "Mira Midwife" in page.text
    assert SECRET not in page.text


def invite(client, world, participant_id: int, email: str | None = None, app=None) -> str:
    if email:
        from sqlalchemy import update

        from mentornet.extensions import db
        from mentornet.people.models import Participant
        from mentornet.tenancy.context import platform_scope, with_tenant

        with app.app_context():
            with platform_scope():
                participant = db.session.get(Participant, participant_id)
                tenant = participant.tenant_id
            from mentornet.tenancy.models import Tenant

            with with_tenant(db.session.get(Tenant, tenant)):
                db.session.execute(
                    update(Participant).where(Participant.id == participant_id).values(email=email)
                )
                db.session.commit()
    login(client, world.slug, world.emails["coordinator"])
    page = client.post(f"/{world.slug}/people/{participant_id}/invite").text
    return re.search(r'value="http://localhost(/[^"]+)"', page).group(1)


def test_invitation_lets_her_see_and_correct_her_profile_and_consents(
    app, client, tenants, people, owner_engine
):
    alpha, _ = tenants
    link = invite(client, alpha, people["nadia"])
    client.post("/alpha/logout")
    short = client.post(link, data={"name": "Nadia", "password": "short", "confirm": "short"})
    assert short.status_code == 400 and 'id="password-error"' in short.text
    accepted = client.post(
        link, data={"name": "Nadia", "password": "nadia's password", "confirm": "nadia's password"}
    )
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/alpha/me")
    me = client.get("/alpha/me").text
    assert "Nadia Nurse" in me
    # She corrects her own profile.
    data = {
        "name": "Nadia N.",
        "email": "nadia@example.net",
        "office": "north",
        "preferred_locale": "da",
        "languages": ["ar", "da", "en"],
        "goals": ["network"],
        "intake_level": "high",
        "intake_children": "yes",
    }
    assert client.post("/alpha/me/edit", data=data).status_code == 302
    [row] = rows(owner_engine, "SELECT name FROM participants WHERE id = :i", i=people["nadia"])
    assert row["name"] == "Nadia N."
    # The link works once.
    client.post("/alpha/logout")
    assert client.get(link).status_code == 404
    # She cannot open the coordinators' pages.
    login(client, "alpha", "nadia@example.net", "nadia's password")
    assert client.get("/alpha/people").status_code == 403


def test_she_withdraws_a_consent(app, client, tenants, owner_engine):
    alpha, _ = tenants
    client.post("/alpha/join/mentee", data=VALID_MENTEE)
    [person] = rows(owner_engine, "SELECT id FROM participants")
    link = invite(client, alpha, person["id"])
    client.post("/alpha/logout")
    client.post(
        link, data={"name": "A", "password": "amina's password", "confirm": "amina's password"}
    )
    [consent] = rows(owner_engine, "SELECT id FROM consents")
    assert client.post(f"/alpha/me/consents/{consent['id']}/withdraw").status_code == 302
    [after] = rows(owner_engine, "SELECT withdrawn_at FROM consents")
    assert after["withdrawn_at"] is not None


def test_expired_invitation_is_refused(app, client, tenants, people, owner_engine):
    alpha, _ = tenants
    link = invite(client, alpha, people["nadia"])
    with owner_engine.begin() as conn:
        conn.execute(text("UPDATE invitations SET expires_at = '2020-01-01 00:00:00+00:00'"))
    client.post("/alpha/logout")
    assert client.get(link).status_code == 404


def test_an_invitation_cannot_take_over_an_existing_account(app, client, tenants, people):
    alpha, bravo = tenants
    # A coordinator invites, with the email of bravo's admin: that account already exists.
    link = invite(client, alpha, people["nadia"], email=bravo.emails["admin"], app=app)
    client.post("/alpha/logout")
    hijack = client.post(
        link, data={"name": "x", "password": "attacker password", "confirm": "attacker password"}
    )
    assert hijack.status_code == 400
    assert login(client, "bravo", bravo.emails["admin"]).status_code == 302  # password unchanged


def test_home_dashboard_counts_people_by_status(client, tenants, people):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get("/alpha/?lang=en").text
    assert 'href="/alpha/people?kind=mentee&amp;status=ready">2</a>' in page
    assert 'href="/alpha/people?kind=mentor&amp;status=ready">1</a>' in page
    assert 'href="/alpha/people?kind=mentee&amp;status=interviewed">1</a>' in page
