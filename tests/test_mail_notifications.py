"""Each kind of mail: who gets it, in which language, what it says and what it keeps out.

Mails are caught by the local SMTP server (``smtp_sink``), parsed with the email package
and read as a recipient would: subject, text, HTML and links. Jobs run inline (no Redis),
as in the demo, so a request that decides a mail has sent it by the time it answers.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from mentornet.accounts import services as accounts
from mentornet.cycles import services as cycles
from mentornet.cycles.models import FollowUp, Meeting, Mentorship
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.jobs.runner import run
from mentornet.people.models import Participant
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.conftest import login
from tests.cycle_helpers import advance, auth, post, propose
from tests.factories import SIGNUP
from tests.people_helpers import add_participant
from tests.smtp_sink import html_links, html_of, html_root, text_links, text_of

BASE = "https://mentors.example.org"
TODAY = date.today()
MENTEE = "amina@example.net"
MENTOR = "karen@example.net"


def _tenant(slug: str) -> Tenant:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def _pair(
    app,
    world,
    *,
    linked: bool = True,
    mentee_locale: str = "en",
    mentor_locale: str = "en",
    office: str = "north",
    n: str = "",
) -> tuple[int, int]:
    """A waiting mentee and a ready mentor with addresses (and logins when ``linked``)."""
    mentee = add_participant(
        app,
        world.slug,
        name=f"Amina{n} Hassan",
        email=f"amina{n}@example.net",
        preferred_locale=mentee_locale,
        office=office,
        days_waiting=20,
        goals=["job_in_field"],
        country_of_origin="SY",
        story="I was a nurse in Aleppo.",
        date_of_birth=date(1988, 4, 2),
        user_id=world.user_ids["mentee"] if linked else None,
    )
    mentor = add_participant(
        app,
        world.slug,
        kind="mentor",
        status="ready",
        name=f"Karen{n} Holm",
        email=f"karen{n}@example.net",
        preferred_locale=mentor_locale,
        office=office,
        capacity=3,
        user_id=world.user_ids["mentor"] if linked else None,
    )
    return mentee, mentor


def _set(owner_engine, sql: str, **params: Any) -> None:
    with owner_engine.begin() as conn:
        conn.execute(text(sql), params)


def _add_coordinator(app, slug: str, email: str, offices: list[str], locale: str = "en") -> int:
    with app.app_context(), with_tenant(_tenant(slug)):
        user = accounts.ensure_user(email, name=f"Coordinator {email}", password=None)
        user.locale = locale
        membership = accounts.grant_membership(user, "coordinator", offices)
        db.session.commit()
        return membership.id


def _set_locale(app, email: str, locale: str | None) -> None:
    with app.app_context():
        accounts.user_by_email(email).locale = locale
        db.session.commit()


# --- a new organisation -------------------------------------------------------------------


def test_a_new_organisation_s_admin_is_welcomed_in_her_language(client, smtp_sink):
    response = client.post("/start", data=SIGNUP)
    assert response.status_code == 302
    mail = smtp_sink.one_to("kari@oslo.example.org")
    assert mail["Content-Language"] == "nb"
    assert "Oslo Mentors" in mail["Subject"]
    assert "Kari" in text_of(mail) and "Nordmann" not in text_of(mail)
    links = text_links(text_of(mail))
    assert f"{BASE}/oslo-mentors/getting-started" in links
    assert f"{BASE}/oslo-mentors/join" in links
    assert f"{BASE}/oslo-mentors/getting-started" in html_links(html_of(mail))


# --- sign-ups through the public form -----------------------------------------------------

JOIN = {
    "name": "Amina Hassan",
    "email": MENTEE,
    "office": "north",
    "preferred_locale": "en",
    "languages": ["ar", "en"],
    "goals": ["job_in_field"],
    "story": "I was a nurse in Baghdad.",
    "country_of_origin": "IQ",
    "date_of_birth": "1988-04-02",
    "intake_level": "high",
    "intake_children": "yes",
    "consent_programme": "y",
}


def test_a_mentee_who_signs_up_gets_a_confirmation_without_her_story(client, tenants, smtp_sink):
    response = client.post("/bravo/join/mentee", data=JOIN)
    assert response.status_code == 302
    mail = smtp_sink.one_to(MENTEE)
    body, html = text_of(mail), html_of(mail)
    assert mail["Subject"] == "Thank you for signing up with Bravo"
    assert "Thank you for signing up as a mentee with Bravo." in body
    assert "Then we look for a mentor who suits you." in body
    for private in ("Baghdad", "1988", "Iraq", "Hassan"):
        assert private not in body and private not in html
    assert f"{BASE}/bravo/" in text_links(body)


def test_a_mentor_who_signs_up_in_arabic_gets_it_in_arabic(client, tenants, smtp_sink):
    data = {
        "name": "Karen Holm",
        "email": MENTOR,
        "office": "south",
        "preferred_locale": "ar",
        "languages": ["ar", "en"],
        "helps_with": ["cv"],
        "capacity": "1",
        "intake_children": "no",
        "consent_programme": "y",
    }
    assert client.post("/bravo/join/mentor", data=data).status_code == 302
    mail = smtp_sink.one_to(MENTOR)
    assert mail["Content-Language"] == "ar"
    assert html_root(html_of(mail)) == {"lang": "ar", "dir": "rtl"}


def test_people_registered_by_staff_get_no_sign_up_mail(client, tenants, smtp_sink):
    alpha, _ = tenants
    response = client.post(
        "/alpha/api/v1/mentees",
        headers=auth(alpha),
        json={
            "name": "Hana",
            "email": "hana@example.net",
            "preferred_locale": "da",
            "languages": ["da"],
            "goals": ["network"],
            "intake_level": "low",
            "intake_children": "no",
            "consent_recorded": True,
        },
    )
    assert response.status_code == 201, response.json
    assert smtp_sink.messages == []


# --- invitations --------------------------------------------------------------------------


def test_an_invited_coordinator_gets_the_link_the_admin_sees(app, client, tenants, smtp_sink):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    page = client.post(
        "/alpha/members/invite", data={"email": "Lene@Example.net", "role": "coordinator"}
    )
    assert page.status_code == 200
    shown = re.search(r'value="https?://[^/"]+(/alpha/invitation/[^"]+)"', page.text).group(1)
    mail = smtp_sink.one_to("lene@example.net")
    assert mail["Content-Language"] == "da"  # no account yet: the programme's language
    assert f"{BASE}{shown}" in text_links(text_of(mail))
    assert f"{BASE}{shown}" in html_links(html_of(mail))
    assert "Admin of alpha" in text_of(mail)  # who invited her
    client.post("/alpha/logout")
    assert client.get(shown).status_code == 200  # the mailed link works


def test_an_invited_mentee_gets_her_link_in_her_language(app, client, tenants, smtp_sink):
    alpha, _ = tenants
    pid = add_participant(
        app, "alpha", name="Noor Haddad", email="noor@example.net", preferred_locale="en"
    )
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.post(f"/alpha/people/{pid}/invite")
    assert page.status_code == 200
    shown = re.search(r'https?://[^/"<\s]+(/alpha/invitation/[^"<\s]+)', page.text).group(1)
    mail = smtp_sink.one_to("noor@example.net")
    assert mail["Content-Language"] == "en"  # hers, not the programme's Danish
    assert "Noor" in text_of(mail) and "Haddad" not in text_of(mail)
    assert f"{BASE}{shown}" in text_links(text_of(mail))


def test_a_withdrawn_invitation_is_not_mailed(app, client, tenants, smtp_sink, owner_engine):
    alpha, _ = tenants
    app.config["MAIL_SERVER"] = None  # the invitation itself goes to the outbox
    login(client, "alpha", alpha.emails["admin"])
    client.post("/alpha/members/invite", data={"email": "late@example.net", "role": "admin"})
    with owner_engine.connect() as conn:
        invitation_id = conn.scalar(text("SELECT id FROM invitations"))
    client.post(f"/alpha/members/invitations/{invitation_id}/withdraw")
    _set(owner_engine, "DELETE FROM job_receipts")
    app.config["MAIL_SERVER"] = smtp_sink.controller.hostname
    with app.app_context():
        assert run("mail.invitation", alpha.id, invitation_id) == 0
    assert smtp_sink.messages == []


# --- a proposal ---------------------------------------------------------------------------


def test_a_proposal_tells_both_sides_each_in_her_language(app, client, tenants, smtp_sink):
    _, bravo = tenants
    mentee, mentor = _pair(app, bravo, mentee_locale="ar", mentor_locale="en")
    m = propose(client, bravo, mentee, mentor)
    page = f"{BASE}/bravo/mentorships/{m['id']}"

    to_mentee = smtp_sink.one_to(MENTEE)
    assert to_mentee["Content-Language"] == "ar"
    assert html_root(html_of(to_mentee)) == {"lang": "ar", "dir": "rtl"}
    assert page in text_links(text_of(to_mentee)) and page in html_links(html_of(to_mentee))

    to_mentor = smtp_sink.one_to(MENTOR)
    body = text_of(to_mentor)
    assert to_mentor["Subject"] == "Bravo: we propose a mentee for you"
    assert "Bravo proposes Amina as your mentee." in body
    assert "Log in to read the proposal" in body
    assert page in text_links(body)
    # First name only; nothing of her story, origin or age.
    for private in ("Hassan", "Aleppo", "Syria", "1988"):
        assert private not in body and private not in html_of(to_mentor)
    assert len(smtp_sink.messages) == 2


def test_a_side_without_a_login_is_told_the_coordinator_will_call(app, client, tenants, smtp_sink):
    _, bravo = tenants
    mentee, mentor = _pair(app, bravo, linked=False)
    propose(client, bravo, mentee, mentor)
    body = text_of(smtp_sink.one_to(MENTEE))
    assert "Good news: Bravo proposes Karen as your mentor." in body
    assert "Your coordinator will contact you" in body
    assert "/mentorships/" not in body


def test_an_erased_side_gets_nothing_and_the_other_still_does(app, client, tenants, smtp_sink):
    _, bravo = tenants
    mentee, mentor = _pair(app, bravo)
    with app.app_context(), with_tenant(_tenant("bravo")):
        person = db.session.get(Participant, mentor)
        person.erased_at = utcnow()
        db.session.commit()
    with app.app_context(), with_tenant(_tenant("bravo")):
        mentorship = Mentorship(mentee_id=mentee, mentor_id=mentor)
        db.session.add(mentorship)
        db.session.commit()
        mid = mentorship.id
    with app.app_context():
        assert run("mail.proposal", bravo.id, mid) == 1
    assert [m["To"] for m in smtp_sink.messages] == [MENTEE]


def test_a_job_for_another_tenant_s_pair_mails_nobody(app, client, tenants, smtp_sink):
    alpha, bravo = tenants
    mentee, mentor = _pair(app, bravo)
    m = propose(client, bravo, mentee, mentor)
    smtp_sink.messages.clear()
    with app.app_context():
        assert run("mail.proposal", alpha.id, m["id"]) == 0
        assert run("mail.agreement_reminder", alpha.id, m["id"]) == 0
        assert run("mail.answer_received", alpha.id, m["id"], 0) == 0
        coordinator = bravo.member_ids["coordinator"]
        assert run("mail.daily_digest", alpha.id, coordinator, TODAY.isoformat()) == 0
    assert smtp_sink.messages == []


# --- answers ------------------------------------------------------------------------------


def test_the_proposing_coordinator_hears_each_yes(app, client, tenants, smtp_sink):
    _, bravo = tenants
    mentee, mentor = _pair(app, bravo)
    m = propose(client, bravo, mentee, mentor)
    smtp_sink.messages.clear()
    response = post(client, bravo, m["id"], "responses", role="mentee", answer="yes")
    assert response.status_code in (200, 201), response.json
    mail = smtp_sink.one_to(bravo.emails["coordinator"])
    body = text_of(mail)
    assert mail["Subject"] == "Amina said yes"
    assert "Amina (Mentee) said yes to meeting Karen." in body
    assert f"{BASE}/bravo/mentorships/{m['id']}" in text_links(body)
    assert len(smtp_sink.messages) == 1  # the proposer only, not every coordinator


def test_nobody_hears_of_an_answer_she_recorded_herself(app, client, tenants, smtp_sink):
    _, bravo = tenants
    mentee, mentor = _pair(app, bravo)
    m = propose(client, bravo, mentee, mentor)
    smtp_sink.messages.clear()
    post(client, bravo, m["id"], "responses", answer="yes", side="mentee")
    assert smtp_sink.messages == []


def test_a_no_tells_the_proposer_the_reason_but_not_the_words(app, client, tenants, smtp_sink):
    _, bravo = tenants
    mentee, mentor = _pair(app, bravo)
    m = propose(client, bravo, mentee, mentor)
    smtp_sink.messages.clear()
    response = post(
        client,
        bravo,
        m["id"],
        "responses",
        role="mentor",
        answer="no",
        reason_code="other",
        reason="My private reasons about her family",
    )
    assert response.status_code in (200, 201), response.json
    body = text_of(smtp_sink.one_to(bravo.emails["coordinator"]))
    assert "The proposal of Karen as mentor for Amina was declined." in body
    assert "Reason given: Another reason." in body
    assert "family" not in body
    assert "Amina is back on the waiting list" in body


def test_without_a_proposer_the_pair_s_coordinators_hear_the_answer(
    app, client, tenants, smtp_sink
):
    _, bravo = tenants
    mentee, mentor = _pair(app, bravo, office="south")
    _add_coordinator(app, "bravo", "south@bravo.example.org", ["south"])
    _add_coordinator(app, "bravo", "north@bravo.example.org", ["north"])
    with app.app_context(), with_tenant(_tenant("bravo")):
        m = cycles.propose(
            db.session.get(Participant, mentee),
            db.session.get(Participant, mentor),
            by_user_id=None,
        )
        db.session.commit()
        mid = m.id
    smtp_sink.messages.clear()
    post(client, bravo, mid, "responses", role="mentor", answer="yes")
    assert sorted(m["To"] for m in smtp_sink.messages) == [
        bravo.emails["coordinator"],  # not limited: every office
        "south@bravo.example.org",  # the north coordinator hears nothing
    ]


# --- the agreement, silence, check-ins ----------------------------------------------------


def test_the_agreement_reminder_goes_to_the_side_still_to_accept_once_a_day(
    app, client, tenants, smtp_sink
):
    _, bravo = tenants
    mentee, mentor = _pair(app, bravo)
    m = propose(client, bravo, mentee, mentor)
    assert run_in(app, "mail.agreement_reminder", bravo.id, m["id"]) == 0  # not agreed yet
    advance(client, bravo, m["id"], "agreed")
    post(client, bravo, m["id"], "agreement/accept", side="mentee")
    smtp_sink.messages.clear()
    assert run_in(app, "mail.agreement_reminder", bravo.id, m["id"]) == 1
    assert run_in(app, "mail.agreement_reminder", bravo.id, m["id"]) == 0  # same day
    mail = smtp_sink.one_to(MENTOR)
    assert mail["Subject"] == "Your agreement with Amina is waiting for you"
    assert f"{BASE}/bravo/mentorships/{m['id']}" in text_links(text_of(mail))
    assert smtp_sink.to(MENTEE) == []  # she already accepted


def run_in(app, *args: Any) -> Any:
    with app.app_context():
        return run(*args)


def test_a_silent_pair_is_nudged_a_pair_that_met_is_not(
    app, client, tenants, smtp_sink, owner_engine
):
    _, bravo = tenants
    quiet = propose(client, bravo, *_pair(app, bravo, linked=False))
    busy = propose(client, bravo, *_pair(app, bravo, linked=False, n="2"))
    for m in (quiet, busy):
        advance(client, bravo, m["id"], "active")
    ten_weeks_ago = TODAY - timedelta(weeks=10)
    _set(owner_engine, "UPDATE mentorships SET active_since = :d", d=ten_weeks_ago)
    with app.app_context(), with_tenant(_tenant("bravo")):
        db.session.add(
            Meeting(
                mentorship_id=busy["id"],
                held_on=TODAY - timedelta(days=3),
                kind="face_to_face",
                minutes=60,
                logged_by_side="mentee",
            )
        )
        db.session.commit()
    smtp_sink.messages.clear()
    assert run_in(app, "mail.silent_pair_nudge", bravo.id, busy["id"]) == 0
    assert run_in(app, "mail.silent_pair_nudge", bravo.id, quiet["id"]) == 2
    assert run_in(app, "mail.silent_pair_nudge", bravo.id, quiet["id"]) == 0
    body = text_of(smtp_sink.one_to(MENTOR))
    assert "between you and Amina for 10 weeks" in body
    assert "tell your coordinator" in body  # no login: no page to log it on
    assert {m["To"] for m in smtp_sink.messages} == {MENTEE, MENTOR}


def _follow_up(app, slug: str, mentee: int, mentor: int, due_on: date) -> tuple[int, int]:
    with app.app_context(), with_tenant(_tenant(slug)):
        m = Mentorship(mentee_id=mentee, mentor_id=mentor, state="active", active_since=due_on)
        db.session.add(m)
        db.session.flush()
        follow_up = FollowUp(
            mentorship_id=m.id,
            kind="regular",
            due_on=due_on,
            note="Coordinator-only: she mentioned money worries",
        )
        db.session.add(follow_up)
        db.session.commit()
        return m.id, follow_up.id


def test_a_check_in_due_tells_the_coordinators_of_the_pair_s_office_in_danish(
    app, tenants, smtp_sink
):
    alpha, _ = tenants
    mentee, mentor = _pair(app, alpha, office="north")
    _add_coordinator(app, "alpha", "north@alpha.example.org", ["north"], locale="da")
    _add_coordinator(app, "alpha", "south@alpha.example.org", ["south"])
    mid, follow_up = _follow_up(app, "alpha", mentee, mentor, TODAY - timedelta(days=2))
    assert run_in(app, "mail.follow_up_due", alpha.id, follow_up) == 2
    assert run_in(app, "mail.follow_up_due", alpha.id, follow_up) == 0  # once a day
    assert sorted(m["To"] for m in smtp_sink.messages) == [
        alpha.emails["coordinator"],
        "north@alpha.example.org",
    ]
    mail = smtp_sink.one_to("north@alpha.example.org")
    body = text_of(mail)
    assert mail["Content-Language"] == "da"
    assert "Løbende opfølgning" in body  # the kind of check-in, in Danish
    assert "money" not in body and "money" not in html_of(mail)  # her note stays hers
    assert f"{BASE}/alpha/mentorships/{mid}" in text_links(body)


def test_with_no_coordinator_the_admins_get_the_check_in(app, tenants, smtp_sink, owner_engine):
    _, bravo = tenants
    _set(
        owner_engine,
        "UPDATE memberships SET role = 'mentor' WHERE id = :id",
        id=bravo.member_ids["coordinator"],
    )
    mentee, mentor = _pair(app, bravo)
    _mid, follow_up = _follow_up(app, "bravo", mentee, mentor, TODAY)
    assert run_in(app, "mail.follow_up_due", bravo.id, follow_up) == 1
    body = text_of(smtp_sink.one_to(bravo.emails["admin"]))
    assert "A check-in with Amina and Karen is due on" in body


def test_a_check_in_already_done_is_not_announced(app, tenants, smtp_sink, owner_engine):
    alpha, _ = tenants
    mentee, mentor = _pair(app, alpha)
    _mid, follow_up = _follow_up(app, "alpha", mentee, mentor, TODAY)
    _set(owner_engine, "UPDATE follow_ups SET status = 'done'")
    assert run_in(app, "mail.follow_up_due", alpha.id, follow_up) == 0
    assert smtp_sink.messages == []


# --- the daily digest ---------------------------------------------------------------------


def test_a_coordinator_s_digest_sums_up_her_day(app, client, tenants, smtp_sink, owner_engine):
    alpha, _ = tenants
    _set_locale(app, alpha.emails["coordinator"], "en")
    add_participant(app, "alpha", name="Noor New", status="applied")
    add_participant(app, "alpha", name="Erased One", status="applied", erased_at=utcnow())
    waiting = propose(client, alpha, *_pair(app, alpha, n="w"))
    mentee, mentor = _pair(app, alpha, n="f")
    _mid, _follow_up_id = _follow_up(app, "alpha", mentee, mentor, TODAY - timedelta(days=3))
    smtp_sink.messages.clear()
    member = alpha.member_ids["coordinator"]
    assert run_in(app, "mail.daily_digest", alpha.id, member, TODAY.isoformat()) == 1
    assert run_in(app, "mail.daily_digest", alpha.id, member, TODAY.isoformat()) == 0
    mail = smtp_sink.one_to(alpha.emails["coordinator"])
    body = text_of(mail)
    assert mail["Subject"] == "Alpha today"
    assert "1 new sign-up waits for a first talk." in body
    assert "1 proposed pair waits for answers." in body
    assert "Check-ins overdue" in body and "Aminaf and Karenf, due" in body
    assert "Check-ins due today" not in body
    assert "money" not in body and "Hassan" not in body
    assert f"{BASE}/alpha/people?status=applied" in text_links(body)
    assert f"{BASE}/alpha/" in text_links(body)
    assert f"{BASE}/alpha/mentorships/{waiting['id']}" not in body  # counted, not listed
    assert f"{BASE}/alpha/mentorships/{_mid}" in html_links(html_of(mail))
    # The next day is another digest.
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert run_in(app, "mail.daily_digest", alpha.id, member, tomorrow) == 1


def test_a_quiet_day_sends_no_digest(app, tenants, smtp_sink):
    _, bravo = tenants
    member = bravo.member_ids["coordinator"]
    assert run_in(app, "mail.daily_digest", bravo.id, member, TODAY.isoformat()) == 0
    assert smtp_sink.messages == []


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_participants_get_no_digest(app, tenants, smtp_sink, role):
    alpha, _ = tenants
    add_participant(app, "alpha", status="applied")
    member = alpha.member_ids[role]
    assert run_in(app, "mail.daily_digest", alpha.id, member, TODAY.isoformat()) == 0
    assert smtp_sink.messages == []


def test_a_digest_counts_only_the_coordinator_s_offices(app, tenants, smtp_sink):
    alpha, _ = tenants
    add_participant(app, "alpha", status="applied", office="north")
    south = _add_coordinator(app, "alpha", "south@alpha.example.org", ["south"])
    north = _add_coordinator(app, "alpha", "north@alpha.example.org", ["north"])
    assert run_in(app, "mail.daily_digest", alpha.id, south, TODAY.isoformat()) == 0
    assert run_in(app, "mail.daily_digest", alpha.id, north, TODAY.isoformat()) == 1
    assert [m["To"] for m in smtp_sink.messages] == ["north@alpha.example.org"]


# --- the demo: the outbox -----------------------------------------------------------------


def test_in_the_demo_a_proposal_lands_in_the_admin_s_outbox(app, client, tenants, english):
    _, bravo = tenants
    m = propose(client, bravo, *_pair(app, bravo, mentee_locale="ar"))
    login(client, "bravo", bravo.emails["admin"])
    page = client.get("/bravo/outbox").text
    assert "2 mails" in page
    assert MENTEE in page and MENTOR in page
    with app.app_context(), with_tenant(_tenant("bravo")):
        from mentornet.mail.models import OutboxMessage

        to_mentor = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == MENTOR)
        )
    opened = client.get(f"/bravo/outbox/{to_mentor.id}").text
    assert "Bravo proposes Amina as your mentee." in opened
    assert f"http://localhost/bravo/mentorships/{m['id']}" in opened  # the demo's own address
