"""Mentorship pages: the coordinator's list, and each pair's page where both sides and
the coordinator take the cycle's steps. Views parse a form, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from mentornet.accounts.current import roles_required
from mentornet.accounts.models import STAFF_ROLES, User
from mentornet.cycles import access, forms, labels, lifecycle, tracking
from mentornet.cycles import services as cycles
from mentornet.cycles.models import Mentorship
from mentornet.cycles.outcomes import Outcome
from mentornet.extensions import db
from mentornet.pagination import page_of
from mentornet.people.models import Participant
from mentornet.people.vocabulary import GOALS

bp = Blueprint("cycles", __name__, url_prefix="/<tenant>")
labels.register(bp)


def _actor() -> access.Actor:
    actor = access.actor_for(g.membership)
    if actor is None:
        abort(404)
    return actor


def _mentorship(mentorship_id: int) -> tuple[access.Actor, Mentorship]:
    actor = _actor()
    mentorship = access.get_for(actor, mentorship_id)
    if mentorship is None:
        abort(404)
    return actor, mentorship


@bp.get("/mentorships")
@roles_required(*STAFF_ROLES)
def mentorship_list():
    actor = _actor()
    state = request.args.get("state", "")
    mentee, mentor = aliased(Participant), aliased(Participant)
    visible = access.visible(actor).subquery()
    statement = (
        select(Mentorship, mentee.name, mentor.name)
        .join(mentee, mentee.id == Mentorship.mentee_id)
        .join(mentor, mentor.id == Mentorship.mentor_id)
        .where(Mentorship.id.in_(select(visible.c.id)))
        .order_by(Mentorship.state_changed_at.desc(), Mentorship.id.desc())
        # health reads the agreement and the meetings: one query each for the whole page
        .options(selectinload(Mentorship.agreement), selectinload(Mentorship.meetings))
    )
    if state in lifecycle.STATES:
        statement = statement.where(Mentorship.state == state)
    elif state == "open":
        statement = statement.where(Mentorship.state.in_(lifecycle.OPEN_STATES))
    page = page_of(statement, request.args)
    health = {m.id: tracking.health_of(m) for m, _a, _b in page.items}
    return render_template(
        "cycles/list.html", page=page, health=health, state=state, states=lifecycle.STATES
    )


# --- one pair's page ---------------------------------------------------------------------


def _default_forms(actor: access.Actor, m: Mentorship) -> dict[str, Any]:
    mentee, _mentor = access.people_of(m)
    agreement = m.agreement
    built: dict[str, Any] = {
        "respond": forms.ResponseForm(prefix="respond"),
        "first_meeting": forms.FirstMeetingForm(prefix="first", first_meeting_on=date.today()),
        "accept": forms.AcceptForm(prefix="accept"),
        "meeting": forms.MeetingForm(prefix="meeting"),
        "goal": forms.GoalForm(prefix="goal"),
        "phase": forms.PhaseForm(prefix="phase"),
        "end_early": forms.EndEarlyForm(prefix="end"),
        "close": forms.CloseForm(prefix="close"),
        "satisfaction": forms.SatisfactionForm(prefix="rate"),
    }
    if agreement is not None:
        built["agreement"] = forms.AgreementForm(
            prefix="agreement",
            minimum_value=agreement.minimum_value,
            months=agreement.months,
            goals=agreement.goals,
            notes=agreement.notes,
        )
    for form in built.values():
        _prepare(form, mentee)
    built["goal_status"] = {
        goal.id: forms.GoalStatusForm(
            prefix=f"goal{goal.id}", status=goal.status, achieved_on=goal.achieved_on
        )
        for goal in m.goals
    }
    built["follow_up"] = {
        f.id: forms.FollowUpDoneForm(prefix=f"follow{f.id}")
        for f in m.follow_ups
        if f.status == "scheduled"
    }
    return built


def _prepare(form: FlaskForm, mentee: Participant) -> None:
    """Choices that depend on the pair: her goals, the tenant's first-meeting rule."""
    if isinstance(form, forms.GoalForm):
        form.set_goals(list(mentee.goals or []))
    if isinstance(form, forms.AgreementForm):
        form.goals.choices = [(k, str(GOALS.get(k, k))) for k in mentee.goals or []]
    if isinstance(form, forms.FirstMeetingForm):
        allowed = lifecycle.FIRST_MEETING_LEADS.get(access.template().first_meeting)
        form.led_by.choices = [c for c in form.led_by.choices if not allowed or c[0] in allowed]


