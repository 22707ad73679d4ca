"""Intake questions: the list (move, retire, delete) and one page per question.

A question with answers is never deleted: retired, it leaves the public forms and the
answers stay on the profiles. Its key, and its choices' keys, never change.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from mentornet.accounts.current import roles_required
from mentornet.extensions import db
from mentornet.tenancy import editing
from mentornet.tenancy.form_errors import friendly_reason
from mentornet.tenancy.form_parts import row_action
from mentornet.tenancy.intake_forms import question_data, question_form_class, question_settings
from mentornet.tenancy.settings_labels import AUDIENCE_LABELS, INTAKE_KIND_LABELS
from mentornet.tenancy.settings_schema import SettingsError
from mentornet.tenancy.views import bp, make_form, page, store, tenant


@bp.app_template_global()
def intake_kind_label(kind: str) -> str:
    return str(INTAKE_KIND_LABELS.get(kind, kind))


@bp.app_template_global()
def audience_label(audience: str) -> str:
    return str(AUDIENCE_LABELS.get(audience, audience))


def _list_page(problems: list[tuple[str, str]] | None = None):
    settings = editing.current_settings(tenant())
    status = 400 if problems else 200
    return render_template(
        "settings/intake.html",
        questions=settings["intake_questions"],
        answers=editing.answer_counts(),
        problems=[(path, friendly_reason(reason)) for path, reason in problems or []],
    ), status


def _change_list(change: str, key: str, edit) -> Any:
    """Apply ``edit`` to the list of questions and save; the list again, 400 if refused."""
    data = editing.current_settings(tenant())
    questions = data["intake_questions"]
    index = next((i for i, q in enumerate(questions) if q["key"] == key), None)
    if index is None:
        abort(404)
    data["intake_questions"] = edit(questions, index)
    try:
        saved = editing.apply_settings(tenant(), data, "intake", g.user.id)
    except SettingsError as exc:
        return _list_page(exc.problems)
    db.session.commit()
    if saved is not None:
        flash(change, "info")
    return redirect(url_for("settings.intake"))


@bp.get("/intake")
@roles_required("admin")
def intake():
    return _list_page()


@bp.post("/intake/<key>/move")
@roles_required("admin")
def intake_move(key: str):
    step = -1 if request.form.get("direction") == "up" else 1
    return _change_list(
        _("The order is saved."), key, lambda items, i: editing.moved(items, i, step)
    )


@bp.post("/intake/<key>/retire")
@roles_required("admin")
def intake_retire(key: str):
    retire = request.form.get("retired", "1") == "1"

    def edit(items: list[dict[str, Any]], index: int) -> list[dict[str, Any]]:
        items = list(items)
        items[index] = {**items[index], "retired": retire}
        return items

    message = (
        _("The question is retired: it is no longer asked, and earlier answers stay.")
        if retire
        else _("The question is asked again.")
    )
    return _change_list(message, key, edit)


@bp.post("/intake/<key>/delete")
@roles_required("admin")
def intake_delete(key: str):
    return _change_list(
        _("The question is deleted."),
        key,
        lambda items, i: [q for j, q in enumerate(items) if j != i],
    )


def _question_page(key: str | None):
    settings = editing.current_settings(tenant())
    locales = list(settings["locales"])
    question = next((q for q in settings["intake_questions"] if q["key"] == key), None)
    if key is not None and question is None:
        abort(404)
    form_class = question_form_class(locales, new=key is None)
    form = make_form(form_class, question_data(question, locales))
    if form.validate_on_submit():
        action = row_action(request.form.get("action"))
        data, places = question_settings(form, settings, locales, key, action)
        done = store(form, data, places, "intake")
        if done is not None:
            if key is None or action is None:
                return redirect(url_for("settings.intake"))
            return done
    answered = editing.answer_counts().get(key, 0) if key else 0
    return page("intake_question.html", form, question=question, answered=answered)


@bp.route("/intake/new", methods=["GET", "POST"])
@roles_required("admin")
def intake_new():
    return _question_page(None)


@bp.route("/intake/<key>/edit", methods=["GET", "POST"])
@roles_required("admin")
def intake_question(key: str):
    return _question_page(key)
