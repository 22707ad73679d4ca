"""Participant forms, built per tenant and side from the common profile and its intake
questions. The JSON API feeds the very same forms, so both validate alike."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from mentornet.people import vocabulary as vocab
from mentornet.people.classifications import isced_fields, isced_levels, isco
from mentornet.tenancy.settings_schema import IntakeQuestion, TenantSettings, localized

HONEYPOT = "website"


def _locale() -> str:
    locale = get_locale()
    return str(locale) if locale is not None else "en"


def _choices(mapping: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in mapping.items()]


def language_choices(locale: str) -> list[tuple[str, str]]:
    names = Locale.parse(locale).languages
    return sorted(((c, names.get(c, c)) for c in vocab.LANGUAGES), key=lambda c: c[1].lower())


def country_choices(locale: str) -> list[tuple[str, str]]:
    territories = Locale.parse(locale).territories
    return sorted(
        ((code, name) for code, name in territories.items() if len(code) == 2 and code.isalpha()),
        key=lambda c: c[1],
    )


class ParticipantForm(FlaskForm):
    """Base; ``build_form`` adds the fields the tenant collects."""

    kind: str = "mentee"
    intake_keys: tuple[str, ...] = ()
    consent_purposes: tuple[str, ...] = ()


def _valid_profession(form: FlaskForm, field: Field) -> None:
    if field.data and not isco().is_valid_unit(str(field.data).strip()):
        raise ValidationError(_l("Choose an occupation from the list (a four-digit ISCO-08 code)."))


def _not_in_future(form: FlaskForm, field: Field) -> None:
    if field.data and field.data > date.today():
        raise ValidationError(_l("This date is in the future."))


def _plausible_birth_date(form: FlaskForm, field: Field) -> None:
    if field.data is None:
        return
    today = date.today()
    age = (
        today.year
        - field.data.year
        - ((today.month, today.day) < (field.data.month, field.data.day))
    )
    if age < 16 or age > 110:
        raise ValidationError(_l("Please check the date of birth."))


def _intake_field(question: IntakeQuestion, locale: str, default_locale: str) -> Field:
    label = localized(question.label, locale, default_locale)
    description = localized(question.help, locale, default_locale) if question.help else ""
    required = (
        [DataRequired(message=_l("Please answer this question."))]
        if question.required
        else [Optional()]
    )
    choices = [(c.key, localized(c.label, locale, default_locale)) for c in question.choices]
    kind = question.kind
    if kind == "text":
        return StringField(label, description=description, validators=[*required, Length(max=500)])
    if kind == "long_text":
        return TextAreaField(
            label, description=description, validators=[*required, Length(max=5000)]
        )
    if kind == "single_choice":
        return SelectField(
            label, description=description, choices=[("", "—"), *choices], validators=required
        )
    if kind == "multiple_choice":
        return SelectMultipleField(
            label, description=description, choices=choices, validators=required
        )
    if kind == "number":
        number_required = (
            [InputRequired(message=_l("Please answer this question."))]
            if question.required
            else [Optional()]
        )
        return IntegerField(
            label,
            description=description,
            validators=[*number_required, NumberRange(min=0, max=1_000_000)],
        )
    if kind == "date":
        return DateField(label, description=description, validators=required)
    # yes/no: a radio pair, so "no" is an answer and not a missing one
    return RadioField(
        label,
        description=description,
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        validators=required,
    )


def build_form_class(
    settings: TenantSettings,
    kind: str,
    *,
    public: bool,
    notices: list[tuple[str, bool, str, str]] = (),  # type: ignore[assignment]
) -> type[ParticipantForm]:
    """The form for ``kind`` in this tenant.

    ``public`` adds the honeypot and the consent checkboxes of the sign-up page;
    ``notices`` are (purpose, required, title, text) already in the reader's language.
    """
    locale = _locale()
    default_locale = settings.default_locale
    collected = set(settings.profile.fields)
    attrs: dict[str, Any] = {"kind": kind}
    required_msg = _l("This field is required.")

    attrs["name"] = StringField(
        _l("Full name"), validators=[DataRequired(message=required_msg), Length(max=200)]
    )
    email_validators = [
        Email(message=_l("This does not look like an email address.")),
        Length(max=320),
    ]
    attrs["email"] = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=required_msg) if public else Optional(),
            *email_validators,
        ],
    )
    if "phone" in collected:
        attrs["phone"] = StringField(
            _l("Phone"),
            validators=[
                Optional(),
                Length(max=40),
                Regexp(
                    r"^\+?[0-9 ()./-]{6,40}$",
                    message=_l("Use digits, spaces and an optional + only."),
                ),
            ],
        )
    offices = [(o.key, localized(o.name, locale, default_locale)) for o in settings.offices]
    attrs["office"] = SelectField(
        _l("Office"),
        choices=offices,
        default=offices[0][0],
        validators=[DataRequired(message=required_msg)],
    )
    attrs["languages"] = SelectMultipleField(
        _l("Languages you speak"),
        choices=language_choices(locale),
        validators=[DataRequired(message=_l("Choose at least one language."))],
    )
    attrs["preferred_locale"] = SelectField(
        _l("Language we write to you in"),
        choices=[(c, Locale.parse(c).get_display_name(c)) for c in settings.locales],
        default=locale if locale in settings.locales else default_locale,
    )
    if "profession" in collected:
        attrs["profession"] = StringField(
            _l("Profession"),
            description=_l("Type to search, then pick your occupation."),
            validators=[Optional(), _valid_profession],
        )
    if "education_level" in collected:
        attrs["education_level"] = SelectField(
            _l("Highest education"),
            choices=[("", "—")] + [(str(c), n) for c, n in isced_levels(locale)],
            validators=[Optional()],
        )
    if "education_field" in collected:
        attrs["education_field"] = SelectField(
            _l("Field of education"),
            choices=[("", "—"), *isced_fields(locale)],
            validators=[Optional()],
        )
    if "sector" in collected:
        attrs["sector"] = SelectField(
            _l("Sector"), choices=[("", "—"), *_choices(vocab.SECTORS)], validators=[Optional()]
        )
    if "business_stage" in collected:
        attrs["business_stage"] = SelectField(
            _l("Stage of the business"),
            choices=[("", "—"), *_choices(vocab.BUSINESS_STAGES)],
            validators=[Optional()],
        )
    if "interests" in collected:
        attrs["interests"] = SelectMultipleField(
            _l("Interests"),
            description=_l("Things you could share with your mentor or mentee."),
            choices=_choices(vocab.INTERESTS),
            validators=[Optional()],
        )
    if kind == "mentee":
        if "goals" in collected:
            attrs["goals"] = SelectMultipleField(
                _l("Your goals"),
                choices=_choices(vocab.GOALS),
                validators=[DataRequired(message=_l("Choose at least one goal."))],
            )
        if "wishes" in collected:
            attrs["wishes"] = TextAreaField(
                _l("The mentor you wish for"),
                description=_l("In your own words: what kind of person could help you further?"),
                validators=[Optional(), Length(max=5000)],
            )
        if "country_of_origin" in collected:
            attrs["country_of_origin"] = SelectField(
                _l("Country you come from"),
                choices=[("", "—"), *country_choices(locale)],
                validators=[Optional()],
            )
        if "arrival_year" in collected:
            attrs["arrival_year"] = IntegerField(
                _l("Year you arrived"),
                validators=[
                    Optional(),
                    NumberRange(
                        min=1940,
                        max=date.today().year,
                        message=_l("Give a year between %(min)s and %(max)s."),
                    ),
                ],
            )
        if "date_of_birth" in collected:
            attrs["date_of_birth"] = DateField(
                _l("Date of birth"), validators=[Optional(), _not_in_future, _plausible_birth_date]
            )
    else:
        if "helps_with" in collected:
            items = _choices(vocab.HELPS_WITH) + [
                (item.key, localized(item.label, locale, default_locale))
                for item in settings.profile.help_items
            ]
            attrs["helps_with"] = SelectMultipleField(
                _l("What you can help with"),
                choices=items,
                validators=[
                    DataRequired(message=_l("Choose at least one thing you can help with."))
                ],
            )
        if "capacity" in collected:
            attrs["capacity"] = IntegerField(
                _l("How many mentees at a time"),
                default=1,
                validators=[
                    Optional(),
                    NumberRange(min=1, max=10, message=_l("Between 1 and 10.")),
                ],
            )
        attrs["paused_until"] = DateField(
            _l("Taking a break until"),
            description=_l("Leave empty when you can take a mentee now."),
            validators=[Optional()],
        )
        if "availability" in collected:
            attrs["availability"] = TextAreaField(
                _l("When you are available"), validators=[Optional(), Length(max=1000)]
            )
    if "story" in collected:
        attrs["story"] = TextAreaField(
            _l("Your story"),
            description=_l("Tell us about yourself, your work and what matters to you."),
            validators=[Optional(), Length(max=5000)],
        )

    intake_keys = []
    for question in settings.intake_questions:
        if question.retired or question.audience not in (kind, "both"):
            continue
        attrs[f"intake_{question.key}"] = _intake_field(question, locale, default_locale)
        intake_keys.append(question.key)
    attrs["intake_keys"] = tuple(intake_keys)

    if public:
        attrs[HONEYPOT] = StringField(_l("Leave this field empty"))
        purposes = []
        for purpose, required, title, _text in notices:
            validators = (
                [DataRequired(message=_l("You need to agree to this to take part."))]
                if required
                else []
            )
            attrs[f"consent_{purpose}"] = BooleanField(title, validators=validators)
            purposes.append(purpose)
        attrs["consent_purposes"] = tuple(purposes)
    return type(f"{kind.title()}Form", (ParticipantForm,), attrs)


PROFILE_ATTRS = (
    "name",
    "email",
    "phone",
    "office",
    "languages",
    "preferred_locale",
    "profession",
    "education_level",
    "education_field",
    "sector",
    "business_stage",
    "interests",
    "goals",
    "wishes",
    "country_of_origin",
    "arrival_year",
    "date_of_birth",
    "helps_with",
    "capacity",
    "availability",
    "paused_until",
    "story",
)


def profile_from_form(form: ParticipantForm) -> dict[str, Any]:
    """The participant's attributes from a validated form, empty strings as None."""
    profile: dict[str, Any] = {}
    for name in PROFILE_ATTRS:
        if name not in form:
            continue
        value = form[name].data
        if isinstance(value, str):
            value = value.strip() or None
        if name == "email" and value:
            value = value.lower()
        if name == "education_level" and value is not None:
            value = int(value)
        if name == "capacity" and value is None:
            value = 1
        profile[name] = value
    answers = {}
    for key in form.intake_keys:
        value = form[f"intake_{key}"].data
        if isinstance(value, date):
            value = value.isoformat()
        if value in ("", None, []):
            continue
        answers[key] = value
    profile["intake_answers"] = answers
    return profile


def form_data_from_participant(participant: Any) -> dict[str, Any]:
    """Values to prefill an edit form with."""
    data = {name: getattr(participant, name, None) for name in PROFILE_ATTRS}
    if data.get("education_level") is not None:
        data["education_level"] = str(data["education_level"])
    for key, value in (participant.intake_answers or {}).items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        data[f"intake_{key}"] = value
    return data


def form_from_json(
    form_class: type[ParticipantForm], payload: dict[str, Any], partial_from: Any = None
) -> ParticipantForm:
    """Feed JSON to a participant form exactly as the browser would send it."""
    data = MultiDict()
    source = form_data_from_participant(partial_from) if partial_from else {}
    source.update({k: v for k, v in payload.items()})
    for key, value in source.items():
        if value is None:
            continue
        if isinstance(value, list):
            for item in value:
                data.add(key, str(item))
        elif isinstance(value, bool) and key.startswith("intake_"):
            data.add(key, "yes" if value else "no")  # a yes/no question
        elif isinstance(value, bool):
            data.add(key, "y" if value else "")
        else:
            data.add(key, str(value))
    return form_class(formdata=data, meta={"csrf": False})
