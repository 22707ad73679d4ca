"""A user or token of tenant A asking for anything of tenant B gets 404; B is unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import login

WEB_ROUTES = ["/{slug}/members/{id}"]
API_ROUTES = ["/{slug}/api/v1/members/{id}"]


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
