"""The outbox page: what the programme would have mailed, for its admins (the demo).

A message opens to show its text as text and its HTML in a sandboxed frame: a name
someone typed into a form is shown, never run.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from mentornet.accounts.current import roles_required
from mentornet.mail import outbox
from mentornet.mail.messages import text_direction
from mentornet.pagination import page_of

bp = Blueprint("mail", __name__, url_prefix="/<tenant>")


@bp.app_template_global("outbox_in_use")
def outbox_in_use() -> bool:
    return outbox.in_use()


@bp.get("/outbox")
@roles_required("admin")
def outbox_list():
    page = page_of(outbox.newest_first(), request.args, per_page=25)
    return render_template("mail/outbox.html", page=page, in_use=outbox.in_use())


@bp.get("/outbox/<int:message_id>")
@roles_required("admin")
def outbox_message(message_id: int):
    message = outbox.get(message_id)
    if message is None:
        abort(404)
    return render_template(
        "mail/outbox_message.html", message=message, direction=text_direction(message.locale)
    )
