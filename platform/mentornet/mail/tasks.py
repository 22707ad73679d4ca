"""The mail tasks: one per kind of message, each a function of row ids.

Their names and arguments are a contract with the code that enqueues them (the services
and the scheduler): keep them. All are tenant tasks on the ``notifications`` queue and
return how many mails went out. Each message has a receipt key made of the task, the
ids, the recipient's side or membership and, for the periodic ones, the day: a job
delivered twice mails nobody twice, and the same reminder goes out once a day at most.

A task looks its rows up in the bound tenant: another tenant's id finds nothing and
mails nobody. It re-checks that the mail still makes sense (the pair is still waiting,
the check-in still due) since a job may run long after it was decided.

Who hears of an answer (``mail.answer_received``): the coordinator who proposed the pair,
if she is still on the team; otherwise the coordinators of the pair's offices (the
admins when there are none). Nobody is told of an answer she recorded herself. A no
declines the pair and keeps no answer row: it comes with ``response_id`` 0.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from mentornet.accounts import invitations
from mentornet.accounts.models import STAFF_ROLES, Invitation, Membership, Role, User
from mentornet.cycles.access import people_of
from mentornet.cycles.health import SILENT
from mentornet.cycles.models import FollowUp, Mentorship, MentorshipTransition, Response
from mentornet.cycles.tracking import health_of
from mentornet.dbtypes import as_utc
from mentornet.extensions import db
from mentornet.jobs import task
from mentornet.mail import recipients
from mentornet.mail.digest import digest_for
from mentornet.mail.links import absolute_url
from mentornet.mail.messages import build, receipt_key
from mentornet.mail.recipients import Recipient, first_name
from mentornet.mail.sending import deliver
from mentornet.people.models import Participant

log = logging.getLogger(__name__)

QUEUE = "notifications"


def _send(kind: str, key: str, recipient: Recipient | None, **context: Any) -> int:
    if recipient is None:
        return 0  # erased, inactive, or no address: nobody to write to
    return int(deliver(build(kind, key, recipient, **context)))


def _today() -> date:
    return date.today()  # the day the cycle pages count with (health, due check-ins)


def _pair(mentorship: Mentorship) -> list[tuple[str, Participant, Participant]]:
    """Each side of the pair with the other: (side, her, the other)."""
    mentee, mentor = people_of(mentorship)
    return [("mentee", mentee, mentor), ("mentor", mentor, mentee)]


def _mentorship_link(mentorship: Mentorship) -> str:
    return absolute_url("cycles.detail", mentorship_id=mentorship.id)


# --- sign-ups and invitations -----------------------------------------------------------


@task("mail.organisation_created", queue=QUEUE)
def organisation_created(user_id: int) -> int:
    """Welcome the admin of an organisation that just signed up at /start."""
    if recipients.is_member(user_id, [Role.ADMIN.value]) is None:
        return 0
    return _send(
        "organisation_created",
        receipt_key("mail.organisation_created", user_id),
        recipients.of_user(db.session.get(User, user_id)),
        checklist_url=absolute_url("onboarding.checklist"),
        home_url=absolute_url("home.index"),
        join_url=absolute_url("people.join"),
    )


@task("mail.participant_signed_up", queue=QUEUE)
def participant_signed_up(participant_id: int) -> int:
    """Confirm a sign-up through the public form, and say what happens next."""
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        return 0
    return _send(
        "participant_signed_up",
        receipt_key("mail.participant_signed_up", participant_id),
        recipients.of_participant(participant),
        participant_kind=participant.kind,
        home_url=absolute_url("home.index"),
    )


@task("mail.invitation", queue=QUEUE)
def invitation(invitation_id: int) -> int:
    """Mail the invitation link, the same one the admin saw on the page."""
    found = db.session.get(Invitation, invitation_id)
    if found is None or found.accepted_at is not None:
        return 0
    token = invitations.token_for(found)
    if invitations.find(token) is None:
        # Expired or withdrawn, or the secret key changed since: the link would not work.
        log.warning("invitation %s not mailed: its link no longer works", invitation_id)
        return 0
    user = invitations.existing_user(found)
    # A mentee or mentor invited to her own profile reads it in her language.
    participant = (
        db.session.get(Participant, found.participant_id) if found.participant_id else None
    )
    if participant is not None and participant.erased_at is not None:
        return 0
    preferred = participant.preferred_locale if participant else (user.locale if user else None)
    recipient = Recipient(
        address=found.email,
        name=first_name(participant.name if participant else (user.name if user else "")),
        locale=recipients.locale_for(preferred),
        user_id=user.id if user else None,
    )
    inviter = db.session.get(User, found.created_by) if found.created_by else None
    expires = as_utc(found.expires_at)
    return _send(
        "invitation",
        receipt_key("mail.invitation", invitation_id),
        recipient,
        role=found.role,
        inviter_name=inviter.name if inviter else "",
        has_account=user is not None and bool(user.password_hash),
        link=absolute_url("accounts.accept_invitation", token=token),
        expires_on=expires.date(),
    )


# --- the match --------------------------------------------------------------------------


@task("mail.proposal", queue=QUEUE)
def proposal(mentorship_id: int) -> int:
    """Tell both sides who they are proposed to meet (first name only) and what's next."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None or mentorship.state not in ("proposed", "introduced"):
        return 0
    sent = 0
    for side, her, other in _pair(mentorship):
        sent += _send(
            "proposal",
            receipt_key("mail.proposal", mentorship_id, side),
            recipients.of_participant(her),
            side=side,
            other_name=first_name(other.name),
            link=_mentorship_link(mentorship),
        )
    return sent


