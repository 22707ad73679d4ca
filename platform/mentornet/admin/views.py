"""``/admin``: the operator logs in and sees tenants, plans and usage counts, and the
jobs that failed or wait.

The operator's login is separate from tenant logins (its own session key), and the pages
show no participant's or member's personal data: names of organisations, numbers, and of
jobs only their ids, task names and error classes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from redis.exceptions import RedisError
from sqlalchemy import select

from mentornet.accounts.forms import LoginForm
from mentornet.accounts.models import User
from mentornet.accounts.passwords import verify_password
from mentornet.accounts.services import user_by_email
from mentornet.admin.usage import tenants_with_usage
from mentornet.billing.plans import plan_by_key
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.jobs import failures, queues
from mentornet.jobs.enqueue import flush
from mentornet.tenancy.models import Tenant

bp = Blueprint("admin", __name__, url_prefix="/admin")

SESSION_KEY = "operator_id"


def current_operator() -> User | None:
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_operator or not user.is_active:
        return None
    return user


def operator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone but a logged-in operator is sent to the operator's login."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_operator() is None:
            return redirect(url_for("admin.login"))
        return view(*args, **kwargs)

    return wrapper


def authenticate_operator(email: str, password: str) -> User | None:
    """The operator with these credentials; the same hashing work whoever asks."""
    user = user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.is_operator or not user.is_active:
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate_operator(form.email.data or "", form.password.data or "")
        if user is not None:
            session.clear()
            session[SESSION_KEY] = user.id
            session.permanent = True
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect(url_for("admin.tenants"))
        form.password.errors.append(_("The email or the password is not right."))
        return render_template("admin/login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("admin/login.html", form=form), status


@bp.post("/logout")
def logout():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("admin.login"))


@bp.get("/")
@operator_required
def tenants():
    rows = tenants_with_usage()
    return render_template(
        "admin/tenants.html", tenants=rows, operator=current_operator(), plan_label=plan_label
    )


def plan_label(key: str) -> str:
    return str(plan_by_key(key).name)


def _tenant_slugs(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Tenant.id, Tenant.slug).where(Tenant.id.in_(ids))).all())


@bp.get("/jobs")
@operator_required
def jobs():
    """Failed jobs with a Retry button (Redis mode), and the jobs kept in pending_jobs."""
    redis_mode = bool(queues.redis_url())
    failed: list[failures.FailedJob] = []
    redis_down = False
    if redis_mode:
        try:
            failed = failures.failed_jobs()
        except RedisError:
            redis_down = True
    pending = failures.pending_jobs()
    ids = {j.tenant_id for j in failed if isinstance(j.tenant_id, int)}
    ids |= {p.tenant_id for p in pending if p.tenant_id is not None}
    return render_template(
        "admin/jobs.html",
        redis_mode=redis_mode,
        redis_down=redis_down,
        failed=failed,
        pending=pending,
        pending_total=failures.pending_count(),
        slugs=_tenant_slugs(ids),
        operator=current_operator(),
    )


@bp.post("/jobs/<job_id>/retry")
@operator_required
def retry_job(job_id: str):
    if not queues.redis_url() or not failures.JOB_ID.fullmatch(job_id):
        abort(404)
    try:
        name = failures.retry(job_id)
    except RedisError:
        flash(_("The job queue cannot be reached right now; try again in a moment."), "error")
        return redirect(url_for("admin.jobs")), 303
    if name is None:
        flash(_("This job is no longer in the failed list."), "error")
    else:
        flash(_("Job %(id)s is back on the queue %(queue)s.", id=job_id, queue=name), "info")
    return redirect(url_for("admin.jobs")), 303


@bp.post("/jobs/flush")
@operator_required
def flush_jobs():
    """Send the jobs kept in pending_jobs now (what the worker does every ten minutes)."""
    report = flush()
    flash(
        _(
            "Pending jobs: %(sent)s sent, %(failed)s failed, %(waiting)s still waiting.",
            sent=report.sent,
            failed=report.failed,
            waiting=report.waiting,
        ),
        "error" if report.failed else "info",
    )
    return redirect(url_for("admin.jobs")), 303
