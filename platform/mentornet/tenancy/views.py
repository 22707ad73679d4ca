"""The tenant admin's settings pages: programme, offices, cycle and privacy here; intake,
matching, the TOML page and the history in the modules imported at the bottom.

Each page shows one part of the settings as a form; saving builds the whole new
settings and hands them to :func:`mentornet.tenancy.editing.apply_settings`, which
validates them and keeps the history. A refused save answers 400 with the form as it
was sent and every problem beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from mentornet.accounts.current import roles_required
from mentornet.extensions import db
from mentornet.tenancy import editing
from mentornet.tenancy import settings_forms as pages
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.form_errors import FieldMap, add_error, place_errors
from mentornet.tenancy.form_parts import RowAction, language_name, row_action
from mentornet.tenancy.models import Tenant
from mentornet.tenancy.settings_schema import SUPPORTED_LOCALES, SettingsError

bp = Blueprint("settings", __name__, url_prefix="/<tenant>/settings")

Build = Callable[[FlaskForm, dict[str, Any], list[str], RowAction | None], tuple[dict, FieldMap]]


def tenant() -> Tenant:
    """The bound tenant itself, not its proxy: the service stores on the real object."""
    return current_tenant._get_current_object()  # type: ignore[attr-defined]


def empty_errors(form: FlaskForm) -> FlaskForm:
    """Room for the problems a list, a row or no field at all holds (see form_errors)."""
    form.group_errors = {}
    form.unplaced_errors = []
    return form


def make_form(form_class: type[FlaskForm], data: dict[str, Any]) -> FlaskForm:
    """The form filled from the settings (GET) or from what was sent (POST)."""
    form = form_class() if request.method == "POST" else form_class(data=data)
    return empty_errors(form)


def store(form: FlaskForm, data: dict[str, Any], places: FieldMap, section: str) -> Response | None:
    """Save ``data``; on problems place them on ``form`` and return None (the page says 400)."""
    try:
        change = editing.apply_settings(tenant(), data, section, g.user.id)
    except SettingsError as exc:
        place_errors(form, exc.problems, places)
        return None
    db.session.commit()
    if change is None:
        flash(_("Nothing changed."), "info")
    else:
        flash(_("The settings are saved."), "info")
    return redirect(url_for(request.endpoint, **(request.view_args or {})))


def section_page(
    section: str,
    form_class: Callable[[list[str]], type[FlaskForm]],
    data_of: Callable[[dict[str, Any], list[str]], dict[str, Any]],
    build: Build,
    context: Callable[[], dict[str, Any]] = dict,
):
    """One section's page: its form filled from the settings, and on a valid POST the new
    settings built with ``build`` and stored; ``context`` adds to the page as it renders."""
    settings = editing.current_settings(tenant())
    locales = list(settings["locales"])
    form = make_form(form_class(locales), data_of(settings, locales))
    if form.validate_on_submit():
        action = row_action(request.form.get("action"))
        data, places = build(form, settings, locales, action)
        done = store(form, data, places, section)
        if done is not None:
            return done
    return page(f"{section}.html", form, **context())


def page(
    template: str, form: FlaskForm | None, status: int | None = None, **context: Any
) -> tuple[str, int]:
    """The page; after a POST that did not redirect, a 400 (the problems are on the form)."""
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render_template(f"settings/{template}", form=form, **context), status


# --- programme ----------------------------------------------------------------------------


def _form_locales(current: list[str]) -> list[str]:
    """The tenant's locales, plus any just switched on, so their texts can be typed."""
    sent = request.form.getlist("enabled_locales") if request.method == "POST" else []
    return [*current, *(code for code in SUPPORTED_LOCALES if code in sent and code not in current)]


@bp.route("", methods=["GET", "POST"])
@roles_required("admin")
def general():
    settings = editing.current_settings(tenant())
    current = list(settings["locales"])
    locales = _form_locales(current)
    form = make_form(pages.general_form_class(locales), pages.general_data(settings, locales))
    if form.validate_on_submit():
        default = form.default_locale.data
        if default not in (form.enabled_locales.data or []):
            message = (
                _(
                    "%(language)s is the default language: choose another default "
                    "before you switch it off.",
                    language=language_name(default),
                )
                if default == current[0]
                else _(
                    "Switch %(language)s on to make it the default.",
                    language=language_name(default),
                )
            )
            add_error(form, "enabled_locales", message)
        else:
            new_locales = pages.chosen_locales(form, current)
            data = editing.set_locales(settings, new_locales)
            action = row_action(request.form.get("action"))
            data, places = pages.general_settings(form, data, new_locales, action)
            done = store(form, data, places, "general")
            if done is not None:
                return done
    return page("general.html", form, locales=locales)


# --- offices ------------------------------------------------------------------------------


@bp.route("/offices", methods=["GET", "POST"])
@roles_required("admin")
def offices():
    return section_page(
        "offices",
        pages.offices_form_class,
        pages.offices_data,
        pages.offices_settings,
        context=lambda: {"usage": editing.office_usage()},
    )


# --- cycle --------------------------------------------------------------------------------


@bp.route("/cycle", methods=["GET", "POST"])
@roles_required("admin")
def cycle():
    return section_page("cycle", pages.cycle_form_class, pages.cycle_data, pages.cycle_settings)


# --- privacy ------------------------------------------------------------------------------


@bp.route("/privacy", methods=["GET", "POST"])
@roles_required("admin")
def privacy():
    return section_page(
        "privacy", pages.privacy_form_class, pages.privacy_data, pages.privacy_settings
    )


# The other pages register their routes on ``bp`` when imported.
from mentornet.tenancy import (  # noqa: E402, F401
    advanced_views,
    intake_views,
    matching_views,
    translation_views,
)
