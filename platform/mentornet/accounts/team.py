"""The admin's team: inviting coordinators and admins, limiting them to offices.

An invitation is a link that works once and expires (see ``invitations``); accepting it
sets her password. Withdrawing one makes it expire now: the record stays.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from mentornet.accounts import invitations
from mentornet.accounts.models import Invitation, Role
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.jobs import enqueue_after_commit
from mentornet.tenancy.context import current_tenant

STAFF_INVITE_ROLES = (Role.COORDINATOR.value, Role.ADMIN.value)


def invite_staff(email: str, role: str, offices: list[str], invited_by: int) -> str:
    """An invitation link for a coordinator (optionally limited to offices) or an admin;
    the same link is mailed to her once the invitation is committed."""
    if role not in STAFF_INVITE_ROLES:
        raise ValueError(role)
    known = {o.key for o in current_tenant.config.offices}
    limited = [o for o in offices if o in known] if role == Role.COORDINATOR.value else []
    token = invitations.create(email, role, offices=limited, invited_by=invited_by)
    invitation = invitations.find(token)
    if invitation is not None:
        enqueue_after_commit("mail.invitation", current_tenant.id, invitation.id)
    return url_for("accounts.accept_invitation", token=token, _external=True)


def pending() -> list[Invitation]:
    """Staff invitations not yet accepted, newest first, live or expired."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.role.in_(STAFF_INVITE_ROLES),
                Invitation.accepted_at.is_(None),
            )
            .order_by(Invitation.created_at.desc())
        )
    )


def withdraw(invitation_id: int) -> bool:
    """Make a staff invitation expire now; False when there is no such live one."""
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.role not in STAFF_INVITE_ROLES
        or invitation.accepted_at is not None
    ):
        return False
    invitation.expires_at = utcnow()
    return True
