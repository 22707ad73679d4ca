"""The /start form: the organisation, its web address, its first admin and its preset."""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from mentornet.accounts.forms import confirm_password_field, email_field, new_password_field
from mentornet.i18n import locale_name
from mentornet.tenancy.settings_schema import SUPPORTED_LOCALES


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries, named and sorted in the visitor's language."""
    locale = Locale.parse(str(get_locale() or "en"))
    names = {
        code: name
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "QO", "ZZ")
    }
    return sorted(names.items(), key=lambda item: item[1])


class StartForm(FlaskForm):
    organisation = StringField(
        _l("Name of your organisation"),
        validators=[
            DataRequired(message=_l("Please give your organisation's name.")),
            Length(min=2, max=200, message=_l("Use between 2 and 200 characters.")),
        ],
    )
    country = SelectField(
        _l("Country"),
        validators=[DataRequired(message=_l("Please choose your country."))],
        validate_choice=True,
    )
    slug = StringField(
        _l("Web address"),
        description=_l("Your programme's pages will be at /<address>/, e.g. /oslo-mentors/."),
        validators=[DataRequired(message=_l("Please choose a web address."))],
    )
    preset = RadioField(
        _l("Start from"),
        validators=[DataRequired(message=_l("Please choose one of the presets."))],
    )
    locale = SelectField(
        _l("Default language"),
        choices=[(code, locale_name(code)) for code in SUPPORTED_LOCALES],
        validators=[DataRequired(message=_l("Please choose a language."))],
    )
    admin_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(message=_l("Please give your name.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
    )
    email = email_field(_l("Your email"))
    password = new_password_field()
    confirm = confirm_password_field()

    def validate_slug(self, field: StringField) -> None:
        """Shape, reserved words and uniqueness, beside the field with the others' errors."""
        from mentornet.onboarding.signup import slug_problem

        field.data = (field.data or "").strip().lower()
        problem = slug_problem(field.data)
        if problem:
            raise ValidationError(problem)
