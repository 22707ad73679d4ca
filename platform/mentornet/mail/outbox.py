"""The outbox: where messages go when no SMTP server is configured (the demo).

Admins read it at ``/<tenant>/outbox`` to see what their people would have received.
Messages name people (a digest lists first names), so they are kept ``KEEP_DAYS`` days
and then pruned by the nightly retention job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, delete, select

from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.mail.messages import Message
from mentornet.mail.models import OutboxMessage

KEEP_DAYS = 90


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


def prune(now: datetime | None = None) -> int:
    """Delete the bound tenant's messages older than KEEP_DAYS; how many went."""
    before = (now or utcnow()) - timedelta(days=KEEP_DAYS)
    result = db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
