"""Single sign-on through a tenant's OpenID Connect provider (the service; no views).

A tenant admin registers Mentornet at her organisation's identity provider (Entra ID,
Google Workspace, Okta, Keycloak, ...) and saves its issuer, client id and secret here.
Members then log in with the authorization code flow (with PKCE): ``begin_login`` sends
them to the provider with a fresh state and nonce kept in the Flask session, and
``finish_login`` checks the state, exchanges the code, verifies the ID token (signature
against the provider's published keys, issuer, audience, expiry, nonce) and links the
provider's account to a member of this tenant.

Linking is by the provider's subject once known, and the first time only by an email
address the provider says it verified, belonging to someone who already has a
membership here. Single sign-on creates no accounts: people join through invitations.

Authlib builds the authorization URL and performs the token request; joserfc (Authlib's
JOSE library) verifies the ID token; Authlib's ``CodeIDToken`` checks its claims.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from flask import current_app, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from mentornet.accounts import sealed, services
from mentornet.accounts.models import Membership, SsoIdentity, SsoProvider, User
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.tenancy.context import bound_tenant_id

log = logging.getLogger(__name__)

SCOPE = "openid email profile"
SESSION_KEY = "sso_login"
# How long a started login may take at the provider before its state is refused.
LOGIN_TIMEOUT_SECONDS = 600
# Leeway for the clocks of Mentornet and the provider when checking exp/iat.
CLOCK_LEEWAY_SECONDS = 60
# Asymmetric signatures only: never "none", and no HMAC keyed with the client secret.
ID_TOKEN_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
_LOOPBACK_NAMES = ("localhost",)
# Authorization errors that mean the person (not the set-up) was refused.
_USER_REFUSALS = frozenset(
    {"access_denied", "login_required", "interaction_required", "consent_required"}
)


class SsoError(Exception):
    """A login or a configuration the single sign-on refuses: a code and a message.

    ``code`` is for logs and tests; ``message`` is translated, for the person in front
    of the screen; ``status`` is the HTTP status the view answers with.
    """

    def __init__(self, code: str, message: str | None = None, status: int | None = None):
        default_status, default_message = _errors().get(code, (400, None))
        self.code = code
        self.status = status or default_status
        self.message = message or default_message or _("The single sign-on did not work.")
        super().__init__(f"{code}: {self.message}")


def _errors() -> dict[str, tuple[int, str]]:
    not_verified = _(
        "The answer of the sign-in service could not be verified, so you were not logged in. "
        "Please try again."
    )
    return {
        "state_mismatch": (
            400,
            _(
                "This answer from the sign-in service does not belong to a login started "
                "here, so you were not logged in. Please try again."
            ),
        ),
        "expired": (400, _("The single sign-on took too long. Please try again.")),
        "login_failed": (
            400,
            _("The sign-in service did not complete the login. Please try again."),
        ),
        "provider_refused": (403, _("The sign-in service did not let you in.")),
        "invalid_token": (400, not_verified),
        "nonce_mismatch": (400, not_verified),
        "email_not_verified": (
            403,
            _(
                "Your sign-in service has not confirmed your email address, so it cannot be "
                "linked to an account here."
            ),
        ),
        "no_account": (
            403,
            _(
                "There is no account for this email address in this programme. Ask its "
                "coordinators for an invitation."
            ),
        ),
        "provider_unavailable": (
            502,
            _(
                "The sign-in service of your organisation cannot be reached right now. "
                "Please try again later, or log in with your password."
            ),
        ),
        "provider_misconfigured": (
            502,
            _(
                "Single sign-on is not set up correctly for this programme. Please tell its "
                "administrator, and log in with your password meanwhile."
            ),
        ),
    }


class SsoConfigError(ValueError):
    """A provider configuration the admin must correct; ``field`` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- configuration ---------------------------------------------------------------------


def provider() -> SsoProvider | None:
    """The bound tenant's provider, enabled or not."""
    return db.session.scalar(select(SsoProvider))


