"""Registering, finding, changing and erasing participants; interviews and consents.

Views and the API call these; they flush, the caller commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, String, cast, func, or_, select

from mentornet.dbtypes import as_utc, utcnow
from mentornet.extensions import db
from mentornet.jobs import enqueue_after_commit
from mentornet.people.models import Consent, Interview, Participant, SignupAttempt
from mentornet.people.vocabulary import STATUSES
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import localized

SIGNUPS_PER_HOUR = 5


class PeopleError(ValueError):
    """Refused input; ``fields`` maps a field name to the message shown beside it."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


class DuplicateEmail(PeopleError):
    """The email belongs to another participant of this tenant (the API answers 409)."""


@dataclass(frozen=True)
class Notice:
    """A consent notice as she reads it: in her language, with its version."""

    purpose: str
    version: str
    required: bool
    title: str
    text: str


def notices(locale: str) -> list[Notice]:
    """The tenant's consent notices in ``locale``, or the built-in one."""
    settings = current_tenant.config
    if settings.consent_notices:
        return [
            Notice(
                n.purpose,
                n.version,
                n.required,
                localized(n.title, locale, settings.default_locale),
                localized(n.text, locale, settings.default_locale),
            )
            for n in settings.consent_notices
        ]
    return [
        Notice(
            "programme",
            "builtin-1",
            True,
            _(
                "I agree that %(name)s keeps my information to run the programme.",
                name=settings.name,
            ),
            _(
                "%(name)s keeps what you tell us in this form to find you a good match and to "
                "follow your mentorship. Only the programme's coordinators read it. You can see, "
                "correct or withdraw it at any time; after the programme it is erased within "
                "%(months)s months.",
                name=settings.name,
                months=settings.retention_months,
            ),
        )
    ]


def _email_taken(email: str | None, exclude_id: int | None = None) -> bool:
    if not email:
        return False
    statement = select(Participant.id).where(func.lower(Participant.email) == email.lower())
    if exclude_id is not None:
        statement = statement.where(Participant.id != exclude_id)
    return db.session.scalar(statement) is not None


def _duplicate_email_error() -> DuplicateEmail:
    return DuplicateEmail({"email": _("Someone with this email is already registered here.")})


def register(
    kind: str, profile: dict[str, Any], *, source: str, consents: list[tuple[Notice, str]] = ()
) -> Participant:
    """A new participant with status ``applied`` and the consents she gave."""
    if not profile.get("email") and not profile.get("phone"):
        raise PeopleError({"email": _("Give an email address or a phone number.")})
    if _email_taken(profile.get("email")):
        raise _duplicate_email_error()
    participant = Participant(kind=kind, status="applied", source=source, **profile)
    db.session.add(participant)
    for notice, locale in consents:
        participant.consents.append(
            Consent(
                purpose=notice.purpose,
                notice_version=notice.version,
                notice_text=f"{notice.title}\n\n{notice.text}",
                locale=locale,
                recorded_by="self" if source == "web" else "coordinator",
            )
        )
    db.session.flush()
    if source == "web" and participant.email:  # she signed up herself: confirm it
        enqueue_after_commit("mail.participant_signed_up", participant.tenant_id, participant.id)
    return participant


