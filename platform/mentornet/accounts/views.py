"""Logging in and out of one tenant, and choosing the interface language."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from mentornet.accounts import invitations, services
from mentornet.accounts.forms import AcceptInvitationForm, LanguageForm, LoginForm
from mentornet.extensions import db
from mentornet.i18n import allowed_locales, locale_name
from mentornet.tenancy.context import current_tenant

bp = Blueprint("accounts", __name__, url_prefix="/<tenant>")


@bp.before_app_request
def _load_member() -> None:
    services.load_session_member()


def _safe_next(target: str | None) -> str:
    """Only a path inside this tenant: never another site or another tenant."""
    home = url_for("home.index")
    if not target or not target.startswith(f"/{current_tenant.slug}/") or "//" in target:
        return home
    if "\\" in target:
        return home
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        membership = services.authenticate(form.email.data or "", form.password.data or "")
        if membership is not None:
            services.login(membership)
            return redirect(_safe_next(form.next.data))
        db.session.rollback()
        form.password.errors.append(_("The email or the password is not right."))
        return render_template("accounts/login.html", form=form), 401
    status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    services.logout()
    flash(_("You have logged out."), "info")
    return redirect(url_for("home.index"))


@bp.post("/language")
def choose_language():
    form = LanguageForm()
    form.locale.choices = [(c, locale_name(c)) for c in allowed_locales()]
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if g.get("user") is not None:
            g.user.locale = form.locale.data
            db.session.commit()
    return redirect(_safe_next(form.next.data))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = invitations.find(token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 404
    existing = invitations.existing_user(invitation)
    has_account = existing is not None and bool(existing.password_hash)
    form = AcceptInvitationForm()
    if has_account:
        form.name.validators = []
        form.confirm.validators = []
        form.password.validators = form.password.validators[:1]
    if form.validate_on_submit():
        try:
            membership = invitations.accept(invitation, form.name.data or "", form.password.data)
        except services.AccountError:
            db.session.rollback()
            form.password.errors.append(_("The email or the password is not right."))
        else:
            db.session.commit()
            services.login(membership)
            target = "people.me" if membership.role in ("mentor", "mentee") else "home.index"
            return redirect(url_for(target))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "accounts/invitation.html", form=form, invitation=invitation, has_account=has_account
    ), status
