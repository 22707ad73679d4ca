"""Invitation links: the one way a participant (and later a coordinator) gets a login.

The link carries a token; only its hash is stored, it expires, and it works once. The
token is derived from the invitation's id with the app's secret key (``token_for``), so
the link the admin copies and the one a job mails later are the same link, while the
database alone still cannot give a token away.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import select

from mentornet.accounts import services
from mentornet.accounts.models import Invitation
from mentornet.dbtypes import as_utc, utcnow
from mentornet.extensions import db
from mentornet.jobs import enqueue_after_commit

VALID_FOR = timedelta(days=7)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    email: str,
    role: str,
    *,
    participant_id: int | None = None,
    offices: list[str] | None = None,
    invited_by: int | None = None,
) -> str:
    """A new invitation; returns the token (the link is built by the caller)."""
    invitation = Invitation(
        email=email.lower(),
        role=role,
        participant_id=participant_id,
        offices=list(offices or []),
        token_hash=secrets.token_hex(32),  # a placeholder until the id is known
        created_by=invited_by,
        expires_at=utcnow() + VALID_FOR,
    )
    db.session.add(invitation)
    db.session.flush()
    token = token_for(invitation)
    invitation.token_hash = _hash(token)
    db.session.flush()
    return token


def token_for(invitation: Invitation) -> str:
    """The invitation's token: an HMAC of its tenant and id under the secret key."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"invitation:{invitation.tenant_id}:{invitation.id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def invite_participant(participant, invited_by: int) -> str:
    """An invitation for a mentee or mentor to see and correct her own profile."""
    token = create(
        participant.email, participant.kind, participant_id=participant.id, invited_by=invited_by
    )
    invitation = find(token)
    if invitation is not None:  # mailed to her too, once the request commits
        enqueue_after_commit("mail.invitation", invitation.tenant_id, invitation.id)
    return url_for("accounts.accept_invitation", token=token, _external=True)


def find(token: str) -> Invitation | None:
    """The live invitation for this token in the bound tenant, or None."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None or invitation.accepted_at is not None:
        return None
    if as_utc(invitation.expires_at) < datetime.now(UTC):
        return None
    return invitation


def existing_user(invitation: Invitation):
    """The account this invitation's email already has (in any tenant), if any."""
    return services.user_by_email(invitation.email)


def accept(invitation: Invitation, name: str, password: str):
    """Give her the role and link her participant record; one use only.

    A new account gets the password she chose. An existing account keeps its password,
    which she must give: whoever holds a link must never take over an account that
    already exists, perhaps in another tenant.
    """
    from mentornet.accounts.passwords import verify_password
    from mentornet.people.models import Participant

    user = existing_user(invitation)
    if user is not None and user.password_hash:
        if not verify_password(user.password_hash, password):
            raise services.AccountError("password", "wrong password")
    else:
        user = services.ensure_user(invitation.email, name=name, password=password)
    membership = services.grant_membership(user, invitation.role, invitation.offices)
    db.session.flush()
    if invitation.participant_id is not None:
        participant = db.session.get(Participant, invitation.participant_id)
        if participant is not None:
            participant.user_id = user.id
            user.locale = user.locale or participant.preferred_locale
    invitation.accepted_at = utcnow()
    db.session.flush()
    return membership
