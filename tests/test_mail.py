"""Outgoing mail: one message per receipt key, SMTP or the outbox, retries, Redis down.

The SMTP tests talk to a real local SMTP server (``smtp_sink``, tests/smtp_sink.py); the
Redis tests use TEST_REDIS_URL and a real rq worker, as tests/test_jobs.py does.
"""

from __future__ import annotations

import json

import pytest
from redis import Redis
from sqlalchemy import select, text

from mentornet.extensions import db
from mentornet.jobs.queues import queue
from mentornet.jobs.runner import TaskFailed, run
from mentornet.mail.messages import MAX_KEY, build, receipt_key
from mentornet.mail.models import OutboxMessage
from mentornet.mail.recipients import Recipient
from mentornet.settings import from_environment
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.conftest import login, work
from tests.factories import SIGNUP
from tests.people_helpers import add_participant
from tests.smtp_sink import html_links, html_of, html_root, text_links, text_of

REDIS_DOWN = "redis://127.0.0.1:1/0"
BASE = "https://mentors.example.org"

START = SIGNUP


def _rows(owner_engine, sql: str, **params) -> list[dict]:
    with owner_engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings().all()]


def _signed_up(app, slug: str = "bravo", **values) -> int:
    defaults = {"email": "layla@example.net", "name": "Layla Haddad", "source": "web"}
    return add_participant(app, slug, **(defaults | values))


# --- Redis down while the web takes a sign-up ---------------------------------------------


def test_with_redis_stopped_while_the_web_takes_a_sign_up(
    app, client, smtp_sink, redis_url, owner_engine
):
    Redis.from_url(redis_url).flushdb()
    app.config["REDIS_URL"] = REDIS_DOWN
    response = client.post("/start", data=START)
    assert response.status_code == 302  # the normal answer, not a 500
    assert response.headers["Location"].endswith("/oslo-mentors/getting-started")
    assert smtp_sink.messages == []
    [pending] = _rows(owner_engine, "SELECT * FROM pending_jobs")
    [admin] = _rows(owner_engine, "SELECT id FROM users WHERE email = :e", e=START["email"])
    [tenant] = _rows(owner_engine, "SELECT id FROM tenants WHERE slug = 'oslo-mentors'")
    ids = json.loads(pending["ids"]) if isinstance(pending["ids"], str) else pending["ids"]
    assert (pending["task"], pending["tenant_id"], ids) == (
        "mail.organisation_created",
        tenant["id"],
        [admin["id"]],  # ids only: no address, no name
    )
    assert pending["last_error"] in {"ConnectionError", "TimeoutError"}

    app.config["REDIS_URL"] = redis_url  # Redis is back
    try:
        flushed = app.test_cli_runner().invoke(args=["jobs", "flush"])
        assert flushed.exit_code == 0, flushed.output
        assert "1 sent, 0 failed, 0 waiting" in flushed.output
        work(app)
        mail = smtp_sink.one_to(START["email"])
        assert mail["Content-Language"] == "nb"  # her language, chosen at sign-up
        assert "Oslo Mentors" in mail["Subject"]
        assert f"{BASE}/oslo-mentors/getting-started" in text_links(text_of(mail))
        # Flushing and working again sends nothing more.
        app.test_cli_runner().invoke(args=["jobs", "flush"])
        work(app)
        assert len(smtp_sink.messages) == 1
    finally:
        Redis.from_url(redis_url).flushdb()


# --- once, under at-least-once delivery ---------------------------------------------------


def test_a_job_delivered_twice_sends_one_mail(app, tenants, smtp_sink, owner_engine):
    _alpha, bravo = tenants
    pid = _signed_up(app)
    with app.app_context():
        assert run("mail.participant_signed_up", bravo.id, pid) == 1
        assert run("mail.participant_signed_up", bravo.id, pid) == 0
    assert len(smtp_sink.messages) == 1
    keys = [r["key"] for r in _rows(owner_engine, "SELECT key FROM job_receipts")]
    assert keys == [f"{bravo.id}:mail.participant_signed_up:{pid}"]


