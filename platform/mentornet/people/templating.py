"""Template helpers that turn stored keys and codes into words in the reader's language."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Blueprint
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from mentornet.people import vocabulary as vocab
from mentornet.people.classifications import isced_field_label, isced_level_label, isco
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import IntakeQuestion, localized


def _code() -> str:
    return str(get_locale() or "en")


def status_label(status: str) -> str:
    return str(vocab.STATUS_LABELS.get(status, status))


def office_label(key: str | None) -> str:
    if not key:
        return ""
    settings = current_tenant.config
    for office in settings.offices:
        if office.key == key:
            return localized(office.name, _code(), settings.default_locale)
    return key


def occupation_label(code: str | None) -> str:
    occupation = isco().get(code) if code else None
    return occupation.label(_code()) if occupation else (code or "")


def language_name(code: str) -> str:
    return Locale.parse(_code()).languages.get(code, code)


def country_name(code: str) -> str:
    return Locale.parse(_code()).territories.get(code, code)


def help_label(key: str) -> str:
    if key in vocab.HELPS_WITH:
        return str(vocab.HELPS_WITH[key])
    settings = current_tenant.config
    for item in settings.profile.help_items:
        if item.key == key:
            return localized(item.label, _code(), settings.default_locale)
    return key


_VOCABS = {
    "sector": vocab.SECTORS,
    "business_stage": vocab.BUSINESS_STAGES,
    "goal": vocab.GOALS,
    "interest": vocab.INTERESTS,
}


def vocab_label(kind: str, key: str) -> str:
    return str(_VOCABS[kind].get(key, key))


def intake_answer(question: IntakeQuestion, value: Any) -> str:
    settings = current_tenant.config
    labels = {c.key: localized(c.label, _code(), settings.default_locale) for c in question.choices}
    if question.kind == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    if question.kind == "multiple_choice":
        return ", ".join(labels.get(v, v) for v in value or [])
    if question.kind == "single_choice":
        return labels.get(value, value)
    if question.kind == "date" and isinstance(value, str):
        from datetime import date

        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def register(bp: Blueprint) -> None:
    for function in (
        status_label,
        office_label,
        occupation_label,
        country_name,
        vocab_label,
        intake_answer,
        isced_level_label_for,
        isced_field_label_for,
    ):
        bp.add_app_template_global(function, function.__name__.removesuffix("_for"))
    bp.add_app_template_filter(language_name, "language_name")
    bp.add_app_template_filter(lambda k: vocab_label("goal", k), "vocab_goal")
    bp.add_app_template_filter(lambda k: vocab_label("interest", k), "vocab_interest")
    bp.add_app_template_filter(help_label, "vocab_help")


def isced_level_label_for(code: int) -> str:
    return isced_level_label(code, _code())


def isced_field_label_for(code: str) -> str:
    return isced_field_label(code, _code())
