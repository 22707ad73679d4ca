"""Pieces the settings forms are built from: a text per locale, numbers typed with a
comma, and editable lists of rows (add, edit, remove, move up or down).

Every button on a settings page submits the whole form, so a row moved up is saved
together with what was typed; ``row_action`` says which row a button asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from flask_babel import get_locale
from wtforms import Form, StringField, TextAreaField
from wtforms.fields import FieldList, FloatField
from wtforms.validators import Length, Optional

from mentornet.tenancy.form_errors import FieldMap


def language_name(code: str) -> str:
    """A language's name in the reader's language ('Danish' for an English reader)."""
    reader = str(get_locale() or "en")
    try:
        return Locale.parse(code).get_display_name(reader) or code
    except (ValueError, TypeError):
        return code


class MarkRequired:
    """Marks a field required for the form macro (asterisk, aria-required); checks nothing.

    The schema says whether a text is missing, and only for rows that are in use.
    """

    field_flags = {"required": True}

    def __call__(self, form: Form, field: Any) -> None:
        return None


def local_text_form(
    locales: Sequence[str],
    *,
    multiline: bool = False,
    max_length: int = 5000,
    required: bool = True,
) -> type[Form]:
    """A sub-form with one input per locale; the first (default) locale is marked required
    unless the whole text is optional (``required=False``)."""
    field_class = TextAreaField if multiline else StringField
    attrs: dict[str, Any] = {"locales": tuple(locales), "local_text": True}
    for index, locale in enumerate(locales):
        validators: list[Any] = [Optional(), Length(max=max_length)]
        if index == 0 and required:
            validators.insert(0, MarkRequired())
        attrs[locale] = field_class(
            language_name(locale), validators=validators, render_kw={"lang": locale}
        )
    return type("LocalTextForm", (Form,), attrs)


def local_text_data(text: dict[str, str] | None, locales: Sequence[str]) -> dict[str, str]:
    """Form data for a ``local_text_form``: every locale present, blanks for missing ones."""
    text = text or {}
    return {locale: text.get(locale, "") for locale in locales}


def local_text_value(sub: Any, locales: Sequence[str]) -> dict[str, str]:
    """``{locale: text}`` from a filled ``local_text_form`` field; blanks dropped."""
    result = {}
    for locale in locales:
        value = (sub.form[locale].data or "").strip() if locale in sub.form else ""
        if value:
            result[locale] = value
    return result


class DecimalText(FloatField):
    """A number that may be typed with a decimal comma (3,5) as well as a point."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


def number_text(value: float | int | None) -> float | int | None:
    """3.0 shows as 3, 0.35 as 0.35: whole numbers without a trailing .0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- lists of rows ---------------------------------------------------------------------------


@dataclass
class RowAction:
    """A row button pressed: "up", "down" or "remove", and the row's field name."""

    verb: str
    row: str


def row_action(raw: str | None) -> RowAction | None:
    """Parse the ``action`` button value ``up:offices-2``."""
    if not raw or ":" not in raw:
        return None
    verb, _sep, row = raw.partition(":")
    if verb not in ("up", "down", "remove"):
        return None
    return RowAction(verb, row)


@dataclass
class Rows:
    """What a list of rows says: the items in order, and the row each one came from."""

    items: list[dict[str, Any]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def collect_rows(
    rows: FieldList,
    to_item: Callable[[Form], dict[str, Any] | None],
    *,
    path: str,
    places: FieldMap,
    action: RowAction | None = None,
    identity: str = "key",
) -> list[dict[str, Any]]:
    """Items from the rows of ``rows``, with removals and the pressed move applied.

    ``to_item`` returns None for a blank new row. Each item's settings path is mapped to
    its row in ``places`` (by position and, for removed rows too, by key), so an error
    at ``offices[1].name`` or ``offices[north]`` lands beside the right row.
    """
    collected = Rows()
    places.prefixes[path] = rows.name
    for entry in rows.entries:
        row = entry.form
        item = to_item(row)
        if item is None:
            continue
        if item.get(identity):
            places.exact[f"{path}[{item[identity]}]"] = entry.name
        removed = ("remove" in row and row["remove"].data) or (
            action is not None and action.verb == "remove" and action.row == entry.name
        )
        if removed:
            continue
        collected.items.append(item)
        collected.names.append(entry.name)
    if action is not None and action.row in collected.names and action.verb in ("up", "down"):
        index = collected.names.index(action.row)
        target = index + (-1 if action.verb == "up" else 1)
        if 0 <= target < len(collected.items):
            for listing in (collected.items, collected.names):
                listing[index], listing[target] = listing[target], listing[index]
    for index, name in enumerate(collected.names):
        places.prefixes[f"{path}[{index}]"] = name
    return collected.items


def is_blank(*values: Any) -> bool:
    """True when every value is empty: a new row left as it was."""
    for value in values:
        if isinstance(value, dict):
            if not is_blank(*value.values()):
                return False
        elif value not in (None, "", [], False):
            return False
    return True