def test_a_passing_smtp_failure_makes_rq_retry_and_the_mail_arrives_once(
    app, tenants, smtp_sink, redis_url
):
    _alpha, bravo = tenants
    pid = _signed_up(app)
    Redis.from_url(redis_url).flushdb()
    app.config.update(REDIS_URL=redis_url, JOBS_RETRY_INTERVALS=(0,))
    smtp_sink.fail_next = 2  # "451 try again later", twice
    try:
        from mentornet.jobs import enqueue

        with app.app_context():
            sent = enqueue("mail.participant_signed_up", bravo.id, pid)
        assert sent.mode == "queued"
        with app.app_context():
            assert queue("notifications").job_ids == [sent.job_id]  # the mail's own queue
        work(app)
    finally:
        Redis.from_url(redis_url).flushdb()
    assert smtp_sink.attempts == 3
    assert len(smtp_sink.to("layla@example.net")) == 1


def test_with_the_smtp_server_down_an_inline_mail_waits_and_flush_sends_it(
    app, tenants, smtp_sink, owner_engine
):
    _alpha, bravo = tenants
    pid = _signed_up(app)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    from mentornet.jobs import enqueue

    with app.app_context():
        assert enqueue("mail.participant_signed_up", bravo.id, pid).mode == "pending"
    [pending] = _rows(owner_engine, "SELECT task, last_error FROM pending_jobs")
    assert pending == {"task": "mail.participant_signed_up", "last_error": "ConnectionRefusedError"}
    assert _rows(owner_engine, "SELECT key FROM job_receipts") == []  # rolled back with the job
    app.config["MAIL_PORT"] = port  # the server is back
    flushed = app.test_cli_runner().invoke(args=["jobs", "flush"])
    assert "1 sent, 0 failed, 0 waiting" in flushed.output
    assert len(smtp_sink.to("layla@example.net")) == 1


def test_a_mail_to_both_sides_failing_halfway_resends_only_the_missing_one(app, tenants, smtp_sink):
    _alpha, bravo = tenants
    mentee = add_participant(app, "bravo", name="Amina", email="amina@example.net")
    mentor = add_participant(
        app, "bravo", kind="mentor", status="ready", name="Karen", email="karen@example.net"
    )
    from mentornet.cycles.models import Mentorship

    with app.app_context():
        tenant = db.session.get(Tenant, bravo.id)
        with with_tenant(tenant):
            mentorship = Mentorship(mentee_id=mentee, mentor_id=mentor)
            db.session.add(mentorship)
            db.session.commit()
            mid = mentorship.id
    smtp_sink.fail_on = {2}  # the mentor's mail meets a passing failure
    with app.app_context():
        with pytest.raises(TaskFailed):
            run("mail.proposal", bravo.id, mid)
        assert run("mail.proposal", bravo.id, mid) == 1  # the retry: the missing one only
        assert run("mail.proposal", bravo.id, mid) == 0
    assert len(smtp_sink.to("amina@example.net")) == 1
    assert len(smtp_sink.to("karen@example.net")) == 1


def test_an_address_refused_for_good_is_not_retried(app, tenants, smtp_sink, owner_engine):
    _alpha, bravo = tenants
    pid = _signed_up(app, email="gone@example.net")
    smtp_sink.refuse.add("gone@example.net")
    with app.app_context():
        assert run("mail.participant_signed_up", bravo.id, pid) == 0  # no exception: no retry
        assert run("mail.participant_signed_up", bravo.id, pid) == 0
    assert smtp_sink.messages == [] and smtp_sink.attempts == 0
    keys = [r["key"] for r in _rows(owner_engine, "SELECT key FROM job_receipts")]
    assert keys == [f"{bravo.id}:mail.participant_signed_up:{pid}"]


def test_receipt_keys_stay_job_tokens_however_large_the_ids():
    assert receipt_key("mail.proposal", 12, "mentee") == "mail.proposal:12:mentee"
    long = receipt_key("mail.answer_received", 10**18, 10**18, 10**18)
    assert len(long) <= MAX_KEY and long.startswith("mail.answer_received:")
    assert long != receipt_key("mail.answer_received", 10**18, 10**18, 10**18 + 1)


# --- the message itself -------------------------------------------------------------------