def enabled_provider() -> SsoProvider | None:
    """The bound tenant's provider if its members may use it now."""
    if bound_tenant_id() is None:
        return None
    found = provider()
    return found if found is not None and found.enabled else None


def _loopback_http_allowed() -> bool:
    """Plain http to this machine: for tests and a provider run on a developer's laptop.

    Off in production unless SSO_ALLOW_HTTP_LOOPBACK says otherwise, so an admin cannot
    point the server at services listening on its own loopback interface.
    """
    app = current_app
    return bool(app.config.get("SSO_ALLOW_HTTP_LOOPBACK", app.debug or app.testing))


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_allowed(url: str) -> bool:
    """An https URL with a host, or http to the loopback interface where that is allowed."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises ValueError on a malformed port)
    except ValueError:
        return False
    if not host or parts.username or parts.password:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and _is_loopback(host) and _loopback_http_allowed()


def check_issuer(issuer: str) -> str:
    """The issuer as it will be compared with the provider's own, or SsoConfigError."""
    value = (issuer or "").strip()
    if not value:
        raise SsoConfigError("issuer", _("Please enter the issuer URL of your provider."))
    if len(value) > 500:
        raise SsoConfigError("issuer", _("The issuer URL is too long."))
    if not url_allowed(value) or urlsplit(value).query or urlsplit(value).fragment:
        raise SsoConfigError(
            "issuer",
            _("The issuer must be an https address, such as https://login.example.org/."),
        )
    return value


def save_provider(
    issuer: str, client_id: str, client_secret: str | None, enabled: bool
) -> SsoProvider:
    """Create or change the bound tenant's provider. A blank secret keeps the saved one."""
    issuer = check_issuer(issuer)
    client_id = (client_id or "").strip()
    if not client_id:
        raise SsoConfigError("client_id", _("Please enter the client ID."))
    if len(client_id) > 255:
        raise SsoConfigError("client_id", _("The client ID is too long."))
    secret = (client_secret or "").strip()
    if len(secret) > 500:
        raise SsoConfigError("client_secret", _("The client secret is too long."))
    found = provider()
    if found is None:
        if not secret:
            raise SsoConfigError("client_secret", _("Please enter the client secret."))
        found = SsoProvider(issuer=issuer, client_id=client_id, client_secret=sealed.seal(secret))
        db.session.add(found)
    else:
        forget_metadata(found.issuer)
        found.issuer = issuer
        found.client_id = client_id
        if secret:
            found.client_secret = sealed.seal(secret)
    found.enabled = bool(enabled)
    db.session.flush()
    log.info("sso provider %s saved for tenant %s", found.id, found.tenant_id)
    return found


def remove_provider() -> bool:
    """Forget the bound tenant's provider and the accounts linked through it."""
    found = provider()
    if found is None:
        return False
    db.session.execute(delete(SsoIdentity).where(SsoIdentity.issuer == found.issuer))
    forget_metadata(found.issuer)
    log.info("sso provider %s removed from tenant %s", found.id, found.tenant_id)
    db.session.delete(found)
    db.session.flush()
    return True


# --- the provider's published metadata -------------------------------------------------

_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_cache_lock = threading.Lock()


def _timeout() -> tuple[float, float]:
    seconds = float(current_app.config.get("SSO_HTTP_TIMEOUT", 10))
    return (min(seconds, 5.0), seconds)


def _cache_seconds() -> float:
    return float(current_app.config.get("SSO_METADATA_CACHE_SECONDS", 300))


def forget_metadata(issuer: str) -> None:
    with _cache_lock:
        for key in [k for k in _cache if k.startswith(f"{issuer}\n")]:
            del _cache[key]


