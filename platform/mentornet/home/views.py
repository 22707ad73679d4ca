"""Home pages: the platform's list of programmes, a tenant's welcome and its team."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from mentornet.accounts import team
from mentornet.accounts.current import roles_required
from mentornet.accounts.forms import InviteStaffForm
from mentornet.accounts.labels import role_label
from mentornet.accounts.models import STAFF_ROLES, Membership, User
from mentornet.cycles import access, tracking
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.i18n import local_text
from mentornet.onboarding import checklist
from mentornet.people.services import counts_by_status
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.models import Tenant

bp = Blueprint("home", __name__)


@bp.get("/")
def platform_index():
    tenants = db.session.scalars(
        select(Tenant).where(Tenant.status != "canceled").order_by(Tenant.name)
    ).all()
    return render_template("home/platform.html", tenants=tenants)


@bp.get("/<tenant>/")
def index():
    counts: dict[str, int] = {}
    people: dict[str, dict[str, int]] = {}
    follow_ups: list = []
    steps_left = 0
    if g.get("membership") is not None and g.membership.role == "admin":
        steps_left = sum(not step.done for step in checklist.steps(current_tenant))
    if g.get("membership") is not None and g.membership.is_staff:
        actor = access.actor_for(g.membership)
        follow_ups = tracking.follow_up_board(actor) if actor else []
        rows = db.session.execute(
            select(Membership.role, func.count()).group_by(Membership.role)
        ).all()
        counts = {role: count for role, count in rows}
        people = counts_by_status(offices=list(g.membership.offices or []))
    return render_template(
        "home/tenant.html",
        role_counts=counts,
        people=people,
        follow_ups=follow_ups,
        steps_left=steps_left,
        today=date.today(),
    )


def _invite_form() -> InviteStaffForm:
    form = InviteStaffForm()
    form.role.choices = [(r, role_label(r)) for r in team.STAFF_INVITE_ROLES]
    form.offices.choices = [(o.key, local_text(o.name)) for o in current_tenant.config.offices]
    return form


def _members_page(form: InviteStaffForm | None, status: int = 200):
    rows = db.session.scalars(
        select(Membership).join(User).order_by(Membership.role, User.name)
    ).all()
    is_admin = g.membership.role == "admin"
    return render_template(
        "home/members.html",
        members=rows,
        form=form if is_admin else None,
        invitations=team.pending() if is_admin else [],
        now=utcnow(),
    ), status


@bp.get("/<tenant>/members")
@roles_required(*STAFF_ROLES)
def members():
    return _members_page(_invite_form())


@bp.post("/<tenant>/members/invite")
@roles_required("admin")
def invite():
    form = _invite_form()
    if not form.validate_on_submit():
        return _members_page(form, 400)
    link = team.invite_staff(form.email.data, form.role.data, form.offices.data, g.user.id)
    db.session.commit()
    return render_template(
        "home/invited.html", email=form.email.data, role=form.role.data, link=link
    )


@bp.post("/<tenant>/members/invitations/<int:invitation_id>/withdraw")
@roles_required("admin")
def withdraw_invitation(invitation_id: int):
    if not team.withdraw(invitation_id):
        abort(404)
    db.session.commit()
    flash(_("The invitation was withdrawn; its link no longer works."), "info")
    return redirect(url_for("home.members"))


@bp.get("/<tenant>/members/<int:member_id>")
@roles_required(*STAFF_ROLES)
def member(member_id: int):
    membership = db.session.get(Membership, member_id)
    if membership is None:
        abort(404)
    return render_template("home/member.html", member=membership)
