"""Delivering a message once: by SMTP when MAIL_SERVER is set, to the outbox otherwise.

Delivery is at least once, so each message carries its receipt key: ``deliver`` claims
the key (``once``), sends, and commits the receipt at once, message by message. A job
that mails two people and fails on the second is retried without mailing the first
again; a job delivered twice mails nobody twice.

A passing failure (server down, a 4xx answer) raises, so rq retries the job with backoff
(or, inline, it waits in ``pending_jobs``). A permanent refusal of the address (5xx) is
logged and kept as done: retrying cannot change the answer.

Logs carry the tenant, the kind and the key (ids only), never an address or a name.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app

from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.jobs import once
from mentornet.mail import outbox
from mentornet.mail.messages import Message
from mentornet.tenancy.context import bound_tenant_id

log = logging.getLogger(__name__)


def sender_address() -> str:
    """The address part of MAIL_DEFAULT_SENDER (which may be ``Name <address>``)."""
    configured = current_app.config.get("MAIL_DEFAULT_SENDER") or "mentornet@localhost"
    return parseaddr(configured)[1] or "mentornet@localhost"


def message_id(key: str) -> str:
    """The same Message-ID for every attempt at one message, so a receiving server or
    mail client can tell a rare duplicate (sent, then the commit failed) for what it is."""
    domain = sender_address().rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(f"{bound_tenant_id()}:{key}".encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def to_email(message: Message) -> EmailMessage:
    """A multipart/alternative message: the text first, the HTML as the richer part."""
    email = EmailMessage()
    email["Subject"] = message.subject
    name = " ".join(message.sender_name.split())  # a header holds one line
    email["From"] = Address(display_name=name, addr_spec=sender_address())
    email["To"] = message.to
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = message_id(message.key)
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    email["Content-Language"] = message.locale  # after the body: set_content clears Content-*
    return email


def _smtp_send(email: EmailMessage) -> None:
    config = current_app.config
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT") or 10)
    context = ssl.create_default_context()
    if config.get("MAIL_USE_SSL"):
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            client.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            client.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        client.send_message(email)


def _permanently_refused(exc: smtplib.SMTPRecipientsRefused) -> bool:
    codes = [code for code, _reply in exc.recipients.values()]
    return bool(codes) and all(code >= 500 for code in codes)


def deliver(message: Message) -> bool:
    """Send ``message`` unless its key was already delivered; True when it went out now."""
    if not once(message.key):
        return False
    if outbox.in_use():
        outbox.store(message)
    else:
        try:
            _smtp_send(to_email(message))
        except smtplib.SMTPRecipientsRefused as exc:
            if not _permanently_refused(exc):
                raise
            db.session.commit()  # keep the receipt: the same address would be refused again
            log.warning(
                "mail %s for tenant %s refused for good: key %s",
                message.kind,
                bound_tenant_id(),
                message.key,
            )
            return False
    db.session.commit()
    log.info("mail %s for tenant %s sent: key %s", message.kind, bound_tenant_id(), message.key)
    return True
