"""The outbox: where messages go when no SMTP server is configured (the demo).

Admins read it at ``/<tenant>/outbox`` to see what their people would have received.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import Select, select

from mentornet.extensions import db
from mentornet.mail.messages import Message
from mentornet.mail.models import OutboxMessage


def in_use() -> bool:
    """True when mail is not sent but kept here: no MAIL_SERVER is set."""
    return not current_app.config.get("MAIL_SERVER")


def store(message: Message) -> OutboxMessage:
    row = OutboxMessage(
        key=message.key,
        kind=message.kind,
        recipient=message.to,
        locale=message.locale,
        subject=message.subject,
        text=message.text,
        html=message.html,
    )
    db.session.add(row)
    db.session.flush()  # the unique (tenant_id, key) refuses a second copy here
    return row


def newest_first() -> Select[tuple[OutboxMessage]]:
    return select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())


def get(message_id: int) -> OutboxMessage | None:
    """One of the bound tenant's messages; another tenant's is None, as a missing one."""
    return db.session.get(OutboxMessage, message_id)