def _get_json(url: str, issuer: str, what: str, force: bool = False) -> dict[str, Any]:
    """A JSON document of the provider, cached briefly; SsoError when it cannot be had."""
    key = f"{issuer}\n{url}"
    now = time.monotonic()
    if not force:
        with _cache_lock:
            cached = _cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
    try:
        response = requests.get(
            url, timeout=_timeout(), allow_redirects=False, headers={"Accept": "application/json"}
        )
    except requests.RequestException as exc:
        log.warning(
            "sso %s unreachable (%s) for tenant %s", what, type(exc).__name__, bound_tenant_id()
        )
        raise SsoError("provider_unavailable") from None
    if response.status_code >= 500 or response.status_code in (408, 429):
        log.warning(
            "sso %s answered %s for tenant %s", what, response.status_code, bound_tenant_id()
        )
        raise SsoError("provider_unavailable")
    try:
        document = response.json() if response.status_code == 200 else None
    except ValueError:
        document = None
    if not isinstance(document, dict):
        log.warning(
            "sso %s answered %s without a JSON object for tenant %s",
            what,
            response.status_code,
            bound_tenant_id(),
        )
        raise SsoError("provider_misconfigured")
    with _cache_lock:
        if len(_cache) > 1000:
            _cache.clear()
        _cache[key] = (now + _cache_seconds(), document)
    return document


def discover(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, checked: same issuer, usable endpoints."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    metadata = _get_json(url, issuer, "discovery")
    if metadata.get("issuer") != issuer:
        log.warning(
            "sso discovery issuer differs from the configured one for tenant %s", bound_tenant_id()
        )
        forget_metadata(issuer)
        raise SsoError("provider_misconfigured")
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = metadata.get(name)
        if not isinstance(value, str) or not url_allowed(value):
            log.warning("sso discovery lacks a usable %s for tenant %s", name, bound_tenant_id())
            forget_metadata(issuer)
            raise SsoError("provider_misconfigured")
    return metadata


def _key_set(metadata: dict[str, Any], force: bool = False) -> KeySet:
    document = _get_json(metadata["jwks_uri"], metadata["issuer"], "jwks", force=force)
    try:
        return KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        log.warning("sso jwks unreadable for tenant %s", bound_tenant_id())
        raise SsoError("provider_misconfigured") from None


def _token_auth_method(metadata: dict[str, Any]) -> str:
    """client_secret_basic unless the provider only takes client_secret_post."""
    supported = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    for method in ("client_secret_basic", "client_secret_post"):
        if method in supported:
            return method
    log.warning(
        "sso provider takes no client secret at its token endpoint, tenant %s", bound_tenant_id()
    )
    raise SsoError("provider_misconfigured")


def callback_url() -> str:
    """The redirect URI to register at the provider (absolute, for this tenant)."""
    return url_for("sso.callback", _external=True)


# --- the login -------------------------------------------------------------------------


def _client_secret(found: SsoProvider) -> str:
    try:
        return sealed.unseal(found.client_secret)
    except sealed.SealBroken:
        # SECRET_KEY changed since the admin saved it: she must enter the secret again.
        log.warning("sso provider %s: its secret cannot be unsealed", found.id)
        raise SsoError("provider_misconfigured") from None


def _client(found: SsoProvider, metadata: dict[str, Any], redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=found.client_id,
        client_secret=_client_secret(found),
        token_endpoint_auth_method=_token_auth_method(metadata),
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=_timeout(),
    )


def begin_login(found: SsoProvider, next_path: str = "") -> str:
    """The provider's authorization URL; the state, nonce and PKCE verifier stay here."""
    metadata = discover(found.issuer)
    redirect_uri = callback_url()
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(48)
    locale = get_locale()
    extra = {"ui_locales": str(locale).replace("_", "-")} if locale is not None else {}
    with _client(found, metadata, redirect_uri) as client:
        url, _state = client.create_authorization_url(
            metadata["authorization_endpoint"],
            state=state,
            code_verifier=verifier,
            nonce=nonce,
            **extra,
        )
    session[SESSION_KEY] = {
        "tenant_id": found.tenant_id,
        "issuer": found.issuer,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "next": next_path[:500],
        "started": int(time.time()),
    }
    log.info("sso login started for tenant %s", found.tenant_id)
    return url


def _same(expected: object, given: object) -> bool:
    """Constant-time equality of two strings (any text, not only ASCII)."""
    if not isinstance(expected, str) or not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "error", "") or type(exc).__name__)


