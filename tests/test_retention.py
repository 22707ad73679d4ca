"""Retention: who is anonymised after the tenant's retention period, what goes, what the
reports keep, and that a tenant's job touches nobody else's people.

Tenants of the ``tenants`` fixture keep data 24 months after the programme.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import DateTime, bindparam, select, text

from mentornet.accounts import invitations
from mentornet.cycles.models import Mentorship
from mentornet.cycles.schedule import add_months
from mentornet.extensions import db
from mentornet.jobs import enqueue
from mentornet.jobs.queues import queue
from mentornet.jobs.runner import run
from mentornet.mail.models import OutboxMessage
from mentornet.people.retention import (
    age_band,
    cutoff,
    due_for_anonymisation,
    profession_group,
    without_facts,
)
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.conftest import work
from tests.cycle_helpers import OUTCOME, TODAY, advance, auth, pair, post, propose
from tests.people_helpers import add_participant

STORY = "I was a nurse in Aleppo until 2015"
NOTE = "Divorced, two children, fled through Turkey"  # the coordinator's interview note
EXPLANATION = [
    {"key": "profession", "similarity": 0.9, "weight": 3, "facts": {"mentee": "2221"}},
]


@contextmanager
def bound(app, slug: str) -> Iterator[Tenant]:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with with_tenant(tenant):
            yield tenant


def today() -> date:
    return datetime.now(UTC).date()


def months_ago(months: int) -> datetime:
    return datetime.combine(add_months(today(), -months), time(12), UTC)


def at_time(sql: str):
    """``sql`` with its ``:t`` stored as the models store timestamps (SQLite: as text)."""
    return text(sql).bindparams(bindparam("t", type_=DateTime(timezone=True)))


def backdate(owner_engine, participant_ids: list[int], when: datetime, mentorship_id=None):
    """Make their last activity (and the pair's end) happen at ``when``."""
    with owner_engine.begin() as conn:
        for pid in participant_ids:
            conn.execute(
                at_time(
                    "UPDATE participants SET updated_at = :t, status_changed_at = :t WHERE id = :id"
                ),
                {"t": when, "id": pid},
            )
        if mentorship_id is not None:
            conn.execute(
                at_time(
                    "UPDATE mentorships SET closed_at = :t, state_changed_at = :t WHERE id = :id"
                ),
                {"t": when, "id": mentorship_id},
            )


def rows(owner_engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with owner_engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


@dataclass
class Closed:
    mentee: int
    mentor: int
    mentorship: int


def closed_pair(app, client, world, owner_engine, months: int, *, linked=False, tag="amina"):
    """A pair that went the whole cycle, with every kind of free text on the way, closed
    ``months`` ago; the mentor then withdrew too."""
    mentee, mentor = pair(
        app,
        world,
        linked=linked,
        email=f"{tag}@example.org",
        phone="+45 20 30 40 50",
        story=STORY,
        intake_answers={"hobby": "chess", "about_family": "two daughters"},
        profession="2221",
        date_of_birth=date(1990, 5, 1),
        country_of_origin="SY",
        arrival_year=2016,
        interview_notes=NOTE,
    )
    mid = propose(client, world, mentee, mentor)["id"]
    advance(client, world, mid, "agreed")
    patched = client.patch(
        f"/{world.slug}/api/v1/mentorships/{mid}/agreement",
        headers=auth(world),
        json={"notes": "Amina wants to talk about her ex-husband only face to face"},
    )
    assert patched.status_code == 200, patched.json
    for side in ("mentee", "mentor"):
        assert post(client, world, mid, "agreement/accept", side=side).status_code == 200
    for note in ("Met at her flat in Nørrebro", "Coffee near the hospital"):
        met = post(
            client,
            world,
            mid,
            "meetings",
            held_on=TODAY,
            kind="face_to_face",
            minutes=90,
            note=note,
        )
        assert met.status_code == 201, met.json
    goal = post(client, world, mid, "goals", key="custom", title="Get her Syrian diploma approved")
    assert goal.status_code == 201, goal.json
    follow_ups = client.get(
        f"/{world.slug}/api/v1/mentorships/{mid}/follow-ups", headers=auth(world)
    ).json
    first = (follow_ups.get("items") if isinstance(follow_ups, dict) else follow_ups)[0]
    done = post(client, world, mid, f"follow-ups/{first['id']}/done", note="Amina seemed low")
    assert done.status_code in (200, 201), done.json
    closed = post(
        client,
        world,
        mid,
        "close",
        to="completed",
        reason="Amina got a job at Rigshospitalet",
        **OUTCOME,
    )
    assert closed.status_code == 200, closed.json
    with bound(app, world.slug):
        db.session.get(Mentorship, mid).explanation = EXPLANATION
        db.session.commit()
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE participants SET status = 'withdrawn' WHERE id = :id"), {"id": mentor}
        )
    backdate(owner_engine, [mentee, mentor], months_ago(months), mid)
    return Closed(mentee, mentor, mid)


def report(owner_engine, tenant_id: int) -> dict[str, Any]:
    """What a report counts: pairs by state, outcomes, meetings and minutes, people by
    kind and office."""
    one = lambda sql: rows(owner_engine, sql, t=tenant_id)  # noqa: E731
    return {
        "pairs": one(
            "SELECT state, COUNT(*) AS n FROM mentorships WHERE tenant_id = :t "
            "GROUP BY state ORDER BY state"
        ),
        "outcomes": one(
            "SELECT job_found, job_in_field, language_improved, COUNT(*) AS n "
            "FROM outcomes WHERE tenant_id = :t "
            "GROUP BY job_found, job_in_field, language_improved"
        ),
        "meetings": one(
            "SELECT COUNT(*) AS n, SUM(minutes) AS minutes, MIN(held_on) AS first "
            "FROM meetings WHERE tenant_id = :t"
        ),
        "people": one(
            "SELECT kind, office, COUNT(*) AS n FROM participants WHERE tenant_id = :t "
            "GROUP BY kind, office ORDER BY kind, office"
        ),
        "transitions": one(
            "SELECT to_state, reason_code, COUNT(*) AS n FROM "
            "mentorship_transitions WHERE tenant_id = :t "
            "GROUP BY to_state, reason_code ORDER BY to_state"
        ),
        "goals": one(
            "SELECT key, status, COUNT(*) AS n FROM goals WHERE tenant_id = :t GROUP BY key, status"
        ),
    }


def person(owner_engine, participant_id: int) -> dict[str, Any]:
    [row] = rows(owner_engine, "SELECT * FROM participants WHERE id = :id", id=participant_id)
    return row


def texts_of(owner_engine, mentorship_id: int) -> dict[str, list[str]]:
    def column(sql: str) -> list[str]:
        return sorted(r["v"] for r in rows(owner_engine, sql, id=mentorship_id))

    return {
        "meetings": column("SELECT note AS v FROM meetings WHERE mentorship_id = :id"),
        "transitions": column(
            "SELECT reason AS v FROM mentorship_transitions WHERE mentorship_id = :id"
        ),
        "agreement": column("SELECT notes AS v FROM agreements WHERE mentorship_id = :id"),
        "goals": column("SELECT title AS v FROM goals WHERE mentorship_id = :id"),
        "follow_ups": column("SELECT note AS v FROM follow_ups WHERE mentorship_id = :id"),
    }


# --- the rules, in plain Python ----------------------------------------------------------------


def test_coarse_stand_ins_never_say_more_than_a_band_or_a_major_group():
    assert age_band(date(1990, 5, 1), date(2015, 4, 30)) == "under-25"
    assert age_band(date(1990, 5, 1), date(2015, 5, 1)) == "25-34"
    assert age_band(date(1950, 1, 1), date(2026, 1, 1)) == "65-plus"
    assert age_band(None, date(2026, 1, 1)) is None
    assert age_band(date(2030, 1, 1), date(2026, 1, 1)) is None
    assert profession_group("2221") == "2"
    assert profession_group("0110") == "0"
    assert profession_group(None) is None and profession_group("") is None
    assert without_facts(EXPLANATION) == [{"key": "profession", "similarity": 0.9, "weight": 3}]


def test_the_cutoff_is_the_start_of_the_day_so_many_months_back():
    assert cutoff(date(2026, 12, 5), 24) == datetime(2024, 12, 5, tzinfo=UTC)
    assert cutoff(date(2026, 3, 31), 1) == datetime(2026, 2, 28, tzinfo=UTC)


# --- who is due --------------------------------------------------------------------------------


def test_who_is_due_for_anonymisation(app, tenants, owner_engine):
    def person_at(months: int, slug: str = "alpha", **values: Any) -> int:
        pid = add_participant(app, slug, **values)
        backdate(owner_engine, [pid], months_ago(months))
        return pid

    stale_application = person_at(25, status="applied")
    withdrew = person_at(25, status="withdrawn", kind="mentor")
    person_at(23, status="withdrawn")  # inside the period
    person_at(25, status="ready")  # waiting for a mentor: taking part
    person_at(25, status="matched")
    with_open_pair = person_at(25, status="withdrawn", kind="mentor")
    with_recent_end = person_at(25, status="alumni")
    erased = person_at(25, status="withdrawn")
    person_at(25, "bravo", status="withdrawn")  # another tenant's
    mentee = add_participant(app, "alpha", status="matched")
    with bound(app, "alpha"):
        db.session.add(Mentorship(mentee_id=mentee, mentor_id=with_open_pair, state="active"))
        db.session.add(
            Mentorship(
                mentee_id=with_recent_end,
                mentor_id=withdrew,
                state="ended_early",
                closed_at=months_ago(25),
                state_changed_at=months_ago(25),
            )
        )
        db.session.add(
            Mentorship(
                mentee_id=with_recent_end,
                mentor_id=add_participant(app, "alpha", kind="mentor", status="ready"),
                state="declined",
                closed_at=months_ago(20),
                state_changed_at=months_ago(20),
            )
        )
        db.session.commit()
    with owner_engine.begin() as conn:
        conn.execute(
            at_time("UPDATE participants SET erased_at = :t WHERE id = :id"),
            {"t": months_ago(24), "id": erased},
        )
    with bound(app, "alpha"):
        assert due_for_anonymisation(today()) == [stale_application, withdrew]
        # A shorter period catches the one who ended 20 months ago too.
        assert with_recent_end in due_for_anonymisation(today(), months=19)


def test_the_period_counts_to_the_second(app, tenants, owner_engine):
    edge = cutoff(today(), 24)
    before = add_participant(app, "alpha", status="withdrawn")
    on_it = add_participant(app, "alpha", status="withdrawn")
    backdate(owner_engine, [before], edge - timedelta(seconds=1))
    backdate(owner_engine, [on_it], edge)
    with bound(app, "alpha"):
        assert due_for_anonymisation(today()) == [before]


# --- anonymising -------------------------------------------------------------------------------


def test_a_cycle_ended_25_months_ago_is_anonymised_and_the_reports_keep_their_counts(
    app, client, tenants, owner_engine
):
    alpha, _ = tenants
    old = closed_pair(app, client, alpha, owner_engine, 25, linked=True)
    recent = closed_pair(app, client, alpha, owner_engine, 23, tag="hana")
    with bound(app, "alpha"):
        invitations.create("amina@example.org", "mentee", participant_id=old.mentee)
        db.session.add_all(
            [
                OutboxMessage(
                    key="k1",
                    kind="proposal",
                    recipient="Amina@example.org",
                    locale="en",
                    subject="s",
                    text="Dear Amina",
                    html="",
                ),
                OutboxMessage(
                    key="k2",
                    kind="proposal",
                    recipient="hana@example.org",
                    locale="en",
                    subject="s",
                    text="Dear Hana",
                    html="",
                ),
            ]
        )
        db.session.commit()
    before = report(owner_engine, alpha.id)
    untouched = person(owner_engine, recent.mentee)
    recent_texts = texts_of(owner_engine, recent.mentorship)
    old_texts = texts_of(owner_engine, old.mentorship)
    assert "Met at her flat in Nørrebro" in old_texts["meetings"]
    assert "Amina got a job at Rigshospitalet" in old_texts["transitions"]
    assert "Amina seemed low" in old_texts["follow_ups"]
    assert "Get her Syrian diploma approved" in old_texts["goals"]
    assert old_texts["agreement"][0].startswith("Amina wants")

    with app.app_context():
        assert run("retention.anonymise", alpha.id) == 2  # the old pair's mentee and mentor

    her = person(owner_engine, old.mentee)
    assert her["erased_at"] is not None
    assert (her["name"], her["email"], her["phone"], her["story"]) == ("", None, None, None)
    assert (her["country_of_origin"], her["arrival_year"], her["date_of_birth"]) == (None,) * 3
    assert as_json(her["intake_answers"]) == {} and as_json(her["languages"]) == []
    assert (her["profession"], her["profession_group"], her["age_band"]) == (None, "2", "35-44")
    assert (her["kind"], her["office"], her["user_id"]) == ("mentee", "north", None)
    assert (
        rows(owner_engine, "SELECT * FROM interviews WHERE participant_id = :id", id=old.mentee)
        == []
    )
    assert person(owner_engine, old.mentor)["name"] == ""
    after = texts_of(owner_engine, old.mentorship)
    # Every row stays; every text the pair or the coordinator wrote is blank.
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in old_texts.items()}
    assert {text for texts in after.values() for text in texts} == {""}
    [pair_row] = rows(owner_engine, "SELECT * FROM mentorships WHERE id = :id", id=old.mentorship)
    assert pair_row["state"] == "completed" and pair_row["closed_at"] is not None
    assert as_json(pair_row["explanation"]) == without_facts(EXPLANATION)
    # Her login is gone with her: membership, token, user, invitation, mails to her.
    assert (
        rows(owner_engine, "SELECT id FROM users WHERE id = :id", id=alpha.user_ids["mentee"]) == []
    )
    assert (
        rows(owner_engine, "SELECT id FROM invitations WHERE participant_id = :id", id=old.mentee)
        == []
    )
    assert client.get("/alpha/api/v1/mentees", headers=auth(alpha, "mentee")).status_code == 401
    kept = {r["recipient"].lower() for r in rows(owner_engine, "SELECT * FROM outbox_messages")}
    assert "hana@example.org" in kept
    assert not kept & {"amina@example.org", alpha.emails["mentee"]}
    # What the reports count is unchanged.
    assert report(owner_engine, alpha.id) == before
    # 23 months ago: nothing happened to her or her pair.
    assert person(owner_engine, recent.mentee) == untouched
    assert texts_of(owner_engine, recent.mentorship) == recent_texts
    assert STORY in str(untouched) and recent_texts["meetings"][0]
    # The staff keep their logins.
    assert client.get("/alpha/api/v1/mentees", headers=auth(alpha)).status_code == 200


