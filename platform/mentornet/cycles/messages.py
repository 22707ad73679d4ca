"""Sentences for the codes the cycle rules refuse with, in the reader's language.

The core modules speak in codes so they need no Flask; this is where a code becomes
something a coordinator, mentor or mentee can act on.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "illegal_transition": _l("This step is not possible from where the mentorship is now."),
    "not_allowed": _l("Your role does not allow this step."),
    "needs_first_meeting": _l("Record the first meeting first."),
    "needs_both_yes": _l("Both must say yes after the first meeting."),
    "needs_agreement": _l("Both must accept the agreement first."),
    "needs_reason": _l("Say why."),
    "needs_outcomes": _l("Record the outcomes first."),
    "needs_farewell": _l("A cycle is completed with a farewell: record that it happened."),
    "invalid": _l("Some fields are not valid."),
    "needs_pair": _l("A mentorship needs a mentee and a mentor."),
    "unavailable": _l("This mentor is not available for a new mentee."),
    "excluded": _l("This mentor is excluded for this mentee."),
    "conflict": _l("She already has a mentorship in progress."),
    "no_capacity": _l("This mentor has no free place."),
    "choose_reason": _l("Choose a reason from the list."),
    "say_why": _l("Say why in a few words."),
    "choose_side": _l("Choose whose answer this is."),
    "choose_answer": _l("Answer yes or no."),
    "answers_closed": _l("Answers are given before the agreement; this mentorship is past that."),
    "date_required": _l("Give a date."),
    "date_future": _l("This date is in the future."),
    "date_before_proposal": _l("This date is before the match was proposed."),
    "invalid_led_by": _l("Say who led the first meeting."),
    "wrong_led_by": _l("The programme asks for a first meeting led another way."),
    "agreement_fixed": _l("The agreement can only change before both have accepted it."),
    "minimum_range": _l("A number from 1 to 10,000."),
    "months_range": _l("A number of months above 0 and at most 60."),
    "goals_hers": _l("Choose from the mentee's own goals."),
    "unknown_phase": _l("This phase is not in the programme's cycle."),
    "phase_order": _l("Phases follow each other: move on to the next one."),
    "not_working": _l("Meetings and goals belong to a pair that is working together."),
    "choose_kind": _l("Choose how you met."),
    "minutes_range": _l("A number of minutes from 1 to 1,440."),
    "too_long": _l("This text is too long."),
    "choose_status": _l("Choose a status from the list."),
    "title_required": _l("Give the goal a title."),
    "outcome_required": _l("Answer yes or no."),
    "outcome_needs_job": _l("Only when a job was found."),
    "outcome_out_of_range": _l("A number from 1 to 5."),
    "rate_when": _l("Satisfaction is given near or after the end of the cycle."),
    "satisfaction_range": _l("A number from 1 to 5."),
    "follow_up_closed": _l("This follow-up is already closed."),
    "note_required": _l("Write a short note on how it went."),
}


def message(code: str) -> str:
    return str(MESSAGES.get(code, MESSAGES["illegal_transition"]))
