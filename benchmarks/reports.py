"""Reports benchmark: the dashboard of a large tenant on PostgreSQL, timed warm.

Run by hand (results and machine go in benchmarks/README.md):

    .venv/bin/python benchmarks/reports.py postgresql+psycopg://postgres@127.0.0.1:5432/DB

The database is wiped (its ``public`` schema dropped) and rebuilt by the migrations, as
the tests do; then one tenant on the Denmark preset gets a deterministic synthetic
history of about five years, written with bulk inserts: 20,000 participants (14,000
mentees, 6,000 mentors), 10,000 mentorships in every state with their transitions,
agreements, goals, meetings and outcomes. The application connects as a role that
neither owns the tables nor bypasses row-level security, as in production, and each
page is requested through Flask's test client as a logged-in coordinator, after warm-up
requests; the median, the 95th percentile, the time spent in SQL and the number of SQL
statements per request are printed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, insert, make_url, text
from sqlalchemy.engine import Engine

from mentornet import create_app
from mentornet.extensions import db

ROOT = Path(__file__).resolve().parent.parent
APP_ROLE = "mentornet_bench_app"
PASSWORD = "benchmark only"
COORDINATOR = "coordinator@denmark.example.org"

MENTEES, MENTORS, MENTORSHIPS = 14_000, 6_000, 10_000
PHASES = ("initiation", "cultivation", "maturation", "separation")
OFFICES = ("copenhagen", "odense")
COUNTRIES = (
    "SY",
    "AF",
    "IR",
    "IQ",
    "SO",
    "ER",
    "TR",
    "PK",
    "UA",
    "PL",
    "TH",
    "PH",
    "VN",
    "CN",
    "IN",
    "LB",
    "MA",
    "BA",
    "RU",
    "ET",
    "LK",
    "BR",
    "CO",
    "NG",
    "GH",
    "KE",
    "EG",
    "DZ",
)
MAJOR_GROUPS = ("1", "2", "2", "2", "3", "3", "4", "5", "5", "7", "8", "9")
GOALS = ("job", "job_in_field", "education", "language", "network", "self_esteem")
# How a mentorship ends up, before dates that would lie in the future cut it short.
FATES = (
    ("completed", 36),
    ("redefined", 5),
    ("ended_early", 13),
    ("declined", 11),
    ("active", 25),
    ("agreed", 3),
    ("introduced", 2),
    ("proposed", 5),
)
SCENARIOS = (
    ("dashboard, this year", "/denmark/reports"),
    ("dashboard, last year", "/denmark/reports?year={last}"),
    ("dashboard, five years", "/denmark/reports?from={five}-01-01"),
    ("dashboard, one office", "/denmark/reports?office=odense"),
    ("summary API, this year", "/denmark/api/v1/reports/summary"),
    ("CSV of the pipeline", "/denmark/reports/pipeline.csv"),
)


# --- schema -------------------------------------------------------------------------------


def rebuild(owner: Engine, owner_url: str) -> None:
    import flask_migrate

    with owner.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": owner_url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    with owner.begin() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE})
        if not exists:
            conn.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
        name = conn.scalar(text("SELECT current_database()"))
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{name}" TO {APP_ROLE}'))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}"))
        conn.execute(
            text(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
            )
        )
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}"))


def tenant_and_coordinator(app_url: str) -> int:
    """The Denmark preset as a tenant, and a coordinator who may see every office."""
    from mentornet.accounts import services
    from mentornet.tenancy.context import with_tenant
    from mentornet.tenancy.presets import read_preset, upsert_tenant

    app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "TESTING": True})
    with app.app_context():
        tenant, _created = upsert_tenant(read_preset(ROOT / "tenants" / "denmark.toml"))
        db.session.commit()
        with with_tenant(tenant):
            user = services.ensure_user(COORDINATOR, name="Coordinator", password=PASSWORD)
            services.grant_membership(user, "coordinator")
            db.session.commit()
        tenant_id = tenant.id
        db.engine.dispose()
    return tenant_id


# --- a synthetic history ------------------------------------------------------------------


def moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC) + timedelta(
        minutes=rng.randrange(8 * 60, 18 * 60)
    )


def history(tenant_id: int, today: date, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Rows for every table, deterministic for ``seed``; ids are given, not generated."""
    rng = random.Random(seed)
    start = today - timedelta(days=5 * 365)
    rows: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "participants",
            "mentorships",
            "mentorship_transitions",
            "agreements",
            "goals",
            "meetings",
            "outcomes",
        )
    }
    ids = {name: 0 for name in rows}

    def next_id(name: str) -> int:
        ids[name] += 1
        return ids[name]

    def participant(kind: str, created: date, **values: Any) -> dict[str, Any]:
        pid = next_id("participants")
        at = moment(created, rng)
        row = {
            "id": pid,
            "tenant_id": tenant_id,
            "kind": kind,
            "status": "ready",
            "name": f"{kind} {pid}",
            "email": None,
            "office": rng.choices(OFFICES, (7, 3))[0],
            "languages": ["da", "en"],
            "preferred_locale": "da",
            "profession": rng.choice(MAJOR_GROUPS) + f"{rng.randrange(100, 1000)}",
            "interests": [],
            "intake_answers": {},
            "goals": [],
            "helps_with": [],
            "capacity": 1,
            "source": "benchmark",
            "country_of_origin": None,
            "date_of_birth": None,
            "created_at": at,
            "updated_at": at,
            "status_changed_at": at,
            "ready_since": None,
        }
        row.update(values)
        rows["participants"].append(row)
        return row

    mentors = [
        participant(
            "mentor",
            start + timedelta(days=rng.randrange(0, 1700)),
            capacity=rng.choice((1, 1, 2, 3)),
        )
        for _ in range(MENTORS)
    ]
    mentees = []
    for _ in range(MENTEES):
        born = date(rng.randrange(1960, 2005), rng.randrange(1, 13), rng.randrange(1, 29))
        mentees.append(
            participant(
                "mentee",
                start + timedelta(days=rng.randrange(0, (today - start).days)),
                country_of_origin=rng.choices(
                    COUNTRIES, [1 / (i + 1) for i in range(len(COUNTRIES))]
                )[0],
                date_of_birth=born,
                goals=rng.sample(GOALS, rng.randrange(1, 4)),
                status=rng.choice(("applied", "interviewed", "ready", "ready", "paused")),
            )
        )
    fates, weights = zip(*FATES, strict=True)

    def mentorship(mentee: dict[str, Any], proposed_on: date) -> tuple[str, date | None]:
        """One pair for ``mentee`` from ``proposed_on``; returns its state and closing day."""
        mid = next_id("mentorships")
        mentor = rng.choice(mentors)
        fate = rng.choices(fates, weights)[0]
        steps = [("proposed", proposed_on)]
        introduced = proposed_on + timedelta(days=rng.randrange(3, 25))
        agreed = introduced + timedelta(days=rng.randrange(1, 20))
        active = agreed + timedelta(days=rng.randrange(1, 15))
        months = rng.choice((18, 18, 18, 12, 4))
        if fate == "declined":
            steps.append(("declined", proposed_on + timedelta(days=rng.randrange(2, 30))))
        elif fate != "proposed":
            steps.append(("introduced", introduced))
            if fate != "introduced":
                steps.append(("agreed", agreed))
            if fate not in ("introduced", "agreed"):
                steps.append(("active", active))
            if fate in ("completed", "redefined"):
                steps.append((fate, active + timedelta(days=months * 30 + rng.randrange(-20, 40))))
            elif fate == "ended_early":
                steps.append((fate, active + timedelta(days=rng.randrange(30, 300))))
        steps = [(state, day) for state, day in steps if day <= today]
        state, last = steps[-1]
        reached = dict(steps)
        closed = last if state in ("completed", "redefined", "ended_early", "declined") else None
        phase = None
        if state == "active":
            elapsed = (today - reached["active"]).days / 30
            bounds = (3, 9, 15)
            phase = PHASES[sum(elapsed >= b for b in bounds)]
        rows["mentorships"].append(
            {
                "id": mid,
                "tenant_id": tenant_id,
                "mentee_id": mentee["id"],
                "mentor_id": mentor["id"],
                "state": state,
                "score": rng.random(),
                "explanation": [],
                "created_at": moment(proposed_on, rng),
                "state_changed_at": moment(last, rng),
                "first_meeting_on": reached.get("introduced"),
                "first_meeting_led_by": "mentee" if "introduced" in reached else None,
                "agreed_at": moment(reached["agreed"], rng) if "agreed" in reached else None,
                "active_since": reached.get("active"),
                "phase": phase,
                "closed_at": moment(closed, rng) if closed else None,
            }
        )
        previous = None
        for step, day in steps:
            rows["mentorship_transitions"].append(
                {
                    "id": next_id("mentorship_transitions"),
                    "tenant_id": tenant_id,
                    "mentorship_id": mid,
                    "from_state": previous,
                    "to_state": step,
                    "reason": "",
                    "reason_code": "time" if step in ("declined", "ended_early") else None,
                    "phase": PHASES[0] if step == "active" else None,
                    "at": moment(day, rng),
                }
            )
            previous = step
        if "agreed" in reached:
            goals = list(mentee["goals"])
            rows["agreements"].append(
                {
                    "id": next_id("agreements"),
                    "tenant_id": tenant_id,
                    "mentorship_id": mid,
                    "minimum_kind": "minutes_per_month",
                    "minimum_value": 120,
                    "meeting_kinds": ["face_to_face"],
                    "months": 18.0,
                    "goals": goals,
                    "notes": "",
                    "mentee_accepted_at": moment(reached["agreed"], rng),
                    "mentor_accepted_at": moment(reached["agreed"], rng),
                    "created_at": moment(reached["agreed"], rng),
                    "updated_at": moment(reached["agreed"], rng),
                }
            )
            for key in goals:
                rows["goals"].append(
                    {
                        "id": next_id("goals"),
                        "tenant_id": tenant_id,
                        "mentorship_id": mid,
                        "key": key,
                        "title": "",
                        "status": rng.choice(("open", "achieved")),
                        "created_at": moment(reached["agreed"], rng),
                        "updated_at": moment(reached["agreed"], rng),
                    }
                )
        if "active" in reached:
            day, end = reached["active"], closed or today
            while day < end:
                rows["meetings"].append(
                    {
                        "id": next_id("meetings"),
                        "tenant_id": tenant_id,
                        "mentorship_id": mid,
                        "held_on": day,
                        "kind": rng.choices(("face_to_face", "phone", "online"), (7, 2, 1))[0],
                        "minutes": rng.choice((45, 60, 90, 120, 150)),
                        "note": "",
                        "logged_by_side": "mentee",
                        "created_at": moment(day, rng),
                    }
                )
                day += timedelta(days=rng.randrange(12, 40))
        if state in ("completed", "redefined"):
            found = rng.random() < 0.42
            rows["outcomes"].append(
                {
                    "id": next_id("outcomes"),
                    "tenant_id": tenant_id,
                    "mentorship_id": mid,
                    "job_found": found,
                    "job_in_field": found and rng.random() < 0.6,
                    "education_started": rng.random() < 0.2,
                    "language_improved": rng.random() < 0.7,
                    "network_grown": rng.random() < 0.85,
                    "mentee_satisfaction": rng.randrange(3, 6),
                    "mentor_satisfaction": rng.randrange(3, 6),
                    "farewell_held": state == "completed",
                    "farewell_on": closed,
                    "recorded_at": moment(closed, rng),
                }
            )
        return state, closed

    order = sorted(mentees, key=lambda m: m["created_at"])
    rng.shuffle(order)
    for mentee in order:
        if ids["mentorships"] >= MENTORSHIPS:
            break
        day = mentee["created_at"].date() + timedelta(days=rng.randrange(5, 150))
        while day <= today and ids["mentorships"] < MENTORSHIPS:
            state, closed = mentorship(mentee, day)
            if state in ("declined", "ended_early") and closed is not None:
                mentee["status"] = "ready"
                day = closed + timedelta(days=rng.randrange(10, 90))
                continue
            mentee["status"] = "alumni" if state in ("completed", "redefined") else "matched"
            break
    for mentee in mentees:
        if mentee["status"] == "ready":
            mentee["ready_since"] = mentee["created_at"]
    return rows


