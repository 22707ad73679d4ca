"""Put each settings problem beside the form field it concerns.

The schema names problems by key path (``cycle.phases[1].months``); a page knows which
of its fields holds which path (a :class:`FieldMap`). Problems no field on the page holds
(a text of another page missing in a new default language) are listed at the top, with
their key path, so nothing is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from wtforms import Form
from wtforms.fields import FieldList, FormField


@dataclass
class FieldMap:
    """Where settings paths live in a form.

    ``prefixes``: a settings path prefix -> the field name holding it ("" is the form
    itself); the rest of the path follows WTForms' names (``a.b[2]`` -> ``a-b-2``).
    ``exact``: a whole path -> a field name, for problems that belong somewhere else
    than their path says (the cycle's phases not adding up belongs beside the phases).
    """

    prefixes: dict[str, str] = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)


_TOKEN = re.compile(r"\[([^\]]*)\]|([^.\[\]]+)")


def path_tokens(path: str) -> list[str]:
    """``matching.criteria[2].label`` -> ["matching", "criteria", "[2]", "label"]."""
    tokens = []
    for match in _TOKEN.finditer(path):
        index, name = match.group(1), match.group(2)
        tokens.append(f"[{index}]" if index is not None else name)
    return tokens


def _join(tokens: list[str]) -> str:
    out = ""
    for token in tokens:
        out += token if token.startswith("[") else (f".{token}" if out else token)
    return out


def all_fields(form: Form) -> dict[str, Any]:
    """Every field by its full name, the lists and sub-forms included."""
    found: dict[str, Any] = {}

    def walk(fields: Any) -> None:
        for item in fields:
            found[item.name] = item
            if isinstance(item, FormField):
                walk(item.form)
            elif isinstance(item, FieldList):
                walk(item.entries)

    walk(form)
    return found


def resolve(path: str, places: FieldMap, fields: dict[str, Any]) -> Any | None:
    """The field that shows the problem at ``path``, or None for the page's summary."""
    if path in places.exact:
        return fields.get(places.exact[path])
    tokens = path_tokens(path)
    for size in range(len(tokens), 0, -1):
        prefix = _join(tokens[:size])
        if prefix not in places.prefixes:
            continue
        base = places.prefixes[prefix]
        rest = [token.strip("[]") for token in tokens[size:]]
        while True:
            name = "-".join(part for part in (base, *rest) if part)
            if name and name in fields:
                return fields[name]
            if not rest:
                return None
            rest = rest[:-1]
    return None


_LOCALE_IN_REASON = re.compile(r"'([a-z]{2})'")


def place_errors(form: Form, problems: list[tuple[str, str]], places: FieldMap) -> None:
    """Attach each (path, reason) to its field; the rest go to ``form.unplaced_errors``.

    A problem with a whole list or row goes to ``form.group_errors[name]``, shown at the
    top of that list or row; one with a text per locale goes beside the locale it names.
    """
    fields = all_fields(form)
    group: dict[str, list[str]] = getattr(form, "group_errors", None) or {}
    unplaced: list[tuple[str, str]] = getattr(form, "unplaced_errors", None) or []
    for path, reason in problems:
        message = friendly_reason(reason)
        target = resolve(path, places, fields)
        if target is None:
            unplaced.append((path, message))
            continue
        if isinstance(target, FormField) and getattr(target.form, "local_text", False):
            locales = target.form.locales
            named = _LOCALE_IN_REASON.search(reason)
            locale = named.group(1) if named and named.group(1) in locales else locales[0]
            target = target.form[locale]
        if isinstance(target, FormField | FieldList):
            group.setdefault(target.name, []).append(message)
        else:
            target.errors = [*target.errors, message]
    form.group_errors = group
    form.unplaced_errors = unplaced


def add_error(form: Form, name: str, message: str) -> None:
    """One problem found by the page itself, beside the field called ``name``."""
    target = all_fields(form).get(name)
    if target is None or isinstance(target, FormField | FieldList):
        group = getattr(form, "group_errors", None) or {}
        group.setdefault(name, []).append(message)
        form.group_errors = group
    else:
        target.errors = [*target.errors, message]


def has_errors(form: Form) -> bool:
    return bool(form.errors or getattr(form, "group_errors", None)) or bool(
        getattr(form, "unplaced_errors", None)
    )


# The schema's reasons are developer English; the common ones read better in her language.
_REASONS: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"^the default locale '(\w+)' is missing$"),
        lambda m: _(
            "Write this in %(language)s, the default language.", language=_language(m.group(1))
        ),
    ),
    (
        re.compile(r"^(?:.* )?'([^']*)' appears twice$"),
        lambda m: _("“%(key)s” is used twice; each must be different.", key=m.group(1)),
    ),
    (
        re.compile(r"^the phases add up to (\S+) months, the cycle to (\S+)$"),
        lambda m: _(
            "The phases add up to %(phases)s months, but the cycle lasts %(months)s months.",
            phases=m.group(1),
            months=m.group(2),
        ),
    ),
    (
        re.compile(r"^office '\w+' is still used by (\d+) participant\(s\) and (\d+) staff"),
        lambda m: _(
            "This office is still in use (participants: %(people)s, staff: %(staff)s). "
            "Move them to another office first.",
            people=m.group(1),
            staff=m.group(2),
        ),
    ),
    (
        re.compile(r"^question '\w+' has answers from (\d+) participant"),
        lambda m: _(
            "This question has answers (%(count)s). Retire it instead: it leaves the forms "
            "and the answers stay.",
            count=m.group(1),
        ),
    ),
    (
        re.compile(r"^the kind cannot change: (\d+) participant"),
        lambda m: _(
            "The kind of answer cannot change once someone has answered (%(count)s so far). "
            "Add a new question and retire this one.",
            count=m.group(1),
        ),
    ),
    (
        re.compile(r"^(\d+) mentorship\(s\) are in phase '\w+' now"),
        lambda m: _(
            "Mentorships are in this phase now (%(count)s). Keep it until they have moved on.",
            count=m.group(1),
        ),
    ),
    (
        re.compile(r"^the wording changed: give the notice a new version"),
        lambda m: _("The wording changed: give the notice a new version."),
    ),
    (
        re.compile(r"^a (single|multiple)_choice question needs at least two choices$"),
        lambda m: _("A question answered from a list needs at least two choices."),
    ),
    (
        re.compile(r"^at least one criterion needs a weight above 0$"),
        lambda m: _("At least one criterion needs a weight above 0."),
    ),
    (re.compile(r"^Field required$"), lambda m: _("This field is required.")),
    (
        re.compile(r"^String should have at least 1 character$"),
        lambda m: _("This field is required."),
    ),
    (
        re.compile(r"^String should match pattern '\^\[a-z\]"),
        lambda m: _("Use lower-case letters a-z, digits and _, starting with a letter."),
    ),
]


def _language(code: str) -> str:
    from mentornet.tenancy.form_parts import language_name

    return language_name(code)


def friendly_reason(reason: str) -> str:
    for pattern, message in _REASONS:
        match = pattern.search(reason)
        if match:
            return str(message(match))
    return reason