def _kept_answers(participant: Participant, answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` plus her earlier answers to questions the form no longer asks her.

    A retired question leaves the forms, not her profile: saving the form keeps them.
    """
    asked = {
        q.key
        for q in current_tenant.config.intake_questions
        if not q.retired and q.audience in (participant.kind, "both")
    }
    kept = {k: v for k, v in (participant.intake_answers or {}).items() if k not in asked}
    return {**kept, **answers}


def update_profile(participant: Participant, profile: dict[str, Any]) -> Participant:
    if "email" in profile and _email_taken(profile.get("email"), exclude_id=participant.id):
        raise _duplicate_email_error()
    if "intake_answers" in profile:
        profile = {
            **profile,
            "intake_answers": _kept_answers(participant, profile["intake_answers"]),
        }
    for name, value in profile.items():
        setattr(participant, name, value)
    db.session.flush()
    return participant


def set_status(participant: Participant, status: str) -> None:
    if status not in STATUSES:
        raise PeopleError({"status": _("Unknown status.")})
    if status == participant.status:
        return
    now = utcnow()
    participant.status = status
    participant.status_changed_at = now
    if status == "ready" and participant.ready_since is None:
        participant.ready_since = now
    elif status not in ("ready", "matched"):
        participant.ready_since = None  # off the waiting list; a return starts afresh
    db.session.flush()


def record_interview(
    participant: Participant, data: dict[str, Any], interviewer_id: int
) -> Interview:
    interview = Interview(interviewer_id=interviewer_id, **data)
    participant.interviews.append(interview)
    if participant.status == "applied":
        set_status(participant, "interviewed")
    db.session.flush()
    return interview


def withdraw_consent(consent: Consent) -> None:
    if consent.withdrawn_at is None:
        consent.withdrawn_at = utcnow()
        db.session.flush()


def erase(participant: Participant) -> None:
    """Erase her personal data for good; the row stays, anonymous, for the counts."""
    for name in (
        "email",
        "phone",
        "profession",
        "education_level",
        "education_field",
        "story",
        "sector",
        "business_stage",
        "wishes",
        "country_of_origin",
        "arrival_year",
        "date_of_birth",
        "availability",
        "paused_until",
        "user_id",
    ):
        setattr(participant, name, None)
    participant.name = ""
    for name in ("languages", "interests", "goals", "helps_with"):
        setattr(participant, name, [])
    participant.intake_answers = {}
    participant.interviews.clear()
    for consent in participant.consents:
        consent.withdrawn_at = consent.withdrawn_at or utcnow()
    participant.status = "withdrawn"
    participant.erased_at = utcnow()
    db.session.flush()


def get_participant(participant_id: int, kind: str | None = None, offices: list[str] | None = None):
    """One participant of the bound tenant, or None (another tenant's id included)."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.erased_at is not None:
        return None
    if kind and participant.kind != kind:
        return None
    if offices and participant.office not in offices:
        return None
    return participant


SORTS = {
    "name": Participant.name,
    "-name": Participant.name.desc(),
    "created": Participant.created_at,
    "-created": Participant.created_at.desc(),
    "waiting": Participant.ready_since,  # longest waiting first
}


def search(
    *,
    kind: str | None = None,
    q: str | None = None,
    status: str | None = None,
    office: str | None = None,
    profession: str | None = None,
    language: str | None = None,
    min_days_waiting: int | None = None,
    sort: str = "-created",
    offices: list[str] | None = None,
) -> Select[Any]:
    """The participants matching the filters, as a statement the caller pages through."""
    statement = select(Participant).where(Participant.erased_at.is_(None))
    if kind:
        statement = statement.where(Participant.kind == kind)
    if offices:
        statement = statement.where(Participant.office.in_(offices))
    if q:
        like = f"%{q.strip().lower()}%"
        statement = statement.where(
            or_(func.lower(Participant.name).like(like), func.lower(Participant.email).like(like))
        )
    if status:
        statement = statement.where(Participant.status == status)
    if office:
        statement = statement.where(Participant.office == office)
    if profession:
        statement = statement.where(Participant.profession.startswith(profession.strip()))
    if language:
        # JSON arrays are stored as text on both databases; a quoted code is unambiguous.
        statement = statement.where(cast(Participant.languages, String).like(f'%"{language}"%'))
    if min_days_waiting:
        cutoff = datetime.now(UTC) - timedelta(days=min_days_waiting)
        statement = statement.where(
            Participant.status == "ready", Participant.ready_since <= cutoff
        )
    order = SORTS.get(sort, SORTS["-created"])
    return statement.order_by(order, Participant.id)


def counts_by_status(offices: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Mentees and mentors per status, for the dashboard: one GROUP BY, no rows loaded."""
    statement = select(Participant.kind, Participant.status, func.count()).where(
        Participant.erased_at.is_(None)
    )
    if offices:
        statement = statement.where(Participant.office.in_(offices))
    rows = db.session.execute(statement.group_by(Participant.kind, Participant.status)).all()
    counts: dict[str, dict[str, int]] = {"mentee": {}, "mentor": {}}
    for kind, status, count in rows:
        counts[kind][status] = count
    return counts


def allow_signup(address: str) -> bool:
    """At most SIGNUPS_PER_HOUR sign-ups an hour from one address; keeps only a hash."""
    digest = hashlib.sha256((current_app.config["SECRET_KEY"] + "|" + address).encode()).hexdigest()
    since = utcnow() - timedelta(hours=1)
    recent = db.session.scalar(
        select(func.count())
        .select_from(SignupAttempt)
        .where(SignupAttempt.address_hash == digest, SignupAttempt.created_at >= since)
    )
    if (recent or 0) >= SIGNUPS_PER_HOUR:
        return False
    db.session.add(SignupAttempt(address_hash=digest))
    db.session.flush()
    return True


def days_waiting(participant: Participant) -> int | None:
    if participant.status != "ready" or participant.ready_since is None:
        return None
    return (datetime.now(UTC) - as_utc(participant.ready_since)).days
