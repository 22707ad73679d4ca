"""Billing: plans, Stripe Checkout and the Customer Portal, webhooks, and what a plan allows.

Stand-ins, and the real thing each one stands for (see tests/stripe_fake.py):

* ``FakeStripeHTTP`` stands for Stripe's API: stripe-python encodes real requests and
  hands them to it instead of the network; it answers with Stripe-shaped JSON objects
  and keeps what it was sent.
* ``sign`` stands for Stripe's webhook sender: real ``Stripe-Signature`` headers
  (HMAC-SHA256 with the endpoint secret over ``"{timestamp}.{payload}"``), checked by
  the application exactly as in production.
* Rewriting ``billing_accounts.past_due_since`` stands for the passing of the grace period.

Everything else is real: the application, its database, its pages and its API. Tests
marked with ``app`` = "off" run with the embedded default: no STRIPE_* settings.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select, text

from mentornet.billing import events
from mentornet.billing.models import StripeEvent
from mentornet.cycles.models import Mentorship
from mentornet.extensions import db
from mentornet.people.models import Participant
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.conftest import _empty_tables, login, make_app
from tests.cycle_helpers import TODAY, advance, auth, pair, post, propose
from tests.people_helpers import add_participant
from tests.stripe_fake import (
    PRICES,
    SECRET_KEY,
    WEBHOOK_SECRET,
    FakeStripeHTTP,
    checkout_session,
    event,
    invoice,
    sign,
    subscription,
)
from tests.test_people_signup import rows

pytestmark = pytest.mark.usefixtures("english")

NOW = int(time.time())
HOUR = 3600
WEBHOOK = "/billing/stripe/webhook"
OFF = pytest.mark.parametrize("app", ["off"], indirect=True)


@pytest.fixture
def stripe_http() -> FakeStripeHTTP:
    return FakeStripeHTTP()


@pytest.fixture
def app(database, request, stripe_http):
    """The application with billing on (Stripe keys, prices, the fake API), or "off"."""
    overrides = {}
    if getattr(request, "param", "on") == "on":
        overrides = {
            "STRIPE_SECRET_KEY": SECRET_KEY,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_PRICE_PROGRAMME": PRICES["programme"],
            "STRIPE_PRICE_NETWORK": PRICES["network"],
            "STRIPE_HTTP_CLIENT": stripe_http,
        }
    application = make_app(database, **overrides)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    _empty_tables(database[1])


# --- helpers -------------------------------------------------------------------------------


def deliver(client, evt: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """POST an event as Stripe does: the raw JSON body and its signature header."""
    payload = json.dumps(evt)
    return client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": sign(payload, secret, timestamp)},
    )


def applied(client, evt: dict) -> str:
    response = deliver(client, evt)
    assert response.status_code == 200, response.text
    return response.json["outcome"]


def tenant_row(owner_engine, world) -> dict:
    [row] = rows(owner_engine, "SELECT status FROM tenants WHERE id = :i", i=world.id)
    return dict(row)


def account_row(owner_engine, world) -> dict | None:
    found = rows(owner_engine, "SELECT * FROM billing_accounts WHERE tenant_id = :i", i=world.id)
    return dict(found[0]) if found else None


def fill_open_mentorships(app, slug: str, count: int) -> None:
    """``count`` proposed mentorships in tenant ``slug``, written straight to the database."""
    person = {"status": "matched", "preferred_locale": "en", "office": "north", "source": "test"}
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with with_tenant(tenant):
            mentor = Participant(kind="mentor", name="Busy mentor", capacity=count, **person)
            db.session.add(mentor)
            db.session.flush()
            for n in range(count):
                mentee = Participant(kind="mentee", name=f"Mentee {n}", **person)
                db.session.add(mentee)
                db.session.flush()
                db.session.add(Mentorship(mentee_id=mentee.id, mentor_id=mentor.id))
            db.session.commit()


def open_count(owner_engine, world) -> int:
    [row] = rows(
        owner_engine,
        "SELECT count(*) AS n FROM mentorships WHERE tenant_id = :i AND state IN "
        "('proposed', 'introduced', 'agreed', 'active')",
        i=world.id,
    )
    return row["n"]


def subscribe(client, world, sub_id: str = "sub_alpha", customer: str = "cus_alpha", at=NOW):
    """Checkout completed and paid, as Stripe reports a new subscriber."""
    completed = checkout_session(world.id, customer, sub_id)
    assert applied(client, event("checkout.session.completed", completed, at)) == "applied"


# --- webhooks: signatures ------------------------------------------------------------------


def test_a_signed_checkout_completion_moves_the_tenant_to_the_paid_plan(
    client, tenants, owner_engine
):
    alpha, bravo = tenants
    evt = event("checkout.session.completed", checkout_session(alpha.id, "cus_a", "sub_a"), NOW)
    response = deliver(client, evt)
    assert response.status_code == 200
    assert response.json == {"received": True, "outcome": "applied"}
    account = account_row(owner_engine, alpha)
    assert (account["plan"], account["stripe_customer_id"], account["stripe_subscription_id"]) == (
        "programme",
        "cus_a",
        "sub_a",
    )
    assert tenant_row(owner_engine, alpha)["status"] == "active"
    [stored] = rows(owner_engine, "SELECT id, tenant_id, outcome FROM stripe_events")
    assert dict(stored) == {"id": evt["id"], "tenant_id": alpha.id, "outcome": "applied"}
    assert account_row(owner_engine, bravo) is None  # the other tenant is untouched


@pytest.mark.parametrize(
    "how", ["wrong secret", "body changed after signing", "signed too long ago", "garbled header"]
)
def test_a_bad_signature_is_refused_and_changes_nothing(client, tenants, owner_engine, how):
    alpha, _ = tenants
    evt = event("checkout.session.completed", checkout_session(alpha.id, "cus_a", "sub_a"), NOW)
    payload = json.dumps(evt)
    header = sign(payload)
    if how == "wrong secret":
        header = sign(payload, "whsec_someone_else")
    elif how == "body changed after signing":
        payload = payload.replace('"programme"', '"network"')
    elif how == "signed too long ago":
        header = sign(payload, timestamp=NOW - 600)
    else:
        header = "t=yesterday,v1=nothing"
    response = client.post(
        WEBHOOK, data=payload, content_type="application/json", headers={"Stripe-Signature": header}
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "signature_invalid"
    assert rows(owner_engine, "SELECT id FROM stripe_events") == []
    assert account_row(owner_engine, alpha) is None
    assert tenant_row(owner_engine, alpha)["status"] == "active"


def test_a_missing_signature_header_is_refused(client, tenants, owner_engine):
    alpha, _ = tenants
    evt = event("checkout.session.completed", checkout_session(alpha.id, "cus_a", "sub_a"), NOW)
    response = client.post(WEBHOOK, data=json.dumps(evt), content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "signature_missing"
    assert rows(owner_engine, "SELECT id FROM stripe_events") == []
    assert account_row(owner_engine, alpha) is None


# --- webhooks: once each, in any order -----------------------------------------------------


def test_a_duplicate_delivery_is_processed_once(client, tenants, owner_engine):
    alpha, _ = tenants
    subscribe(client, alpha)
    failed = event("invoice.payment_failed", invoice("cus_alpha", "sub_alpha"), NOW + HOUR)
    paid = event("invoice.paid", invoice("cus_alpha", "sub_alpha", "paid"), NOW + HOUR)
    assert applied(client, failed) == "applied"
    assert tenant_row(owner_engine, alpha)["status"] == "past_due"
    assert applied(client, paid) == "applied"
    assert tenant_row(owner_engine, alpha)["status"] == "active"
    # Stripe sends the failure again (same event id): it was handled; nothing moves back.
    again = deliver(client, failed)
    assert again.status_code == 200 and again.json["outcome"] == "duplicate"
    assert tenant_row(owner_engine, alpha)["status"] == "active"
    assert account_row(owner_engine, alpha)["past_due_since"] is None
    stored = rows(owner_engine, "SELECT id FROM stripe_events WHERE id = :i", i=failed["id"])
    assert len(stored) == 1


def test_a_delivery_racing_its_twin_is_a_duplicate_not_an_error(app, tenants, owner_engine):
    """The other delivery of the same event committed between our look-up and our insert."""
    alpha, _ = tenants
    evt = event(
        "customer.subscription.updated", subscription("sub_a", "cus_a", "active", alpha.id), NOW
    )
    with owner_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO stripe_events (id, type, created_at, received_at, outcome) "
                "VALUES (:i, 'customer.subscription.updated', :t, :t, 'applied')"
            ),
            {"i": evt["id"], "t": datetime.now(UTC)},
        )
    with app.app_context():
        real_get = db.session.get

        def get_missing_the_twin(entity, ident, **kwargs):
            return None if entity is StripeEvent else real_get(entity, ident, **kwargs)

        db.session.get = get_missing_the_twin
        try:
            assert events.handle_event(evt) == "duplicate"
        finally:
            del db.session.get
        db.session.commit()  # the session is still usable after the refused insert
    assert account_row(owner_engine, alpha) is None


def test_an_older_update_arriving_late_is_recorded_stale_and_not_applied(
    client, tenants, owner_engine
):
    alpha, _ = tenants
    newer = event(
        "customer.subscription.updated", subscription("sub_a", "cus_a", "past_due", alpha.id), NOW
    )
    older = event(
        "customer.subscription.updated",
        subscription("sub_a", "cus_a", "active", alpha.id),
        NOW - HOUR,
    )
    assert applied(client, newer) == "applied"
    assert applied(client, older) == "stale"
    assert tenant_row(owner_engine, alpha)["status"] == "past_due"
    outcomes = rows(owner_engine, "SELECT id, outcome FROM stripe_events")
    assert {r["id"]: r["outcome"] for r in outcomes} == {
        newer["id"]: "applied",
        older["id"]: "stale",
    }


def test_a_deleted_subscription_is_not_revived_by_a_late_update(client, tenants, owner_engine):
    alpha, _ = tenants
    subscribe(client, alpha, at=NOW - 2 * HOUR)
    deleted = event(
        "customer.subscription.deleted",
        subscription("sub_alpha", "cus_alpha", "canceled", alpha.id),
        NOW,
    )
    assert applied(client, deleted) == "applied"
    late = event(
        "customer.subscription.updated",
        subscription("sub_alpha", "cus_alpha", "active", alpha.id),
        NOW - HOUR,
    )
    same_second = event(
        "customer.subscription.updated",
        subscription("sub_alpha", "cus_alpha", "active", alpha.id),
        NOW,
    )
    assert applied(client, late) == "stale"
    assert applied(client, same_second) == "stale"  # deleted is final, whatever the clock
    assert tenant_row(owner_engine, alpha)["status"] == "canceled"
    assert account_row(owner_engine, alpha)["plan"] == "pilot"


def test_the_subscription_may_arrive_before_the_checkout_that_made_it(
    client, tenants, owner_engine
):
    alpha, _ = tenants
    created = event(
        "customer.subscription.created",
        subscription("sub_a", "cus_a", "active", alpha.id, "network"),
        NOW,
    )
    assert applied(client, created) == "applied"
    completed = event(
        "checkout.session.completed", checkout_session(alpha.id, "cus_a", "sub_a", "network"), NOW
    )
    assert applied(client, completed) == "applied"
    account = account_row(owner_engine, alpha)
    assert (account["plan"], account["subscription_status"]) == ("network", "active")
    assert tenant_row(owner_engine, alpha)["status"] == "active"


def test_an_event_whose_customer_belongs_to_another_tenant_is_ignored(
    client, tenants, owner_engine
):
    alpha, bravo = tenants
    subscribe(client, bravo, "sub_b", "cus_b")
    # Metadata naming alpha on bravo's customer: trusted with neither tenant.
    forged = event(
        "customer.subscription.updated",
        subscription("sub_b", "cus_b", "unpaid", alpha.id),
        NOW + HOUR,
    )
    assert applied(client, forged) == "ignored"
    assert tenant_row(owner_engine, alpha)["status"] == "active"
    assert tenant_row(owner_engine, bravo)["status"] == "active"
    assert account_row(owner_engine, alpha) is None


# --- the whole path of statuses ------------------------------------------------------------


def test_trial_active_past_due_read_only_canceled_and_the_data_stays(
    app, client, runner, tenants, owner_engine
):
    alpha, _ = tenants
    mid = advance(client, alpha, propose(client, alpha, *pair(app, alpha))["id"], "active")["id"]
    meeting = {"held_on": TODAY, "kind": "face_to_face", "minutes": 60}
    assert post(client, alpha, mid, "meetings", **meeting).status_code == 201

    def sub(status: str) -> dict:
        return subscription("sub_alpha", "cus_alpha", status, alpha.id)

    trialing = event("customer.subscription.created", sub("trialing"), NOW)
    assert applied(client, trialing) == "applied"
    assert tenant_row(owner_engine, alpha)["status"] == "trial"
    applied(client, event("customer.subscription.updated", sub("active"), NOW + 1))
    assert tenant_row(owner_engine, alpha)["status"] == "active"
    assert account_row(owner_engine, alpha)["plan"] == "programme"

    applied(client, event("invoice.payment_failed", invoice("cus_alpha", "sub_alpha"), NOW + 2))
    assert tenant_row(owner_engine, alpha)["status"] == "past_due"
    login(client, "alpha", alpha.emails["admin"])
    home = client.get("/alpha/?lang=en").text
    grace_end = datetime.fromtimestamp(NOW + 2, UTC) + timedelta(days=14)
    assert "The last payment for this programme did not go through" in home
    assert f"until {format_date(grace_end, 'long', locale='en')}" in home
    assert 'href="/alpha/billing"' in home
    # Within the grace period everything still works.
    assert post(client, alpha, mid, "meetings", **meeting).status_code == 201

    # Fifteen days later: read-only, before and after the sweep writes it down.
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE billing_accounts SET past_due_since = :t WHERE tenant_id = :i"),
            {"t": datetime.now(UTC) - timedelta(days=15), "i": alpha.id},
        )
    refused = post(client, alpha, mid, "meetings", **meeting)
    assert refused.status_code == 402 and refused.json["error"]["code"] == "read_only"
    result = runner.invoke(args=["billing", "sweep"])
    assert result.exit_code == 0 and "1 tenant(s) now read-only" in result.output
    assert tenant_row(owner_engine, alpha)["status"] == "read_only"
    assert client.get(f"/alpha/api/v1/mentorships/{mid}", headers=auth(alpha)).status_code == 200

    applied(client, event("customer.subscription.deleted", sub("canceled"), NOW + 3))
    assert tenant_row(owner_engine, alpha)["status"] == "canceled"
    assert account_row(owner_engine, alpha)["plan"] == "pilot"
    assert "subscription has ended" in client.get("/alpha/?lang=en").text
    # Nothing was deleted on the way.
    assert len(rows(owner_engine, "SELECT id FROM meetings WHERE tenant_id = :i", i=alpha.id)) == 2
    assert open_count(owner_engine, alpha) == 1
    read = client.get(f"/alpha/api/v1/mentorships/{mid}/meetings", headers=auth(alpha))
    assert read.status_code == 200 and len(read.json["items"]) == 2


def test_read_only_refuses_writes_but_reads_login_and_billing_still_work(
    app, client, tenants, owner_engine, stripe_http
):
    alpha, bravo = tenants
    subscribe(client, alpha)
    applied(
        client,
        event(
            "customer.subscription.updated",
            subscription("sub_alpha", "cus_alpha", "unpaid", alpha.id),
            NOW + 1,
        ),
    )
    assert tenant_row(owner_engine, alpha)["status"] == "read_only"

    created = client.post(
        "/alpha/api/v1/mentees", headers=auth(alpha), json={"name": "New", "languages": ["da"]}
    )
    assert created.status_code == 402
    assert "payment is overdue" in created.json["error"]["message"]
    assert client.post("/alpha/api/v1/mentees", json={}).status_code == 401  # no token: no hint
    assert client.get("/alpha/api/v1/mentees", headers=auth(alpha)).status_code == 200

    assert login(client, "alpha", alpha.emails["coordinator"]).status_code == 302
    page = client.get("/alpha/people?lang=en")
    assert page.status_code == 200 and "payment is overdue" in page.text
    assert 'href="/alpha/billing"' not in page.text  # paying is the admin's
    form = client.post("/alpha/people/new?lang=en", data={"name": "Someone"})
    assert form.status_code == 402 and "payment is overdue" in form.text
    assert client.post("/alpha/logout").status_code == 302

    login(client, "alpha", alpha.emails["admin"])
    refused = client.post("/alpha/people/new?lang=en", data={"name": "Someone"})
    assert refused.status_code == 402
    assert 'class="button primary" href="/alpha/billing"' in refused.text  # her way out
    portal = client.post("/alpha/billing/portal")
    assert portal.status_code == 303 and portal.location.startswith("https://billing.stripe.com/")
    assert len(stripe_http.requests) == 1
    # The other tenant is not affected.
    assert tenant_row(owner_engine, bravo)["status"] == "active"
    propose(client, bravo, *pair(app, bravo))
    assert rows(owner_engine, "SELECT id FROM participants WHERE tenant_id = :i", i=alpha.id) == []


# --- the plan's limit ------------------------------------------------------------------------


@OFF
def test_at_the_pilot_limit_a_new_proposal_is_refused_and_the_rest_works(
    app, client, tenants, owner_engine
):
    alpha, bravo = tenants
    first = propose(client, alpha, *pair(app, alpha, linked=False))["id"]
    mid = advance(client, alpha, first, "active")["id"]
    fill_open_mentorships(app, "alpha", 19)
    assert open_count(owner_engine, alpha) == 20
    mentee = add_participant(app, "alpha", name="Waiting", days_waiting=3)
    mentor = add_participant(app, "alpha", kind="mentor", status="ready", name="Free", capacity=1)

    api = client.post(
        "/alpha/api/v1/mentorships",
        headers=auth(alpha),
        json={"mentee_id": mentee, "mentor_id": mentor},
    )
    assert api.status_code == 402
    assert api.json["error"]["code"] == "plan_limit"
    assert "the Pilot plan allows 20" in api.json["error"]["message"]

    login(client, "alpha", alpha.emails["coordinator"])
    web = client.post(
        f"/alpha/people/{mentee}/match/propose?lang=en",
        data={"mentor_id": str(mentor)},
        follow_redirects=True,
    )
    assert 'flash-error">This programme has 20 open mentorships' in web.text
    assert open_count(owner_engine, alpha) == 20
    assert "No new mentorship can be proposed" in client.get("/alpha/?lang=en").text

    # Everything else works: the pair logs a meeting; another tenant proposes freely.
    meeting = post(client, alpha, mid, "meetings", held_on=TODAY, kind="face_to_face", minutes=45)
    assert meeting.status_code == 201
    propose(client, bravo, *pair(app, bravo))

    # Closing a mentorship frees its place.
    ended = post(client, alpha, mid, "transitions", to="ended_early", reason_code="moved")
    assert ended.status_code == 201, ended.json
    again = client.post(
        "/alpha/api/v1/mentorships",
        headers=auth(alpha),
        json={"mentee_id": mentee, "mentor_id": mentor},
    )
    assert again.status_code == 201


@OFF
def test_batch_matching_at_the_limit_says_why_and_keeps_the_proposals_open(
    app, client, tenants, owner_engine
):
    alpha, _ = tenants
    fill_open_mentorships(app, "alpha", 20)
    for name in ("Ana", "Bea"):
        add_participant(app, "alpha", name=name, days_waiting=10, profession="2221")
    add_participant(
        app, "alpha", kind="mentor", status="ready", name="Kim", capacity=2, profession="2221"
    )
    run = client.post("/alpha/api/v1/matching/runs", headers=auth(alpha), json={"min_score": 0})
    assert run.status_code == 202 and len(run.json["proposals"]) == 2
    accepted = client.post(
        f"/alpha/api/v1/matching/runs/{run.json['id']}/accept", headers=auth(alpha), json={}
    )
    assert accepted.status_code == 200
    assert accepted.json["mentorships"] == []
    assert {r["code"] for r in accepted.json["refused"]} == {"plan_limit"}
    after = client.get(f"/alpha/api/v1/matching/runs/{run.json['id']}", headers=auth(alpha))
    assert {p["status"] for p in after.json["proposals"]} == {"open"}  # for after an upgrade

    login(client, "alpha", alpha.emails["coordinator"])
    page = client.post(
        f"/alpha/matching/runs/{run.json['id']}/accept?lang=en",
        data={"all": "1"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert 'flash-error">This programme has 20 open mentorships' in page.text
    assert open_count(owner_engine, alpha) == 20


def test_a_paid_plan_lifts_the_pilot_limit(app, client, tenants, owner_engine):
    alpha, _ = tenants
    fill_open_mentorships(app, "alpha", 20)
    mentee, mentor = pair(app, alpha, linked=False)
    refused = client.post(
        "/alpha/api/v1/mentorships",
        headers=auth(alpha),
        json={"mentee_id": mentee, "mentor_id": mentor},
    )
    assert refused.status_code == 402
    subscribe(client, alpha)
    propose(client, alpha, mentee, mentor)
    assert open_count(owner_engine, alpha) == 21


# --- billing off: the embedded default -----------------------------------------------------


@OFF
def test_without_stripe_settings_every_tenant_is_on_pilot(app, client, tenants, owner_engine):
    alpha, _ = tenants
    with owner_engine.begin() as conn:  # a plan left over from when billing was on
        conn.execute(
            text(
                "INSERT INTO billing_accounts (tenant_id, plan, updated_at) "
                "VALUES (:i, 'network', :t)"
            ),
            {"i": alpha.id, "t": datetime.now(UTC)},
        )
    propose(client, alpha, *pair(app, alpha))
    evt = event("checkout.session.completed", checkout_session(alpha.id, "cus_a", "sub_a"), NOW)
    assert deliver(client, evt).status_code == 404
    assert rows(owner_engine, "SELECT id FROM stripe_events") == []

    login(client, "alpha", alpha.emails["admin"])
    page = client.get("/alpha/billing?lang=en")
    assert page.status_code == 200
    assert "every programme is on the free Pilot plan" in page.text
    assert "Current plan: Pilot" in page.text
    assert "1 of 20 open mentorships" in page.text
    assert "Subscribe to" not in page.text
    assert client.post("/alpha/billing/checkout", data={"plan": "programme"}).status_code == 404


# --- Checkout and the Customer Portal ------------------------------------------------------


def test_checkout_sends_the_plan_and_the_tenant_and_redirects_to_stripe(
    client, tenants, stripe_http, owner_engine
):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    page = client.get("/alpha/billing?lang=en").text
    assert "0 of 20 open mentorships" in page
    assert "Subscribe to Programme" in page and "Subscribe to Network" in page
    response = client.post("/alpha/billing/checkout", data={"plan": "programme"})
    assert response.status_code == 303
    [sent] = stripe_http.sent("/v1/checkout/sessions")
    assert response.location.startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert sent.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    params = sent.params
    assert params["mode"] == "subscription"
    assert params["line_items[0][price]"] == PRICES["programme"]
    assert params["line_items[0][quantity]"] == "1"
    assert params["client_reference_id"] == str(alpha.id)
    assert params["metadata[tenant_id]"] == str(alpha.id)
    assert params["subscription_data[metadata][tenant_id]"] == str(alpha.id)
    assert params["success_url"] == "http://localhost/alpha/billing?checkout=done"
    assert params["cancel_url"] == "http://localhost/alpha/billing?checkout=canceled"
    assert "customer" not in params  # Stripe creates the customer at Checkout

    # Back from Stripe, the page thanks her; the webhook is what changes the plan.
    back = client.get("/alpha/billing?checkout=done&lang=en").text
    assert "as soon as Stripe confirms the payment" in back
    assert account_row(owner_engine, alpha)["plan"] == "pilot"


def test_portal_and_a_second_checkout_use_the_known_customer(client, tenants, stripe_http):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    nothing_yet = client.post("/alpha/billing/portal", follow_redirects=True)
    assert "There is no subscription to manage yet" in nothing_yet.text
    assert stripe_http.requests == []

    subscribe(client, alpha)
    page = client.get("/alpha/billing?lang=en").text
    assert "Subscribe to" not in page and "0 of 150 open mentorships" in page
    again = client.post("/alpha/billing/checkout", data={"plan": "network"}, follow_redirects=True)
    assert "already has a subscription" in again.text
    assert stripe_http.requests == []

    portal = client.post("/alpha/billing/portal")
    assert portal.status_code == 303
    [sent] = stripe_http.sent("/v1/billing_portal/sessions")
    assert sent.params == {"customer": "cus_alpha", "return_url": "http://localhost/alpha/billing"}
    assert portal.location.startswith("https://billing.stripe.com/p/session/test_")

    # Canceled, then subscribing again: the same Stripe customer is reused.
    applied(
        client,
        event(
            "customer.subscription.deleted",
            subscription("sub_alpha", "cus_alpha", "canceled", alpha.id),
            NOW + 5,
        ),
    )
    assert client.post("/alpha/billing/checkout", data={"plan": "network"}).status_code == 303
    [_first, sent] = stripe_http.requests
    assert sent.params["customer"] == "cus_alpha"
    assert sent.params["line_items[0][price]"] == PRICES["network"]


def test_checkout_refuses_unknown_plans_and_says_when_stripe_is_down(client, tenants, stripe_http):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    for plan in ("pilot", "platinum"):
        page = client.post("/alpha/billing/checkout", data={"plan": plan}, follow_redirects=True)
        assert "This plan cannot be bought" in page.text
    assert stripe_http.requests == []
    stripe_http.down = True
    down = client.post("/alpha/billing/checkout", data={"plan": "programme"})
    assert down.status_code == 303 and down.location.endswith("/alpha/billing")
    assert "Stripe could not be reached" in client.get("/alpha/billing?lang=en").text


# --- who may see and do what ---------------------------------------------------------------


def test_billing_belongs_to_the_tenants_admin_only(client, tenants, stripe_http, owner_engine):
    alpha, bravo = tenants
    login(client, "alpha", alpha.emails["admin"])
    assert client.get("/bravo/billing").status_code == 404
    assert client.post("/bravo/billing/checkout", data={"plan": "programme"}).status_code == 404
    assert client.post("/bravo/billing/portal").status_code == 404
    assert stripe_http.requests == []
    assert account_row(owner_engine, bravo) is None

    login(client, "alpha", alpha.emails["coordinator"])
    assert client.get("/alpha/billing").status_code == 403
    assert client.post("/alpha/billing/checkout", data={"plan": "programme"}).status_code == 403
    assert stripe_http.requests == []
    client.post("/alpha/logout")
    anonymous = client.get("/alpha/billing")
    assert anonymous.status_code == 302 and "/alpha/login" in anonymous.location


# --- races (PostgreSQL: SQLite serialises every write) -------------------------------------


def _at_once(count: int, action) -> list:
    barrier = threading.Barrier(count)
    results: list = []

    def run(n: int) -> None:
        barrier.wait()
        results.append(action(n))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_the_plans_last_place_is_taken_once(app, tenants, owner_engine):
    if owner_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every write; the race needs PostgreSQL")
    alpha, _ = tenants
    fill_open_mentorships(app, "alpha", 19)
    mentees = [add_participant(app, "alpha", name=f"W{n}", days_waiting=2) for n in range(4)]
    mentors = [
        add_participant(app, "alpha", kind="mentor", status="ready", name=f"F{n}", capacity=1)
        for n in range(4)
    ]

    def propose_pair(n: int) -> tuple[int, str | None]:
        response = app.test_client().post(
            "/alpha/api/v1/mentorships",
            headers=auth(alpha),
            json={"mentee_id": mentees[n], "mentor_id": mentors[n]},
        )
        code = None if response.status_code == 201 else response.json["error"]["code"]
        return response.status_code, code

    results = _at_once(4, propose_pair)
    assert sorted(results, key=str) == [(201, None)] + [(402, "plan_limit")] * 3
    assert open_count(owner_engine, alpha) == 20


def test_the_same_event_delivered_at_once_is_applied_once(app, tenants, owner_engine):
    if owner_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every write; the race needs PostgreSQL")
    alpha, _ = tenants
    evt = event("checkout.session.completed", checkout_session(alpha.id, "cus_a", "sub_a"), NOW)
    results = _at_once(4, lambda n: deliver(app.test_client(), evt))
    assert [r.status_code for r in results] == [200] * 4
    assert sorted(r.json["outcome"] for r in results) == ["applied"] + ["duplicate"] * 3
    assert len(rows(owner_engine, "SELECT id FROM stripe_events")) == 1
