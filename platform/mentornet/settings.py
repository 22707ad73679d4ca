"""Configuration read from the environment, with embedded defaults for a laptop.

Production sets DATABASE_URL (PostgreSQL), REDIS_URL, SECRET_KEY, STRIPE_* and MAIL_*;
without them Mentornet runs on SQLite with inline jobs, which is what the demo uses.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mentornet.tenancy.settings_schema import SUPPORTED_LOCALES

# ``tenants/`` beside ``platform/`` in a checkout, and in the container image.
DEFAULT_PRESETS_PATH = Path(__file__).resolve().parents[2] / "tenants"


def normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at psycopg 3, the driver Mentornet ships with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(database_url: str) -> dict[str, Any]:
    """Pre-ping pooled server connections (they die behind load balancers); wait on locks."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True}


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(
    instance_path: str, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Build the Flask config mapping from environment variables."""
    env = os.environ if environ is None else environ
    debug = _flag(env.get("FLASK_DEBUG")) or _flag(env.get("MENTORNET_DEBUG"))
    default_db = "sqlite:///" + str(Path(instance_path) / "mentornet.db")
    database_url = normalise_database_url(env.get("DATABASE_URL") or default_db)
    secret_key = env.get("SECRET_KEY")
    if not secret_key:
        # A random key per process is safe (sessions simply end on restart) and keeps a
        # forgotten SECRET_KEY from turning into a guessable one.
        secret_key = secrets.token_hex(32)
    return {
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "MIGRATIONS_DATABASE_URL": normalise_database_url(env.get("MIGRATIONS_DATABASE_URL", ""))
        or None,
        "REDIS_URL": env.get("REDIS_URL") or None,
        "SESSION_COOKIE_NAME": "mentornet_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), default=not debug),
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESSION_LIFETIME_SECONDS", 8 * 3600)),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": env.get("MENTORNET_TIMEZONE", "UTC"),
        "SUPPORTED_LOCALES": SUPPORTED_LOCALES,
        # The presets a new organisation can start from at /start.
        "PRESETS_PATH": env.get("MENTORNET_PRESETS_PATH") or str(DEFAULT_PRESETS_PATH),
        "STRIPE_SECRET_KEY": env.get("STRIPE_SECRET_KEY") or None,
        "STRIPE_WEBHOOK_SECRET": env.get("STRIPE_WEBHOOK_SECRET") or None,
        # Stripe price ids of the paid plans (billing/plans.py); a plan without one is not sold.
        "STRIPE_PRICE_PROGRAMME": env.get("STRIPE_PRICE_PROGRAMME") or None,
        "STRIPE_PRICE_NETWORK": env.get("STRIPE_PRICE_NETWORK") or None,
        # Days a programme with an overdue payment keeps working before it becomes read-only.
        "BILLING_GRACE_DAYS": int(env.get("BILLING_GRACE_DAYS", 14)),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", 25)),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "mentornet@localhost"),
        # STARTTLS on a plain connection (port 587), or TLS from the start (port 465).
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL")),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", 10)),
        # Where links in mails point: jobs have no request to take the address from.
        "MENTORNET_BASE_URL": env.get("MENTORNET_BASE_URL") or None,
        "TENANT_HOST_CACHE_SECONDS": int(env.get("TENANT_HOST_CACHE_SECONDS", 60)),
        # Reverse proxies in front of the app (an ingress: 1). Their X-Forwarded-For and
        # -Proto are believed, so sign-up limits count the visitor, not the proxy.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", 0)),
        # When `mentornet jobs cron` starts the daily reminders and the nightly retention
        # and billing sweep: cron expressions, read in UTC.
        "JOBS_DAILY_CRON": env.get("JOBS_DAILY_CRON") or "0 6 * * *",
        "JOBS_NIGHTLY_CRON": env.get("JOBS_NIGHTLY_CRON") or "30 2 * * *",
    }