def test_a_mail_has_text_and_html_headers_and_absolute_links(app, tenants, smtp_sink):
    _alpha, bravo = tenants
    pid = _signed_up(app, preferred_locale="en")
    with app.app_context():
        run("mail.participant_signed_up", bravo.id, pid)
    mail = smtp_sink.one_to("layla@example.net")
    assert mail.get_content_type() == "multipart/alternative"
    assert mail["Subject"] == "Thank you for signing up with Bravo"
    assert mail["From"].addresses[0].display_name == "Bravo"
    assert mail["From"].addresses[0].addr_spec == "noreply@mentors.example.org"
    assert mail["Content-Language"] == "en"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].endswith("@mentors.example.org>")
    body, html = text_of(mail), html_of(mail)
    assert body.startswith("Hello Layla,")  # her first name only
    assert "Haddad" not in body and "Haddad" not in html
    assert "a coordinator will get in touch with you" in body
    assert "<p>" not in body  # the text part is text
    assert "a coordinator will get in touch with you" in html
    assert f"{BASE}/bravo/" in text_links(body)
    assert f"{BASE}/bravo/" in html_links(html)
    assert html_root(html) == {"lang": "en", "dir": "ltr"}


def test_an_arabic_mail_is_in_arabic_and_right_to_left(app, tenants, smtp_sink):
    _alpha, bravo = tenants
    pid = _signed_up(app, preferred_locale="ar")
    with app.app_context():
        run("mail.participant_signed_up", bravo.id, pid)
    mail = smtp_sink.one_to("layla@example.net")
    assert mail["Content-Language"] == "ar"
    assert html_root(html_of(mail)) == {"lang": "ar", "dir": "rtl"}


def test_a_language_the_tenant_does_not_offer_falls_back_to_its_default(app, tenants, smtp_sink):
    alpha, _bravo = tenants  # alpha speaks da and en; she asked for Arabic
    pid = _signed_up(app, "alpha", preferred_locale="ar")
    with app.app_context():
        run("mail.participant_signed_up", alpha.id, pid)
    assert smtp_sink.one_to("layla@example.net")["Content-Language"] == "da"


def test_html_escapes_what_people_typed(app, tenants):
    _alpha, bravo = tenants
    with app.app_context():
        tenant = db.session.get(Tenant, bravo.id)
        tenant.name = "Bravo <b>& Co</b>"
        db.session.commit()
        with with_tenant(tenant):
            who = Recipient("x@example.net", "<script>alert(1)</script>", "en")
            message = build(
                "participant_signed_up", "k", who, participant_kind="mentee", home_url=BASE
            )
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    assert "<b>& Co</b>" not in message.html and "Bravo &lt;b&gt;&amp; Co&lt;/b&gt;" in message.html
    assert "Hello <script>alert(1)</script>," in message.text  # the text part is plain text


# --- the outbox (no MAIL_SERVER: the demo) ------------------------------------------------


def _outbox_rows(owner_engine) -> list[dict]:
    return _rows(owner_engine, "SELECT * FROM outbox_messages ORDER BY id")


def test_without_a_mail_server_mail_goes_to_the_outbox_once(app, tenants, owner_engine):
    _alpha, bravo = tenants
    pid = _signed_up(app, preferred_locale="ar")
    with app.app_context():
        assert run("mail.participant_signed_up", bravo.id, pid) == 1
        assert run("mail.participant_signed_up", bravo.id, pid) == 0
    [row] = _outbox_rows(owner_engine)
    assert row["tenant_id"] == bravo.id
    assert (row["kind"], row["recipient"], row["locale"]) == (
        "participant_signed_up",
        "layla@example.net",
        "ar",
    )
    assert row["key"] == f"mail.participant_signed_up:{pid}"
    assert 'dir="rtl"' in row["html"] and row["text"].strip()


def test_the_outbox_keeps_one_row_per_key(app, tenants):
    from sqlalchemy.exc import IntegrityError

    _alpha, bravo = tenants
    with app.app_context(), with_tenant(db.session.get(Tenant, bravo.id)):
        for _ in range(2):
            db.session.add(
                OutboxMessage(
                    key="same",
                    kind="k",
                    recipient="r",
                    locale="en",
                    subject="s",
                    text="t",
                    html="h",
                )
            )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def _fill_outbox(app, slug: str, count: int, **values) -> list[int]:
    ids = []
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with with_tenant(tenant):
            for n in range(count):
                row = OutboxMessage(
                    key=f"test:{n}",
                    kind="proposal",
                    recipient=f"person{n}@example.net",
                    locale="en",
                    subject=values.get("subject", f"Mail number {n}"),
                    text=values.get("text", f"Text {n}"),
                    html=values.get("html", f"<p>Html {n}</p>"),
                )
                db.session.add(row)
                db.session.commit()
                ids.append(row.id)
    return ids


