"""API: mentees and mentors, with the forms' validation, pagination and erasure."""

from __future__ import annotations

import pytest

from tests.people_helpers import add_participant
from tests.test_people_signup import rows

MENTEE = {
    "name": "Leila Karimi",
    "email": "leila@example.net",
    "office": "north",
    "preferred_locale": "da",
    "languages": ["fa", "da"],
    "profession": "2512",
    "goals": ["job_in_field"],
    "intake_level": "high",
    "intake_children": "no",
    "consent_recorded": True,
}


def auth(world, role="coordinator"):
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def test_create_read_update_erase(client, tenants, owner_engine):
    alpha, _ = tenants
    created = client.post("/alpha/api/v1/mentees", json=MENTEE, headers=auth(alpha))
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["status"], body["profession"], body["languages"]) == (
        "applied",
        "2512",
        ["fa", "da"],
    )
    pid = body["id"]
    read = client.get(f"/alpha/api/v1/mentees/{pid}", headers=auth(alpha)).json
    assert read["email"] == "leila@example.net"
    updated = client.patch(
        f"/alpha/api/v1/mentees/{pid}",
        headers=auth(alpha),
        json={"profession": "2511", "status": "ready"},
    )
    assert updated.status_code == 200
    assert (updated.json["profession"], updated.json["status"]) == ("2511", "ready")
    assert updated.json["name"] == "Leila Karimi"  # untouched fields stay
    assert client.delete(f"/alpha/api/v1/mentees/{pid}", headers=auth(alpha)).status_code == 204
    assert client.get(f"/alpha/api/v1/mentees/{pid}", headers=auth(alpha)).status_code == 404
    [row] = rows(owner_engine, "SELECT name, email, profession, erased_at FROM participants")
    assert (row["name"], row["email"], row["profession"]) == ("", None, None)
    assert row["erased_at"] is not None


def test_erasing_someone_with_a_login_closes_it_and_keeps_the_pair_counted(
    app, client, tenants, owner_engine
):
    from tests.conftest import login
    from tests.cycle_helpers import advance, pair, propose

    alpha, _ = tenants
    mentee_id, mentor_id = pair(app, alpha, profession="2221")
    mid = propose(client, alpha, mentee_id, mentor_id)["id"]
    advance(client, alpha, mid, "declined")
    erased = client.delete(f"/alpha/api/v1/mentees/{mentee_id}", headers=auth(alpha))
    assert erased.status_code == 204
    # Her login is gone with her data: no membership, no token, no account left.
    assert (
        rows(owner_engine, "SELECT id FROM users WHERE id = :u", u=alpha.user_ids["mentee"]) == []
    )
    mine = client.get("/alpha/api/v1/mentorships", headers=auth(alpha, "mentee"))
    assert mine.status_code == 401
    assert login(client, "alpha", alpha.emails["mentee"]).status_code == 401  # refused
    # The pair still counts (its state and dates), without what described her.
    [row] = rows(owner_engine, "SELECT state FROM mentorships WHERE id = :m", m=mid)
    assert row["state"] == "declined"
    [person] = rows(
        owner_engine,
        "SELECT name, profession, profession_group FROM participants WHERE id = :p",
        p=mentee_id,
    )
    assert (person["name"], person["profession"], person["profession_group"]) == ("", None, "2")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "nope"),
        ("languages", []),
        ("profession", "1"),
        ("goals", ["fly"]),
        ("office", "mars"),
        ("intake_level", "x"),
    ],
)
def test_invalid_input_is_422_with_a_message_per_field(client, tenants, owner_engine, field, value):
    alpha, _ = tenants
    response = client.post(
        "/alpha/api/v1/mentees", json=dict(MENTEE, **{field: value}), headers=auth(alpha)
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [field]
    assert rows(owner_engine, "SELECT id FROM participants") == []


def test_not_json_and_missing_consent(client, tenants):
    alpha, _ = tenants
    not_json = client.post("/alpha/api/v1/mentees", data="x", headers=auth(alpha))
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "invalid_json"
    no_consent = dict(MENTEE)
    no_consent.pop("consent_recorded")
    response = client.post("/alpha/api/v1/mentees", json=no_consent, headers=auth(alpha))
    assert response.status_code == 422 and "consent_recorded" in response.json["error"]["fields"]


def test_same_email_twice_in_a_tenant_is_a_clear_conflict(client, tenants):
    alpha, bravo = tenants
    assert client.post("/alpha/api/v1/mentees", json=MENTEE, headers=auth(alpha)).status_code == 201
    again = client.post("/alpha/api/v1/mentees", json=MENTEE, headers=auth(alpha))
    assert again.status_code == 409
    assert "email" in again.json["error"]["fields"]
    # In another tenant she is another participant, and neither sees the other.
    bravo_body = dict(MENTEE, preferred_locale="en", intake_level="low")
    assert (
        client.post("/bravo/api/v1/mentees", json=bravo_body, headers=auth(bravo)).status_code
        == 201
    )
    for world in (alpha, bravo):
        listed = client.get(f"/{world.slug}/api/v1/mentees", headers=auth(world)).json
        assert listed["total"] == 1


def test_list_filters_and_pagination(app, client, tenants):
    alpha, _ = tenants
    for n in range(7):
        add_participant(app, "alpha", name=f"Mentee {n}", profession="2221" if n < 3 else "5120")
    add_participant(app, "alpha", kind="mentor", name="Mentor")
    page = client.get("/alpha/api/v1/mentees?per_page=5&page=2&sort=name", headers=auth(alpha)).json
    assert (page["total"], page["pages"], len(page["items"])) == (7, 2, 2)
    nurses = client.get("/alpha/api/v1/mentees?profession=2221", headers=auth(alpha)).json
    assert nurses["total"] == 3
    mentors = client.get("/alpha/api/v1/mentors", headers=auth(alpha)).json
    assert [m["name"] for m in mentors["items"]] == ["Mentor"]
    bad = client.get("/alpha/api/v1/mentees?min_days_waiting=x", headers=auth(alpha))
    assert bad.status_code == 400


def test_a_mentor_is_not_found_under_mentees(app, client, tenants):
    alpha, _ = tenants
    mentor = add_participant(app, "alpha", kind="mentor", name="Mentor")
    assert client.get(f"/alpha/api/v1/mentees/{mentor}", headers=auth(alpha)).status_code == 404
    assert client.get(f"/alpha/api/v1/mentors/{mentor}", headers=auth(alpha)).status_code == 200


def test_mentors_and_mentees_cannot_use_the_people_api(client, tenants):
    alpha, _ = tenants
    for role in ("mentor", "mentee"):
        assert client.get("/alpha/api/v1/mentees", headers=auth(alpha, role)).status_code == 403


def test_changing_email_to_a_taken_one_is_a_conflict(client, tenants, owner_engine):
    alpha, _ = tenants
    client.post("/alpha/api/v1/mentees", json=MENTEE, headers=auth(alpha))
    other = client.post(
        "/alpha/api/v1/mentees", json=dict(MENTEE, email="other@example.net"), headers=auth(alpha)
    ).json
    clash = client.patch(
        f"/alpha/api/v1/mentees/{other['id']}",
        json={"email": "LEILA@example.net"},
        headers=auth(alpha),
    )
    assert clash.status_code == 409
    assert clash.json["error"]["fields"]["email"]
    [row] = rows(owner_engine, "SELECT email FROM participants WHERE id = :i", i=other["id"])
    assert row["email"] == "other@example.net"
