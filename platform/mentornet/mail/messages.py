"""Building one message: subject, text and HTML, rendered in the recipient's language.

Each kind has a subject here and a pair of templates, ``mail/<kind>.txt`` and
``mail/<kind>.html``, on the bases ``mail/base.txt`` and ``mail/base.html``. Both are
rendered under ``force_locale`` with the recipient's locale, so dates, the tenant's own
texts and every sentence come out in her language, and Arabic HTML right-to-left.
Templates get ready-made absolute links: a job has no request to build them from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel import Locale
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from mentornet.mail.recipients import Recipient
from mentornet.tenancy.context import current_tenant

MAX_KEY = 64  # a receipt key is a job token (see mentornet.jobs.tasks.check_token)


@dataclass(frozen=True)
class Message:
    kind: str
    key: str  # the receipt key: one message per key, ever
    to: str
    locale: str
    subject: str
    text: str
    html: str
    sender_name: str  # the tenant's name, shown as the sender


def receipt_key(task_name: str, *parts: Any) -> str:
    """``task:id:id...``; hashed past the token length so huge ids still make a key."""
    key = ":".join([task_name, *map(str, parts)])
    if len(key) <= MAX_KEY:
        return key
    return f"{task_name}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def _subject_proposal(c: dict[str, Any]) -> str:
    if c["side"] == "mentee":
        return _("%(tenant)s: we propose a mentor for you", tenant=c["tenant_name"])
    return _("%(tenant)s: we propose a mentee for you", tenant=c["tenant_name"])


def _subject_answer(c: dict[str, Any]) -> str:
    if c["declined"]:
        return _(
            "Declined: %(mentee)s and %(mentor)s", mentee=c["mentee_name"], mentor=c["mentor_name"]
        )
    return _("%(name)s said yes", name=c["answered_name"])


SUBJECTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "organisation_created": lambda c: _(
        "%(tenant)s is ready on Mentornet", tenant=c["tenant_name"]
    ),
    "participant_signed_up": lambda c: _(
        "Thank you for signing up with %(tenant)s", tenant=c["tenant_name"]
    ),
    "invitation": lambda c: _("You are invited to join %(tenant)s", tenant=c["tenant_name"]),
    "proposal": _subject_proposal,
    "answer_received": _subject_answer,
    "agreement_reminder": lambda c: _(
        "Your agreement with %(name)s is waiting for you", name=c["other_name"]
    ),
    "silent_pair_nudge": lambda c: _("How are you and %(name)s getting on?", name=c["other_name"]),
    "follow_up_due": lambda c: _(
        "Check-in due: %(mentee)s and %(mentor)s", mentee=c["mentee_name"], mentor=c["mentor_name"]
    ),
    "daily_digest": lambda c: _("%(tenant)s today", tenant=c["tenant_name"]),
}
KINDS = tuple(SUBJECTS)


def plain(text: str) -> str:
    """Tidy a rendered text part: no trailing spaces, at most one empty line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def text_direction(locale: str) -> str:
    return Locale.parse(locale).text_direction


def build(kind: str, key: str, recipient: Recipient, **context: Any) -> Message:
    """Render ``kind`` for ``recipient`` in her language; needs the tenant bound."""
    if kind not in SUBJECTS:
        raise ValueError(f"unknown kind of mail {kind!r}")
    tenant_name = current_tenant.name
    values = {
        **context,
        "recipient": recipient,
        "tenant_name": tenant_name,
        "lang": recipient.locale,
        "dir": text_direction(recipient.locale),
    }
    with force_locale(recipient.locale):
        subject = " ".join(SUBJECTS[kind](values).split())  # one line, whatever a name holds
        values["subject"] = subject
        text = render_template(f"mail/{kind}.txt", **values)
        html = render_template(f"mail/{kind}.html", **values)
    return Message(
        kind=kind,
        key=key,
        to=recipient.address,
        locale=recipient.locale,
        subject=subject,
        text=plain(text),
        html=html,
        sender_name=tenant_name,
    )
