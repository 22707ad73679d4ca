"""/admin: the platform operator sees tenants, plans and counts, never a person."""

from __future__ import annotations

import re

from mentornet.accounts import services
from mentornet.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD
from tests.people_helpers import add_participant

OPERATOR = "ops@mentornet.example.org"


def make_operator(app, email: str = OPERATOR) -> None:
    with app.app_context():
        user = services.ensure_user(email, name="Ops", password=PASSWORD)
        user.is_operator = True
        db.session.commit()


def operator_login(client, email: str = OPERATOR, password: str = PASSWORD):
    return client.post("/admin/login", data={"email": email, "password": password})


def cells(page: str, slug: str) -> list[str]:
    row = re.search(rf'<tr id="tenant-{slug}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_the_operator_sees_every_tenant_with_its_counts_and_no_personal_data(app, client, tenants):
    add_participant(app, "alpha", name="Hana Haddad", email="hana@example.net")
    add_participant(app, "alpha", name="Mona Mentor", kind="mentor", email="mona@example.net")
    add_participant(app, "bravo", name="Bea Bravo", email="bea@example.net")
    make_operator(app)
    assert operator_login(client).status_code == 302
    response = client.get("/admin/?lang=en")
    assert response.status_code == 200
    page = response.text
    alpha = cells(page, "alpha")
    bravo = cells(page, "bravo")
    # status, plan, then staff / mentees / mentors / open / completed
    assert alpha[2] == "Active" and alpha[3] == "Pilot"
    assert alpha[5:] == ["2", "1", "1", "0", "0"]
    assert bravo[5:] == ["2", "1", "0", "0", "0"]
    for private in ("Hana Haddad", "hana@example.net", "Mona Mentor", "Bea Bravo", "@alpha"):
        assert private not in page


def test_only_operators_get_in(app, client, tenants):
    alpha, _ = tenants
    assert client.get("/admin/").headers["Location"].endswith("/admin/login")
    # A tenant's admin is not an operator, logged in there or trying here.
    login(client, "alpha", alpha.emails["admin"])
    assert client.get("/admin/").status_code == 302
    assert operator_login(client, alpha.emails["admin"]).status_code == 401
    make_operator(app)
    wrong = operator_login(client, password="not the password")
    assert wrong.status_code == 401
    assert 'id="password-error"' in wrong.text
    assert client.get("/admin/").status_code == 302
    # Logging in as operator does not open any tenant's pages.
    operator_login(client)
    assert client.get("/admin/").status_code == 200
    assert client.get("/alpha/people").status_code == 302  # to alpha's login
    client.post("/admin/logout")
    assert client.get("/admin/").status_code == 302


def test_the_operator_command_grants_and_revokes(app, runner, client):
    result = runner.invoke(args=["users", "operator", "--email", OPERATOR, "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert operator_login(client).status_code == 302
    client.post("/admin/logout")
    result = runner.invoke(args=["users", "operator", "--email", OPERATOR, "--revoke"])
    assert result.exit_code == 0
    assert operator_login(client).status_code == 401
    bad = runner.invoke(args=["users", "operator", "--email", "x@y.org", "--password", "short"])
    assert bad.exit_code == 2 and "password" in bad.output