def load(owner: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Bulk inserts as the owner (who is not held back by the tenant policies' checks),
    then the meetings summed per pair and month as the app keeps them."""
    from mentornet.cycles.models import (
        Agreement,
        Goal,
        Meeting,
        Mentorship,
        MentorshipTransition,
        Outcome,
    )
    from mentornet.people.models import Participant
    from mentornet.reports import models as pair_months

    tables = {
        "participants": Participant.__table__,
        "mentorships": Mentorship.__table__,
        "mentorship_transitions": MentorshipTransition.__table__,
        "agreements": Agreement.__table__,
        "goals": Goal.__table__,
        "meetings": Meeting.__table__,
        "outcomes": Outcome.__table__,
    }
    with owner.begin() as conn:
        conn.execute(text("SET LOCAL app.platform_scope = 'on'"))
        for name, table in tables.items():
            data = rows[name]
            for start in range(0, len(data), 5000):
                conn.execute(insert(table), data[start : start + 5000])
            sequence = f"pg_get_serial_sequence('{name}', 'id')"
            conn.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {name}))"))
        # The bulk inserts bypass the ORM events that keep the monthly sums in step.
        pair_months.rebuild(conn)
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


# --- timing -------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class SqlClock:
    """Counts the SQL statements of a request and the time spent waiting for them."""

    def __init__(self, engine: Engine) -> None:
        self.statements, self.seconds, self._began = 0, 0.0, 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self.statements, self.seconds = 0, 0.0

    def _before(self, *args: Any) -> None:
        self.statements += 1
        self._began = time.perf_counter()

    def _after(self, *args: Any) -> None:
        self.seconds += time.perf_counter() - self._began


def measure(app_url: str, tenant_id: int, requests: int, warmup: int) -> list[dict[str, Any]]:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app_url,
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        clock = SqlClock(db.engine)
        token = api_token(tenant_id)
    client = app.test_client()
    response = client.post("/denmark/login", data={"email": COORDINATOR, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    today = date.today()
    results = []
    for name, pattern in SCENARIOS:
        url = pattern.format(last=today.year - 1, five=today.year - 4)
        headers = {"Authorization": f"Bearer {token}"} if "/api/" in url else {}
        for _ in range(warmup):
            assert client.get(url, headers=headers).status_code == 200, url
        times, sql, counts = [], [], []
        for _ in range(requests):
            clock.reset()
            began = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - began) * 1000)
            sql.append(clock.seconds * 1000)
            counts.append(clock.statements)
            assert response.status_code == 200, (url, response.status_code)
        result = {
            "scenario": name,
            "url": url,
            "requests": requests,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1),
            "sql_median_ms": round(statistics.median(sql), 1),
            "statements": max(counts),
        }
        results.append(result)
        print(
            f"{name:24} median {result['median_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms  "
            f"max {result['max_ms']:6.1f} ms  SQL {result['sql_median_ms']:6.1f} ms  "
            f"{result['statements']} statements",
            flush=True,
        )
    return results


def api_token(tenant_id: int) -> str:
    from sqlalchemy import select

    from mentornet.accounts import services
    from mentornet.accounts.models import Membership
    from mentornet.tenancy.context import with_tenant
    from mentornet.tenancy.models import Tenant

    tenant = db.session.get(Tenant, tenant_id)
    with with_tenant(tenant):
        membership = db.session.scalar(select(Membership))
        token = services.create_token(membership, "benchmark")
        db.session.commit()
    return token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="PostgreSQL URL of a database to wipe and fill")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="reuse the data already loaded")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    args = parser.parse_args(argv)

    from mentornet.settings import normalise_database_url

    owner_url = normalise_database_url(args.database_url)
    if not owner_url.startswith("postgresql"):
        parser.error("the benchmark needs PostgreSQL")
    owner = create_engine(owner_url)
    app_url = make_url(owner_url).set(username=APP_ROLE, password=None)
    app_url_text = app_url.render_as_string(hide_password=False)
    if args.keep:
        with owner.connect() as conn:
            tenant_id = conn.scalar(text("SELECT id FROM tenants WHERE slug = 'denmark'"))
    else:
        began = time.perf_counter()
        rebuild(owner, owner_url)
        tenant_id = tenant_and_coordinator(app_url_text)
        rows = history(tenant_id, date.today(), args.seed)
        load(owner, rows)
        sizes = ", ".join(f"{name} {len(data):,}" for name, data in rows.items())
        print(f"built in {time.perf_counter() - began:.1f} s: {sizes}", flush=True)
    results = measure(app_url_text, tenant_id, args.requests, args.warmup)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    owner.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
