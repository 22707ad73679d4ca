"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, redirect, url_for
from sqlalchemy import text

from mentornet.extensions import csrf, db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    """The process is up and answering; says nothing about its dependencies."""
    return {"status": "ok"}


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it before reading the page; without it the path looks like a tenant."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/readyz")
def readyz():
    """Ready for traffic when the database answers.

    Redis is reported but does not decide: the web keeps serving when it is down and
    the work it could not enqueue waits to be sent later.
    """
    checks: dict[str, str] = {}
    ready = True
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready"
        log.warning("readiness: database unreachable: %s", type(exc).__name__)
        db.session.rollback()
        checks["database"] = "unreachable"
        ready = False
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        from redis import Redis

        try:
            Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            log.warning("readiness: redis unreachable: %s", type(exc).__name__)
            checks["redis"] = "unreachable"
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return body, (200 if ready else 503)


csrf.exempt(bp)