def test_admins_read_the_outbox_newest_first_page_by_page(app, client, tenants, english):
    alpha, _ = tenants
    _fill_outbox(app, "alpha", 30)
    login(client, "alpha", alpha.emails["admin"])
    first = client.get("/alpha/outbox")
    assert first.status_code == 200
    page = first.text
    assert "30 mails" in page
    assert page.index("Mail number 29") < page.index("Mail number 28")
    assert "Mail number 4<" not in page  # on page 2
    second = client.get("/alpha/outbox?page=2").text
    assert "Mail number 4<" in second and "Mail number 29" not in second
    assert "No mail server is set up" in page
    # A page number that is not one shows the first page, not an error.
    assert "Mail number 29" in client.get("/alpha/outbox?page=abc").text
    assert client.get("/alpha/outbox/abc").status_code == 404


@pytest.mark.parametrize("role, status", [("coordinator", 403), ("mentor", 403), ("mentee", 403)])
def test_only_admins_read_the_outbox(app, client, tenants, role, status):
    alpha, _ = tenants
    [mid] = _fill_outbox(app, "alpha", 1)
    login(client, "alpha", alpha.emails[role])
    assert client.get("/alpha/outbox").status_code == status
    assert client.get(f"/alpha/outbox/{mid}").status_code == status


def test_the_outbox_asks_strangers_to_log_in(client, tenants):
    response = client.get("/alpha/outbox")
    assert response.status_code == 302 and "/alpha/login" in response.headers["Location"]


def test_a_message_opens_with_its_text_and_its_html_shown_safely(app, client, tenants, english):
    alpha, _ = tenants
    [mid] = _fill_outbox(
        app,
        "alpha",
        1,
        subject="About <img src=x onerror=alert(1)>",
        text="Hello <script>alert(1)</script>\nLine two",
        html='<html dir="rtl"><body><p>Hi</p><script>alert(2)</script></body></html>',
    )
    login(client, "alpha", alpha.emails["admin"])
    page = client.get(f"/alpha/outbox/{mid}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img src=x" not in page
    # The HTML part lives in an empty sandbox, as an escaped attribute, never in the page.
    assert "<script>alert(2)</script>" not in page
    assert 'sandbox srcdoc="&lt;html dir=&#34;rtl&#34;&gt;' in page
    assert "person0@example.net" in page


def test_another_tenants_message_is_404_and_stays_unchanged(app, client, tenants, owner_engine):
    alpha, bravo = tenants
    [bravo_mid] = _fill_outbox(app, "bravo", 1, subject="Bravo's own")
    before = _outbox_rows(owner_engine)
    login(client, "alpha", alpha.emails["admin"])
    assert client.get(f"/alpha/outbox/{bravo_mid}").status_code == 404
    assert client.get(f"/bravo/outbox/{bravo_mid}").status_code == 404  # a stranger there
    assert client.get("/bravo/outbox").status_code == 404
    assert "Bravo&#39;s own" not in client.get("/alpha/outbox").text
    assert _outbox_rows(owner_engine) == before
    # Bravo's admin reads it: the 404 above was about the tenant, not the id.
    client.post("/alpha/logout")
    login(client, "bravo", bravo.emails["admin"])
    assert client.get(f"/bravo/outbox/{bravo_mid}").status_code == 200


def test_the_outbox_link_shows_for_admins_while_the_outbox_is_in_use(app, client, tenants):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    assert 'href="/alpha/outbox"' in client.get("/alpha/").text
    app.config["MAIL_SERVER"] = "smtp.example.org"
    assert 'href="/alpha/outbox"' not in client.get("/alpha/").text
    client.post("/alpha/logout")
    app.config["MAIL_SERVER"] = None
    login(client, "alpha", alpha.emails["coordinator"])
    assert 'href="/alpha/outbox"' not in client.get("/alpha/").text


def test_mail_settings_come_from_the_environment(tmp_path):
    config = from_environment(
        str(tmp_path),
        {
            "MAIL_SERVER": "smtp.example.org",
            "MAIL_PORT": "587",
            "MAIL_USE_TLS": "1",
            "MENTORNET_BASE_URL": "https://mentors.example.org",
        },
    )
    assert (config["MAIL_SERVER"], config["MAIL_PORT"]) == ("smtp.example.org", 587)
    assert config["MAIL_USE_TLS"] is True and config["MAIL_USE_SSL"] is False
    assert config["MENTORNET_BASE_URL"] == "https://mentors.example.org"
    assert from_environment(str(tmp_path), {})["MENTORNET_BASE_URL"] is None
