"""The coordinator's interview form: her dreams in her own words, the mentor she asks for."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class InterviewForm(FlaskForm):
    held_on = DateField(_l("Date of the interview"), validators=[DataRequired()])
    dreams = TextAreaField(
        _l("Her dreams and goals, in her own words"),
        validators=[DataRequired(message=_l("Write down what she told you.")), Length(max=10000)],
    )
    mentor_wish = TextAreaField(
        _l("The kind of mentor she asks for"), validators=[Optional(), Length(max=5000)]
    )
    languages = SelectMultipleField(_l("Languages"), choices=[], validators=[Optional()])
    availability = TextAreaField(_l("Availability"), validators=[Optional(), Length(max=2000)])
    notes = TextAreaField(
        _l("Notes"),
        description=_l("Seen by coordinators and admins only."),
        validators=[Optional(), Length(max=10000)],
    )

    def interview_data(self) -> dict[str, Any]:
        return {
            "held_on": self.held_on.data,
            "dreams": self.dreams.data.strip(),
            "mentor_wish": (self.mentor_wish.data or "").strip(),
            "languages": list(self.languages.data or []),
            "availability": (self.availability.data or "").strip(),
            "notes": (self.notes.data or "").strip(),
        }