def test_running_twice_changes_nothing_the_second_time(app, tenants, owner_engine):
    alpha, _ = tenants
    pid = add_participant(app, "alpha", status="withdrawn", story=STORY, interview_notes=NOTE)
    backdate(owner_engine, [pid], months_ago(30))
    with app.app_context():
        assert run("retention.anonymise", alpha.id) == 1
    first = rows(owner_engine, "SELECT * FROM participants ORDER BY id")
    with app.app_context():
        assert run("retention.anonymise", alpha.id) == 0
    assert rows(owner_engine, "SELECT * FROM participants ORDER BY id") == first


def test_the_nightly_run_prunes_outbox_messages_older_than_90_days(app, tenants, owner_engine):
    alpha, bravo = tenants

    def message(key: str) -> OutboxMessage:
        return OutboxMessage(
            key=key, kind="daily_digest", recipient="c@example.org", locale="en",
            subject="s", text="Amina is waiting", html="",
        )  # fmt: skip

    for slug in ("alpha", "bravo"):
        with bound(app, slug):
            db.session.add_all([message("old"), message("recent")])
            db.session.commit()
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE outbox_messages SET created_at = :at WHERE key = 'old'"),
            {"at": datetime.now(UTC) - timedelta(days=91)},
        )
    with app.app_context():
        run("retention.anonymise", alpha.id)
    kept = rows(owner_engine, "SELECT tenant_id, key FROM outbox_messages ORDER BY tenant_id, key")
    assert [(r["tenant_id"], r["key"]) for r in kept] == [
        (alpha.id, "recent"),
        (bravo.id, "old"),  # bravo's own nightly run has not come yet
        (bravo.id, "recent"),
    ]


