"""Retention: participants whose time in the programme ended longer ago than the tenant
keeps data (its ``retention_months``) are anonymised, nightly, by ``retention.anonymise``.

Who is due (``due_for_anonymisation``), on a given day:

- she is not erased yet, and she is out of the programme: no mentorship of hers is open
  (proposed, introduced, agreed, active) and her status is not ``ready`` or ``matched``
  (waiting for a mentor, or a mentor still available, is taking part);
- her last sign of life is older than the retention period: the latest of her last
  mentorship's end (``closed_at``, whatever the way it ended: completed, redefined,
  declined, ended early), her last status change and the last change to her record.
  So alumni, people who withdrew, and applications that never led anywhere (applied,
  interviewed or paused, untouched since) all count from their last activity.

What anonymising keeps, for the reports: the participant row (kind, office, status
dates, created and erased dates), her mentorships with their states, dates,
transitions (with reason codes), meetings (date, kind, minutes), goals (key, status,
dates), follow-up dates and outcomes. From her profile only two coarse, non-identifying
stand-ins stay: the ISCO-08 major group of her profession (one digit of ten) and a
ten-year age band at sign-up. Her country of origin and arrival year go: in a small
programme they point at a person.

What goes: everything ``people.services.erase`` blanks (name, contact, story, answers,
the coordinator's interview notes, languages, goals...), her language preference, and,
on each of her mentorships, the free text the pair or the coordinator wrote (meeting
notes, reasons in their words, agreement notes, custom goal titles, follow-up notes)
and the matching explanation's profile facts. Her login in this tenant goes too (with
its tokens and invitations), the user account itself when no other programme knows
her, and the mails to her kept in the demo's outbox (whose messages older than 90
days go too, whoever they name). The log carries counts only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import selectinload

from mentornet.accounts.models import ApiToken, Invitation, Membership, SsoIdentity, User
from mentornet.cycles.lifecycle import OPEN_STATES
from mentornet.cycles.models import (
    Agreement,
    FollowUp,
    Goal,
    Meeting,
    Mentorship,
    MentorshipTransition,
    Response,
)
from mentornet.cycles.schedule import add_months
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.jobs import task
from mentornet.mail import outbox
from mentornet.mail.models import OutboxMessage
from mentornet.people.models import Participant
from mentornet.people.services import erase
from mentornet.tenancy.context import current_tenant, platform_scope

log = logging.getLogger(__name__)

# Taking part: waiting for a match (a mentor: available for one) or matched.
IN_PROGRAMME = ("ready", "matched")
# Lower bound of each band, in years, and its label.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "under-25"),
    (25, "25-34"),
    (35, "35-44"),
    (45, "45-54"),
    (55, "55-64"),
    (65, "65-plus"),
)
PARTICIPANT_ROLES = ("mentee", "mentor")
BATCH = 500  # ids per IN list


# --- rules (plain Python) --------------------------------------------------------------------


def age_band(born: date | None, on: date) -> str | None:
    """Her ten-year band on ``on`` (her sign-up), or None without a date of birth."""
    if born is None or born > on:
        return None
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    label = None
    for lower, name in AGE_BANDS:
        if years >= lower:
            label = name
    return label


def profession_group(code: str | None) -> str | None:
    """The ISCO-08 major group (the first digit of the unit group), or None."""
    if code and code[0].isdigit():
        return code[0]
    return None


def cutoff(today: date, months: int) -> datetime:
    """The start of the day ``months`` calendar months before ``today`` (UTC): whatever
    happened before it is older than the retention period."""
    return datetime.combine(add_months(today, -months), time.min, UTC)


def without_facts(explanation: Sequence[dict] | None) -> list[dict]:
    """The matching explanation minus each criterion's profile values ("facts"): the
    criteria, weights and similarities stay, what she is like goes."""
    return [{k: v for k, v in reason.items() if k != "facts"} for reason in explanation or ()]


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield list(ids[start : start + BATCH])


# --- selection ----------------------------------------------------------------------------


def due_for_anonymisation(today: date, months: int | None = None) -> list[int]:
    """Ids of the bound tenant's participants due for anonymisation on ``today``.

    One statement; each correlated EXISTS looks at one side of her pairs, so it is an
    index look-up (tenant, mentee or mentor, state), cheap for many thousands of people.
    """
    months = current_tenant.config.retention_months if months is None else months
    before = cutoff(today, months)
    ended = func.coalesce(Mentorship.closed_at, Mentorship.state_changed_at)

    def hers(*conditions: Any) -> Any:
        return or_(
            *(
                select(Mentorship.id).where(side == Participant.id, *conditions).exists()
                for side in (Mentorship.mentee_id, Mentorship.mentor_id)
            )
        )

    statement = (
        select(Participant.id)
        .where(
            Participant.erased_at.is_(None),
            Participant.status.not_in(IN_PROGRAMME),
            Participant.status_changed_at < before,
            Participant.updated_at < before,
            ~hers(Mentorship.state.in_(OPEN_STATES)),
            ~hers(ended >= before),
        )
        .order_by(Participant.id)
    )
    return list(db.session.scalars(statement))


# --- anonymising ----------------------------------------------------------------------------


def _blank_pair_texts(participant_ids: list[int]) -> None:
    """Free text on the mentorships of these people, which may name or describe them."""
    pairs = select(Mentorship.id).where(
        or_(Mentorship.mentee_id.in_(participant_ids), Mentorship.mentor_id.in_(participant_ids))
    )
    plain = {"synchronize_session": False}
    for model, column in (
        (Meeting, Meeting.note),
        (MentorshipTransition, MentorshipTransition.reason),
        (Response, Response.reason),
        (Agreement, Agreement.notes),
        (Goal, Goal.title),
        (FollowUp, FollowUp.note),
    ):
        db.session.execute(
            update(model)
            .where(model.mentorship_id.in_(pairs), column != "")
            .values({column.key: ""})
            .execution_options(**plain)
        )
    for mentorship in db.session.scalars(select(Mentorship).where(Mentorship.id.in_(pairs))):
        if any("facts" in reason for reason in mentorship.explanation or ()):
            mentorship.explanation = without_facts(mentorship.explanation)


def _close_accounts(user_ids: list[int], participant_ids: list[int], emails: list[str]) -> int:
    """Her login here (a mentee's or mentor's membership, its tokens, single sign-on links
    and invitations), and her user account when no other programme has her. Returns the
    number of user accounts deleted."""
    db.session.execute(
        delete(Invitation)
        .where(
            or_(
                Invitation.participant_id.in_(participant_ids),
                func.lower(Invitation.email).in_(emails),
            ),
            Invitation.role.in_(PARTICIPANT_ROLES),
        )
        .execution_options(synchronize_session=False)
    )
    if not user_ids:
        return 0
    members = list(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.user_id.in_(user_ids), Membership.role.in_(PARTICIPANT_ROLES)
            )
        )
    )
    if not members:
        return 0
    for model in (ApiToken, SsoIdentity, Membership):
        db.session.execute(
            delete(model)
            .where(model.user_id.in_(members))
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    # Whether another programme still knows her: ids only, read across tenants.
    with platform_scope():
        elsewhere = set(
            db.session.scalars(select(Membership.user_id).where(Membership.user_id.in_(members)))
        )
    gone = [uid for uid in members if uid not in elsewhere]
    if gone:
        db.session.execute(
            delete(User).where(User.id.in_(gone)).execution_options(synchronize_session=False)
        )
    return len(gone)


def anonymise(participants: Sequence[Participant]) -> int:
    """Anonymise these participants of the bound tenant (see the module's docstring).

    Already erased people are left as they are. Returns how many were anonymised.
    """
    todo = [p for p in participants if p.erased_at is None]
    if not todo:
        return 0
    default_locale = current_tenant.default_locale
    user_ids = {p.user_id for p in todo if p.user_id is not None}
    emails = {p.email.lower() for p in todo if p.email}
    for participant in todo:
        group = profession_group(participant.profession)
        band = age_band(participant.date_of_birth, participant.created_at.date())
        erase(participant)
        participant.profession_group, participant.age_band = group, band
        participant.preferred_locale = default_locale
    db.session.flush()
    ids = [p.id for p in todo]
    # A login also linked to someone still here (she came back as a mentor) stays.
    user_ids -= set(
        db.session.scalars(
            select(Participant.user_id).where(
                Participant.user_id.in_(user_ids), Participant.erased_at.is_(None)
            )
        )
    )
    if user_ids:
        users = select(User.email).where(User.id.in_(user_ids))
        emails.update(email.lower() for email in db.session.scalars(users))
    _blank_pair_texts(ids)
    _close_accounts(sorted(user_ids), ids, sorted(emails))
    # The demo's outbox keeps what she was sent, addressed to her: it goes with her.
    db.session.execute(
        delete(OutboxMessage)
        .where(func.lower(OutboxMessage.recipient).in_(sorted(emails)))
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return len(todo)


def anonymise_expired(today: date | None = None) -> int:
    """Anonymise everyone of the bound tenant whose retention period is over."""
    today = today or utcnow().date()
    ids = due_for_anonymisation(today)
    done = 0
    for chunk in _chunks(ids):
        people = db.session.scalars(
            select(Participant)
            .where(Participant.id.in_(chunk))
            .options(selectinload(Participant.interviews), selectinload(Participant.consents))
        ).all()
        done += anonymise(people)
    log.info("retention: tenant %s, %d participant(s) anonymised", current_tenant.id, done)
    return done


@task("retention.anonymise")
def anonymise_task() -> int:
    """The nightly job for one tenant; running it again finds nobody left to do. The
    outbox's old messages go too (they may name people)."""
    pruned = outbox.prune()
    if pruned:
        log.info("retention: tenant %s, %d outbox message(s) pruned", current_tenant.id, pruned)
    return anonymise_expired()
