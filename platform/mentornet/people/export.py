"""Everything the programme holds about one participant, for her access request.

The export is written for her, so every label and every value is in her language (her
``preferred_locale`` when the programme offers it, else its default), whoever asks for
it; each value also keeps its stored key, so the file is as useful to a machine. About
the other side of a mentorship it says only the first name she already knows.

Interview notes are coordinator-only on every page; a coordinator handling a request may
include them (``with_interviews``), after reading them; the participant's own download
leaves them out and says how to ask for them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mentornet.cycles import labels as cycle_labels
from mentornet.cycles.models import Mentorship
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.people import templating
from mentornet.people.models import Participant
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import localized

# The profile's fields in the order of the sign-up form, with the form's own words.
PROFILE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("name", _l("Full name")),
    ("email", _l("Email")),
    ("phone", _l("Phone")),
    ("office", _l("Office")),
    ("languages", _l("Languages you speak")),
    ("preferred_locale", _l("Language we write to you in")),
    ("profession", _l("Profession")),
    ("education_level", _l("Highest education")),
    ("education_field", _l("Field of education")),
    ("sector", _l("Sector")),
    ("business_stage", _l("Stage of the business")),
    ("interests", _l("Interests")),
    ("goals", _l("Your goals")),
    ("wishes", _l("The mentor you wish for")),
    ("country_of_origin", _l("Country you come from")),
    ("arrival_year", _l("Year you arrived")),
    ("date_of_birth", _l("Date of birth")),
    ("helps_with", _l("What you can help with")),
    ("capacity", _l("How many mentees at a time")),
    ("paused_until", _l("Taking a break until")),
    ("availability", _l("When you are available")),
    ("story", _l("Your story")),
)

MENTEE_ONLY = {"goals", "wishes", "country_of_origin", "arrival_year", "date_of_birth"}
MENTOR_ONLY = {"helps_with", "capacity", "paused_until", "availability"}


def export_locale(participant: Participant) -> str:
    """Her language if the programme offers it, else the programme's default."""
    settings = current_tenant.config
    if participant.preferred_locale in settings.locales:
        return participant.preferred_locale
    return settings.default_locale


def _when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value) if isinstance(value, datetime) else format_date(value)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _joined(values: list[str], label: Callable[[str], str]) -> str:
    return ", ".join(label(v) for v in values or [])


def _text(key: str, value: Any) -> str:
    """A stored value as words in the current locale."""
    if value is None or value == [] or value == "":
        return ""
    words: dict[str, Callable[[Any], str]] = {
        "office": templating.office_label,
        "languages": lambda v: _joined(v, templating.language_name),
        "preferred_locale": templating.language_name,
        "profession": templating.occupation_label,
        "education_level": templating.isced_level_label_for,
        "education_field": templating.isced_field_label_for,
        "sector": lambda v: templating.vocab_label("sector", v),
        "business_stage": lambda v: templating.vocab_label("business_stage", v),
        "interests": lambda v: _joined(v, lambda k: templating.vocab_label("interest", k)),
        "goals": lambda v: _joined(v, lambda k: templating.vocab_label("goal", k)),
        "country_of_origin": templating.country_name,
        "helps_with": lambda v: _joined(v, templating.help_label),
        "date_of_birth": _when,
        "paused_until": _when,
    }
    return words.get(key, str)(value)


def _profile(p: Participant) -> list[dict[str, Any]]:
    skip = MENTOR_ONLY if p.kind == "mentee" else MENTEE_ONLY
    fields = []
    for key, label in PROFILE_FIELDS:
        if key in skip:
            continue
        value = getattr(p, key)
        raw = value.isoformat() if isinstance(value, date) else value
        fields.append({"field": key, "label": str(label), "value": raw, "text": _text(key, value)})
    return fields


def _intake(p: Participant) -> list[dict[str, Any]]:
    """Her answers, retired questions included: she answered them."""
    settings = current_tenant.config
    locale = export_locale(p)
    answers = []
    for question in settings.intake_questions:
        if question.key not in (p.intake_answers or {}):
            continue
        value = p.intake_answers[question.key]
        answers.append(
            {
                "question": localized(question.label, locale, settings.default_locale),
                "key": question.key,
                "value": value,
                "text": templating.intake_answer(question, value),
            }
        )
    return answers


