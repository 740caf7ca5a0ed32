"""Coordinators: their institution's participants, new participants, set-password links."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from trainer.auth.models import AuditEntry, Role, User


@pytest.fixture
def two_institutions(make):
    a = make.institution("institution-a", name="Institution A")
    b = make.institution("institution-b", name="Institution B")
    return {
        "a": a,
        "b": b,
        "ana": make.user(institution=a, full_name="Ana of A", password=None),
        "bruno": make.user(institution=b, full_name="Bruno of B", password=None),
        "coordinator_a": make.user(Role.COORDINATOR, institution=a, full_name="Carla Coord"),
    }


def _link_on(html: str) -> str:
    return re.search(r'id="issued-link" value="([^"]+)"', html).group(1)


def test_a_coordinator_sees_only_their_institutions_participants(client_for, two_institutions):
    client = client_for(two_institutions["coordinator_a"])
    html = client.get("/admin/people").get_data(as_text=True)
    assert "Ana of A" in html
    assert "Bruno of B" not in html
    assert "Carla Coord" not in html  # coordinators are not listed among participants
    # Asking for B by its id is ignored: the filter only offers A.
    html = client.get(f"/admin/people?institution={two_institutions['b'].id}").get_data(
        as_text=True
    )
    assert "Bruno of B" not in html


def test_a_coordinator_cannot_touch_another_institutions_people(client_for, two_institutions):
    client = client_for(two_institutions["coordinator_a"])
    bruno = two_institutions["bruno"]
    assert client.post(f"/admin/people/{bruno.id}/password-link").status_code == 404
    assert client.get(f"/admin/users/{bruno.id}").status_code == 403
    assert client.post(f"/admin/users/{bruno.id}/deactivate").status_code == 403


def test_a_programme_coordinator_sees_and_serves_every_institution(
    client_for, make, two_institutions, db
):
    programme = make.user(Role.COORDINATOR, is_programme_wide=True)
    client = client_for(programme)
    html = client.get("/admin/people").get_data(as_text=True)
    assert "Ana of A" in html
    assert "Bruno of B" in html
    html = client.get(f"/admin/people?institution={two_institutions['b'].id}").get_data(
        as_text=True
    )
    assert "Bruno of B" in html
    assert "Ana of A" not in html
    bruno = two_institutions["bruno"]
    response = client.post(f"/admin/people/{bruno.id}/password-link")
    assert response.status_code == 302


def test_a_set_password_link_works_end_to_end_and_is_shown_once(
    app, client_for, two_institutions, db
):
    client = client_for(two_institutions["coordinator_a"])
    ana = two_institutions["ana"]
    response = client.post(
        f"/admin/people/{ana.id}/password-link", data={"next": "/admin/people?q=ana"}
    )
    assert response.headers["Location"] == "/admin/people?q=ana"
    page = client.get("/admin/people?q=ana").get_data(as_text=True)
    link = _link_on(page)
    assert link.startswith("http://localhost/set-password/")
    assert "It works once, until" in page
    # Shown once: the next visit no longer has it.
    assert 'id="issued-link"' not in client.get("/admin/people").get_data(as_text=True)

    visitor = app.test_client()
    path = link.removeprefix("http://localhost")
    assert visitor.get(path).status_code == 200
    response = visitor.post(
        path, data={"password": "ana's new password", "confirm": "ana's new password"}
    )
    assert response.status_code == 302
    response = visitor.post("/login", data={"email": ana.email, "password": "ana's new password"})
    assert response.status_code == 302
    assert visitor.get(path).status_code == 410

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.password_link"))
    assert entry.actor_id == two_institutions["coordinator_a"].id
    assert entry.target_id == ana.id
    assert "expires_at" in entry.after
    assert entry.institution_id == two_institutions["a"].id


def test_an_admin_gets_the_link_on_the_account_page(client_for, admin, two_institutions):
    client = client_for(admin)
    bruno = two_institutions["bruno"]
    response = client.post(f"/admin/people/{bruno.id}/password-link")
    assert response.headers["Location"] == f"/admin/users/{bruno.id}"
    assert "/set-password/" in _link_on(
        client.get(response.headers["Location"]).get_data(as_text=True)
    )


def test_no_link_for_a_deactivated_account(client_for, admin, two_institutions):
    client = client_for(admin)
    bruno = two_institutions["bruno"]
    client.post(f"/admin/users/{bruno.id}/deactivate")
    response = client.post(f"/admin/people/{bruno.id}/password-link", follow_redirects=True)
    assert "This account is deactivated" in response.get_data(as_text=True)


def test_a_coordinator_creates_a_participant_of_their_own_institution(
    client_for, two_institutions, db
):
    client = client_for(two_institutions["coordinator_a"])
    form = client.get("/admin/people/new").get_data(as_text=True)
    assert 'name="institution"' not in form  # nothing to choose
    response = client.post(
        "/admin/people/new",
        data={
            "email": "nueva@example.org",
            "full_name": "Nueva Persona",
            # Even a forged institution field cannot move the person to B.
            "institution": str(two_institutions["b"].id),
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "nueva@example.org"))
    assert person.institution_id == two_institutions["a"].id
    assert person.role == "participant"
    assert person.password_hash is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry.after["institution"] == "institution-a"
    assert entry.before is None


def test_a_programme_coordinator_chooses_the_institution(client_for, make, two_institutions, db):
    programme = make.user(Role.COORDINATOR, is_programme_wide=True)
    client = client_for(programme)
    html = client.post(
        "/admin/people/new", data={"email": "x@example.org", "full_name": "X"}
    ).get_data(as_text=True)
    assert "Choose the institution." in html
    response = client.post(
        "/admin/people/new",
        data={
            "email": "x@example.org",
            "full_name": "X",
            "institution": str(two_institutions["b"].id),
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "x@example.org"))
    assert person.institution_id == two_institutions["b"].id


def test_the_navigation_offers_people_to_coordinators_and_administration_to_admins(
    client_for, admin, two_institutions
):
    coordinator_home = client_for(two_institutions["coordinator_a"]).get("/").get_data(as_text=True)
    assert 'href="/admin/people"' in coordinator_home
    assert 'href="/admin/"' not in coordinator_home
    admin_home = client_for(admin).get("/").get_data(as_text=True)
    assert 'href="/admin/"' in admin_home
    participant_home = client_for(two_institutions["ana"]).get("/").get_data(as_text=True)
    assert "/admin/" not in participant_home
