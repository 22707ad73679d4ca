"""``/admin``: the operator logs in and sees tenants, plans and usage counts.

The operator's login is separate from tenant logins (its own session key), and the pages
show no participant's or member's personal data: names of organisations and numbers only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from mentornet.accounts.forms import LoginForm
from mentornet.accounts.models import User
from mentornet.accounts.passwords import verify_password
from mentornet.accounts.services import user_by_email
from mentornet.admin.usage import tenants_with_usage
from mentornet.billing.plans import plan_by_key
from mentornet.dbtypes import utcnow
from mentornet.extensions import db

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
