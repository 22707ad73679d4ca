"""Single sign-on through the tenant's OpenID Connect provider.

``/<tenant>/login/sso`` sends a member to the provider, ``/<tenant>/login/sso/callback``
brings her back, and ``/<tenant>/settings/sso`` is where the tenant admin sets it up.
The service in :mod:`mentornet.accounts.sso` does the work; these views parse and render.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from mentornet.accounts import services, sso
from mentornet.accounts.current import roles_required
from mentornet.accounts.forms import LoginForm, SsoProviderForm
from mentornet.accounts.views import _safe_next
from mentornet.extensions import db

bp = Blueprint("sso", __name__, url_prefix="/<tenant>")


@bp.app_template_global("sso_login_available")
def sso_login_available() -> bool:
    """Whether the login page offers single sign-on (the tenant has an enabled provider)."""
    return sso.enabled_provider() is not None


def _refused(error: sso.SsoError, next_path: str = ""):
    """The login page, with what went wrong above the password form."""
    db.session.rollback()
    form = LoginForm(formdata=None)
    form.next.data = next_path
    return render_template("accounts/login.html", form=form, sso_error=error.message), error.status


@bp.get("/login/sso")
def start():
    provider = sso.enabled_provider()
    if provider is None:
        abort(404)
    next_path = request.args.get("next", "")
    try:
        url = sso.begin_login(provider, next_path)
    except sso.SsoError as error:
        return _refused(error, next_path)
    return redirect(url)


@bp.get("/login/sso/callback")
def callback():
    provider = sso.enabled_provider()
    if provider is None:
        abort(404)
    try:
        result = sso.finish_login(provider, request.args)
    except sso.SsoError as error:
        return _refused(error)
    services.login(result.membership)
    return redirect(_safe_next(result.next_path))


def _settings_page(form: SsoProviderForm, status: int = 200):
    return render_template(
        "settings/sso.html",
        form=form,
        provider=sso.provider(),
        callback_url=sso.callback_url(),
    ), status


@bp.route("/settings/sso", methods=["GET", "POST"], endpoint="settings")
@roles_required("admin")
def settings():
    provider = sso.provider()
    data = {}
    if provider is not None:
        data = {
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "enabled": provider.enabled,
        }
    form = SsoProviderForm(data=data)
    if provider is not None:
        form.client_secret.description = _("Leave it blank to keep the secret saved before.")
    else:
        form.require_secret()
    if request.method == "GET":
        return _settings_page(form)
    if form.validate_on_submit():
        try:
            sso.save_provider(
                form.issuer.data or "",
                form.client_id.data or "",
                form.client_secret.data,
                bool(form.enabled.data),
            )
        except sso.SsoConfigError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The single sign-on settings were saved."), "info")
            return redirect(url_for("sso.settings"))
    return _settings_page(form, 400)


@bp.post("/settings/sso/remove")
@roles_required("admin")
def remove():
    if not sso.remove_provider():
        abort(404)
    db.session.commit()
    flash(_("Single sign-on was removed. Members log in with their passwords."), "info")
    return redirect(url_for("sso.settings"))