@dataclass(frozen=True)
class SsoLogin:
    membership: Membership
    next_path: str


def finish_login(found: SsoProvider, args: Any) -> SsoLogin:
    """Check the provider's answer (``request.args``) and find the member it is for.

    The started login is taken out of the session first, so a state works once.
    Raises SsoError; the caller logs the member in with ``services.login``.
    """
    started = session.pop(SESSION_KEY, None)
    state = args.get("state") or ""
    if (
        not isinstance(started, dict)
        or not state
        or not _same(started.get("state"), state)
        or started.get("tenant_id") != found.tenant_id
        or started.get("issuer") != found.issuer
    ):
        log.warning("sso callback with a wrong or missing state for tenant %s", found.tenant_id)
        raise SsoError("state_mismatch")
    if time.time() - float(started.get("started", 0)) > LOGIN_TIMEOUT_SECONDS:
        raise SsoError("expired")
    error = str(args.get("error") or "")
    if error:
        # The error code comes from the query string: log it only if it looks like one.
        shown = error if error.isascii() and error.replace("_", "").isalnum() else "other"
        log.info("sso provider answered %s for tenant %s", shown[:40], found.tenant_id)
        if error in _USER_REFUSALS:
            raise SsoError("provider_refused")
        if error in ("server_error", "temporarily_unavailable"):
            raise SsoError("provider_unavailable")
        raise SsoError("provider_misconfigured")
    code = args.get("code")
    if not code:
        raise SsoError("login_failed")

    metadata = discover(found.issuer)
    token = _exchange_code(found, metadata, started, code)
    claims = _verify_id_token(found, metadata, token, started["nonce"])
    membership = _link(found, claims)
    return SsoLogin(membership=membership, next_path=str(started.get("next") or ""))


def _exchange_code(
    found: SsoProvider, metadata: dict[str, Any], started: dict[str, Any], code: str
) -> dict[str, Any]:
    try:
        with _client(found, metadata, started["redirect_uri"]) as client:
            token = client.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=started["verifier"],
                allow_redirects=False,
            )
    except requests.RequestException as exc:
        log.warning(
            "sso token endpoint failed (%s) for tenant %s", type(exc).__name__, found.tenant_id
        )
        raise SsoError("provider_unavailable") from None
    except AuthlibBaseError as exc:
        error = getattr(exc, "error", "")
        log.warning("sso token endpoint refused (%s) for tenant %s", error, found.tenant_id)
        if error in ("invalid_client", "unauthorized_client"):
            raise SsoError("provider_misconfigured") from None
        raise SsoError("login_failed") from None
    except ValueError:
        log.warning("sso token endpoint answered no JSON for tenant %s", found.tenant_id)
        raise SsoError("provider_misconfigured") from None
    if not isinstance(token.get("id_token"), str):
        log.warning("sso token response has no id_token for tenant %s", found.tenant_id)
        raise SsoError("provider_misconfigured")
    return dict(token)


