"""Coordinators and admins: issue by hand, revoke, reissue, every action audited and read
only by who sees the person; a cohort's certificates as one zip of their own people's."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from tests.certificates.conftest import HOLDER, complete, join
from tests.sessions import log_in
from trainer.auth.models import AuditEntry
from trainer.certificates.models import Certificate


def certificate_of(db, person) -> Certificate | None:
    """As stored now (requests change it in their own session)."""
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.user_id == person.id)
        .execution_options(populate_existing=True)
    )


def pdf_text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_a_coordinator_issues_by_hand_with_a_reason_and_it_is_audited(app, db, world):
    enrolment = join(world, world.nusta)
    client = log_in(app.test_client(), world.quito_coordinator)
    url = f"/enrolments/{enrolment.id}/certificate"
    page = client.get(url).get_data(as_text=True)
    assert "has not met every requirement" in page
    refused = client.post(url, data={"reason": "  "})
    assert refused.status_code == 200
    assert certificate_of(db, world.nusta) is None
    response = client.post(url, data={"reason": "Attended the equivalent workshop in Cuenca"})
    assert response.status_code == 302
    certificate = certificate_of(db, world.nusta)
    assert certificate.override_reason == "Attended the equivalent workshop in Cuenca"
    assert certificate.issued_by_id == world.quito_coordinator.id
    (entry,) = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == certificate.id))
    assert (entry.action, entry.actor_id) == ("certificate.issue", world.quito_coordinator.id)
    assert entry.after["reason"] == "Attended the equivalent workshop in Cuenca"
    assert entry.institution_id == world.quito.id
    # Once issued, the page leads to the certificate instead of issuing a second.
    assert client.get(url).headers["Location"] == f"/certificates/{certificate.id}"


def test_revoking_shows_on_the_verification_page_at_once(app, db, world):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    client = log_in(app.test_client(), world.quito_coordinator)
    response = client.post(
        f"/certificates/{certificate.id}/revoke", data={"revoke-reason": "Fraud"}
    )
    assert response.status_code == 302
    visitor = app.test_client()
    assert "Revoked certificate" in visitor.get(f"/verify/{certificate.code}").get_data(True)
    assert visitor.get(f"/verify/{certificate.code}.json").get_json()["status"] == "revoked"
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Reason: Fraud" in page
    assert "Certificate revoked" in page  # the history
    again = client.post(
        f"/certificates/{certificate.id}/revoke",
        data={"revoke-reason": "Twice"},
        follow_redirects=True,
    )
    assert "already revoked" in again.get_data(as_text=True)


def test_reissuing_after_a_name_correction_keeps_the_code_and_records_the_history(app, db, world):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    code, issued_on = certificate.code, certificate.issued_on
    world.nusta.full_name = "Ñusta Quishpe Andrade"
    db.session.flush()
    client = log_in(app.test_client(), world.programme)
    response = client.post(
        f"/certificates/{certificate.id}/reissue",
        data={"reissue-reason": "Surname misspelt at registration"},
    )
    assert response.status_code == 302
    certificate = certificate_of(db, world.nusta)
    assert (certificate.code, certificate.issued_on) == (code, issued_on)
    assert certificate.holder_name == "Ñusta Quishpe Andrade"
    assert certificate.reissued_at is not None
    (entry,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "certificate.reissue")
    )
    assert entry.before == {"holder_name": HOLDER}
    assert entry.after == {
        "holder_name": "Ñusta Quishpe Andrade",
        "reason": "Surname misspelt at registration",
    }
    assert "Ñusta Quishpe Andrade" in pdf_text(
        client.get(f"/certificates/{certificate.id}/pdf").data
    )
    history = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "<del>Ñusta Quishpe Andrés</del>" in history


def test_b_coordinator_cannot_act_on_a_certificates_nor_read_their_history(app, db, world):
    complete(world, world.nusta)  # Quito
    complete(world, world.luis)  # Cuenca
    nusta, luis = certificate_of(db, world.nusta), certificate_of(db, world.luis)
    admin = log_in(app.test_client(), world.admin)
    cuenca = log_in(app.test_client(), world.cuenca_coordinator)
    admin.post(f"/certificates/{nusta.id}/revoke", data={"revoke-reason": "Quito reason"})
    admin.post(f"/certificates/{luis.id}/reissue", data={"reissue-reason": "Cuenca reason"})
    assert cuenca.get(f"/certificates/{nusta.id}").status_code == 404
    assert cuenca.get(f"/certificates/{nusta.id}/pdf").status_code == 404
    assert (
        cuenca.post(f"/certificates/{nusta.id}/reissue", data={"reissue-reason": "x"}).status_code
        == 404
    )
    log = cuenca.get("/certificates/log").get_data(as_text=True)
    assert "Cuenca reason" in log
    assert "Quito reason" not in log
    listing = cuenca.get("/certificates/manage").get_data(as_text=True)
    assert "Luis Peña" in listing
    assert HOLDER not in listing
    # Admins read every entry, here and in the audit log.
    assert "Quito reason" in admin.get("/certificates/log").get_data(as_text=True)
    audit = admin.get("/admin/audit?action=certificate.revoke").get_data(as_text=True)
    assert "Certificate revoked" in audit
    assert "Quito reason" in audit


def test_a_cohorts_zip_holds_only_the_coordinators_people(app, db, world):
    from trainer.cohorts import services as cohorts

    complete(world, world.nusta)
    complete(world, world.luis)
    cohorts.close_cohort(world.admin, world.cohort)  # attendance certificates too
    assert len(db.session.scalars(select(Certificate)).all()) == 4
    url = f"/cohorts/{world.cohort.id}/certificates.zip"
    for coordinator, expected in (
        (world.quito_coordinator, {"nusta-quishpe-andres"}),
        (world.cuenca_coordinator, {"luis-pena"}),
        (world.programme, {"nusta-quishpe-andres", "luis-pena"}),
    ):
        response = log_in(app.test_client(), coordinator).get(url)
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        names = archive.namelist()
        assert len(names) == 2 * len(expected)  # completion and attendance each
        assert {name.rsplit("-", 4)[0] for name in names} == expected
    participant = log_in(app.test_client(), world.nusta)
    assert participant.get(url).status_code == 403


def test_my_certificates_lists_the_pdf_and_the_link_to_copy(app, db, world):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    client = log_in(app.test_client(), world.nusta)
    other = log_in(app.test_client(), world.luis)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/certificates"' in home  # the navigation
    page = client.get("/certificates").get_data(as_text=True)
    assert f'value="http://localhost/verify/{certificate.code}" readonly' in page
    assert f'href="/certificates/{certificate.id}/pdf"' in page
    response = client.get(f"/certificates/{certificate.id}/pdf")
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert HOLDER in pdf_text(response.data)
    assert other.get(f"/certificates/{certificate.id}/pdf").status_code == 404
    assert "You have no certificate yet" in other.get("/certificates").get_data(as_text=True)


def test_the_cohort_overview_links_to_the_zip_for_those_who_may_download_it(app, db, world):
    overview = f"/cohorts/{world.cohort.id}"
    link = f'href="/cohorts/{world.cohort.id}/certificates.zip"'
    for person in (world.admin, world.programme, world.quito_coordinator):
        page = log_in(app.test_client(), person).get(overview).get_data(as_text=True)
        assert link in page, person.full_name
    mine_only = log_in(app.test_client(), world.quito_coordinator).get(overview)
    assert "Only the certificates of your institution" in mine_only.get_data(as_text=True)
    # The cohort's trainer sees the overview but does not certify: no link.
    trainer = log_in(app.test_client(), world.trainer).get(overview)
    assert trainer.status_code == 200
    assert link not in trainer.get_data(as_text=True)
    assert log_in(app.test_client(), world.trainer).get(link[6:-1]).status_code == 403
