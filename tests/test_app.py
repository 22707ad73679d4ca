"""The application factory, configuration, health endpoints and the package layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mentornet import create_app
from mentornet.settings import from_environment, normalise_database_url

ROOT = Path(__file__).resolve().parent.parent


def test_stdlib_platform_module_is_not_shadowed_from_repo_root():
    result = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.system())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() in {"Linux", "Darwin", "Windows"}


def test_sqlite_is_the_embedded_default(tmp_path):
    config = from_environment(str(tmp_path), environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/mentornet.db"
    assert config["REDIS_URL"] is None


def test_database_url_uses_psycopg3_with_pre_ping(tmp_path):
    config = from_environment(str(tmp_path), environ={"DATABASE_URL": "postgres://u@db/x"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert normalise_database_url("postgresql://h/d") == "postgresql+psycopg://h/d"


def test_session_cookie_is_secure_outside_debug(tmp_path):
    production = from_environment(str(tmp_path), environ={"SECRET_KEY": "x"})
    debug = from_environment(str(tmp_path), environ={"FLASK_DEBUG": "1"})
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert debug["SESSION_COOKIE_SECURE"] is False


def test_a_missing_secret_key_is_random_not_guessable(tmp_path):
    first = from_environment(str(tmp_path), environ={})["SECRET_KEY"]
    second = from_environment(str(tmp_path), environ={})["SECRET_KEY"]
    assert first != second and len(first) >= 32


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["checks"]["database"] == "ok"


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}},
        }
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "unreachable"


def test_unknown_tenant_is_a_404_page(client):
    response = client.get("/atlantis/")
    assert response.status_code == 404
    assert b"<html" in response.data
    assert client.get("/atlantis/api/v1/me").json["error"]["code"] == "not_found"


def test_flask_cli_reaches_the_same_commands():
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "mentornet", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for group in ("db", "tenants", "users", "tokens", "demo"):
        assert f"  {group} " in result.stdout


def test_readyz_reports_redis_when_configured(database, redis_url):
    from tests.conftest import make_app

    app = make_app(database, REDIS_URL=redis_url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}


def test_redis_down_is_reported_but_the_web_stays_ready(database):
    from tests.conftest import make_app

    app = make_app(database, REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["redis"] == "unreachable"


def test_favicon_is_not_mistaken_for_a_tenant(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response.headers["Location"]).status_code == 200
