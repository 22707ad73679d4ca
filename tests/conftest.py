"""Test harness: SQLite by default; PostgreSQL when TEST_DATABASE_URL is set.

On PostgreSQL the schema is built by the migrations as the owner (TEST_DATABASE_URL), and
the application connects as a separate role that neither owns the tables nor bypasses
row-level security, as in production. ``--require-services`` (or
MENTORNET_REQUIRE_SERVICES=1) turns a missing PostgreSQL or Redis into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from mentornet import create_app
from mentornet.accounts import passwords
from tests.factories import TenantWorld, make_tenant

APP_ROLE = "mentornet_test_app"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--require-services",
        action="store_true",
        default=os.environ.get("MENTORNET_REQUIRE_SERVICES") == "1",
        help="fail instead of skipping when PostgreSQL or Redis is not available",
    )


def pytest_report_header(config: pytest.Config) -> list[str]:
    db_url = os.environ.get("TEST_DATABASE_URL")
    return [
        f"mentornet database: {'PostgreSQL' if db_url else 'SQLite'}; "
        f"redis: {'yes' if os.environ.get('TEST_REDIS_URL') else 'no'}; "
        f"require services: {config.getoption('--require-services')}"
    ]


def missing_service(config: pytest.Config, message: str) -> None:
    if config.getoption("--require-services"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, with test-sized costs so a suite of logins stays quick."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def _migrate(url: str, tmp_dir: str) -> None:
    """Build the schema the way production does: `mentornet db upgrade`."""
    import flask_migrate

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    app.instance_path = tmp_dir
    with app.app_context():
        flask_migrate.upgrade()


def _grant_app_role(owner: Engine) -> None:
    with owner.begin() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE})
        if not exists:
            conn.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
        dbname = conn.scalar(text("SELECT current_database()"))
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{dbname}" TO {APP_ROLE}'))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}"))
        conn.execute(
            text(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
            )
        )
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}"))


@pytest.fixture(scope="session")
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """(app URL, owner engine): a database built once per run by the migrations."""
    tmp_dir = str(tmp_path_factory.mktemp("instance"))
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if pg_url:
        from mentornet.settings import normalise_database_url

        owner_url = normalise_database_url(pg_url)
        owner = create_engine(owner_url)
        try:
            with owner.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            missing_service(request.config, f"PostgreSQL at TEST_DATABASE_URL unreachable: {exc}")
        with owner.begin() as conn:  # a clean schema for this run
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        _migrate(owner_url, tmp_dir)
        _grant_app_role(owner)
        app_url = make_url(owner_url).set(username=APP_ROLE, password=None)
        yield app_url.render_as_string(hide_password=False), owner
        owner.dispose()
        return
    if request.config.getoption("--require-services"):
        pytest.fail("--require-services is set but TEST_DATABASE_URL is not", pytrace=False)
    url = f"sqlite:///{tmp_dir}/test.db"
    _migrate(url, tmp_dir)
    owner = create_engine(url)
    yield url, owner
    owner.dispose()


def _empty_tables(owner: Engine) -> None:
    from mentornet.extensions import db

    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with owner.begin() as conn:
        if owner.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


def make_app(database, **overrides) -> Flask:
    url, _owner = database
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "TENANT_HOST_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(database) -> Iterator[Flask]:
    application = make_app(database)
    yield application
    with application.app_context():
        from mentornet.extensions import db

        db.session.remove()
        db.engine.dispose()
    _empty_tables(database[1])


@pytest.fixture
def owner_engine(database) -> Engine:
    """The table owner's connection, to look at rows behind the application's back."""
    return database[1]


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def queued(app: Flask, redis_url: str) -> Iterator[Flask]:
    """The app in Redis mode over an emptied Redis, retrying failed jobs without waiting."""
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
    app.config.update(REDIS_URL=redis_url, JOBS_RETRY_INTERVALS=(0,))
    yield app
    Redis.from_url(redis_url).flushdb()


def work(app: Flask) -> None:
    """A real rq worker (rq's SimpleWorker) in this process, in burst mode: it runs what
    waits on every queue, then returns."""
    from rq import SimpleWorker

    from mentornet.jobs.queues import QUEUES, connection, queue

    with app.app_context():
        conn = connection()
        SimpleWorker([queue(name, conn) for name in QUEUES], connection=conn).work(burst=True)


@pytest.fixture
def english(client) -> None:
    """The client has chosen English with the language switcher (tenant alpha speaks Danish
    first), so a test can read the messages in the source language."""
    with client.session_transaction() as sess:
        sess["locale"] = "en"


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def tenants(app: Flask) -> tuple[TenantWorld, TenantWorld]:
    """Two tenants, A and B, each with an admin, a coordinator, a mentor and a mentee."""
    with app.app_context():
        return make_tenant("alpha"), make_tenant("bravo", locales=("en", "ar"))


def login(client, slug: str, email: str, password: str | None = None):
    from tests.factories import PASSWORD

    return client.post(f"/{slug}/login", data={"email": email, "password": password or PASSWORD})


@pytest.fixture
def redis_url(request: pytest.FixtureRequest) -> str:
    """A reachable Redis (TEST_REDIS_URL), or a skip/failure as --require-services says."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        missing_service(request.config, "TEST_REDIS_URL is not set")
    from redis import Redis

    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        missing_service(request.config, f"Redis at TEST_REDIS_URL unreachable: {exc}")
    return url


@pytest.fixture
def smtp_sink(app: Flask):
    """A local SMTP server (tests/smtp_sink.py) standing in for the real one; the app
    sends to it, with links in mails built on https://mentors.example.org."""
    from tests.smtp_sink import SmtpSink

    with SmtpSink() as sink:
        app.config.update(
            MAIL_SERVER=sink.controller.hostname,
            MAIL_PORT=sink.port,
            MAIL_DEFAULT_SENDER="Mentornet <noreply@mentors.example.org>",
            MENTORNET_BASE_URL="https://mentors.example.org",
        )
        yield sink
