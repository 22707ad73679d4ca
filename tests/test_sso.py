"""Single sign-on with OpenID Connect, against a real local provider over HTTP.

Mentornet is driven with Flask's test client; the browser's trip to the provider and
back is made with ``requests`` (no redirects followed), so every hop is visible: the
authorization request, the provider's redirect with a code and the state, and the
callback, where Mentornet itself calls the provider's token endpoint and JWK set.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from sqlalchemy import text

from mentornet.accounts import sealed, sso
from mentornet.extensions import db
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.resolution import tenant_by_slug
from tests.conftest import login, make_app
from tests.oidc_provider import LocalProvider

pytestmark = pytest.mark.usefixtures("english")

CLIENT_SECRET = "alpha-client-secret-7f3a"


def callback_uri(slug: str) -> str:
    # What Mentornet computes under the test client (http://localhost).
    return f"http://localhost/{slug}/login/sso/callback"


@pytest.fixture
def provider() -> Iterator[LocalProvider]:
    sso._cache.clear()
    local = LocalProvider().start()
    yield local
    local.stop()
    sso._cache.clear()


def configure(app, slug: str, issuer: str, client_id: str, secret: str, enabled: bool = True):
    with app.app_context(), with_tenant(tenant_by_slug(slug)):
        sso.save_provider(issuer, client_id, secret, enabled)
        db.session.commit()


@pytest.fixture
def alpha_sso(app, tenants, provider) -> LocalProvider:
    """Tenant alpha uses the local provider, where Mentornet is registered as a client."""
    provider.add_client("mentornet-alpha", CLIENT_SECRET, callback_uri("alpha"))
    configure(app, "alpha", provider.issuer, "mentornet-alpha", CLIENT_SECRET)
    return provider


def go_to_provider(client, slug: str = "alpha", **params) -> dict[str, str]:
    """Start at Mentornet, let the provider answer; the parameters it sends back."""
    start = client.get(f"/{slug}/login/sso", query_string=params)
    assert start.status_code == 302, start.text
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == callback_uri(slug)
    return {k: v[0] for k, v in parse_qs(back.query).items()}


def come_back(client, answer: dict[str, str], slug: str = "alpha"):
    return client.get(f"/{slug}/login/sso/callback?{urlencode(answer)}")


def sso_login(client, slug: str = "alpha"):
    return come_back(client, go_to_provider(client, slug), slug)


def logged_in_as(client, slug: str = "alpha") -> str | None:
    with client.session_transaction() as sess:
        if not sess.get("user_id"):
            return None
    return client.get(f"/{slug}/").text


def identities(owner_engine) -> list[tuple]:
    with owner_engine.connect() as conn:
        return conn.execute(
            text("SELECT tenant_id, user_id, issuer, subject FROM sso_identities ORDER BY id")
        ).all()


# --- logging in --------------------------------------------------------------------------


def test_a_member_logs_in_through_her_provider_and_is_linked_by_subject(
    client, tenants, alpha_sso, owner_engine
):
    alpha, _ = tenants
    login_page = client.get("/alpha/login").text
    assert "Log in with single sign-on" in login_page

    alpha_sso.sign_in("idp-user-42", alpha.emails["mentor"])
    answer = go_to_provider(client)
    response = come_back(client, answer)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/alpha/")
    assert "Mentor of alpha" in client.get("/alpha/").text
    assert identities(owner_engine) == [
        (alpha.id, alpha.user_ids["mentor"], alpha_sso.issuer, "idp-user-42")
    ]
    # Mentornet proved itself with its secret (HTTP Basic by default) and PKCE.
    token_request = alpha_sso.token_requests[-1]
    assert token_request["basic_auth"] and "client_secret" not in token_request["form"]
    assert token_request["form"]["code_verifier"]

    # The same answer cannot be used twice: its state was spent.
    client.post("/alpha/logout")
    replay = come_back(client, answer)
    assert replay.status_code == 400
    assert logged_in_as(client) is None

    # Second login: the provider now reports another, unverified address; the account is
    # found by its subject, linked the first time.
    alpha_sso.sign_in("idp-user-42", "renamed@elsewhere.example", email_verified=False)
    again = sso_login(client)
    assert again.status_code == 302
    assert "Mentor of alpha" in client.get("/alpha/").text
    assert len(identities(owner_engine)) == 1


def test_login_continues_to_the_page_asked_for(client, tenants, alpha_sso):
    alpha, _ = tenants
    alpha_sso.sign_in("idp-coordinator", alpha.emails["coordinator"])
    answer = go_to_provider(client, next="/alpha/members")
    response = come_back(client, answer)
    assert response.headers["Location"].endswith("/alpha/members")
    assert client.get("/alpha/members").status_code == 200


def test_a_wrong_or_missing_state_is_refused(client, tenants, alpha_sso, owner_engine):
    alpha, _ = tenants
    alpha_sso.sign_in("idp-user-1", alpha.emails["mentor"])
    answer = go_to_provider(client)
    for state in ("state-of-another-browser", "tilstand-ø"):
        forged = come_back(client, {**answer, "state": state})
        assert forged.status_code == 400
        assert "does not belong to a login started here" in forged.text
        assert logged_in_as(client) is None
        answer = go_to_provider(client)

    answer = go_to_provider(client)
    missing = come_back(client, {"code": answer["code"]})
    assert missing.status_code == 400
    assert logged_in_as(client) is None
    assert identities(owner_engine) == []


def test_a_login_left_waiting_too_long_is_refused(client, tenants, alpha_sso):
    alpha, _ = tenants
    alpha_sso.sign_in("idp-user-1", alpha.emails["mentor"])
    answer = go_to_provider(client)
    with client.session_transaction() as sess:
        sess["sso_login"] = {**sess["sso_login"], "started": sess["sso_login"]["started"] - 3600}
    response = come_back(client, answer)
    assert response.status_code == 400
    assert "took too long" in response.text
    assert logged_in_as(client) is None


def test_an_answer_for_one_tenant_is_refused_by_another(app, client, tenants, alpha_sso):
    alpha, _ = tenants
    alpha_sso.add_client("mentornet-bravo", "bravo-secret", callback_uri("bravo"))
    configure(app, "bravo", alpha_sso.issuer, "mentornet-bravo", "bravo-secret")
    alpha_sso.sign_in("idp-user-1", alpha.emails["mentor"])
    answer = go_to_provider(client, "alpha")
    response = come_back(client, answer, "bravo")
    assert response.status_code == 400
    assert "does not belong to a login started here" in response.text
    assert logged_in_as(client, "bravo") is None


def test_a_login_cancelled_at_the_provider_is_refused(client, tenants, alpha_sso):
    alpha, _ = tenants
    alpha_sso.sign_in("idp-user-1", alpha.emails["mentor"])
    answer = go_to_provider(client)
    response = come_back(client, {"state": answer["state"], "error": "access_denied"})
    assert response.status_code == 403
    assert "did not let you in" in response.text
    assert logged_in_as(client) is None


def test_a_wrong_nonce_is_refused(client, tenants, alpha_sso, owner_engine):
    alpha, _ = tenants
    alpha_sso.sign_in("idp-user-1", alpha.emails["mentor"])
    alpha_sso.tamper_nonce = True
    response = sso_login(client)
    assert response.status_code == 400
    assert "could not be verified" in response.text
    assert logged_in_as(client) is None
    assert identities(owner_engine) == []


def test_an_unverified_email_is_not_linked(client, tenants, alpha_sso, owner_engine):
    alpha, _ = tenants
    alpha_sso.sign_in("idp-user-1", alpha.emails["admin"], email_verified=False)
    response = sso_login(client)
    assert response.status_code == 403
    assert "has not confirmed your email address" in response.text
    assert logged_in_as(client) is None
    assert identities(owner_engine) == []


def test_an_email_without_a_membership_here_is_refused(client, tenants, alpha_sso, owner_engine):
    _, bravo = tenants
    for sub, email in (
        ("idp-stranger", "nobody@example.org"),
        ("idp-bravo-mentor", bravo.emails["mentor"]),  # a member of bravo, not of alpha
    ):
        alpha_sso.sign_in(sub, email)
        response = sso_login(client)
        assert response.status_code == 403
        assert "no account for this email address in this programme" in response.text
        assert "invitation" in response.text
        assert logged_in_as(client) is None
        assert logged_in_as(client, "bravo") is None
    assert identities(owner_engine) == []


def test_the_email_may_come_from_the_userinfo_endpoint(client, tenants, alpha_sso):
    alpha, _ = tenants
    alpha_sso.sign_in("idp-user-1", alpha.emails["mentee"])
    alpha_sso.email_in_id_token = False
    response = sso_login(client)
    assert response.status_code == 302
    assert "Mentee of alpha" in client.get("/alpha/").text


def test_client_secret_post_when_the_provider_takes_only_that(client, tenants, provider):
    alpha, _ = tenants
    app = client.application
    provider.auth_methods = ["client_secret_post"]
    provider.add_client(
        "mentornet-alpha", CLIENT_SECRET, callback_uri("alpha"), "client_secret_post"
    )
    configure(app, "alpha", provider.issuer, "mentornet-alpha", CLIENT_SECRET)
    provider.sign_in("idp-user-1", alpha.emails["mentor"])
    assert sso_login(client).status_code == 302
    token_request = provider.token_requests[-1]
    assert not token_request["basic_auth"]
    assert token_request["form"]["client_secret"] == CLIENT_SECRET


def test_a_wrong_secret_or_issuer_is_a_clear_message_not_a_crash(app, client, tenants, provider):
    alpha, _ = tenants
    provider.add_client("mentornet-alpha", CLIENT_SECRET, callback_uri("alpha"))
    provider.sign_in("idp-user-1", alpha.emails["mentor"])

    configure(app, "alpha", provider.issuer, "mentornet-alpha", "not-the-secret")
    response = sso_login(client)
    assert response.status_code == 502
    assert "not set up correctly" in response.text
    assert logged_in_as(client) is None

    # The discovery document names another issuer than the one configured.
    configure(app, "alpha", provider.issuer + "/", "mentornet-alpha", CLIENT_SECRET)
    response = client.get("/alpha/login/sso")
    assert response.status_code == 502
    assert "not set up correctly" in response.text


def test_a_provider_that_is_down_gets_a_clear_message(app, client, tenants):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    configure(app, "alpha", f"http://127.0.0.1:{port}", "mentornet-alpha", CLIENT_SECRET)
    response = client.get("/alpha/login/sso")
    assert response.status_code == 502
    assert "cannot be reached right now" in response.text
    assert 'name="password"' in response.text  # the password form is still there


def test_no_single_sign_on_where_it_is_not_set_up_or_off(app, client, tenants, alpha_sso):
    assert client.get("/bravo/login/sso").status_code == 404
    assert client.get("/bravo/login/sso/callback?code=x&state=y").status_code == 404
    assert "Log in with single sign-on" not in client.get("/bravo/login").text

    configure(app, "alpha", alpha_sso.issuer, "mentornet-alpha", "", enabled=False)
    assert client.get("/alpha/login/sso").status_code == 404
    assert "Log in with single sign-on" not in client.get("/alpha/login").text


def test_removing_the_provider_forgets_only_this_tenants_links(
    app, client, tenants, alpha_sso, owner_engine
):
    alpha, bravo = tenants
    alpha_sso.add_client("mentornet-bravo", "bravo-secret", callback_uri("bravo"))
    configure(app, "bravo", alpha_sso.issuer, "mentornet-bravo", "bravo-secret")
    alpha_sso.sign_in("idp-alpha-admin", alpha.emails["admin"])
    assert sso_login(client, "alpha").status_code == 302
    alpha_sso.sign_in("idp-bravo-admin", bravo.emails["admin"])
    assert sso_login(client, "bravo").status_code == 302
    assert len(identities(owner_engine)) == 2

    login(client, "alpha", alpha.emails["admin"])
    assert client.post("/alpha/settings/sso/remove").status_code == 302
    assert [row[0] for row in identities(owner_engine)] == [bravo.id]
    assert client.get("/alpha/login/sso").status_code == 404
    assert "Log in with single sign-on" in client.get("/bravo/login").text


# --- the admin's settings page ----------------------------------------------------------


def unsealed(client, stored: str) -> str:
    with client.application.app_context():
        return sealed.unseal(stored)


def test_a_secret_sealed_under_another_secret_key_is_a_clear_message(
    client, tenants, alpha_sso, owner_engine
):
    alpha, _ = tenants
    client.application.config["SECRET_KEY"] = "a-new-secret-key"  # rotated since it was saved
    alpha_sso.sign_in("idp-user-1", alpha.emails["mentor"])
    start = client.get("/alpha/login/sso?lang=en")
    assert start.status_code in (400, 502, 503)
    assert "single sign-on" in start.text.lower()
    assert logged_in_as(client) is None
    # The admin enters the secret again; the login works once more.
    login(client, "alpha", alpha.emails["admin"])
    with client.application.app_context(), with_tenant(tenant_by_slug("alpha")):
        sso.save_provider(alpha_sso.issuer, "mentornet-alpha", CLIENT_SECRET, True)
        db.session.commit()
    client.post("/alpha/logout")
    assert sso_login(client).status_code == 302


def test_admin_sets_up_the_provider_and_the_secret_is_never_shown(
    client, tenants, provider, owner_engine
):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    page = client.get("/alpha/settings/sso")
    assert page.status_code == 200
    assert callback_uri("alpha") in page.text  # what to register at the provider

    bad = client.post(
        "/alpha/settings/sso",
        data={"issuer": "http://login.example.org", "client_id": "", "client_secret": "s3cr3t-A"},
    )
    assert bad.status_code == 400
    assert 'id="issuer-error"' in bad.text and "https" in bad.text
    assert 'id="client_id-error"' in bad.text
    assert "s3cr3t-A" not in bad.text

    no_secret = client.post(
        "/alpha/settings/sso", data={"issuer": provider.issuer, "client_id": "mentornet"}
    )
    assert no_secret.status_code == 400
    assert 'id="client_secret-error"' in no_secret.text

    saved = client.post(
        "/alpha/settings/sso",
        data={
            "issuer": provider.issuer,
            "client_id": "mentornet",
            "client_secret": "s3cr3t-A",
            "enabled": "y",
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert "were saved" in saved.text
    assert provider.issuer in saved.text
    assert "s3cr3t-A" not in saved.text

    # Editing with the secret left blank keeps it.
    client.post(
        "/alpha/settings/sso",
        data={"issuer": provider.issuer, "client_id": "mentornet-2", "enabled": "y"},
    )
    with owner_engine.connect() as conn:
        row = conn.execute(
            text("SELECT client_id, client_secret, enabled FROM sso_providers")
        ).one()
    # Sealed at rest: the database alone does not give the secret away.
    assert (row[0], row[2]) == ("mentornet-2", True)
    assert row[1].startswith("fernet:") and "s3cr3t-A" not in row[1]
    assert unsealed(client, row[1]) == "s3cr3t-A"
    assert "s3cr3t-A" not in client.get("/alpha/settings/sso").text
    # A new secret replaces it.
    client.post(
        "/alpha/settings/sso",
        data={
            "issuer": provider.issuer,
            "client_id": "mentornet-2",
            "client_secret": "s3cr3t-B",
            "enabled": "y",
        },
    )
    with owner_engine.connect() as conn:
        stored = conn.execute(text("SELECT client_secret FROM sso_providers")).scalar()
    assert unsealed(client, stored) == "s3cr3t-B"

    # Switched off, then removed.
    client.post("/alpha/settings/sso", data={"issuer": provider.issuer, "client_id": "mentornet-2"})
    assert "Log in with single sign-on" not in client.get("/alpha/login").text
    removed = client.post("/alpha/settings/sso/remove", follow_redirects=True)
    assert "was removed" in removed.text
    with owner_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sso_providers")).scalar() == 0


def test_plain_http_is_refused_unless_allowed_for_this_machine(database, tenants, provider):
    app = make_app(database, SSO_ALLOW_HTTP_LOOPBACK=False)
    client = app.test_client()
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    response = client.post(
        "/alpha/settings/sso",
        data={"issuer": provider.issuer, "client_id": "mentornet", "client_secret": "x"},
    )
    assert response.status_code == 400
    assert 'id="issuer-error"' in response.text


def test_only_admins_reach_the_settings(client, tenants):
    alpha, _ = tenants
    assert client.get("/alpha/settings/sso").status_code == 302  # to the login page
    for role in ("coordinator", "mentor"):
        login(client, "alpha", alpha.emails[role])
        assert client.get("/alpha/settings/sso").status_code == 403
        assert client.post("/alpha/settings/sso", data={}).status_code == 403
        assert client.post("/alpha/settings/sso/remove").status_code == 403


def test_an_admin_cannot_see_or_change_another_tenants_provider(
    app, client, tenants, provider, owner_engine
):
    alpha, bravo = tenants
    configure(app, "bravo", provider.issuer, "bravo-client", "bravo-secret")
    login(client, "alpha", alpha.emails["admin"])
    assert client.get("/bravo/settings/sso").status_code == 404
    changed = client.post(
        "/bravo/settings/sso",
        data={"issuer": "https://evil.example.org", "client_id": "x", "client_secret": "y"},
    )
    assert changed.status_code == 404
    assert client.post("/bravo/settings/sso/remove").status_code == 404
    # Her own page shows nothing of bravo's provider.
    own = client.get("/alpha/settings/sso").text
    assert "bravo-client" not in own and provider.issuer not in own
    with owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT tenant_id, issuer, client_id, client_secret FROM sso_providers")
        ).all()
    assert [tuple(r[:3]) for r in rows] == [(bravo.id, provider.issuer, "bravo-client")]
    assert unsealed(client, rows[0][3]) == "bravo-secret"
