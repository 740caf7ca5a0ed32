"""Accounts managed by admins: list, create, edit, roles, deactivation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from trainer.auth.models import AuditEntry, Role, User
from trainer.courses.models import Course


def _form(**fields) -> dict:
    base = {"email": "new@example.org", "full_name": "New Person", "role": "participant"}
    return base | fields


def test_list_searches_by_name_or_email_and_filters(client_for, admin, make):
    a = make.institution("a", name="Institution A")
    b = make.institution("b", name="Institution B")
    make.user(full_name="Ana Ruiz", email="ana@example.org", institution=a)
    make.user(full_name="Bruno Díaz", email="bruno@ministry.example", institution=b)
    make.user(Role.TRAINER, full_name="Teresa Trainer", email="teresa@example.org")
    client = client_for(admin)

    html = client.get("/admin/users?q=ruiz").get_data(as_text=True)
    assert "Ana Ruiz" in html
    assert "Bruno Díaz" not in html
    html = client.get("/admin/users?q=MINISTRY").get_data(as_text=True)
    assert "Bruno Díaz" in html
    assert "Ana Ruiz" not in html
    html = client.get(f"/admin/users?institution={b.id}").get_data(as_text=True)
    assert "Bruno Díaz" in html
    assert "Ana Ruiz" not in html
    html = client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "Teresa Trainer" in html
    assert "Ana Ruiz" not in html
    # A filter that makes no sense is ignored rather than an error.
    assert client.get("/admin/users?institution=nonsense&role=king").status_code == 200


def test_search_treats_percent_and_underscore_literally(client_for, admin, make):
    make.user(full_name="Ana Ruiz")
    html = client_for(admin).get("/admin/users?q=%25").get_data(as_text=True)
    assert "Ana Ruiz" not in html


def test_list_is_paginated(client_for, admin, make):
    institution = make.institution()
    for n in range(30):
        make.user(full_name=f"Person {n:02d}", institution=institution)
    client = client_for(admin)
    first = client.get("/admin/users").get_data(as_text=True)
    assert "31 accounts" in first
    assert 'rel="prev"' not in first
    after = re.search(r'href="/admin/users\?after=([^"]+)" rel="next"', first)[1]
    second = client.get(f"/admin/users?after={after}").get_data(as_text=True)
    assert "Person 29" in second
    assert "Person 00" not in second
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


@pytest.mark.parametrize("path", ["/admin/users", "/admin/people", "/admin/audit"])
@pytest.mark.parametrize("page", ["99999999999999999999999", "-5", "x"])
def test_an_absurd_page_number_is_an_empty_page_not_an_error(client_for, admin, path, page):
    assert client_for(admin).get(f"{path}?page={page}").status_code == 200


def _users_page_queries(client, count_queries) -> int:
    with count_queries() as statements:
        assert client.get("/admin/users").status_code == 200
    return len(statements)


def test_list_runs_the_same_number_of_queries_for_5_or_50_people(
    client_for, admin, make, count_queries
):
    client = client_for(admin)
    client.get("/")  # the first request finds the admin in the test's session already
    institutions = [make.institution() for _ in range(5)]
    for n in range(5):
        make.user(institution=institutions[n % 5])
    few = _users_page_queries(client, count_queries)
    for n in range(45):
        make.user(institution=institutions[n % 5])
    many = _users_page_queries(client, count_queries)
    assert few == many


def test_admin_creates_a_coordinator_without_a_password(client_for, admin, make, db):
    institution = make.institution()
    client = client_for(admin)
    response = client.post(
        "/admin/users/new",
        data=_form(role="coordinator", institution=str(institution.id), language="es"),
    )
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert person.role == "coordinator"
    assert person.institution_id == institution.id
    assert person.password_hash is None
    assert person.language == "es"
    assert response.headers["Location"] == f"/admin/users/{person.id}"


def test_create_explains_what_is_wrong(client_for, admin, make):
    make.user(email="taken@example.org")
    client = client_for(admin)
    html = client.post("/admin/users/new", data=_form(email="taken@example.org")).get_data(
        as_text=True
    )
    assert "taken@example.org already has an account." in html
    html = client.post("/admin/users/new", data=_form()).get_data(as_text=True)
    assert "A participant must belong to an institution." in html
    html = client.post("/admin/users/new", data=_form(role="coordinator")).get_data(as_text=True)
    assert "A coordinator needs an institution, or must be marked programme-wide." in html
    html = client.post("/admin/users/new", data=_form(email="not an address")).get_data(
        as_text=True
    )
    assert "Invalid email address." in html


def test_a_programme_wide_coordinator_needs_no_institution(client_for, admin, db):
    response = client_for(admin).post(
        "/admin/users/new", data=_form(role="coordinator", is_programme_wide="y")
    )
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert person.is_programme_wide is True


def test_admin_edits_role_and_institution_and_the_audit_has_before_and_after(
    client_for, admin, make, db
):
    a = make.institution("a")
    b = make.institution("b")
    person = make.user(institution=a, full_name="Ana Ruiz", email="ana@example.org")
    response = client_for(admin).post(
        f"/admin/users/{person.id}",
        data=_form(
            email="ana@example.org",
            full_name="Ana Ruiz",
            role="coordinator",
            institution=str(b.id),
        ),
    )
    assert response.status_code == 302
    person = db.session.get(User, person.id)
    assert person.role == "coordinator"
    assert person.institution_id == b.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.before == {"role": "participant", "institution": "a"}
    assert entry.after == {"role": "coordinator", "institution": "b"}
    assert entry.target_id == person.id


def test_no_audit_entry_ever_holds_a_password_hash(client_for, admin, make, db):
    person = make.user(full_name="Ana")
    client = client_for(admin)
    client.post(f"/admin/people/{person.id}/password-link")
    client.post(f"/admin/users/{person.id}/deactivate")
    for entry in db.session.scalars(select(AuditEntry)):
        text = repr(entry.before) + repr(entry.after)
        assert "password_hash" not in text
        assert "$argon2" not in text


def test_deactivation_ends_the_persons_sessions_at_once(client_for, admin, make, db):
    person = make.user()
    their_browser = client_for(person)
    assert their_browser.get("/").status_code == 200
    response = client_for(admin).post(f"/admin/users/{person.id}/deactivate")
    assert response.status_code == 302
    assert their_browser.get("/").status_code == 302
    person = db.session.get(User, person.id)
    assert person.is_active is False
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deactivate"))
    assert (entry.before, entry.after) == ({"is_active": True}, {"is_active": False})


def test_deactivation_voids_unused_set_password_links(app, client_for, admin, make, db):
    person = make.user(password=None)
    client = client_for(admin)
    client.post(f"/admin/people/{person.id}/password-link")
    url = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    client.post(f"/admin/users/{person.id}/deactivate")
    client.post(f"/admin/users/{person.id}/reactivate")
    assert db.session.get(User, person.id).is_active is True
    token = url.split("/set-password/")[1].split('"')[0]
    assert app.test_client().get(f"/set-password/{token}").status_code == 410


@pytest.mark.parametrize("change", ["role", "institution"])
def test_a_new_role_or_institution_voids_links_made_before(
    app, client_for, admin, make, db, change
):
    """A coordinator's link for their participant must not open the account once it is
    promoted or moved to another institution."""
    a, b = make.institution("a"), make.institution("b")
    person = make.user(institution=a, password=None, email="ana@example.org")
    coordinator = make.user(Role.COORDINATOR, institution=a)
    coordinator_client = client_for(coordinator)
    coordinator_client.post(f"/admin/people/{person.id}/password-link")
    page = coordinator_client.get("/admin/people").get_data(as_text=True)
    token = page.split("/set-password/")[1].split('"')[0]
    fields = {"role": "trainer", "institution": str(a.id)}
    if change == "institution":
        fields = {"role": "participant", "institution": str(b.id)}
    response = client_for(admin).post(
        f"/admin/users/{person.id}",
        data=_form(email="ana@example.org", full_name=person.full_name, **fields),
    )
    assert response.status_code == 302
    assert app.test_client().get(f"/set-password/{token}").status_code == 410


def test_an_admin_cannot_deactivate_or_demote_themself(client_for, admin, db):
    client = client_for(admin)
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "Deactivate" not in page
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    html = client.post(
        f"/admin/users/{admin.id}",
        data=_form(email=admin.email, full_name=admin.full_name, role="participant"),
    ).get_data(as_text=True)
    assert "You cannot remove your own administrator role." in html
    admin = db.session.get(User, admin.id)
    assert admin.is_active is True
    assert admin.role == "admin"


def test_unknown_user_gives_404(client_for, admin):
    assert client_for(admin).get("/admin/users/999999").status_code == 404


def test_changing_an_owners_email_names_the_courses_that_still_name_the_old_one(
    client_for, admin, make, db
):
    trainer = make.user(Role.TRAINER, full_name="Tina Trainer", email="tina@example.org")
    make.course("owned-course", owners=("tina@example.org",))
    make.course("other-course", owners=("someone@example.org",))
    response = client_for(admin).post(
        f"/admin/users/{trainer.id}",
        data=_form(email="tina.new@example.org", full_name="Tina Trainer", role="trainer"),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Tina Trainer can no longer edit these courses" in html
    assert "tina@example.org" in html
    titles = {course.slug: course.title for course in db.session.scalars(select(Course))}
    assert titles["owned-course"] in html
    assert titles["other-course"] not in html
