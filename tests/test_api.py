"""The JSON API: bearer tokens, JSON errors with 4xx, pagination with totals, OpenAPI."""

from __future__ import annotations

import re

from sqlalchemy import text


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_missing_or_bad_token_is_401_json(client, tenants):
    for headers in ({}, {"Authorization": "Bearer mn_nonsense"}, {"Authorization": "Basic x"}):
        response = client.get("/alpha/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"
        assert response.json["error"]["message"]


def test_session_login_does_not_open_the_api(client, tenants):
    from tests.conftest import login

    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    assert client.get("/alpha/api/v1/me").status_code == 401


def test_me_and_role_checks(client, tenants):
    alpha, _ = tenants
    me = client.get("/alpha/api/v1/me", headers=auth(alpha.tokens["mentor"]))
    assert me.status_code == 200
    assert me.json["member"]["role"] == "mentor"
    forbidden = client.get("/alpha/api/v1/members", headers=auth(alpha.tokens["mentor"]))
    assert forbidden.status_code == 403
    assert forbidden.json["error"]["code"] == "forbidden"
    assert (
        client.get("/alpha/api/v1/settings", headers=auth(alpha.tokens["coordinator"])).status_code
        == 403
    )
    settings = client.get("/alpha/api/v1/settings", headers=auth(alpha.tokens["admin"]))
    assert settings.json["settings"]["locales"] == ["da", "en"]


def test_pagination_totals_and_bad_parameters(client, tenants):
    alpha, _ = tenants
    page = client.get(
        "/alpha/api/v1/members?per_page=3&page=2", headers=auth(alpha.tokens["admin"])
    )
    assert page.status_code == 200
    assert (page.json["total"], page.json["pages"], page.json["page"]) == (4, 2, 2)
    assert len(page.json["items"]) == 1
    for query in ("page=0", "page=x", "per_page=1000"):
        bad = client.get(f"/alpha/api/v1/members?{query}", headers=auth(alpha.tokens["admin"]))
        assert bad.status_code == 400
        assert set(bad.json["error"]["fields"]) <= {"page", "per_page"}
        assert bad.json["error"]["fields"]


def test_errors_are_json_in_the_users_language(client, tenants):
    _, bravo = tenants
    missing = client.get("/bravo/api/v1/members/999999", headers=auth(bravo.tokens["admin"]))
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    wrong_method = client.delete("/bravo/api/v1/me", headers=auth(bravo.tokens["admin"]))
    assert wrong_method.status_code == 405
    assert wrong_method.json["error"]["code"] == "method_not_allowed"


def test_revoked_token_is_refused(app, client, tenants, owner_engine):
    alpha, _ = tenants
    with owner_engine.begin() as conn:
        conn.execute(text("UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP"))
    assert client.get("/alpha/api/v1/me", headers=auth(alpha.tokens["admin"])).status_code == 401


def test_openapi_document(client, tenants):
    doc = client.get("/alpha/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert doc["servers"][0]["url"] == "/alpha/api/v1"
    assert "/members/{id}" in doc["paths"]


def test_openapi_lists_every_api_route(app, client, tenants):
    """Every route under /api/v1 is in the document (no undocumented endpoint)."""
    doc = client.get("/alpha/api/v1/openapi.json").json
    documented = set(doc["paths"])
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/<tenant>/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = rule.rule.removeprefix("/<tenant>/api/v1")
        path = re.sub(r"<int:\w+>", "{id}", path, count=1)  # the resource's own id
        path = re.sub(r"<int:(\w+)>", r"{\1}", path)  # ids of what it holds
        methods = {m.lower() for m in rule.methods} - {"head", "options"}
        paths = [path]
        if "<any(mentees, mentors):collection>" in path:
            paths = [
                path.replace("<any(mentees, mentors):collection>", c)
                for c in ("mentees", "mentors")
            ]
        for documented_path in paths:
            assert documented_path in documented, documented_path
            assert methods <= set(doc["paths"][documented_path]), (documented_path, methods)