def _verify_id_token(
    found: SsoProvider, metadata: dict[str, Any], token: dict[str, Any], nonce: str
) -> dict[str, Any]:
    """The ID token's claims, once its signature and claims are right; else SsoError."""
    raw = token["id_token"]
    try:
        try:
            decoded = jwt.decode(raw, _key_set(metadata), algorithms=ID_TOKEN_ALGORITHMS)
        except InvalidKeyIdError:
            # The provider may have rotated its keys since they were cached.
            decoded = jwt.decode(
                raw, _key_set(metadata, force=True), algorithms=ID_TOKEN_ALGORITHMS
            )
    except (JoseError, ValueError, TypeError) as exc:
        log.warning("sso id_token refused (%s) for tenant %s", _reason(exc), found.tenant_id)
        raise SsoError("invalid_token") from None
    claims_data = decoded.claims
    if not _same(claims_data.get("nonce"), nonce):
        log.warning("sso id_token with a wrong nonce for tenant %s", found.tenant_id)
        raise SsoError("nonce_mismatch")
    claims = CodeIDToken(
        claims_data,
        decoded.header,
        options={
            "iss": {"essential": True, "value": found.issuer},
            "aud": {"essential": True, "value": found.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
        },
        params={
            "nonce": nonce,
            "client_id": found.client_id,
            "access_token": token.get("access_token"),
        },
    )
    try:
        claims.validate(leeway=CLOCK_LEEWAY_SECONDS)
    except (JoseError, ValueError, TypeError) as exc:
        log.warning("sso id_token claims refused (%s) for tenant %s", _reason(exc), found.tenant_id)
        raise SsoError("invalid_token") from None
    result = dict(claims)
    if "email" not in result and token.get("access_token") and metadata.get("userinfo_endpoint"):
        result.update(_userinfo(found, metadata, token["access_token"], result["sub"]))
    return result


def _userinfo(
    found: SsoProvider, metadata: dict[str, Any], access_token: str, subject: str
) -> dict[str, Any]:
    """email and email_verified from the UserInfo endpoint, for providers whose ID
    tokens carry only the subject. Its ``sub`` must be the ID token's."""
    url = metadata["userinfo_endpoint"]
    if not isinstance(url, str) or not url_allowed(url):
        return {}
    try:
        response = requests.get(
            url,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=_timeout(),
            allow_redirects=False,
        )
        data = response.json() if response.status_code == 200 else None
    except requests.RequestException:
        log.warning("sso userinfo unreachable for tenant %s", found.tenant_id)
        raise SsoError("provider_unavailable") from None
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("sub") != subject:
        log.warning("sso userinfo unusable for tenant %s", found.tenant_id)
        return {}
    return {k: data[k] for k in ("email", "email_verified") if k in data}


def _member(user_id: int) -> Membership | None:
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user_id))
    if membership is None or not membership.user.is_active:
        return None
    return membership


def _link(found: SsoProvider, claims: dict[str, Any]) -> Membership:
    """The member this provider account is: by its subject, else by verified email."""
    subject = str(claims["sub"])
    if len(subject) > 255:
        raise SsoError("invalid_token")
    identity = db.session.scalar(
        select(SsoIdentity).where(
            SsoIdentity.issuer == found.issuer, SsoIdentity.subject == subject
        )
    )
    if identity is not None:
        membership = _member(identity.user_id)
        if membership is None:
            log.info(
                "sso identity %s has no active member in tenant %s", identity.id, found.tenant_id
            )
            raise SsoError("no_account")
        identity.last_login_at = utcnow()
        return membership

    if claims.get("email_verified") is not True:
        log.info("sso login refused in tenant %s: email not verified", found.tenant_id)
        raise SsoError("email_not_verified")
    email = claims.get("email")
    user: User | None = services.user_by_email(email) if isinstance(email, str) else None
    membership = _member(user.id) if user is not None else None
    if membership is None:
        log.info("sso login refused in tenant %s: no member with that email", found.tenant_id)
        raise SsoError("no_account")
    try:
        with db.session.begin_nested():
            db.session.add(
                SsoIdentity(
                    user_id=membership.user_id,
                    issuer=found.issuer,
                    subject=subject,
                    last_login_at=utcnow(),
                )
            )
    except IntegrityError:
        # The same account logged in twice at once: the other request linked it.
        log.info("sso identity for user %s linked concurrently", membership.user_id)
    else:
        log.info("sso identity linked to user %s in tenant %s", membership.user_id, found.tenant_id)
    return membership
