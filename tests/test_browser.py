"""In a real browser: a coordinator logs in and sees her tenant's home page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import report_helpers
from tests.browser import chromium, live_server
from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_and_sees_her_tenants_home(app, tenants, request):
    alpha, _ = tenants
    with live_server(app) as base, chromium(request.config) as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.goto(f"{base}/alpha/")
        page.get_by_role("link", name="Log ind").click()
        page.get_by_label("E-mail").fill(alpha.emails["coordinator"])
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{base}/alpha/")
        assert page.locator("html").get_attribute("lang") == "da"
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert page.get_by_role("heading", level=1).inner_text() == "Alpha"
        assert "Newcomers served by Alpha [da]" in page.content()
        assert page.get_by_text("Coordinator of alpha").is_visible()
        # Nothing wider than the phone's screen.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "coordinator-home-da.png"), full_page=True)


def test_arabic_interface_is_right_to_left(app, tenants, request):
    with live_server(app) as base, chromium(request.config) as browser:
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        page.goto(f"{base}/bravo/?lang=ar")
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
        # Mirrored: the brand sits at the right edge, the tools at the left.
        brand = page.locator(".brand").bounding_box()
        assert brand["x"] > 1024 / 2
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "tenant-home-ar.png"), full_page=True)


def test_a_mentee_signs_up_in_danish_and_a_coordinator_finds_her(app, tenants, request):
    alpha, _ = tenants
    with live_server(app) as base, chromium(request.config) as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/alpha/join")
        page.get_by_role("link", name="Tilmeld dig som mentee").click()
        page.get_by_label("Fulde navn").fill("Fatima Al-Sayed")
        page.get_by_label("E-mail").fill("fatima@example.net")
        page.get_by_label("arabisk").check()
        page.get_by_label("dansk", exact=True).check()
        page.get_by_label("Find et job inden for mit eget fag").check()
        page.get_by_label("Erhverv").fill("2221")
        page.get_by_label("Language level [da]").select_option("high")
        page.locator("#intake_children-1").check()
        page.get_by_role("checkbox", name="Alpha").check()
        page.get_by_role("button", name="Send").click()
        page.wait_for_url(f"{base}/alpha/join/mentee/thanks")
        assert page.get_by_role("heading", level=1).inner_text() == "Tak, fordi du tilmeldte dig"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "signup-thanks-da.png"), full_page=True)

        coordinator = browser.new_page(viewport={"width": 1280, "height": 900})
        coordinator.goto(f"{base}/alpha/login")
        coordinator.get_by_label("E-mail").fill(alpha.emails["coordinator"])
        coordinator.get_by_label("Adgangskode").fill(PASSWORD)
        coordinator.get_by_role("button", name="Log ind").click()
        coordinator.get_by_role("link", name="Mentees", exact=True).first.click()
        coordinator.get_by_label("Søg").fill("Fatima")
        coordinator.get_by_role("button", name="Filtrér").click()
        row = coordinator.get_by_role("row").filter(has_text="Fatima Al-Sayed")
        assert row.is_visible()
        assert "Sygeplejersker" in row.inner_text() or "Nursing" in row.inner_text()
        overflow = coordinator.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False
        coordinator.screenshot(path=str(ARTIFACTS / "coordinator-mentees-da.png"), full_page=True)
        row.get_by_role("link", name="Fatima Al-Sayed").click()
        assert coordinator.get_by_role("heading", level=1).inner_text() == "Fatima Al-Sayed"


def test_a_coordinator_proposes_a_match_from_the_match_page(app, tenants, request):
    from tests.people_helpers import add_participant

    alpha, _ = tenants
    mentee = add_participant(
        app,
        "alpha",
        name="Hiba Nasser",
        days_waiting=20,
        profession="2221",
        languages=["da"],
        goals=["job_in_field"],
        office="north",
    )
    add_participant(
        app,
        "alpha",
        kind="mentor",
        status="ready",
        name="Birgitte Holm",
        profession="2221",
        languages=["da"],
        office="north",
        helps_with=["cv"],
    )
    add_participant(
        app,
        "alpha",
        kind="mentor",
        status="ready",
        name="Jette Lund",
        profession="7411",
        languages=["da"],
        office="north",
    )
    with live_server(app) as base, chromium(request.config) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/alpha/login?lang=en")
        page.get_by_label("Email").fill(alpha.emails["coordinator"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_label("Sprog").select_option("en")  # her own choice: English, kept
        page.get_by_role("button", name="Skift").click()
        page.goto(f"{base}/alpha/people/{mentee}")
        page.get_by_role("link", name="Find a mentor").click()
        cards = page.locator("li.candidate")
        assert cards.first.get_by_role("heading").inner_text() == "Birgitte Holm"
        assert cards.first.locator(".meter-fill").count() >= 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "match-page-en.png"), full_page=True)
        cards.first.get_by_role("button", name="Propose Birgitte Holm").click()
        flashes = page.locator(".flashes")
        assert "Hiba Nasser and Birgitte Holm are proposed to each other" in flashes.inner_text()
        assert page.get_by_text("She already has a mentorship in progress.").is_visible()


def test_a_mentee_accepts_a_proposal_and_logs_a_meeting(app, client, tenants, request):
    from tests.cycle_helpers import auth, pair, post, propose

    alpha, _ = tenants
    mid = propose(client, alpha, *pair(app, alpha))["id"]
    with live_server(app) as base, chromium(request.config) as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # her phone
        page.goto(f"{base}/alpha/login")
        page.get_by_label("E-mail").fill(alpha.emails["mentee"])
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.get_by_label("Sprog").select_option("en")
        page.get_by_role("button", name="Skift").click()
        page.goto(f"{base}/alpha/me")
        page.get_by_role("link", name="Open the mentorship").click()
        assert "We propose Karen to you" in page.content()
        # Yes to meeting Karen.
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Send the answer").click()
        assert "Your answer is recorded." in page.locator(".flashes").inner_text()
        # They met; she led the first meeting herself.
        page.get_by_label("The mentee led it").check()
        page.get_by_role("button", name="Record the first meeting").click()
        assert page.get_by_text("Do you want to go on together?").is_visible()
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Send the answer").click()
        # Karen says yes too (from her own page, here through the API).
        post(client, alpha, mid, "responses", "mentor", answer="yes")
        page.reload()
        assert page.locator(".state-agreed").first.is_visible()
        page.get_by_role("button", name="Accept the agreement").click()
        client.post(
            f"/alpha/api/v1/mentorships/{mid}/agreement/accept", headers=auth(alpha, "mentor")
        )
        page.reload()
        assert page.locator(".state-active").first.is_visible()
        page.get_by_label("How you met").select_option("face_to_face")
        page.get_by_label("Minutes").fill("120")
        page.get_by_label("A short note (optional)").fill("Coffee, and her CV in Danish")
        page.get_by_role("button", name="Log the meeting").click()
        assert "The meeting is logged." in page.locator(".flashes").inner_text()
        row = page.locator("#meetings tbody tr").first
        assert "Coffee, and her CV in Danish" in row.inner_text()
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "mentorship-mentee-en.png"), full_page=True)
    meetings = client.get(f"/alpha/api/v1/mentorships/{mid}/meetings", headers=auth(alpha)).json
    assert [(m["minutes"], m["logged_by"]) for m in meetings["items"]] == [(120, "mentee")]


def test_a_new_organisation_signs_up_and_reaches_its_dashboard(app, request):
    with live_server(app) as base, chromium(request.config) as browser:
        page = browser.new_page(locale="en-GB")
        page.goto(f"{base}/")
        page.get_by_role("link", name="Start a mentor network").click()
        page.wait_for_url(f"{base}/start")
        page.get_by_label("Name of your organisation").fill("Bergen Mentors")
        page.get_by_role("combobox", name="Country").select_option("NO")
        page.get_by_label("Web address").fill("bergen")
        page.get_by_role("combobox", name="Default language").select_option("en")
        page.get_by_role("radio", name="Mentoring Partnership Toronto").check()
        page.get_by_label("Your name").fill("Ingrid")
        page.get_by_label("Your email").fill("ingrid@bergen.example.org")
        page.locator("#password").fill(PASSWORD)
        page.get_by_label("The same password again").fill(PASSWORD)
        page.get_by_role("button", name="Create the programme").click()
        page.wait_for_url(f"{base}/bergen/getting-started")
        assert page.get_by_role("heading", level=1).inner_text() == "Getting started"
        assert page.get_by_text("4 steps left before your programme is ready.").is_visible()
        page.get_by_role("link", name="Home").click()
        page.wait_for_url(f"{base}/bergen/")
        assert page.get_by_role("heading", level=1).inner_text() == "Bergen Mentors"
        assert page.get_by_role("heading", name="Follow-ups due").is_visible()
        assert page.get_by_text("Ingrid · Admin").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "new-organisation-dashboard.png"), full_page=True)


@pytest.mark.parametrize("locale", ["ar", "da"])
@pytest.mark.parametrize("width", [390, 1280])
def test_home_join_and_dashboard_mirror_cleanly(app, request, locale, width):
    """Arabic is right-to-left, Danish left-to-right; nothing overflows, phone or desktop:
    the home page, the join form, the coordinator's dashboard and the reports."""
    from tests.factories import make_tenant

    with app.app_context():
        world = make_tenant("charlie", locales=("da", "ar"))
    report_helpers.programme(app, "charlie")  # pairs in every state, for the reports
    direction = "rtl" if locale == "ar" else "ltr"

    def check(page, name: str) -> None:
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (locale, direction)
        overflow = page.evaluate(
            # Hidden on purpose (the bots' field, the skip link until focused) is left out.
            "[...document.querySelectorAll('body *')].filter(e => {"
            " if (e.closest('.honeypot, .skip-link, .visually-hidden')) return false;"
            # A wide table scrolls inside its own box (.table-wrap), which must itself fit.
            " if (e.parentElement && e.parentElement.closest('.table-wrap')) return false;"
            " const r = e.getBoundingClientRect();"
            " return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1); })"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert overflow == [], f"{name}: elements outside the viewport: {overflow}"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        if direction == "rtl" and width > 800:
            # Mirrored: the brand at the right edge.
            assert page.locator(".brand").bounding_box()["x"] > width / 2
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{locale}-{width}.png"), full_page=True)

    with live_server(app) as base, chromium(request.config) as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{base}/charlie/?lang={locale}")
        check(page, "home")
        page.goto(f"{base}/charlie/join/mentee?lang={locale}")
        check(page, "join-form")
        page.goto(f"{base}/charlie/login?lang={locale}")
        page.locator("#email").fill(world.emails["coordinator"])
        page.locator("#password").fill(PASSWORD)
        page.locator("form button[type=submit].primary").click()
        page.wait_for_url(f"{base}/charlie/")
        if page.locator("html").get_attribute("lang") != locale:
            page.locator("#lang-select").select_option(locale)
            page.locator("form.lang button").click()
        page.wait_for_selector("#follow-ups-heading")
        check(page, "coordinator-dashboard")
        page.goto(f"{base}/charlie/reports?year={report_helpers.YEAR}")
        check(page, "reports")
        # Every chart comes with its table, and the charts follow the page's direction.
        charts = page.locator(".chart-wrap svg.chart")
        assert charts.count() >= 5
        assert charts.count() <= page.locator("table.figures").count()
        assert {chart.get_attribute("direction") for chart in charts.all()} == {direction}