def _decline_facts(mentorship: Mentorship) -> tuple[int | None, str | None]:
    """Who recorded the no, and its reason code (never the free text, which may be personal)."""
    last = db.session.scalar(
        select(MentorshipTransition)
        .where(
            MentorshipTransition.mentorship_id == mentorship.id,
            MentorshipTransition.to_state == "declined",
        )
        .order_by(MentorshipTransition.id.desc())
    )
    return (last.by_user_id, last.reason_code) if last else (None, None)


@task("mail.answer_received", queue=QUEUE)
def answer_received(mentorship_id: int, response_id: int) -> int:
    """Tell the staff who proposed the pair (or cover it) that one side answered."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None:
        return 0
    mentee, mentor = people_of(mentorship)
    context: dict[str, Any] = {
        "mentee_name": first_name(mentee.name),
        "mentor_name": first_name(mentor.name),
        "state": mentorship.state,
        "link": _mentorship_link(mentorship),
    }
    if response_id:
        response = db.session.get(Response, response_id)
        if response is None or response.mentorship_id != mentorship.id:
            return 0
        answered_by = response.by_user_id
        context.update(
            declined=False,
            side=response.side,
            stage=response.stage,
            answered_name=context["mentee_name" if response.side == "mentee" else "mentor_name"],
        )
    else:
        if mentorship.state != "declined":
            return 0
        answered_by, reason_code = _decline_facts(mentorship)
        context.update(declined=True, reason_code=reason_code)
    proposer = recipients.is_member(mentorship.proposed_by, STAFF_ROLES)
    staff = (
        [proposer]
        if proposer is not None
        else recipients.responsible_staff(recipients.pair_offices(mentorship))
    )
    sent = 0
    for membership in staff:
        if membership.user_id == answered_by:
            continue  # she recorded the answer herself
        sent += _send(
            "answer_received",
            receipt_key("mail.answer_received", mentorship_id, response_id, membership.id),
            recipients.of_user(membership.user),
            **context,
        )
    return sent


# --- the pair at work (periodic: once a day at most) --------------------------------------


@task("mail.agreement_reminder", queue=QUEUE)
def agreement_reminder(mentorship_id: int) -> int:
    """Remind each side who has not accepted the agreement yet."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None or mentorship.state != "agreed" or mentorship.agreement is None:
        return 0
    day = _today()
    sent = 0
    for side, her, other in _pair(mentorship):
        if getattr(mentorship.agreement, f"{side}_accepted_at") is not None:
            continue
        sent += _send(
            "agreement_reminder",
            receipt_key("mail.agreement_reminder", mentorship_id, side, day.isoformat()),
            recipients.of_participant(her),
            other_name=first_name(other.name),
            link=_mentorship_link(mentorship),
        )
    return sent


@task("mail.silent_pair_nudge", queue=QUEUE)
def silent_pair_nudge(mentorship_id: int) -> int:
    """A friendly word to both sides of an active pair nobody has logged a meeting for."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None or mentorship.state != "active":
        return 0
    day = _today()
    health = health_of(mentorship, day)
    if health is None or health.status != SILENT:
        return 0  # they met since the job was decided
    sent = 0
    for side, her, other in _pair(mentorship):
        sent += _send(
            "silent_pair_nudge",
            receipt_key("mail.silent_pair_nudge", mentorship_id, side, day.isoformat()),
            recipients.of_participant(her),
            other_name=first_name(other.name),
            weeks=health.weeks_silent,
            link=_mentorship_link(mentorship),
        )
    return sent


@task("mail.follow_up_due", queue=QUEUE)
def follow_up_due(follow_up_id: int) -> int:
    """Tell the coordinators covering the pair that a check-in is due (or overdue)."""
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.status != "scheduled":
        return 0
    mentorship = db.session.get(Mentorship, follow_up.mentorship_id)
    if mentorship is None:
        return 0
    mentee, mentor = people_of(mentorship)
    day = _today()
    sent = 0
    for membership in recipients.responsible_staff(recipients.pair_offices(mentorship)):
        sent += _send(
            "follow_up_due",
            receipt_key("mail.follow_up_due", follow_up_id, membership.id, day.isoformat()),
            recipients.of_user(membership.user),
            mentee_name=first_name(mentee.name),
            mentor_name=first_name(mentor.name),
            follow_up_kind=follow_up.kind,
            due_on=follow_up.due_on,
            overdue=follow_up.due_on < day,
            link=_mentorship_link(mentorship),
        )
    return sent


@task("mail.daily_digest", queue=QUEUE)
def daily_digest(membership_id: int, day: str) -> int:
    """One coordinator's day (``day`` is an ISO date); nothing is sent on a quiet day."""
    on = datetime.strptime(day, "%Y-%m-%d").date()
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.role not in STAFF_ROLES:
        return 0
    recipient = recipients.of_user(membership.user)
    if recipient is None:
        return 0
    digest = digest_for(membership, on)
    if digest.empty:
        return 0
    return _send(
        "daily_digest",
        receipt_key("mail.daily_digest", membership_id, on.isoformat()),
        recipient,
        digest=digest,
        day=on,
        links={
            "signups": absolute_url("people.people_list", status="applied"),
            "mentorships": absolute_url("cycles.mentorship_list", state="open"),
            "dashboard": absolute_url("home.index"),
        },
        pair_link=lambda mentorship_id: absolute_url("cycles.detail", mentorship_id=mentorship_id),
    )
