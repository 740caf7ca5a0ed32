"""Institutions: list, create, edit, deactivate, reactivate; each change audited."""

from __future__ import annotations

from sqlalchemy import select

from trainer.auth.models import AuditEntry, Institution, Role


def _form(**fields) -> dict:
    return {"name": "Ministerio de Trabajo", "slug": "mdt", "country": "EC", "kind": "ministry"} | (
        fields
    )


def _entries(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_admin_creates_an_institution_and_sees_it_listed(client_for, admin, db):
    client = client_for(admin)
    response = client.post("/admin/institutions/new", data=_form())
    assert response.status_code == 302
    institution = db.session.scalar(select(Institution).where(Institution.slug == "mdt"))
    assert (institution.name, institution.country, institution.kind) == (
        "Ministerio de Trabajo",
        "EC",
        "ministry",
    )
    html = client.get("/admin/institutions").get_data(as_text=True)
    assert "Ministerio de Trabajo" in html
    assert "Ecuador" in html
    assert '<th scope="col">' in html
    assert "<caption" in html
    [entry] = _entries(db, "institution.create")
    assert entry.before is None
    assert entry.after["slug"] == "mdt"
    assert entry.actor_id == admin.id
    assert entry.institution_id == institution.id


def test_validation_messages_are_shown_next_to_the_fields(client_for, admin, make):
    make.institution("taken")
    client = client_for(admin)
    html = client.post("/admin/institutions/new", data=_form(slug="Not A Slug")).get_data(
        as_text=True
    )
    assert "Use only lower-case letters, digits and single hyphens" in html
    assert 'aria-invalid="true"' in html
    html = client.post("/admin/institutions/new", data=_form(slug="taken")).get_data(as_text=True)
    assert "Another institution already uses the short name taken." in html
    html = client.post("/admin/institutions/new", data=_form(country="XX")).get_data(as_text=True)
    assert "Not a valid choice" in html
    html = client.post("/admin/institutions/new", data=_form(name="")).get_data(as_text=True)
    assert "This field is required." in html


def test_admin_edits_an_institution_and_the_audit_keeps_only_the_changes(
    client_for, admin, make, db
):
    institution = make.institution("gad-quito", name="GAD Quito", country="EC")
    response = client_for(admin).post(
        f"/admin/institutions/{institution.id}",
        data=_form(name="GAD Quito", slug="gad-quito", country="PE", kind="municipality"),
    )
    assert response.status_code == 302
    institution = db.session.get(Institution, institution.id)
    assert institution.country == "PE"
    assert institution.kind == "municipality"
    [entry] = _entries(db, "institution.update")
    assert entry.before == {"country": "EC", "kind": "ministry"}
    assert entry.after == {"country": "PE", "kind": "municipality"}


def test_saving_without_changes_writes_no_audit_entry(client_for, admin, make, db):
    institution = make.institution("same", name="Same", country="EC")
    client_for(admin).post(
        f"/admin/institutions/{institution.id}",
        data=_form(name="Same", slug="same", country="EC", kind="ministry"),
    )
    assert _entries(db, "institution.update") == []


def test_deactivate_and_reactivate(client_for, admin, make, db):
    institution = make.institution("closing")
    client = client_for(admin)
    page = client.get(f"/admin/institutions/{institution.id}").get_data(as_text=True)
    assert f"Deactivate {institution.name}" in page
    assert client.post(f"/admin/institutions/{institution.id}/deactivate").status_code == 302
    assert db.session.get(Institution, institution.id).is_active is False
    assert "Deactivated" in client.get("/admin/institutions").get_data(as_text=True)
    assert client.post(f"/admin/institutions/{institution.id}/reactivate").status_code == 302
    assert db.session.get(Institution, institution.id).is_active is True
    [off] = _entries(db, "institution.deactivate")
    assert (off.before, off.after) == ({"is_active": True}, {"is_active": False})
    assert len(_entries(db, "institution.reactivate")) == 1


def test_a_deactivated_institution_is_not_offered_for_new_accounts(client_for, admin, make):
    closed = make.institution("closed", name="Closed Institution", is_active=False)
    html = client_for(admin).get("/admin/users/new").get_data(as_text=True)
    assert "Closed Institution" not in html
    assert f'value="{closed.id}"' not in html


def test_unknown_institution_gives_404(client_for, admin):
    assert client_for(admin).get("/admin/institutions/999999").status_code == 404


def test_statuses_agree_with_what_they_describe_in_french(client_for, make, db):
    french_admin = make.user(Role.ADMIN, language="fr")
    make.institution("closed-fr", name="Fermée", is_active=False)
    make.user(Role.PARTICIPANT, email="gone@example.org").is_active = False
    db.session.flush()
    client = client_for(french_admin)
    institutions = client.get("/admin/institutions").get_data(as_text=True)
    assert "Désactivée</span>" in institutions
    users = client.get("/admin/users?status=inactive").get_data(as_text=True)
    assert "Désactivé</span>" in users
