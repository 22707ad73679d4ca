"""Forms for logging in; every label and message goes through Flask-Babel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

EMAIL = _l("Email")
EMAIL_REQUIRED = _l("Please enter your email address.")


def email_field(label=EMAIL, required=EMAIL_REQUIRED) -> EmailField:
    """An email address, checked for its shape; the same rules on every form."""
    return EmailField(
        label,
        validators=[
            DataRequired(message=required),
            Email(message=_l("This does not look like an email address.")),
            Length(max=320),
        ],
    )


def new_password_field() -> PasswordField:
    """A password she chooses: at least 10 characters (see accounts.passwords)."""
    return PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Please enter your password.")),
            Length(min=10, message=_l("A password needs at least 10 characters.")),
        ],
    )


def confirm_password_field() -> PasswordField:
    """The chosen password typed again, compared with the form's ``password``."""
    return PasswordField(
        _l("The same password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Please enter your password."))]
    )
    next = HiddenField()


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[])
    next = HiddenField()


class AcceptInvitationForm(FlaskForm):
    """Choose a name and a password (or give the password of the account she has)."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    password = new_password_field()
    confirm = confirm_password_field()


class InviteStaffForm(FlaskForm):
    """The admin invites a coordinator (perhaps for some offices only) or another admin."""

    email = email_field(required=_l("Please enter an email address."))
    role = SelectField(_l("Role"), choices=[])
    offices = SelectMultipleField(
        _l("Offices"),
        choices=[],
        description=_l("Leave empty for every office. Admins always see every office."),
    )


class SsoProviderForm(FlaskForm):
    """The tenant's OpenID Connect provider. The secret is never rendered back."""

    issuer = StringField(
        _l("Issuer URL"),
        validators=[
            DataRequired(message=_l("Please enter the issuer URL of your provider.")),
            Length(max=500, message=_l("The issuer URL is too long.")),
        ],
        description=_l(
            "The address your provider calls its issuer, for example "
            "https://login.microsoftonline.com/<tenant id>/v2.0 or "
            "https://keycloak.example.org/realms/mentors. Mentornet reads the rest from "
            "its /.well-known/openid-configuration."
        ),
    )
    client_id = StringField(
        _l("Client ID"),
        validators=[
            DataRequired(message=_l("Please enter the client ID.")),
            Length(max=255, message=_l("The client ID is too long.")),
        ],
    )
    client_secret = PasswordField(
        _l("Client secret"),
        validators=[Optional(), Length(max=500, message=_l("The client secret is too long."))],
    )
    enabled = BooleanField(
        _l("Members may log in with single sign-on"),
        default=True,
        description=_l("When this is off, the login page shows only the password form."),
    )

    def validate_issuer(self, field: StringField) -> None:
        from mentornet.accounts.sso import SsoConfigError, check_issuer

        try:
            check_issuer(field.data or "")
        except SsoConfigError as error:
            raise ValidationError(error.message) from None

    def require_secret(self) -> None:
        """A new provider needs its secret; a saved one keeps its secret when left blank."""
        self.client_secret.validators = [
            DataRequired(message=_l("Please enter the client secret.")),
            Length(max=500, message=_l("The client secret is too long.")),
        ]
        self.client_secret.flags.required = True