def test_another_tenant_s_people_are_untouched(app, tenants, owner_engine):
    alpha, bravo = tenants
    ours = add_participant(app, "alpha", status="withdrawn", story=STORY)
    theirs = add_participant(app, "bravo", status="withdrawn", story=STORY)
    backdate(owner_engine, [ours, theirs], months_ago(30))
    with app.app_context():
        assert run("retention.anonymise", alpha.id) == 1
    assert person(owner_engine, ours)["erased_at"] is not None
    assert person(owner_engine, theirs)["story"] == STORY
    with app.app_context():  # bravo's own run reaches her: the check above can fail
        assert run("retention.anonymise", bravo.id) == 1
    assert person(owner_engine, theirs)["story"] is None


def test_a_participant_known_to_another_programme_keeps_her_user_account(
    app, tenants, owner_engine
):
    from mentornet.accounts import services

    alpha, bravo = tenants
    with bound(app, "bravo"):
        user = services.user_by_email(alpha.emails["mentee"])
        services.grant_membership(user, "mentee")
        db.session.commit()
    pid = add_participant(app, "alpha", status="withdrawn", user_id=alpha.user_ids["mentee"])
    backdate(owner_engine, [pid], months_ago(30))
    with app.app_context():
        assert run("retention.anonymise", alpha.id) == 1
    memberships = rows(
        owner_engine,
        "SELECT tenant_id FROM memberships WHERE user_id = :u",
        u=alpha.user_ids["mentee"],
    )
    assert memberships == [{"tenant_id": bravo.id}]


