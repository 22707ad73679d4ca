"""A real OpenID Connect provider for the tests, built with Authlib's server side.

It stands for a tenant's identity provider, such as Microsoft Entra ID, Okta or a
Keycloak realm: a separate web service that Mentornet only knows by its issuer URL,
client id and secret, and talks to over HTTP. It is a small Flask app with
``authlib.integrations.flask_oauth2.AuthorizationServer``, the authorization code grant
with Authlib's OpenID Connect extension (``OpenIDCode``) and PKCE (``CodeChallenge``,
required), in-memory clients and codes, an RSA key published as a JWK set, a UserInfo
endpoint and a discovery document. It runs in a background thread under werkzeug's
``make_server`` on 127.0.0.1 with a random port.

There is no login screen: the provider signs in ``provider.user`` automatically, as a
provider does for someone who already has a session there. Test switches make it
misbehave the way a hostile or broken provider could:

- ``tamper_nonce``: the ID token carries another nonce than the one asked for;
- ``user["email_verified"] = False``: the provider vouches for the subject, not the email;
- ``email_in_id_token = False``: the email is only given by the UserInfo endpoint;
- ``auth_methods``: how clients may authenticate at the token endpoint (discovery).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.util import list_to_scope, scope_to_list
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    token_endpoint_auth_method: str = "client_secret_basic"
    scope: str = "openid email profile"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(self.scope.split())
        return list_to_scope([s for s in scope_to_list(scope or "") if s in allowed])

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(self.client_secret, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint != "token" or method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class LocalProvider:
    """The provider's state (clients, codes, tokens, the signed-in user) and its server."""

    def __init__(self) -> None:
        kid = f"test-{secrets.token_hex(4)}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig"})
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.user: dict[str, Any] = {}
        self.tamper_nonce = False
        self.email_in_id_token = True
        self.auth_methods = ["client_secret_basic", "client_secret_post"]
        self.token_requests: list[dict[str, Any]] = []
        self.app = self._build_app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> LocalProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def add_client(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        auth_method: str = "client_secret_basic",
    ) -> Client:
        client = Client(client_id, client_secret, [redirect_uri], auth_method)
        self.clients[client_id] = client
        return client

    def sign_in(self, sub: str, email: str, email_verified: bool = True, name: str = "") -> None:
        """Who the provider says is at the keyboard."""
        self.user = {
            "sub": sub,
            "email": email,
            "email_verified": email_verified,
            "name": name or email.split("@")[0],
        }

    # --- the Flask app ---------------------------------------------------------------

    def _build_app(self) -> Flask:
        provider = self
        app = Flask("local_oidc_provider")
        app.config["OAUTH2_SCOPES_SUPPORTED"] = ["openid", "email", "profile"]

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, req):
                data = req.payload.data
                provider.codes[code] = AuthorizationCode(
                    code=code,
                    client_id=req.client.client_id,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.scope,
                    user=dict(req.user),
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                if found is not None and found.client_id == client.client_id:
                    return found
                return None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        class OpenIDCodeExtension(OpenIDCode):
            def exists_nonce(self, nonce, req):
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": provider.key.kid}

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [client.get_client_id()]}

            def get_authorization_code_claims(self, authorization_code):
                claims = super().get_authorization_code_claims(authorization_code)
                if provider.tamper_nonce:
                    claims["nonce"] = "a-nonce-this-client-never-sent"
                return claims

            def generate_user_info(self, user, scope):
                info = UserInfo(sub=user["sub"])
                scopes = scope_to_list(scope)
                if "profile" in scopes:
                    info["name"] = user.get("name", "")
                if "email" in scopes and provider.email_in_id_token:
                    info["email"] = user["email"]
                    info["email_verified"] = user["email_verified"]
                return info

        def query_client(client_id):
            return provider.clients.get(client_id)

        def save_token(token, req):
            provider.access_tokens[token["access_token"]] = dict(req.user)

        server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
        server.register_grant(
            CodeGrant, [OpenIDCodeExtension(require_nonce=True), CodeChallenge(required=True)]
        )

        @app.get("/.well-known/openid-configuration")
        def discovery():
            base = provider.issuer
            return jsonify(
                issuer=base,
                authorization_endpoint=f"{base}/authorize",
                token_endpoint=f"{base}/token",
                userinfo_endpoint=f"{base}/userinfo",
                jwks_uri=f"{base}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                scopes_supported=["openid", "email", "profile"],
                token_endpoint_auth_methods_supported=provider.auth_methods,
                code_challenge_methods_supported=["S256"],
                claims_supported=[
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "nonce",
                    "email",
                    "email_verified",
                    "name",
                ],
            )

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[provider.key.as_dict(private=False)])

        @app.get("/authorize")
        def authorize():
            # No login screen: the configured test user is signed in and consents.
            grant = server.get_consent_grant(end_user=provider.user)
            return server.create_authorization_response(grant=grant, grant_user=provider.user)

        @app.post("/token")
        def token():
            provider.token_requests.append(
                {"basic_auth": request.authorization is not None, "form": request.form.to_dict()}
            )
            return server.create_token_response()

        @app.get("/userinfo")
        def userinfo():
            header = request.headers.get("Authorization", "")
            user = provider.access_tokens.get(header.removeprefix("Bearer "))
            if user is None:
                return jsonify(error="invalid_token"), 401
            return jsonify(
                sub=user["sub"], email=user["email"], email_verified=user["email_verified"]
            )

        return app
