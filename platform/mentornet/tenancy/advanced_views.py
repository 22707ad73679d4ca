"""All settings as TOML, for what the pages do not offer, and the history of changes.

The TOML page saves through the same validation as every page: each problem is listed
with its key path, and nothing is stored unless the whole text is right.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import InputRequired

from mentornet.accounts.current import roles_required
from mentornet.accounts.models import User
from mentornet.pagination import page_of
from mentornet.tenancy import editing
from mentornet.tenancy.form_errors import FieldMap, friendly_reason
from mentornet.tenancy.models import SettingsChange, Tenant
from mentornet.tenancy.presets import export_settings
from mentornet.tenancy.settings_labels import section_label
from mentornet.tenancy.settings_schema import SettingsError
from mentornet.tenancy.views import bp, empty_errors, page, store, tenant


class TomlForm(FlaskForm):
    toml = TextAreaField(_l("Settings"), validators=[InputRequired()])


def parse_toml(text: str, of: Tenant) -> dict[str, Any]:
    """Settings from TOML; raise :class:`SettingsError` listing every problem of the text.

    ``slug`` and ``domain`` (as exported) may stay in the text but not change here.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([("(file)", f"not valid TOML: {exc}")]) from None
    problems = []
    if data.get("slug", of.slug) != of.slug:
        problems.append(("slug", f"these are the settings of {of.slug!r}; the slug cannot change"))
    if data.get("domain", of.domain) != of.domain:
        problems.append(("domain", "the custom domain is not changed here"))
    settings = {key: value for key, value in data.items() if key not in ("slug", "domain")}
    if problems:
        try:
            editing.check_settings(of, settings)
        except SettingsError as exc:
            problems.extend(exc.problems)
        raise SettingsError(problems)
    return settings


@bp.route("/advanced", methods=["GET", "POST"])
@roles_required("admin")
def advanced():
    if request.method == "POST":
        form = empty_errors(TomlForm())
    else:
        form = empty_errors(TomlForm(data={"toml": export_settings(tenant())}))
    if form.validate_on_submit():
        try:
            data = parse_toml(form.toml.data, tenant())
        except SettingsError as exc:
            form.unplaced_errors = [(p, friendly_reason(r)) for p, r in exc.problems]
        else:
            # No field but the text: every problem is listed beside it, key path first.
            done = store(form, data, FieldMap(), "advanced")
            if done is not None:
                return done
    return page("advanced.html", form)


# --- history ------------------------------------------------------------------------------

HISTORY_PER_PAGE = 20
SHORT_VALUE = 300


def value_text(value: Any) -> str:
    """A before/after value in a line: strings as they are, the rest as compact JSON."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHORT_VALUE else text[: SHORT_VALUE - 1] + "…"


@bp.get("/history")
@roles_required("admin")
def history():
    statement = (
        select(SettingsChange, User.name, User.email)
        .outerjoin(User, User.id == SettingsChange.user_id)
        .order_by(SettingsChange.created_at.desc(), SettingsChange.id.desc())
    )
    changes = page_of(statement, request.args, per_page=HISTORY_PER_PAGE)
    return page(
        "history.html", None, changes=changes, value_text=value_text, section_label=section_label
    )
