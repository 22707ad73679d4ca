"""Who gets a mail, at which address, in which language.

A participant reads her mail in her ``preferred_locale`` and a staff member in her
account's ``locale``, as long as the tenant offers that language; otherwise in the
tenant's default. Nobody erased, inactive or without an address gets mail.

Coordinators responsible for a pair are those whose offices include the mentee's or the
mentor's office (a coordinator limited to no office covers them all), the rule the
mentorship pages use too. A programme with no coordinator yet is run by its admins, so
they stand in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from mentornet.accounts.models import Membership, Role, User
from mentornet.cycles.models import Mentorship
from mentornet.extensions import db
from mentornet.people.models import Participant
from mentornet.tenancy.context import current_tenant


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str  # how the mail greets her: a first name
    locale: str
    user_id: int | None = None
    # A participant with an account can log in to answer; one without waits for a call.
    can_log_in: bool = True


def first_name(name: str | None) -> str:
    """The first word of a name: mails greet and mention people by first name only."""
    words = (name or "").split()
    return words[0] if words else ""


def locale_for(preferred: str | None) -> str:
    """``preferred`` if the tenant offers it, else the tenant's default language."""
    offered = current_tenant.locales
    return preferred if preferred in offered else offered[0]


def of_participant(participant: Participant | None) -> Recipient | None:
    if participant is None or participant.erased_at is not None or not participant.email:
        return None
    return Recipient(
        address=participant.email,
        name=first_name(participant.name),
        locale=locale_for(participant.preferred_locale),
        user_id=participant.user_id,
        can_log_in=participant.user_id is not None,
    )


def of_user(user: User | None) -> Recipient | None:
    if user is None or not user.is_active or not user.email:
        return None
    return Recipient(
        address=user.email,
        name=first_name(user.name),
        locale=locale_for(user.locale),
        user_id=user.id,
    )


def is_member(user_id: int | None, roles: Sequence[str] | None = None) -> Membership | None:
    """Her membership in the bound tenant (with one of ``roles``), or None."""
    if user_id is None:
        return None
    statement = select(Membership).where(Membership.user_id == user_id)
    if roles:
        statement = statement.where(Membership.role.in_(roles))
    return db.session.scalar(statement)


def covers(membership_offices: Iterable[str] | None, offices: set[str]) -> bool:
    """A coordinator limited to no office covers all; else one of hers must be the pair's."""
    limited = set(membership_offices or ())
    return not limited or bool(limited & offices)


def responsible_staff(offices: set[str]) -> list[Membership]:
    """The coordinators covering ``offices``; the admins when no coordinator does."""
    coordinators = db.session.scalars(
        select(Membership).where(Membership.role == Role.COORDINATOR.value).order_by(Membership.id)
    ).all()
    chosen = [m for m in coordinators if covers(m.offices, offices)]
    if chosen:
        return chosen
    return list(
        db.session.scalars(
            select(Membership).where(Membership.role == Role.ADMIN.value).order_by(Membership.id)
        )
    )


def pair_offices(mentorship: Mentorship) -> set[str]:
    offices = db.session.scalars(
        select(Participant.office).where(
            Participant.id.in_([mentorship.mentee_id, mentorship.mentor_id])
        )
    )
    return {o for o in offices if o}