# --- with a real rq worker -----------------------------------------------------------------


def test_a_worker_anonymises_for_the_job_s_tenant_only(queued, tenants, owner_engine):
    alpha, bravo = tenants
    ours = add_participant(queued, "alpha", status="withdrawn", story=STORY)
    theirs = add_participant(queued, "bravo", status="withdrawn", story=STORY)
    backdate(owner_engine, [ours, theirs], months_ago(30))
    with queued.app_context():
        sent = enqueue("retention.anonymise", alpha.id)
        assert sent.mode == "queued"
    work(queued)
    assert person(owner_engine, ours)["erased_at"] is not None
    assert person(owner_engine, theirs)["story"] == STORY  # a job of A cannot reach B's rows
    # The nightly run starts one job per tenant, each bound to its own.
    with queued.app_context():
        assert enqueue("schedule.nightly", None).mode == "queued"
    work(queued)
    assert person(owner_engine, theirs)["story"] is None
    with queued.app_context():
        conn = queue("default").connection
        from rq.registry import FinishedJobRegistry

        finished = FinishedJobRegistry(queue=queue("default"))
        from rq.job import Job

        args = sorted(
            tuple(Job.fetch(job_id, connection=conn).args) for job_id in finished.get_job_ids()
        )
    assert ("retention.anonymise", bravo.id) in args
    assert ("retention.anonymise", alpha.id) in args
    assert ("schedule.nightly", None) in args


def test_a_login_still_linked_to_someone_taking_part_stays(app, tenants, owner_engine):
    """She was a mentee years ago and came back as a mentor: her login is the mentor's."""
    alpha, _ = tenants
    user_id = alpha.user_ids["mentor"]
    old = add_participant(app, "alpha", status="alumni", user_id=user_id)
    add_participant(app, "alpha", kind="mentor", status="ready", user_id=user_id)
    backdate(owner_engine, [old], months_ago(30))
    with app.app_context():
        assert run("retention.anonymise", alpha.id) == 1
    assert person(owner_engine, old)["erased_at"] is not None
    assert rows(owner_engine, "SELECT role FROM memberships WHERE user_id = :u", u=user_id) == [
        {"role": "mentor"}
    ]