def _page(actor: access.Actor, m: Mentorship, bound: dict[str, Any] | None = None) -> str:
    mentee, mentor = access.people_of(m)
    built = _default_forms(actor, m)
    for name, form in (bound or {}).items():
        if isinstance(built.get(name), dict):
            built[name] = {**built[name], **form}
        else:
            built[name] = form
    user_ids = {t.by_user_id for t in m.transitions if t.by_user_id}
    users = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
    keys = access.phase_keys()
    answered = cycles.answers(m)
    return render_template(
        "cycles/detail.html",
        m=m,
        actor=actor,
        mentee=mentee,
        mentor=mentor,
        staff=actor.role == lifecycle.COORDINATOR,
        forms=built,
        health=tracking.health_of(m),
        answered=answered,
        my_answer=answered.get((actor.role, m.state)),
        phases=keys,
        next_phase=lifecycle.next_phase(keys, m.phase) if m.state == "active" else None,
        users=users,
        today=date.today(),
        can_close=m.state == "active" and actor.role == lifecycle.COORDINATOR,
    )


@bp.get("/mentorships/<int:mentorship_id>")
@roles_required()
def detail(mentorship_id: int):
    actor, m = _mentorship(mentorship_id)
    return _page(actor, m)


def _attach(form: FlaskForm, exc: access.CycleError) -> None:
    """The service's errors, beside the fields they concern (or above the form)."""
    placed = False
    for name, text in exc.fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, text]
            placed = True
    if not placed:
        form.form_errors.append(exc.message)


def _submit(
    mentorship_id: int,
    ids: dict[str, int],
    name: str,
    form_class: type[FlaskForm],
    action: Callable[..., Any],
    done: str,
    *,
    prefix: str,
    anchor: str,
    roles: tuple[str, ...],
):
    actor, m = _mentorship(mentorship_id)  # 404 first: another's id reveals nothing
    if roles and actor.role not in roles:
        abort(403)
    form = form_class(prefix=prefix.format(**ids))
    mentee, _mentor = access.people_of(m)
    _prepare(form, mentee)
    if form.validate_on_submit():
        try:
            action(actor, m, form, **ids)
        except access.CycleError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(done, "info")
            return redirect(url_for("cycles.detail", mentorship_id=m.id, _anchor=anchor), 303)
    actor, m = _mentorship(mentorship_id)
    key = next(iter(ids.values()), None)  # goals and follow-ups have a form each
    return _page(actor, m, {name: {key: form} if key is not None else form}), 422


