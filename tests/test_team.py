"""The admin invites coordinators (limited to offices, or not) and admins to her team."""

from __future__ import annotations

import re

from sqlalchemy import text

from tests.conftest import login
from tests.people_helpers import add_participant

NEW_PASSWORD = "a brand new password"


def invite(client, slug: str, **data) -> str:
    response = client.post(f"/{slug}/members/invite", data=data)
    assert response.status_code == 200, response.text
    return re.search(r'value="http://localhost(/[^"]+)"', response.text).group(1)


def rows(engine, sql: str, **params):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def test_a_coordinator_limited_to_an_office_joins_and_sees_only_that_office(
    app, client, tenants, owner_engine
):
    alpha, _ = tenants
    add_participant(app, "alpha", name="Hana North", office="north")
    add_participant(app, "alpha", name="Sara South", office="south")
    login(client, "alpha", alpha.emails["admin"])
    link = invite(client, "alpha", email="Lene@Example.net", role="coordinator", offices=["north"])
    # The team page lists the invitation until it is accepted.
    team = client.get("/alpha/members?lang=en").text
    assert "lene@example.net" in team and "Invitations not yet accepted" in team
    client.post("/alpha/logout")

    accepted = client.post(
        link, data={"name": "Lene", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert accepted.status_code == 302
    people = client.get("/alpha/people?kind=mentee").text
    assert "Hana North" in people
    assert "Sara South" not in people
    [member] = rows(
        owner_engine,
        "SELECT m.role, m.offices FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.email = 'lene@example.net'",
    )
    assert member["role"] == "coordinator"
    assert "north" in str(member["offices"]) and "south" not in str(member["offices"])
    # The link works once.
    client.post("/alpha/logout")
    assert client.get(link).status_code == 404
    assert login(client, "alpha", "lene@example.net", NEW_PASSWORD).status_code == 302


def test_an_invited_admin_gets_every_office(app, client, tenants, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    link = invite(client, "alpha", email="boss@example.net", role="admin", offices=["north"])
    client.post("/alpha/logout")
    client.post(link, data={"name": "Boss", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    [member] = rows(
        owner_engine,
        "SELECT m.role, m.offices FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.email = 'boss@example.net'",
    )
    assert member["role"] == "admin" and "north" not in str(member["offices"])


def test_an_expired_or_withdrawn_link_does_not_work(app, client, tenants, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    old = invite(client, "alpha", email="old@example.net", role="coordinator")
    with owner_engine.begin() as conn:
        conn.execute(text("UPDATE invitations SET expires_at = '2020-01-01 00:00:00+00:00'"))
    assert "Expired" in client.get("/alpha/members?lang=en").text
    fresh = invite(client, "alpha", email="fresh@example.net", role="coordinator")
    [pending] = rows(owner_engine, "SELECT id FROM invitations WHERE email = 'fresh@example.net'")
    assert client.post(f"/alpha/members/invitations/{pending['id']}/withdraw").status_code == 302
    client.post("/alpha/logout")
    for link in (old, fresh):
        response = client.post(
            link, data={"name": "X", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )
        assert response.status_code == 404
    assert rows(owner_engine, "SELECT id FROM users WHERE email LIKE '%@example.net'") == []


def test_bad_invitations_are_refused_beside_the_field(client, tenants, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    response = client.post(
        "/alpha/members/invite?lang=en", data={"email": "nope", "role": "coordinator"}
    )
    assert response.status_code == 400
    assert re.search(r'id="email-error">This does not look like an email address', response.text)
    response = client.post("/alpha/members/invite", data={"email": "a@b.org", "role": "mentee"})
    assert response.status_code == 400 and 'id="role-error"' in response.text
    response = client.post(
        "/alpha/members/invite", data={"email": "a@b.org", "role": "coordinator", "offices": ["x"]}
    )
    assert response.status_code == 400 and 'id="offices-error"' in response.text
    assert rows(owner_engine, "SELECT id FROM invitations") == []


def test_only_the_admin_invites_staff(client, tenants, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    assert "Invite a coordinator" not in client.get("/alpha/members?lang=en").text
    response = client.post("/alpha/members/invite", data={"email": "a@b.org", "role": "admin"})
    assert response.status_code == 403
    assert rows(owner_engine, "SELECT id FROM invitations") == []


def test_another_tenants_invitations_are_not_there(client, tenants, owner_engine):
    alpha, bravo = tenants
    login(client, "bravo", bravo.emails["admin"])
    invite(client, "bravo", email="bravo-coord@example.net", role="coordinator")
    [theirs] = rows(owner_engine, "SELECT id, expires_at FROM invitations")
    client.post("/bravo/logout")

    login(client, "alpha", alpha.emails["admin"])
    # Alpha's admin cannot withdraw bravo's invitation by id, nor reach bravo's team page.
    response = client.post(f"/alpha/members/invitations/{theirs['id']}/withdraw")
    assert response.status_code == 404
    assert client.post(f"/bravo/members/invitations/{theirs['id']}/withdraw").status_code == 404
    assert client.get("/bravo/members").status_code == 404
    assert (
        client.post("/bravo/members/invite", data={"email": "x@y.org", "role": "admin"}).status_code
        == 404
    )
    assert "bravo-coord@example.net" not in client.get("/alpha/members").text
    [after] = rows(owner_engine, "SELECT id, expires_at FROM invitations")
    assert after == theirs
