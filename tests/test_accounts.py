"""Logging in per tenant, sessions, CSRF, role checks, and the users/tokens commands."""

from __future__ import annotations

import re

from sqlalchemy import select, text

from tests.conftest import login, make_app
from tests.factories import PASSWORD


def test_login_lands_on_the_tenant_home_and_logout_ends_it(client, tenants):
    alpha, _ = tenants
    response = login(client, "alpha", alpha.emails["coordinator"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/alpha/")
    home = client.get("/alpha/")
    assert "Coordinator of alpha" in home.text
    client.post("/alpha/logout")
    assert "Coordinator of alpha" not in client.get("/alpha/").text


def test_wrong_password_and_unknown_email_get_the_same_answer(client, tenants):
    alpha, _ = tenants
    wrong = login(client, "alpha", alpha.emails["admin"], "not the password")
    unknown = login(client, "alpha", "nobody@alpha.example.org")
    assert wrong.status_code == unknown.status_code == 401

    def message(r):
        return re.search(r'<p class="error"[^>]*>(.*?)</p>', r.text).group(1)

    assert message(wrong) == message(unknown)


def test_a_member_of_another_tenant_cannot_log_in_here(client, tenants):
    _, bravo = tenants
    response = login(client, "alpha", bravo.emails["admin"])
    assert response.status_code == 401


def test_login_form_errors_stand_beside_their_field(client, tenants):
    response = client.post("/alpha/login", data={"email": "not-an-email", "password": ""})
    assert response.status_code == 400
    assert 'id="email-error"' in response.text
    assert 'id="password-error"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_login_starts_a_new_session(client, tenants):
    alpha, _ = tenants
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    login(client, "alpha", alpha.emails["mentor"])
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["user_id"] and sess["nonce"]


def test_session_cookie_flags(database, tenants):
    app = make_app(database, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    alpha, _ = tenants
    response = client.post(
        "/alpha/login",
        data={"email": alpha.emails["admin"], "password": PASSWORD},
        base_url="https://localhost",
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_csrf_is_required_on_forms(database, tenants):
    app = make_app(database, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    alpha, _ = tenants
    refused = client.post(
        "/alpha/login", data={"email": alpha.emails["admin"], "password": PASSWORD}
    )
    assert refused.status_code == 400
    page = client.get("/alpha/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(
        "/alpha/login",
        data={"email": alpha.emails["admin"], "password": PASSWORD, "csrf_token": token},
    )
    assert accepted.status_code == 302


def test_role_check_on_views(client, tenants):
    alpha, _ = tenants
    assert client.get("/alpha/members").status_code == 302  # anonymous: to the login page
    login(client, "alpha", alpha.emails["mentee"])
    assert client.get("/alpha/members").status_code == 403
    login(client, "alpha", alpha.emails["coordinator"])
    assert client.get("/alpha/members").status_code == 200


def test_next_never_leaves_the_tenant(client, tenants):
    alpha, _ = tenants
    for target in ("https://evil.example/", "//evil.example/", "/bravo/members"):
        response = client.post(
            "/alpha/login",
            data={"email": alpha.emails["admin"], "password": PASSWORD, "next": target},
        )
        assert response.headers["Location"].endswith("/alpha/")


def test_passwords_are_stored_as_argon2id(app, tenants, owner_engine):
    with owner_engine.connect() as conn:
        hashes = conn.execute(text("SELECT password_hash FROM users")).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


def test_users_create_and_tokens_create_commands(runner, client, tenants, owner_engine):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--tenant",
            "alpha",
            "--email",
            "New.Coord@Alpha.example.org",
            "--role",
            "coordinator",
            "--password",
            "a long password",
            "--office",
            "north",
        ]
    )
    assert result.exit_code == 0, result.output
    assert (
        login(client, "alpha", "new.coord@alpha.example.org", "a long password").status_code == 302
    )
    token = runner.invoke(
        args=["tokens", "create", "--tenant", "alpha", "--email", "new.coord@alpha.example.org"]
    ).output.strip()
    me = client.get("/alpha/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["member"]["offices"] == ["north"]
    with owner_engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
    assert token not in stored  # only the hash is kept


def test_users_create_refuses_bad_input_with_exit_2(runner, tenants):
    bad = [
        ["--tenant", "nowhere", "--email", "a@b.org", "--role", "admin", "--password", "x" * 12],
        ["--tenant", "alpha", "--email", "not-an-email", "--role", "admin", "--password", "x" * 12],
        ["--tenant", "alpha", "--email", "a@b.org", "--role", "admin", "--password", "short"],
        [
            "--tenant",
            "alpha",
            "--email",
            "a@b.org",
            "--role",
            "admin",
            "--password",
            "x" * 12,
            "--office",
            "atlantis",
        ],
    ]
    for args in bad:
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code == 2, (args, result.output)
    tok = runner.invoke(args=["tokens", "create", "--tenant", "alpha", "--email", "a@b.org"])
    assert tok.exit_code == 2


def test_a_user_may_belong_to_two_tenants_with_different_roles(app, runner, client, tenants):
    alpha, _ = tenants
    email = alpha.emails["coordinator"]
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--tenant",
            "bravo",
            "--email",
            email,
            "--role",
            "mentor",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    login(client, "bravo", email)
    assert client.get("/bravo/members").status_code == 403  # a mentor in bravo
    # Logged in to bravo, alpha's staff pages treat her as a stranger until she logs in there.
    assert client.get("/alpha/members").status_code == 404
    login(client, "alpha", email)
    assert client.get("/alpha/members").status_code == 200
    with app.app_context():
        from mentornet.accounts.models import User
        from mentornet.extensions import db

        assert len(db.session.scalars(select(User).where(User.email == email)).all()) == 1
