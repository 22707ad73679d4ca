"""``/start`` for a new organisation, and its admin's getting-started checklist."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale

from mentornet.accounts import services as accounts
from mentornet.accounts.current import roles_required
from mentornet.extensions import db
from mentornet.i18n import locale_name
from mentornet.onboarding import checklist as checklist_steps
from mentornet.onboarding import presets
from mentornet.onboarding.forms import StartForm, country_choices
from mentornet.onboarding.limits import allow_start
from mentornet.onboarding.signup import Signup, SignupError, sign_up
from mentornet.tenancy.context import current_tenant, with_tenant
from mentornet.tenancy.navigation import settings_pages
from mentornet.tenancy.settings_schema import SUPPORTED_LOCALES

bp = Blueprint("onboarding", __name__)


def _preset_choices() -> tuple[list[presets.PresetChoice], list[tuple[str, str]]]:
    offered = presets.choices(current_app.config["PRESETS_PATH"])
    radio = [(p.key, p.name) for p in offered] + [(presets.BLANK, presets.BLANK)]
    return offered, radio


@bp.route("/start", methods=["GET", "POST"])
def start():
    offered, radio = _preset_choices()
    form = StartForm()
    form.country.choices = [("", ""), *country_choices()]
    form.preset.choices = radio
    if request.method == "GET":
        form.locale.data = str(get_locale() or "en")
        form.preset.data = form.preset.data or (offered[0].key if offered else presets.BLANK)
    if form.validate_on_submit():
        if not allow_start(request.remote_addr or "unknown"):
            return render_template(
                "onboarding/start.html",
                form=form,
                offered=offered,
                languages=[(code, locale_name(code)) for code in SUPPORTED_LOCALES],
                limited=True,
            ), 429
        data = Signup(
            organisation=form.organisation.data.strip(),
            country=form.country.data,
            slug=(form.slug.data or "").strip().lower(),
            admin_name=form.admin_name.data.strip(),
            email=form.email.data,
            password=form.password.data,
            preset=form.preset.data,
            locale=form.locale.data,
        )
        try:
            tenant, membership = sign_up(data, current_app.config["PRESETS_PATH"])
        except SignupError as exc:
            db.session.rollback()
            form[exc.field].errors.append(exc.message)
        except accounts.AccountError as exc:
            db.session.rollback()
            form.password.errors.append(exc.message)
        else:
            db.session.commit()
            with with_tenant(tenant):
                accounts.login(membership)
            return redirect(url_for("onboarding.checklist", tenant=data.slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "onboarding/start.html",
        form=form,
        offered=offered,
        languages=[(code, locale_name(code)) for code in SUPPORTED_LOCALES],
    ), status


@bp.get("/<tenant>/getting-started")
@roles_required("admin")
def checklist():
    steps = checklist_steps.steps(current_tenant)
    return render_template(
        "onboarding/checklist.html",
        steps=steps,
        join_link=url_for("people.join", _external=True),
        settings_endpoints={endpoint for endpoint, _label in settings_pages()},
    )


@bp.post("/<tenant>/getting-started/<step>")
@roles_required("admin")
def tick(step: str):
    try:
        checklist_steps.tick(current_tenant, step)
    except KeyError:
        abort(404)
    db.session.commit()
    return redirect(url_for("onboarding.checklist"))
