"""The forms of the settings pages: programme, offices, cycle, privacy and matching.

Each page has three functions: ``*_form_class(locales)`` builds the form for the
tenant's languages, ``*_data(settings, locales)`` fills it from the stored settings,
and ``*_settings(form, data, action)`` returns the new settings with a :class:`FieldMap`
that puts each problem the schema finds back beside its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields import FieldList, FormField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from mentornet.people.forms import country_choices
from mentornet.tenancy.form_errors import FieldMap
from mentornet.tenancy.form_parts import (
    DecimalText,
    RowAction,
    collect_rows,
    is_blank,
    language_name,
    local_text_data,
    local_text_form,
    local_text_value,
    number_text,
)
from mentornet.tenancy.settings_labels import (
    AGREEMENT_KIND_LABELS,
    FIRST_MEETING_LABELS,
    criterion_field_choices,
    criterion_kind_choices,
    meeting_kind_choices,
    pairs,
    profile_field_choices,
)
from mentornet.tenancy.settings_schema import SUPPORTED_LOCALES, localized

KEY_HINT = _l("Lower-case letters a-z, digits and _. It cannot change once saved.")
WHOLE = _l("Give a whole number from %(min)s to %(max)s.")


def _key(row: Form) -> str:
    """A saved row keeps its key; a new row takes what was typed."""
    return (row["saved_key"].data or "").strip() or (row["key"].data or "").strip()


def _whole(low: int, high: int) -> list[Any]:
    return [InputRequired(), NumberRange(min=low, max=high, message=WHOLE)]


# --- programme ----------------------------------------------------------------------------


def general_form_class(locales: Sequence[str]) -> type[FlaskForm]:
    short = local_text_form(locales, max_length=200)
    long = local_text_form(locales, multiline=True)

    class ValueRow(Form):
        title = FormField(short, label=_l("Title"))
        text = FormField(long, label=_l("Text"))

    language_choices = [(code, language_name(code)) for code in SUPPORTED_LOCALES]

    class GeneralForm(FlaskForm):
        name = StringField(
            _l("Name of the programme"), validators=[InputRequired(), Length(min=2, max=200)]
        )
        country = SelectField(_l("Country"), choices=country_choices(str(get_locale() or "en")))
        enabled_locales = SelectMultipleField(
            _l("Languages of the programme"),
            description=_l("Every form and page is offered in these languages."),
            choices=language_choices,
        )
        default_locale = SelectField(
            _l("Default language"),
            description=_l("Every text must exist in this language; others may fall back to it."),
            choices=language_choices,
        )
        target_group = FormField(long, label=_l("Who the programme is for"))
        values = FieldList(FormField(ValueRow))

    return GeneralForm


def general_data(settings: dict[str, Any], locales: Sequence[str]) -> dict[str, Any]:
    values = [
        {
            "title": local_text_data(v["title"], locales),
            "text": local_text_data(v["text"], locales),
        }
        for v in settings["values"]
    ]
    return {
        "name": settings["name"],
        "country": settings["country"],
        "enabled_locales": settings["locales"],
        "default_locale": settings["locales"][0],
        "target_group": local_text_data(settings["target_group"], locales),
        "values": [*values, {}],
    }


def chosen_locales(form: FlaskForm, current: Sequence[str]) -> list[str]:
    """The enabled locales, default first, the others in their current then usual order."""
    enabled = [code for code in form.enabled_locales.data or [] if code in SUPPORTED_LOCALES]
    default = form.default_locale.data
    rest = [code for code in current if code in enabled and code != default]
    rest += [code for code in SUPPORTED_LOCALES if code in enabled and code not in rest]
    return [default, *[code for code in rest if code != default]]


def general_settings(
    form: FlaskForm, data: dict[str, Any], locales: list[str], action: RowAction | None
) -> tuple[dict[str, Any], FieldMap]:
    """``locales`` are the new ones; ``data`` already has texts of dropped locales removed."""
    places = FieldMap(
        prefixes={
            "name": "name",
            "country": "country",
            "locales": "enabled_locales",
            "target_group": "target_group",
        }
    )

    def value(row: Form) -> dict[str, Any] | None:
        title = local_text_value(row.title, locales)
        text = local_text_value(row.text, locales)
        if is_blank(title, text):
            return None
        return {"title": title, "text": text}

    data["name"] = (form.name.data or "").strip()
    data["country"] = form.country.data
    data["target_group"] = local_text_value(form.target_group, locales)
    data["values"] = collect_rows(
        form["values"], value, path="values", places=places, action=action
    )
    return data, places


# --- offices ------------------------------------------------------------------------------


def offices_form_class(locales: Sequence[str]) -> type[FlaskForm]:
    short = local_text_form(locales, max_length=200)

    class OfficeRow(Form):
        saved_key = HiddenField()
        key = StringField(_l("Key"), description=KEY_HINT, validators=[Optional(), Length(max=40)])
        name = FormField(short, label=_l("Name"))
        city = StringField(_l("City"), validators=[Optional(), Length(max=200)])

    class OfficesForm(FlaskForm):
        offices = FieldList(FormField(OfficeRow))

    return OfficesForm


def offices_data(settings: dict[str, Any], locales: Sequence[str]) -> dict[str, Any]:
    rows = [
        {
            "saved_key": o["key"],
            "key": o["key"],
            "name": local_text_data(o["name"], locales),
            "city": o.get("city") or "",
        }
        for o in settings["offices"]
    ]
    return {"offices": [*rows, {}]}


def offices_settings(
    form: FlaskForm, data: dict[str, Any], locales: Sequence[str], action: RowAction | None
) -> tuple[dict[str, Any], FieldMap]:
    places = FieldMap()

    def office(row: Form) -> dict[str, Any] | None:
        key = _key(row)
        name = local_text_value(row["name"], locales)
        city = (row.city.data or "").strip() or None
        if not row.saved_key.data and is_blank(key, name, city):
            return None
        return {"key": key, "name": name, "city": city}

    data["offices"] = collect_rows(
        form.offices, office, path="offices", places=places, action=action
    )
    return data, places


# --- cycle --------------------------------------------------------------------------------


def cycle_form_class(locales: Sequence[str]) -> type[FlaskForm]:
    short = local_text_form(locales, max_length=200)

    class PhaseRow(Form):
        saved_key = HiddenField()
        key = StringField(_l("Key"), description=KEY_HINT, validators=[Optional(), Length(max=40)])
        name = FormField(short, label=_l("Name"))
        months = DecimalText(_l("Months"), validators=[Optional()])

    class CycleForm(FlaskForm):
        months = DecimalText(
            _l("Length of a cycle, in months"),
            validators=[InputRequired(), NumberRange(min=0.5, max=60)],
        )
        first_meeting = SelectField(_l("The first meeting"), choices=pairs(FIRST_MEETING_LABELS))
        phases = FieldList(FormField(PhaseRow))
        agreement_kind = SelectField(
            _l("The agreement's minimum is counted in"), choices=pairs(AGREEMENT_KIND_LABELS)
        )
        agreement_value = IntegerField(
            _l("Minimum"),
            description=_l("Minutes a month, or hours over the whole cycle."),
            validators=_whole(1, 10_000),
        )
        meeting_kinds = SelectMultipleField(
            _l("Meetings that count towards the minimum"), choices=meeting_kind_choices()
        )
        first_after_weeks = IntegerField(
            _l("First follow-up after how many weeks"), validators=_whole(1, 52)
        )
        every_weeks = IntegerField(
            _l("Then a follow-up every how many weeks"), validators=_whole(1, 52)
        )
        at_closing = BooleanField(_l("A follow-up when the cycle closes"))
        silent_after_weeks = IntegerField(
            _l("Weeks without a meeting before a pair counts as silent"),
            validators=_whole(1, 52),
        )

    return CycleForm


def cycle_data(settings: dict[str, Any], locales: Sequence[str]) -> dict[str, Any]:
    cycle = settings["cycle"]
    phases = [
        {
            "saved_key": p["key"],
            "key": p["key"],
            "name": local_text_data(p["name"], locales),
            "months": number_text(p["months"]),
        }
        for p in cycle["phases"]
    ]
    return {
        "months": number_text(cycle["months"]),
        "first_meeting": cycle["first_meeting"],
        "phases": [*phases, {}],
        "agreement_kind": cycle["agreement_minimum"]["kind"],
        "agreement_value": cycle["agreement_minimum"]["value"],
        "meeting_kinds": cycle["agreement_minimum"]["meeting_kinds"],
        "first_after_weeks": cycle["follow_ups"]["first_after_weeks"],
        "every_weeks": cycle["follow_ups"]["every_weeks"],
        "at_closing": cycle["follow_ups"]["at_closing"],
        "silent_after_weeks": cycle["silent_after_weeks"],
    }


def cycle_settings(
    form: FlaskForm, data: dict[str, Any], locales: Sequence[str], action: RowAction | None
) -> tuple[dict[str, Any], FieldMap]:
    places = FieldMap(
        prefixes={
            "cycle": "",
            "cycle.agreement_minimum": "agreement_value",
            "cycle.agreement_minimum.kind": "agreement_kind",
            "cycle.agreement_minimum.value": "agreement_value",
            "cycle.agreement_minimum.meeting_kinds": "meeting_kinds",
            "cycle.follow_ups": "every_weeks",
            "cycle.follow_ups.first_after_weeks": "first_after_weeks",
            "cycle.follow_ups.every_weeks": "every_weeks",
            "cycle.follow_ups.at_closing": "at_closing",
        },
        # The phases not adding up to the cycle is said beside the phases.
        exact={"cycle": "phases"},
    )

    def phase(row: Form) -> dict[str, Any] | None:
        key = _key(row)
        name = local_text_value(row["name"], locales)
        if not row.saved_key.data and is_blank(key, name, row.months.data):
            return None
        item: dict[str, Any] = {"key": key, "name": name}
        if row.months.data is not None:
            item["months"] = row.months.data
        return item

    data["cycle"] = {
        "months": form.months.data,
        "first_meeting": form.first_meeting.data,
        "phases": collect_rows(
            form.phases, phase, path="cycle.phases", places=places, action=action
        ),
        "agreement_minimum": {
            "kind": form.agreement_kind.data,
            "value": form.agreement_value.data,
            "meeting_kinds": list(form.meeting_kinds.data or []),
        },
        "follow_ups": {
            "first_after_weeks": form.first_after_weeks.data,
            "every_weeks": form.every_weeks.data,
            "at_closing": bool(form.at_closing.data),
        },
        "silent_after_weeks": form.silent_after_weeks.data,
    }
    return data, places


# --- privacy ------------------------------------------------------------------------------


def privacy_form_class(locales: Sequence[str]) -> type[FlaskForm]:
    short = local_text_form(locales, max_length=500)
    long = local_text_form(locales, multiline=True)

    class HelpItemRow(Form):
        saved_key = HiddenField()
        key = StringField(_l("Key"), description=KEY_HINT, validators=[Optional(), Length(max=40)])
        label = FormField(short, label=_l("Label"))

    class NoticeRow(Form):
        saved_key = HiddenField()
        key = StringField(
            _l("Purpose"),
            description=_l("A key for what she agrees to, e.g. programme or newsletter."),
            validators=[Optional(), Length(max=40)],
        )
        version = StringField(
            _l("Version"),
            description=_l("Give a new version whenever the wording changes."),
            validators=[Optional(), Length(max=40)],
        )
        required = BooleanField(_l("She must agree to take part"))
        title = FormField(short, label=_l("Title"))
        text = FormField(long, label=_l("Text"))

    class PrivacyForm(FlaskForm):
        retention_months = IntegerField(
            _l("Months to keep personal data after a cycle closes"), validators=_whole(1, 240)
        )
        fields = SelectMultipleField(
            _l("What the sign-up forms ask"),
            description=_l(
                "Name, contact, office and languages are always asked. "
                "Ask only what the programme needs."
            ),
            choices=profile_field_choices(),
        )
        help_items = FieldList(FormField(HelpItemRow))
        notices = FieldList(FormField(NoticeRow))
        federation = BooleanField(
            _l("Compare with sister programmes"),
            description=_l(
                "Share this programme's yearly figures with the other programmes that share "
                "theirs, and see theirs. Only counts are shared, and none about fewer than "
                "10 people."
            ),
        )

    return PrivacyForm


def privacy_data(settings: dict[str, Any], locales: Sequence[str]) -> dict[str, Any]:
    items = [
        {"saved_key": i["key"], "key": i["key"], "label": local_text_data(i["label"], locales)}
        for i in settings["profile"]["help_items"]
    ]
    notices = [
        {
            "saved_key": n["purpose"],
            "key": n["purpose"],
            "version": n["version"],
            "required": n["required"],
            "title": local_text_data(n["title"], locales),
            "text": local_text_data(n["text"], locales),
        }
        for n in settings["consent_notices"]
    ]
    return {
        "retention_months": settings["retention_months"],
        "fields": settings["profile"]["fields"],
        "help_items": [*items, {}],
        "notices": [*notices, {}],
        "federation": settings.get("reports", {}).get("federation", False),
    }


def privacy_settings(
    form: FlaskForm, data: dict[str, Any], locales: Sequence[str], action: RowAction | None
) -> tuple[dict[str, Any], FieldMap]:
    places = FieldMap(
        prefixes={
            "retention_months": "retention_months",
            "profile.fields": "fields",
            "consent_notices": "notices",
            "reports.federation": "federation",
        }
    )

    def help_item(row: Form) -> dict[str, Any] | None:
        key = _key(row)
        label = local_text_value(row.label, locales)
        if not row.saved_key.data and is_blank(key, label):
            return None
        return {"key": key, "label": label}

    def notice(row: Form) -> dict[str, Any] | None:
        purpose = _key(row)
        title = local_text_value(row.title, locales)
        text = local_text_value(row.text, locales)
        version = (row.version.data or "").strip()
        if not row.saved_key.data and is_blank(purpose, version, title, text):
            return None
        return {
            "purpose": purpose,
            "version": version,
            "required": bool(row.required.data),
            "title": title,
            "text": text,
        }

    data["retention_months"] = form.retention_months.data
    data["reports"] = {**data.get("reports", {}), "federation": bool(form.federation.data)}
    data["profile"] = {
        "fields": list(form.fields.data or []),
        "help_items": collect_rows(
            form.help_items, help_item, path="profile.help_items", places=places, action=action
        ),
    }
    data["consent_notices"] = collect_rows(
        form.notices,
        notice,
        path="consent_notices",
        places=places,
        action=action,
        identity="purpose",
    )
    # A notice's purpose is typed into its "key" input.
    for path, name in list(places.prefixes.items()):
        if path.startswith("consent_notices["):
            places.exact[f"{path}.purpose"] = f"{name}-key"
    return data, places


# --- matching -----------------------------------------------------------------------------


def matching_form_class(
    locales: Sequence[str], intake_fields: list[tuple[str, str]]
) -> type[FlaskForm]:
    """``intake_fields``: (``intake.<key>``, label) of the questions a criterion may use."""
    short = local_text_form(locales, max_length=200)
    fields = [("", "—"), *criterion_field_choices(), *intake_fields]

    class CriterionRow(Form):
        saved_key = HiddenField()
        key = StringField(_l("Key"), description=KEY_HINT, validators=[Optional(), Length(max=40)])
        field = SelectField(_l("Compares"), choices=fields)
        kind = SelectField(_l("Compared by"), choices=criterion_kind_choices())
        weight = DecimalText(_l("Weight"), validators=[Optional(), NumberRange(min=0, max=100)])
        hard = BooleanField(_l("Required: mentors who differ here are not proposed"))
        label = FormField(short, label=_l("Label"))

    class MatchingForm(FlaskForm):
        criteria = FieldList(FormField(CriterionRow))
        min_score = DecimalText(
            _l("Lowest score a batch run proposes"),
            description=_l("From 0 to 1."),
            validators=[InputRequired(), NumberRange(min=0, max=1)],
        )
        waiting_bonus_per_month = DecimalText(
            _l("Bonus per month of waiting"),
            description=_l("Added to the score in batch runs, from 0 to 0.1."),
            validators=[InputRequired(), NumberRange(min=0, max=0.1)],
        )

    return MatchingForm


def matching_data(settings: dict[str, Any], locales: Sequence[str]) -> dict[str, Any]:
    matching = settings["matching"]
    rows = [
        {
            "saved_key": c["key"],
            "key": c["key"],
            "field": c["field"],
            "kind": c["kind"],
            "weight": number_text(c["weight"]),
            "hard": c["hard"],
            "label": local_text_data(c["label"], locales),
        }
        for c in matching["criteria"]
    ]
    return {
        "criteria": [*rows, {}],
        "min_score": number_text(matching["min_score"]),
        "waiting_bonus_per_month": number_text(matching["waiting_bonus_per_month"]),
    }


def intake_field_choices(settings: dict[str, Any], locale: str) -> list[tuple[str, str]]:
    from flask_babel import gettext as _

    default = settings["locales"][0]
    return [
        (
            f"intake.{q['key']}",
            _("Intake question: %(label)s", label=localized(q["label"], locale, default)),
        )
        for q in settings["intake_questions"]
        if not q["retired"]
    ]


def matching_settings(
    form: FlaskForm, data: dict[str, Any], locales: Sequence[str], action: RowAction | None
) -> tuple[dict[str, Any], FieldMap]:
    places = FieldMap(
        prefixes={
            "matching.min_score": "min_score",
            "matching.waiting_bonus_per_month": "waiting_bonus_per_month",
            "matching": "criteria",
        }
    )

    def criterion(row: Form) -> dict[str, Any] | None:
        key = _key(row)
        label = local_text_value(row.label, locales)
        weight = row.weight.data
        if not row.saved_key.data and is_blank(key, label, row.field.data, weight):
            return None
        if not key:  # a new criterion may go by the name of what it compares
            key = (row.field.data or "").replace(".", "_")
        item: dict[str, Any] = {
            "key": key,
            "field": row.field.data,
            "kind": row.kind.data,
            "hard": bool(row.hard.data),
            "label": label,
        }
        if weight is not None:
            item["weight"] = weight
        return item

    data["matching"] = {
        "criteria": collect_rows(
            form.criteria, criterion, path="matching.criteria", places=places, action=action
        ),
        "min_score": form.min_score.data,
        "waiting_bonus_per_month": form.waiting_bonus_per_month.data,
    }
    # A criterion whose field or kind does not fit is said beside its "compares" choice.
    for path, name in list(places.prefixes.items()):
        if path.startswith("matching.criteria["):
            places.exact[path] = f"{name}-field"
    return data, places
