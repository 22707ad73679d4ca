"""The form for one intake question: its kind, who is asked, its words, its choices.

A question's key is typed once, when it is added, and never changes: answers are stored
under it. So are its choices' keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField, SelectField, StringField
from wtforms.fields import FieldList, FormField
from wtforms.validators import Length, Optional

from mentornet.tenancy.form_errors import FieldMap
from mentornet.tenancy.form_parts import (
    RowAction,
    collect_rows,
    is_blank,
    local_text_data,
    local_text_form,
    local_text_value,
)
from mentornet.tenancy.settings_forms import KEY_HINT
from mentornet.tenancy.settings_labels import AUDIENCE_LABELS, intake_kind_choices, pairs

# Blank choice rows offered under a question, so a new list question can get its choices.
NEW_CHOICE_ROWS = 2


def question_form_class(locales: Sequence[str], *, new: bool) -> type[FlaskForm]:
    short = local_text_form(locales, max_length=500)
    long = local_text_form(locales, multiline=True, max_length=2000, required=False)

    class ChoiceRow(Form):
        saved_key = HiddenField()
        key = StringField(_l("Key"), validators=[Optional(), Length(max=40)])
        label = FormField(short, label=_l("Label"))

    attrs: dict[str, Any] = {
        "kind": SelectField(_l("Kind of answer"), choices=intake_kind_choices()),
        "audience": SelectField(_l("Asked of"), choices=pairs(AUDIENCE_LABELS)),
        "required": BooleanField(_l("An answer is required")),
        "label": FormField(short, label=_l("Question")),
        "help": FormField(long, label=_l("Help text")),
        "choices": FieldList(FormField(ChoiceRow)),
    }
    if new:
        attrs["key"] = StringField(
            _l("Key"), description=KEY_HINT, validators=[Optional(), Length(max=40)]
        )
    else:
        attrs["retired"] = BooleanField(
            _l("Retired: no longer asked; earlier answers stay on the profiles")
        )
    return type("QuestionForm", (FlaskForm,), attrs)


def question_data(question: dict[str, Any] | None, locales: Sequence[str]) -> dict[str, Any]:
    question = question or {"kind": "text", "audience": "both", "choices": []}
    choices = [
        {"saved_key": c["key"], "key": c["key"], "label": local_text_data(c["label"], locales)}
        for c in question.get("choices", [])
    ]
    return {
        "kind": question["kind"],
        "audience": question["audience"],
        "required": question.get("required", False),
        "retired": question.get("retired", False),
        "label": local_text_data(question.get("label"), locales),
        "help": local_text_data(question.get("help"), locales),
        "choices": [*choices, *({} for _ in range(NEW_CHOICE_ROWS))],
    }


def question_settings(
    form: FlaskForm,
    data: dict[str, Any],
    locales: Sequence[str],
    key: str | None,
    action: RowAction | None,
) -> tuple[dict[str, Any], FieldMap]:
    """``data`` with the question ``key`` replaced (or, for None, the new one appended)."""
    questions = data["intake_questions"]
    index = next((i for i, q in enumerate(questions) if q["key"] == key), len(questions))
    path = f"intake_questions[{index}]"
    places = FieldMap(prefixes={path: ""}, exact={path: "choices"})

    def choice(row: Form) -> dict[str, Any] | None:
        choice_key = (row.saved_key.data or "").strip() or (row.key.data or "").strip()
        label = local_text_value(row.label, locales)
        if not row.saved_key.data and is_blank(choice_key, label):
            return None
        return {"key": choice_key, "label": label}

    question: dict[str, Any] = {
        "key": key if key is not None else (form.key.data or "").strip(),
        "kind": form.kind.data,
        "audience": form.audience.data,
        "label": local_text_value(form.label, locales),
        "help": local_text_value(form.help, locales),
        "required": bool(form.required.data),
        "choices": collect_rows(
            form.choices, choice, path=f"{path}.choices", places=places, action=action
        ),
        "retired": bool(form.retired.data) if "retired" in form else False,
    }
    questions = list(questions)
    if index < len(questions):
        questions[index] = question
    else:
        questions.append(question)
    places.exact[f"intake_questions[{question['key']}]"] = "choices"
    data["intake_questions"] = questions
    return data, places
