"""Reports: the figures on a known programme, filters, offices, CSV, the yearly page, charts,
the summary API, bad input and tenant isolation.

The programme of ``report_helpers.programme`` in 2024 (offices north and south):

- mentees signed up in 2024: m1 m2 m3 m5 m6 m7 m8 m9 (8; m4 came in 2023);
- pairs: A m1-k1 completed (job goal, found a job in her field), B m2-k3 goes on as
  friends (job goal, no job, started an education), C m3-k2 declined, D m4-k2 active
  since 2023 (phase "start"), E m8-k1 ended early, F m9-k1 proposed after A closed;
- so 5 proposed (A B C E F), 3 registered (A B E), 2 completed of 3 closed cycles,
  job seekers 2 (A, B): 1 found a job, in her field; mentors who finished: k1 and k3, of
  whom k1 took another mentee (F);
- days to a first match: 31 (m1), 29 (m2), 31 (m3), 15 (m8), 44 (m9): median 31;
  to the agreement: 10, 10, 12: median 10.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select, text

from mentornet.accounts.models import Membership
from mentornet.extensions import db
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.conftest import login
from tests.cycle_helpers import auth
from tests.report_helpers import pair, person, programme

YEAR = "2024"


@pytest.fixture
def world(app, tenants):
    alpha, bravo = tenants
    return alpha, bravo, programme(app, "alpha")


def staff(client, world, role: str = "coordinator"):
    login(client, world.slug, world.emails[role])
    return client


def summary(client, world, **params):
    response = client.get(
        f"/{world.slug}/api/v1/reports/summary", headers=auth(world), query_string=params
    )
    assert response.status_code == 200, response.json
    return response.json


def values(table: dict, column: str) -> dict[str, object]:
    return {row["key"]: row["values"][column] for row in table["rows"]}


def read_csv(response) -> list[list[str]]:
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# --- the figures ----------------------------------------------------------------------------


def test_summary_figures_of_a_known_programme(client, world):
    alpha, _bravo, _ids = world
    data = summary(client, alpha, year=YEAR)
    assert data["period"] == {"from": "2024-01-01", "to": "2024-12-31"}
    assert data["offices"] is None
    measures = values(data["tables"]["summary"], "value")
    assert measures["signed_up"] == 8
    assert measures["proposed"] == 5
    assert measures["registered"] == 3
    assert measures["completed"] == 2
    assert measures["completion_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert measures["job_found"] == 0.5
    assert measures["job_in_field"] == 0.5
    assert measures["education_started"] == 0.5
    assert measures["mentors_stayed"] == 0.5
    assert measures["days_to_match"] == 31
    assert measures["days_to_agreement"] == 10
    assert measures["mentee_satisfaction"] == 5
    assert measures["mentor_satisfaction"] == 4


def test_pipeline_counts_open_stages_today_and_closed_ones_in_the_period(client, world):
    alpha, _bravo, _ids = world
    pipeline = values(summary(client, alpha, year=YEAR)["tables"]["pipeline"], "count")
    assert pipeline == {
        "applied": 1,
        "interviewed": 0,
        "waiting": 3,  # m3 (after her decline), m6, m8 (after her early end)
        "proposed": 1,
        "introduced": 0,
        "agreed": 0,
        "phase:start": 1,
        "completed": 1,
        "redefined": 1,
        "declined": 1,
        "ended_early": 1,
    }
    # Another year: the same pairs today, nothing closed in it.
    earlier = values(summary(client, alpha, year="2023")["tables"]["pipeline"], "count")
    assert earlier["phase:start"] == 1
    assert earlier["completed"] == earlier["declined"] == earlier["ended_early"] == 0


def test_success_waiting_countries_and_ages(client, world):
    alpha, _bravo, _ids = world
    tables = summary(client, alpha, year=YEAR)["tables"]
    success = {row["key"]: row["values"] for row in tables["success"]["rows"]}
    assert success["completion"] == {"count": 2, "of": 3, "share": pytest.approx(0.6667, 1e-3)}
    assert success["job_found"] == {"count": 1, "of": 2, "share": 0.5}
    assert success["job_in_field"]["count"] == 1
    assert success["language_improved"] == {"count": 1, "of": 2, "share": 0.5}
    assert success["network_grown"] == {"count": 2, "of": 2, "share": 1.0}
    assert success["mentors_stayed"] == {"count": 1, "of": 2, "share": 0.5}

    waiting = tables["waiting"]
    assert [c["key"] for c in waiting["columns"]] == ["office:north", "office:south", "total"]
    rows = [
        (r["key"], r["values"]["office:north"], r["values"]["office:south"])
        for r in waiting["rows"]
    ]
    assert rows == [("2", 1, 0), ("5", 0, 1), ("unknown", 1, 0), ("total", 2, 1)]

    countries = values(tables["countries"], "count")
    assert countries == {"SY": 2, "AF": 1, "unknown": 5}
    assert values(tables["countries"], "share")["SY"] == 0.25

    ages = values(tables["ages"], "count")
    # m7 was anonymised: her date of birth is gone, the band retention kept still counts.
    assert ages == {
        "under-25": 1,
        "25-34": 1,
        "35-44": 1,
        "45-54": 1,
        "55-64": 0,
        "65-plus": 0,
        "unknown": 4,
    }


def test_meetings_per_month_against_the_agreement(client, world):
    alpha, _bravo, _ids = world
    meetings = {
        r["key"]: r["values"]
        for r in summary(client, alpha, year=YEAR)["tables"]["meetings"]["rows"]
    }
    assert list(meetings)[:3] == ["2024-01", "2024-02", "2024-03"] and len(meetings) == 12
    # January: D alone, two face-to-face hours: the agreement's two hours are met.
    assert meetings["2024-01"] == {
        "pairs": 1,
        "meetings_per_pair": 2.0,
        "hours_per_pair": 2.0,
        "met": 1,
        "met_share": 1.0,
    }
    # February: two hours on the phone, which the agreement does not count.
    assert meetings["2024-02"]["met"] == 0 and meetings["2024-02"]["hours_per_pair"] == 2.0
    # March: A started that month, so only D and E were active all month, without meetings.
    assert meetings["2024-03"]["pairs"] == 2 and meetings["2024-03"]["met"] == 0
    # April: D, E and A; A met 2.5 face-to-face hours.
    assert meetings["2024-04"]["pairs"] == 3 and meetings["2024-04"]["met"] == 1
    assert meetings["2024-05"]["pairs"] == 4


def test_a_period_and_an_office_narrow_the_figures(client, world):
    alpha, _bravo, _ids = world
    first_half = summary(client, alpha, **{"from": "2024-01-01", "to": "2024-06-30"})
    assert first_half["period"] == {"from": "2024-01-01", "to": "2024-06-30"}
    measures = values(first_half["tables"]["summary"], "value")
    assert measures["signed_up"] == 7  # all but m9, who came in September
    # E ended early in June; A and B closed in the autumn.
    assert measures["completed"] == 0 and measures["completion_rate"] == 0
    assert len(first_half["tables"]["meetings"]["rows"]) == 6

    north = summary(client, alpha, year=YEAR, office="north")
    assert north["offices"] == ["north"]
    measures = values(north["tables"]["summary"], "value")
    assert measures["signed_up"] == 6
    pipeline = values(north["tables"]["pipeline"], "count")
    assert pipeline["declined"] == 0 and pipeline["completed"] == 1
    assert [c["key"] for c in north["tables"]["waiting"]["columns"]] == ["office:north", "total"]


def test_a_coordinator_limited_to_an_office_sees_only_hers(app, client, world):
    alpha, _bravo, _ids = world
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "alpha"))
        with with_tenant(tenant):
            db.session.get(Membership, alpha.member_ids["coordinator"]).offices = ["south"]
            db.session.commit()
    data = summary(client, alpha, year=YEAR)
    assert data["offices"] == ["south"]
    measures = values(data["tables"]["summary"], "value")
    assert measures["signed_up"] == 2  # m3 and m7
    assert measures["completed"] == 0
    # North is not hers: refused with the reason, in the API and on the page.
    refused = client.get("/alpha/api/v1/reports/summary?office=north", headers=auth(alpha))
    assert refused.status_code == 400
    assert set(refused.json["error"]["fields"]) == {"office"}
    staff(client, alpha)
    page = client.get("/alpha/reports?office=north&lang=en")
    assert page.status_code == 400
    assert 'id="f-office-error"' in page.text
    assert "Choose one of the offices in the list." in page.text
    # The office list offers hers alone.
    page = client.get("/alpha/reports?lang=en")
    assert 'value="south"' in page.text and 'value="north"' not in page.text
    assert "All my offices" in page.text


# --- the pages ------------------------------------------------------------------------------


def test_dashboard_shows_charts_with_a_table_beside_each(client, world, english):
    alpha, _bravo, _ids = world
    staff(client, alpha)
    page = client.get(f"/alpha/reports?year={YEAR}")
    assert page.status_code == 200
    body = page.text
    assert "Pipeline" in body and "Waiting list by profession and office" in body
    charts = re.findall(r"<svg [^>]*role=\"img\"[^>]*>", body)
    assert len(charts) >= 6
    for chart_id in re.findall(r'<svg [^>]*id="([^"]+)"', body):
        assert f'<title id="{chart_id}-title">' in body
        assert f'<desc id="{chart_id}-desc">' in body
    # Each chart is followed by the table with the same figures.
    pipeline = body[body.index('id="chart-pipeline"') :]
    assert pipeline.index("<table") < pipeline.index("</section>")
    assert "Active: Start [en]" in body  # the tenant's own phase name
    assert 'dir="ltr"' in body and 'direction="ltr"' in body
    # The large figures at the top.
    assert "67%" in body and "Median days from sign-up to match" in body


def test_dashboard_in_arabic_runs_right_to_left(app, client, tenants):
    _alpha, bravo = tenants
    person(app, "bravo", "2024-02-01", kind="mentee", status="ready", profession="2221")
    staff(client, bravo)
    page = client.get(f"/bravo/reports?year={YEAR}&lang=ar")
    assert page.status_code == 200
    assert 'dir="rtl"' in page.text
    waiting = page.text[page.text.index('id="chart-waiting"') - 200 :]
    svg = waiting[waiting.index("<svg") : waiting.index("</svg>")]
    assert 'direction="rtl"' in svg
    # Mirrored: the labels sit on the right (x = 720 - 270), the bars grow leftwards.
    assert re.search(r'<text class="label" x="450"', svg)
    bar = re.search(r'<rect class="bar" x="([\d.]+)"[^>]*width="([\d.]+)"', svg)
    assert bar and float(bar.group(1)) + float(bar.group(2)) == pytest.approx(720 - 278, abs=0.2)


def test_bad_filters_are_explained_beside_the_field(client, world, english):
    alpha, _bravo, _ids = world
    staff(client, alpha)
    cases = {
        "from=2024-05-01&to=2024-01-01": ("to", "The end of the period comes before its start."),
        "from=yesterday": ("from", "Give a date as year-month-day"),
        "from=1900-01-01": ("from", "Choose a date in 2000 or later."),
        "year=1999": ("year", "Choose a year from 2000 to"),
        "year=abc": ("year", "Choose a year from 2000 to"),
        "office=west": ("office", "Choose one of the offices in the list."),
        "from=2000-01-01&to=2024-01-01": ("from", "at most 10 years"),
    }
    for query, (field, message) in cases.items():
        page = client.get(f"/alpha/reports?{query}")
        assert page.status_code == 400, query
        error = re.search(rf'<p class="error" id="f-{field}-error">([^<]*)</p>', page.text)
        assert error and message in error.group(1), query
        assert f'aria-describedby="f-{field}-error"' in page.text
        assert client.get(f"/alpha/reports/pipeline.csv?{query}").status_code == 400
    api = client.get("/alpha/api/v1/reports/summary?from=2024-13-01", headers=auth(alpha))
    assert api.status_code == 400
    assert api.json["error"]["code"] == "invalid_query"
    assert "from" in api.json["error"]["fields"]


def test_csv_in_english_and_danish_same_numbers(client, world):
    alpha, _bravo, _ids = world
    staff(client, alpha)
    with client.session_transaction() as session:
        session["locale"] = "en"
    english = client.get(f"/alpha/reports/pipeline.csv?year={YEAR}")
    assert english.status_code == 200
    assert english.mimetype == "text/csv"
    assert "alpha-pipeline-2024-01-01-2024-12-31.csv" in english.headers["Content-Disposition"]
    with client.session_transaction() as session:
        session["locale"] = "da"
    danish = client.get(f"/alpha/reports/pipeline.csv?year={YEAR}")
    en_rows, da_rows = read_csv(english), read_csv(danish)
    assert en_rows[0] == ["Stage", "Number"]
    assert da_rows[0] != en_rows[0]
    assert [r[1:] for r in en_rows][1:] == [r[1:] for r in da_rows][1:]
    assert ["Completed", "1"] in en_rows
    assert ["Active: Start [en]", "1"] in en_rows
    assert [row[1:] for row in da_rows if "Start [da]" in row[0]] == [["1"]]

    with client.session_transaction() as session:
        session["locale"] = "en"
    success = read_csv(client.get(f"/alpha/reports/success.csv?year={YEAR}"))
    assert success[0] == ["Measure", "Number", "Out of", "Share (%)"]
    assert success[1][1:] == ["2", "3", "66.7"]
    summary_rows = dict(read_csv(client.get(f"/alpha/reports/summary.csv?year={YEAR}"))[1:])
    assert summary_rows["Completion rate (%)"] == "66.7"
    assert summary_rows["Median days from sign-up to match"] == "31"
    for name in ("waiting", "countries", "ages", "meetings"):
        assert client.get(f"/alpha/reports/{name}.csv?year={YEAR}").status_code == 200
    assert client.get("/alpha/reports/nothing.csv").status_code == 404


def test_printable_yearly_report(client, world, english):
    alpha, _bravo, _ids = world
    staff(client, alpha)
    page = client.get("/alpha/reports/year/2024")
    assert page.status_code == 200
    assert "Yearly report 2024" in page.text
    assert "reports.css" in page.text and "window.print()" in page.text
    for heading in ("Pipeline", "Success measures", "Countries of origin", "Age at sign-up"):
        assert heading in page.text
    assert "January 1, 2024 to December 31, 2024" in page.text
    south = client.get("/alpha/reports/year/2024?office=south")
    assert south.status_code == 200 and "South office [en]" in south.text
    assert client.get("/alpha/reports/year/1999").status_code == 404
    assert client.get(f"/alpha/reports/year/{date.today().year + 1}").status_code == 404
    assert client.get("/alpha/reports/year/2024?office=west").status_code == 400


def test_nav_and_home_link_to_the_reports(client, world, english):
    alpha, _bravo, _ids = world
    staff(client, alpha)
    home = client.get("/alpha/")
    assert 'href="/alpha/reports"' in home.text
    login(client, "alpha", alpha.emails["mentor"])
    assert 'href="/alpha/reports"' not in client.get("/alpha/me").text


# --- who may see them -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_participants_may_not_see_reports(client, world, role):
    alpha, _bravo, _ids = world
    login(client, "alpha", alpha.emails[role])
    for url in ("/alpha/reports", "/alpha/reports/pipeline.csv", "/alpha/reports/year/2024"):
        assert client.get(url).status_code == 403
    api = client.get("/alpha/api/v1/reports/summary", headers=auth(alpha, role))
    assert api.status_code == 403


def test_admin_sees_the_reports(client, world):
    alpha, _bravo, _ids = world
    staff(client, alpha, "admin")
    assert client.get("/alpha/reports").status_code == 200
    assert summary(client, alpha)["period"]["to"] == date.today().isoformat()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get("/alpha/reports")
    assert response.status_code == 302 and "/alpha/login" in response.headers["Location"]


def test_another_tenants_reports_are_not_found(client, world):
    alpha, _bravo, _ids = world
    staff(client, alpha)
    for url in (
        "/bravo/reports",
        "/bravo/reports/pipeline.csv",
        "/bravo/reports/year/2024",
        "/bravo/reports/federation",
        "/bravo/reports/federation.csv",
    ):
        assert client.get(url).status_code == 404, url
    api = client.get("/bravo/api/v1/reports/summary", headers=auth(alpha))
    assert api.status_code == 404


def test_one_tenants_dashboard_never_counts_anothers_rows(app, client, world, owner_engine):
    alpha, bravo, _ids = world
    before = summary(client, alpha, year=YEAR)
    # Bravo gets a whole programme of its own, on the same days.
    programme(app, "bravo")
    with owner_engine.connect() as conn:
        bravo_id = conn.scalar(text("SELECT id FROM tenants WHERE slug = 'bravo'"))
        bravo_pairs = conn.scalar(
            text("SELECT count(*) FROM mentorships WHERE tenant_id = :t"), {"t": bravo_id}
        )
    assert bravo_pairs == 6
    assert summary(client, alpha, year=YEAR) == before
    assert values(summary(client, bravo, year=YEAR)["tables"]["summary"], "value")["signed_up"] == 8
    # And the other way round: bravo's report is unchanged by alpha's rows.
    extra = person(app, "alpha", "2024-03-03", kind="mentee", status="ready")
    mentor = person(app, "alpha", "2022-01-01", kind="mentor", status="ready")
    pair(app, "alpha", extra, mentor, state="declined", created="2024-03-05", closed="2024-03-09")
    bravo_after = values(summary(client, bravo, year=YEAR)["tables"]["pipeline"], "count")
    assert bravo_after["declined"] == 1
    assert values(summary(client, alpha, year=YEAR)["tables"]["pipeline"], "count")["declined"] == 2


def test_summary_is_in_the_openapi_document(client, world):
    document = client.get("/alpha/api/v1/openapi.json").json
    parameters = document["paths"]["/reports/summary"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {"from", "to", "year", "office"}