def step(
    rule: str,
    form_class: type[FlaskForm],
    done: Any,
    *,
    prefix: str,
    anchor: str = "next-step",
    roles: tuple[str, ...] = (),
    name: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the POST view of one step of the cycle; the decorated function only acts.

    The view finds the mentorship (404 for anyone who may not see it), checks the role,
    validates the form, runs the action in one transaction, and either redirects to the
    page or shows it again with the errors beside the fields. ``prefix`` may name the
    rule's other ids ("goal{goal_id}"), and the page's form of that name is replaced.
    """

    def register(action: Callable[..., Any]) -> Callable[..., Any]:
        def view(mentorship_id: int, **ids: int):
            return _submit(
                mentorship_id,
                ids,
                name or action.__name__,
                form_class,
                action,
                str(done),
                prefix=prefix,
                anchor=anchor,
                roles=roles,
            )

        bp.add_url_rule(
            f"/mentorships/<int:mentorship_id>{rule}",
            endpoint=action.__name__,
            view_func=roles_required()(view),
            methods=["POST"],
        )
        return action

    return register


def _side(actor: access.Actor, form: FlaskForm) -> str | None:
    return form.side.data or None if actor.role == lifecycle.COORDINATOR else None


@step("/respond", forms.ResponseForm, _l("Your answer is recorded."), prefix="respond")
def respond(actor, m, form):
    cycles.respond(
        m,
        actor,
        answer=form.answer.data,
        side=_side(actor, form),
        reason_code=form.reason_code.data,
        reason=form.reason.data or "",
    )


@step(
    "/first-meeting", forms.FirstMeetingForm, _l("The first meeting is recorded."), prefix="first"
)
def first_meeting(actor, m, form):
    cycles.record_first_meeting(m, actor, on=form.first_meeting_on.data, led_by=form.led_by.data)


@step(
    "/agreement",
    forms.AgreementForm,
    _l("The agreement is changed. Both of you accept it again."),
    prefix="agreement",
    anchor="agreement",
)
def agreement(actor, m, form):
    cycles.update_agreement(
        m,
        actor,
        minimum_value=form.minimum_value.data,
        months=float(form.months.data),
        goals=list(form.goals.data or []),
        notes=form.notes.data or "",
    )


@step(
    "/agreement/accept",
    forms.AcceptForm,
    _l("The agreement is accepted."),
    prefix="accept",
    anchor="agreement",
)
def accept(actor, m, form):
    cycles.accept_agreement(m, actor, side=_side(actor, form))


@step(
    "/meetings",
    forms.MeetingForm,
    _l("The meeting is logged."),
    prefix="meeting",
    anchor="meetings",
)
def meeting(actor, m, form):
    tracking.log_meeting(
        m,
        actor,
        held_on=form.held_on.data,
        kind=form.kind.data,
        minutes=form.minutes.data,
        note=form.note.data or "",
    )


@step("/goals", forms.GoalForm, _l("The goal is added."), prefix="goal", anchor="goals")
def goal(actor, m, form):
    tracking.add_goal(
        m, actor, key=form.key.data, title=form.title.data or "", target_on=form.target_on.data
    )


@step(
    "/goals/<int:goal_id>",
    forms.GoalStatusForm,
    _l("The goal is updated."),
    prefix="goal{goal_id}",
    anchor="goals",
)
def goal_status(actor, m, form, goal_id: int):
    found = tracking.get_goal(m, goal_id)
    if found is None:
        abort(404)
    tracking.update_goal(
        m, actor, found, status=form.status.data, achieved_on=form.achieved_on.data
    )


@step("/phase", forms.PhaseForm, _l("The next phase has begun."), prefix="phase")
def phase(actor, m, form):
    cycles.move_phase(m, actor, form.phase.data)


@step("/end-early", forms.EndEarlyForm, _l("The mentorship has ended."), prefix="end")
def end_early(actor, m, form):
    cycles.end_early(m, actor, reason_code=form.reason_code.data, reason=form.reason.data or "")


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@step(
    "/close",
    forms.CloseForm,
    _l("The cycle is closed and its outcomes are recorded."),
    prefix="close",
    roles=(lifecycle.COORDINATOR,),
)
def close(actor, m, form):
    outcome = Outcome(
        job_found=_yes_no(form.job_found.data),
        job_in_field=_yes_no(form.job_in_field.data),
        education_started=_yes_no(form.education_started.data),
        language_improved=_yes_no(form.language_improved.data),
        network_grown=_yes_no(form.network_grown.data),
        mentee_satisfaction=int(form.mentee_satisfaction.data or 0) or None,
        mentor_satisfaction=int(form.mentor_satisfaction.data or 0) or None,
        farewell_held=bool(form.farewell_held.data),
    )
    cycles.close(
        m,
        actor,
        to_state=form.to_state.data,
        outcome=outcome,
        farewell_on=form.farewell_on.data,
        reason=form.reason.data or "",
    )


@step(
    "/satisfaction",
    forms.SatisfactionForm,
    _l("Thank you for your answer."),
    prefix="rate",
    anchor="satisfaction",
    roles=lifecycle.SIDES,
)
def satisfaction(actor, m, form):
    cycles.rate(m, actor, int(form.satisfaction.data))


@step(
    "/follow-ups/<int:follow_up_id>",
    forms.FollowUpDoneForm,
    _l("The follow-up is done."),
    prefix="follow{follow_up_id}",
    anchor="follow-ups",
    roles=(lifecycle.COORDINATOR,),
    name="follow_up",
)
def follow_up_done(actor, m, form, follow_up_id: int):
    found = next((f for f in m.follow_ups if f.id == follow_up_id), None)
    if found is None:
        abort(404)
    tracking.complete_follow_up(found, actor, form.note.data or "")
