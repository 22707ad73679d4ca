"""Sister programmes compared: only tenants that opted in, anonymised, small cells hidden."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from mentornet.extensions import db
from mentornet.reports.federation import count_cell, share_cell
from mentornet.reports.figures import HIDDEN
from mentornet.tenancy import editing
from mentornet.tenancy.models import SettingsChange, Tenant
from tests.conftest import login
from tests.factories import make_tenant
from tests.report_helpers import person, programme
from tests.settings_helpers import submit


def opt_in(app, slug: str, share: bool = True) -> None:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        from mentornet.tenancy.context import with_tenant

        with with_tenant(tenant):
            data = editing.current_settings(tenant)
            data["reports"] = {"federation": share}
            editing.apply_settings(tenant, data, "privacy", None)
            db.session.commit()


@pytest.fixture
def sisters(app, tenants):
    """Alpha (the known programme, 8 sign-ups in 2024) and Charlie (10 sign-ups) share
    their figures; Bravo (9 sign-ups) does not."""
    alpha, bravo = tenants
    with app.app_context():
        charlie = make_tenant("charlie", locales=("en",))
    programme(app, "alpha")
    for day in range(1, 11):
        person(app, "charlie", f"2024-03-{day:02d}", kind="mentee", status="applied")
    for day in range(1, 10):
        person(app, "bravo", f"2024-03-{day:02d}", kind="mentee", status="applied")
    opt_in(app, "alpha")
    opt_in(app, "charlie")
    return alpha, bravo, charlie


def rows(response) -> dict[str, list[str]]:
    body = response.data.decode("utf-8").lstrip("\ufeff")
    return {row[0]: row[1:] for row in list(csv.reader(io.StringIO(body)))[1:]}


def test_cells_under_ten_people_are_hidden() -> None:
    assert count_cell(9) is HIDDEN and count_cell(0) is HIDDEN
    assert count_cell(10) == 10
    assert share_cell(10, 20) == 0.5
    assert share_cell(10, 19) is HIDDEN  # 9 people on the other side
    assert share_cell(9, 100) is HIDDEN
    assert share_cell(0, 0) is HIDDEN


def test_programmes_that_share_see_each_other_small_cells_hidden(client, sisters, english):
    alpha, _bravo, _charlie = sisters
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get("/alpha/reports/federation?year=2024")
    assert page.status_code == 200
    assert "Alpha (your programme)" in page.text and "Charlie" in page.text
    assert "fewer than 10" in page.text
    assert "Test Person" not in page.text  # no person's name, only counts
    table = rows(client.get("/alpha/reports/federation.csv?year=2024"))
    assert list(table) == ["Alpha (your programme)", "Charlie"]
    # Alpha signed up 8 mentees: hidden; Charlie 10: shown.
    assert table["Alpha (your programme)"][0] == "<10"
    assert table["Charlie"][0] == "10"
    # Every other figure of both is about fewer than 10 people.
    assert set(table["Alpha (your programme)"]) == {"<10"}


def test_a_programme_that_does_not_share_never_appears(client, sisters, english):
    alpha, bravo, _charlie = sisters
    login(client, "alpha", alpha.emails["admin"])
    page = client.get("/alpha/reports/federation?year=2024")
    assert "Bravo" not in page.text
    assert "Bravo" not in client.get("/alpha/reports/federation.csv?year=2024").text
    # Bravo itself sees nobody's figures, and is told how to join.
    login(client, "bravo", bravo.emails["admin"])
    page = client.get("/bravo/reports/federation?lang=en")
    assert page.status_code == 200
    assert "Charlie" not in page.text and "Alpha" not in page.text
    assert "/bravo/settings/privacy" in page.text
    assert client.get("/bravo/reports/federation.csv").status_code == 404
    login(client, "bravo", bravo.emails["coordinator"])
    page = client.get("/bravo/reports/federation?lang=en")
    assert "An admin of your programme can change this" in page.text


def test_a_programme_that_stops_sharing_disappears(app, client, sisters, english):
    alpha, _bravo, _charlie = sisters
    opt_in(app, "charlie", share=False)
    login(client, "alpha", alpha.emails["coordinator"])
    assert list(rows(client.get("/alpha/reports/federation.csv?year=2024"))) == [
        "Alpha (your programme)"
    ]


def test_a_canceled_programme_is_not_compared(app, client, sisters, english):
    alpha, _bravo, _charlie = sisters
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "charlie"))
        tenant.status = "canceled"
        db.session.commit()
    login(client, "alpha", alpha.emails["coordinator"])
    assert "Charlie" not in rows(client.get("/alpha/reports/federation.csv?year=2024"))


def test_a_bad_year_is_explained(client, sisters, english):
    alpha, _bravo, _charlie = sisters
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get("/alpha/reports/federation?year=1999")
    assert page.status_code == 400
    assert 'id="f-year-error"' in page.text
    assert client.get("/alpha/reports/federation.csv?year=soon").status_code == 400


def test_participants_may_not_compare(client, sisters):
    alpha, _bravo, _charlie = sisters
    login(client, "alpha", alpha.emails["mentee"])
    assert client.get("/alpha/reports/federation").status_code == 403


def test_the_admin_opts_in_on_the_privacy_page(app, client, tenants, english):
    alpha, _bravo = tenants
    login(client, "alpha", alpha.emails["admin"])
    page = client.get("/alpha/settings/privacy")
    assert "Compare with sister programmes" in page.text
    response = submit(client, "/alpha/settings/privacy", {"federation": "y"})
    assert response.status_code == 302
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "alpha"))
        assert tenant.settings["reports"] == {"federation": True}
        from mentornet.tenancy.context import with_tenant

        with with_tenant(tenant):
            change = db.session.scalars(select(SettingsChange)).all()[-1]
    assert change.changes == [{"path": "reports.federation", "before": False, "after": True}]
    page = client.get("/alpha/reports/federation?lang=en")
    assert "Alpha (your programme)" in page.text
    response = submit(client, "/alpha/settings/privacy", {"federation": None})
    assert response.status_code == 302
    page = client.get("/alpha/reports/federation?lang=en")
    assert "Alpha (your programme)" not in page.text