def _consents(p: Participant) -> list[dict[str, Any]]:
    return [
        {
            "purpose": c.purpose,
            "notice_version": c.notice_version,
            "notice_text": c.notice_text,
            "given_at": _iso(c.given_at),
            "given": _when(c.given_at),
            "withdrawn_at": _iso(c.withdrawn_at),
            "withdrawn": _when(c.withdrawn_at),
        }
        for c in p.consents
    ]


def _mentorships(p: Participant) -> list[dict[str, Any]]:
    side = "mentee_id" if p.kind == "mentee" else "mentor_id"
    rows = db.session.scalars(
        select(Mentorship).where(getattr(Mentorship, side) == p.id).order_by(Mentorship.id)
    ).all()
    other_ids = {m.mentor_id if p.kind == "mentee" else m.mentee_id for m in rows}
    names = dict(
        db.session.execute(
            select(Participant.id, Participant.name).where(Participant.id.in_(other_ids))
        ).all()
    )
    label = cycle_labels.cycle_label
    result = []
    for m in rows:
        other = m.mentor_id if p.kind == "mentee" else m.mentee_id
        first_name = (names.get(other) or "").split(" ")[0]
        outcome = m.outcome
        result.append(
            {
                "id": m.id,
                "with": first_name,
                "state": m.state,
                "state_text": label("state", m.state),
                "proposed_at": _iso(m.created_at),
                "first_meeting_on": _iso(m.first_meeting_on),
                "agreed_at": _iso(m.agreed_at),
                "phase": m.phase,
                "phase_text": cycle_labels.phase_name(m.phase),
                "closed_at": _iso(m.closed_at),
                "answers": [
                    {
                        "side": r.side,
                        "answer": r.answer,
                        "reason": r.reason,
                        "at": _iso(r.at),
                    }
                    for r in m.responses
                    if r.side == p.kind
                ],
                "meetings": [
                    {
                        "held_on": _iso(meeting.held_on),
                        "held": _when(meeting.held_on),
                        "kind": meeting.kind,
                        "kind_text": label("meeting_kind", meeting.kind),
                        "minutes": meeting.minutes,
                        "note": meeting.note,
                    }
                    for meeting in m.meetings
                ],
                "goals": [
                    {
                        "title": goal.title or templating.vocab_label("goal", goal.key),
                        "status": goal.status,
                        "status_text": label("goal_status", goal.status),
                        "achieved_on": _iso(goal.achieved_on),
                    }
                    for goal in m.goals
                ],
                "outcome": None
                if outcome is None
                else {
                    "job_found": outcome.job_found,
                    "job_in_field": outcome.job_in_field,
                    "education_started": outcome.education_started,
                    "language_improved": outcome.language_improved,
                    "network_grown": outcome.network_grown,
                    "satisfaction": outcome.mentee_satisfaction
                    if p.kind == "mentee"
                    else outcome.mentor_satisfaction,
                },
            }
        )
    return result


def _interviews(p: Participant) -> list[dict[str, Any]]:
    return [
        {
            "held_on": _iso(i.held_on),
            "held": _when(i.held_on),
            "dreams": i.dreams,
            "mentor_wish": i.mentor_wish,
            "languages": i.languages,
            "availability": i.availability,
            "notes": i.notes,
        }
        for i in p.interviews
    ]


def export(participant: Participant, *, with_interviews: bool) -> dict[str, Any]:
    """Her data as one JSON-ready document, in her language."""
    locale = export_locale(participant)
    settings = current_tenant.config
    with force_locale(locale):
        document: dict[str, Any] = {
            "title": _("What %(programme)s holds about you", programme=settings.name),
            "programme": settings.name,
            "language": locale,
            "exported_at": utcnow().isoformat(),
            "exported": _when(utcnow()),
            "kind": participant.kind,
            "status": participant.status,
            "status_text": templating.status_label(participant.status),
            "registered_at": _iso(participant.created_at),
            "profile": _profile(participant),
            "intake": _intake(participant),
            "consents": _consents(participant),
            "mentorships": _mentorships(participant),
        }
        if with_interviews:
            document["interviews"] = _interviews(participant)
        else:
            document["interviews_note"] = _(
                "The notes from your intake talk are not in this file. Ask a coordinator "
                "of %(programme)s if you want them too.",
                programme=settings.name,
            )
    return document


def filename(participant: Participant) -> str:
    """Ids only: a file name is seen in download lists and mail attachments."""
    return f"{current_tenant.slug}-participant-{participant.id}.json"
