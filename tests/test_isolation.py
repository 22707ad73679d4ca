"""A user or token of tenant A asking for anything of tenant B gets 404; B is unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import login

WEB_ROUTES = ["/{slug}/members/{id}"]
API_ROUTES = ["/{slug}/api/v1/members/{id}"]

# Every route that takes a participant's id, with the method a user would use.
PARTICIPANT_WEB = [
    ("GET", "/{slug}/people/{id}"),
    ("GET", "/{slug}/people/{id}/edit"),
    ("POST", "/{slug}/people/{id}/edit"),
    ("POST", "/{slug}/people/{id}/status"),
    ("GET", "/{slug}/people/{id}/interview"),
    ("POST", "/{slug}/people/{id}/interview"),
    ("POST", "/{slug}/people/{id}/invite"),
]
PARTICIPANT_API = [
    ("GET", "/{slug}/api/v1/mentees/{id}"),
    ("PATCH", "/{slug}/api/v1/mentees/{id}"),
    ("DELETE", "/{slug}/api/v1/mentees/{id}"),
]


def _snapshot(owner_engine, tenant_id: int):
    with owner_engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT id, user_id, role, offices FROM memberships WHERE tenant_id = :t "
                "ORDER BY id"
            ),
            {"t": tenant_id},
        ).all()


@pytest.mark.parametrize("route", WEB_ROUTES)
def test_web_user_of_a_gets_404_for_b_objects(client, tenants, owner_engine, route):
    alpha, bravo = tenants
    before = _snapshot(owner_engine, bravo.id)
    login(client, "alpha", alpha.emails["admin"])
    for member_id in bravo.member_ids.values():
        # B's id through A's URL: as if it did not exist.
        assert client.get(route.format(slug="alpha", id=member_id)).status_code == 404
        # B's URL with A's login: a stranger there.
        assert client.get(route.format(slug="bravo", id=member_id)).status_code == 404
    own = client.get(route.format(slug="alpha", id=alpha.member_ids["mentee"]))
    assert own.status_code == 200
    assert _snapshot(owner_engine, bravo.id) == before


def test_web_stranger_cannot_post_to_b(client, tenants, owner_engine):
    alpha, _bravo = tenants
    login(client, "alpha", alpha.emails["admin"])
    client.post("/bravo/language", data={"locale": "ar"})
    assert "Admin of alpha" not in client.get("/bravo/").text


@pytest.mark.parametrize("route", API_ROUTES)
def test_api_token_of_a_gets_404_for_b_objects(client, tenants, owner_engine, route):
    alpha, bravo = tenants
    before = _snapshot(owner_engine, bravo.id)
    headers = {"Authorization": f"Bearer {alpha.tokens['admin']}"}
    for member_id in bravo.member_ids.values():
        for slug in ("alpha", "bravo"):
            response = client.get(route.format(slug=slug, id=member_id), headers=headers)
            assert response.status_code == 404
            assert response.json["error"]["code"] == "not_found"
    assert (
        client.get(
            route.format(slug="alpha", id=alpha.member_ids["mentor"]), headers=headers
        ).status_code
        == 200
    )
    assert _snapshot(owner_engine, bravo.id) == before


@pytest.mark.parametrize("path", ["/me", "/members", "/settings"])
def test_api_token_of_a_is_a_stranger_to_every_b_resource(client, tenants, path):
    alpha, _ = tenants
    response = client.get(
        f"/bravo/api/v1{path}", headers={"Authorization": f"Bearer {alpha.tokens['admin']}"}
    )
    assert response.status_code == 404


def test_lists_show_only_own_tenant(client, tenants):
    alpha, _bravo = tenants
    response = client.get(
        "/alpha/api/v1/members", headers={"Authorization": f"Bearer {alpha.tokens['coordinator']}"}
    )
    assert {m["id"] for m in response.json["items"]} == set(alpha.member_ids.values())
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get("/alpha/members").text
    assert "of alpha" in page and "of bravo" not in page


def _participants(owner_engine, tenant_id):
    with owner_engine.connect() as conn:
        return conn.execute(
            text("SELECT * FROM participants WHERE tenant_id = :t ORDER BY id"), {"t": tenant_id}
        ).all(), conn.execute(
            text("SELECT * FROM interviews WHERE tenant_id = :t ORDER BY id"), {"t": tenant_id}
        ).all()


@pytest.fixture
def bravo_person(app, tenants):
    from tests.people_helpers import add_participant

    return add_participant(
        app, "bravo", name="Bella Bravo", email="bella@example.net", interview_notes="private"
    )


@pytest.mark.parametrize(("method", "route"), PARTICIPANT_WEB)
def test_participant_pages_of_b_are_404_for_a(
    client, tenants, owner_engine, bravo_person, method, route
):
    alpha, bravo = tenants
    before = _participants(owner_engine, bravo.id)
    login(client, "alpha", alpha.emails["admin"])
    data = {"status": "withdrawn", "name": "Hacked", "dreams": "x", "held_on": "2026-01-01"}
    for slug in ("alpha", "bravo"):
        response = client.open(route.format(slug=slug, id=bravo_person), method=method, data=data)
        assert response.status_code == 404, (slug, route)
    assert _participants(owner_engine, bravo.id) == before


@pytest.mark.parametrize(("method", "route"), PARTICIPANT_API)
def test_participant_api_of_b_is_404_for_a_token(
    client, tenants, owner_engine, bravo_person, method, route
):
    alpha, bravo = tenants
    before = _participants(owner_engine, bravo.id)
    headers = {"Authorization": f"Bearer {alpha.tokens['admin']}"}
    for slug in ("alpha", "bravo"):
        response = client.open(
            route.format(slug=slug, id=bravo_person),
            method=method,
            json={"name": "Hacked"},
            headers=headers,
        )
        assert response.status_code == 404, (slug, route)
    assert _participants(owner_engine, bravo.id) == before


def test_consent_of_b_cannot_be_withdrawn_from_a(app, client, tenants, owner_engine):
    """A participant of A posting B's consent id gets 404; B's consent stays."""
    from tests.test_people_signup import VALID_MENTEE
    from tests.test_people_staff import invite

    alpha, bravo = tenants
    bravo_data = dict(VALID_MENTEE, preferred_locale="en", intake_level="low")
    client.post("/bravo/join/mentee", data=bravo_data)
    client.post("/alpha/join/mentee", data=dict(VALID_MENTEE, email="a@example.net"))
    with owner_engine.connect() as conn:
        alpha_person = conn.execute(
            text("SELECT id FROM participants WHERE tenant_id = :t"), {"t": alpha.id}
        ).scalar()
        bravo_consent = conn.execute(
            text("SELECT id FROM consents WHERE tenant_id = :t"), {"t": bravo.id}
        ).scalar()
    link = invite(client, alpha, alpha_person)
    client.post("/alpha/logout")
    client.post(
        link, data={"name": "A", "password": "a long password", "confirm": "a long password"}
    )
    assert client.post(f"/alpha/me/consents/{bravo_consent}/withdraw").status_code == 404
    assert client.post(f"/bravo/me/consents/{bravo_consent}/withdraw").status_code == 404
    with owner_engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT withdrawn_at FROM consents WHERE id = :i"), {"i": bravo_consent}
            ).scalar()
            is None
        )


def test_invitation_link_of_b_does_not_work_on_a(app, client, tenants, bravo_person):
    from tests.test_people_staff import invite

    _, bravo = tenants
    link = invite(client, bravo, bravo_person)
    client.post("/bravo/logout")
    assert client.get(link.replace("/bravo/", "/alpha/")).status_code == 404
    assert client.get(link).status_code == 200
