"""The small forms of a mentorship's page. Types are checked here; the cycle's rules (who,
when, which reasons) are checked once, in the services, and their errors land beside
the field they concern."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from mentornet.cycles.labels import choices
from mentornet.people.vocabulary import GOALS

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
BLANK = [("", "—")]


def _side_field() -> SelectField:
    return SelectField(_l("For whom"), choices=choices("side")[:2], validators=[Optional()])


class ResponseForm(FlaskForm):
    side = _side_field()
    answer = RadioField(_l("Your answer"), choices=YES_NO, validators=[InputRequired()])
    reason_code = SelectField(
        _l("If no, why?"), choices=BLANK + choices("decline_reason"), validators=[Optional()]
    )
    reason = TextAreaField(_l("In your own words (optional)"), validators=[Length(max=2000)])


class FirstMeetingForm(FlaskForm):
    first_meeting_on = DateField(_l("Date of the first meeting"), validators=[InputRequired()])
    led_by = RadioField(_l("Who led it?"), choices=choices("led_by"), validators=[InputRequired()])


class AgreementForm(FlaskForm):
    minimum_value = IntegerField(
        _l("Meeting minimum"), validators=[InputRequired(), NumberRange(1, 10_000)]
    )
    months = DecimalField(_l("Expected length in months"), validators=[InputRequired()])
    goals = SelectMultipleField(_l("Her goals you work on"), choices=[])
    notes = TextAreaField(_l("What else you agree on"), validators=[Length(max=4000)])


class AcceptForm(FlaskForm):
    side = _side_field()


class MeetingForm(FlaskForm):
    held_on = DateField(_l("Date"), default=date.today, validators=[InputRequired()])
    kind = SelectField(_l("How you met"), choices=choices("meeting_kind"))
    minutes = IntegerField(
        _l("Minutes"), validators=[InputRequired(), NumberRange(1, 1440)], default=60
    )
    note = TextAreaField(_l("A short note (optional)"), validators=[Length(max=2000)])


class GoalForm(FlaskForm):
    key = SelectField(_l("Goal"), choices=[])
    title = StringField(_l("Your own goal, if you chose another"), validators=[Length(max=200)])
    target_on = DateField(_l("Aim to reach it by (optional)"), validators=[Optional()])

    def set_goals(self, keys: list[str]) -> None:
        self.key.choices = [(k, str(GOALS.get(k, k))) for k in keys] + [
            ("custom", str(_l("Another goal")))
        ]


class GoalStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices("goal_status"))
    achieved_on = DateField(_l("Achieved on"), validators=[Optional()])


class PhaseForm(FlaskForm):
    phase = HiddenField()


class EndEarlyForm(FlaskForm):
    reason_code = SelectField(_l("Why does it end?"), choices=BLANK + choices("end_reason"))
    reason = TextAreaField(_l("In your own words"), validators=[Length(max=2000)])


class CloseForm(FlaskForm):
    to_state = RadioField(
        _l("How does the cycle end?"),
        choices=[
            ("completed", _l("Completed, with a farewell")),
            ("redefined", _l("They go on as friends, outside the programme")),
        ],
        default="completed",
    )
    job_found = RadioField(_l("Did she find a job?"), choices=YES_NO, validators=[Optional()])
    job_in_field = RadioField(_l("In her own field?"), choices=YES_NO, validators=[Optional()])
    education_started = RadioField(
        _l("Did she start an education?"), choices=YES_NO, validators=[Optional()]
    )
    language_improved = RadioField(
        _l("Did her language improve?"), choices=YES_NO, validators=[Optional()]
    )
    network_grown = RadioField(_l("Did her network grow?"), choices=YES_NO, validators=[Optional()])
    mentee_satisfaction = SelectField(
        _l("The mentee's satisfaction (1 to 5)"),
        choices=BLANK + [(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional()],
    )
    mentor_satisfaction = SelectField(
        _l("The mentor's satisfaction (1 to 5)"),
        choices=BLANK + [(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional()],
    )
    farewell_held = BooleanField(_l("The farewell took place"))
    farewell_on = DateField(_l("Date of the farewell"), validators=[Optional()])
    reason = TextAreaField(_l("A note for the record (optional)"), validators=[Length(max=2000)])


class SatisfactionForm(FlaskForm):
    satisfaction = RadioField(
        _l("How satisfied are you with the mentorship? (1 = not at all, 5 = very)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[InputRequired()],
    )


class FollowUpDoneForm(FlaskForm):
    note = TextAreaField(_l("How is it going?"), validators=[Length(max=4000)])
