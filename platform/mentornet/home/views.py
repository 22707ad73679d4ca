"""Home pages: the platform's list of programmes, a tenant's welcome and its team."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, g, render_template
from sqlalchemy import func, select

from mentornet.accounts.current import roles_required
from mentornet.accounts.models import STAFF_ROLES, Membership, User
from mentornet.cycles import access, tracking
from mentornet.extensions import db
from mentornet.people.services import counts_by_status
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
        today=date.today(),
    )


@bp.get("/<tenant>/members")
@roles_required(*STAFF_ROLES)
def members():
    rows = db.session.scalars(
        select(Membership).join(User).order_by(Membership.role, User.name)
    ).all()
    return render_template("home/members.html", members=rows)


@bp.get("/<tenant>/members/<int:member_id>")
@roles_required(*STAFF_ROLES)
def member(member_id: int):
    membership = db.session.get(Membership, member_id)
    if membership is None:
        abort(404)
    return render_template("home/member.html", member=membership)
