"""Certificates issued without anyone issuing them by hand are audited too (who, when, why),
read by admins and the holder's institution's coordinators only; and a manual issue racing
the automatic one never makes the participant's request fail."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from tests.certificates.conftest import at, attend, complete, join
from tests.certificates.test_rules_matrix import meet
from tests.sessions import log_in
from trainer.auth.models import AuditEntry
from trainer.certificates import services
from trainer.certificates.models import Certificate, CertificateKind
from trainer.certificates.snapshot import course_hours, current_issuer, local_date, snapshot
from trainer.cohorts import services as cohorts

AUTOMATIC = "certificate.issue_automatic"


def automatic_entries(db) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == AUTOMATIC)
            .order_by(AuditEntry.id)
            .execution_options(populate_existing=True)
        )
    )


def certificates(db) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate).order_by(Certificate.id).execution_options(populate_existing=True)
        )
    )


def test_a_completion_certificate_is_audited_as_issued_automatically(db, world):
    complete(world, world.nusta)
    (certificate,) = certificates(db)
    (entry,) = automatic_entries(db)
    assert entry.actor_id is None  # nobody: the rules were met
    assert (entry.target_type, entry.target_id) == ("certificate", certificate.id)
    assert entry.institution_id == world.quito.id
    assert entry.after == {
        "code": certificate.code,
        "course": certificate.course_title,
        "trigger": "rules_met",
    }
    assert certificate.code in entry.summary
    assert entry.created_at is not None


def test_closing_a_cohort_audits_each_attendance_certificate_as_set_off_by_the_closer(db, world):
    join(world, world.nusta)
    join(world, world.luis)
    attend(world, world.nusta, 3)
    attend(world, world.luis, 4)
    cohorts.close_cohort(world.programme, world.cohort)
    entries = automatic_entries(db)
    assert [(e.actor_id, e.after["trigger"]) for e in entries] == [
        (world.programme.id, "cohort_closed"),
        (world.programme.id, "cohort_closed"),
    ]
    assert {e.institution_id for e in entries} == {world.quito.id, world.cuenca.id}
    assert {e.target_id for e in entries} == {c.id for c in certificates(db)}


def test_the_backfill_audits_what_it_issues(app, db, world, monkeypatch):
    from trainer.learning.signals import enrolment_completed

    enrolment = join(world, world.nusta)
    monkeypatch.setattr(enrolment_completed, "receivers", {})
    enrolment.completed_at = at(20, 12)
    db.session.flush()
    assert services.backfill() == 1
    (entry,) = automatic_entries(db)
    assert (entry.actor_id, entry.after["trigger"]) == (None, "backfill")


def test_automatic_entries_are_read_by_admins_and_the_holders_coordinators_only(app, db, world):
    complete(world, world.nusta)  # Quito
    (certificate,) = certificates(db)
    quito = log_in(app.test_client(), world.quito_coordinator)
    cuenca = log_in(app.test_client(), world.cuenca_coordinator)
    admin = log_in(app.test_client(), world.admin)
    log = quito.get("/certificates/log").get_data(as_text=True)
    assert "Certificate issued automatically" in log
    assert "The completion rules were met" in log
    assert certificate.code in log
    page = quito.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Automatically" in page
    assert "The completion rules were met" in page
    assert certificate.code not in cuenca.get("/certificates/log").get_data(as_text=True)
    assert cuenca.get(f"/certificates/{certificate.id}").status_code == 404
    audit = admin.get(f"/admin/audit?action={AUTOMATIC}").get_data(as_text=True)
    assert "Certificate issued automatically" in audit
    assert certificate.code in audit
    assert "The completion rules were met" in audit
    assert cuenca.get("/admin/audit").status_code == 403


def test_the_entries_are_in_the_readers_language(app, db, world):
    complete(world, world.nusta)
    client = log_in(app.test_client(), world.quito_coordinator)
    client.post("/language", data={"language": "es"})
    log = client.get("/certificates/log").get_data(as_text=True)
    assert "Certificado emitido automáticamente" in log
    assert "Se cumplieron los requisitos de aprobación" in log


def manual_values(world, enrolment) -> dict:
    """The row a coordinator's manual issue stores for ``enrolment``."""
    issuer = current_issuer()
    values = snapshot(
        CertificateKind.COMPLETION.value,
        world.nusta,
        world.course,
        issuer,
        issued_on=local_date(at(6, 12), issuer.timezone),
        hours=course_hours(world.course),
    )
    values.update(
        code="MANU-ALLY-ISSU-EDXX",
        enrolment_id=enrolment.id,
        issued_at=at(6, 12),
        issued_by_id=world.quito_coordinator.id,
        override_reason="Paper records",
        revoked_reason="",
    )
    return values


def test_a_manual_issue_just_before_the_completion_leaves_one_certificate(
    app, db, world, monkeypatch
):
    """The coordinator's certificate reaches the database after the completing request
    looked for one and before it inserts its own (as a concurrent transaction would): the
    participant's request still succeeds, and the enrolment keeps the coordinator's."""
    enrolment = join(world, world.nusta)
    client = log_in(app.test_client(), world.nusta)
    for requirement in ("attendance", "module", "quiz"):
        meet(client, world, world.nusta, requirement)
    assert certificates(db) == []
    manual = manual_values(world, enrolment)
    original = services.insert_skipping
    raced = []

    def coordinator_first(session, table, column):
        session.execute(insert(Certificate.__table__).values(**manual))
        raced.append(True)
        return original(session, table, column)

    monkeypatch.setattr(services, "insert_skipping", coordinator_first)
    meet(client, world, world.nusta, "survey")  # asserts the request's 302
    assert raced == [True]
    (certificate,) = certificates(db)
    assert certificate.code == manual["code"]
    assert certificate.issued_by_id == world.quito_coordinator.id
    # Nothing was issued automatically, so nothing is audited as such.
    assert automatic_entries(db) == []
    assert db.session.get(type(enrolment), enrolment.id).completed_at is not None


def test_a_manual_issue_after_the_automatic_one_says_there_is_one(app, db, world):
    enrolment = complete(world, world.nusta)
    (automatic,) = certificates(db)
    client = log_in(app.test_client(), world.quito_coordinator)
    url = f"/enrolments/{enrolment.id}/certificate"
    response = client.post(url, data={"reason": "Paper records"}, follow_redirects=True)
    assert response.status_code == 200
    assert "already has a certificate of completion" in response.get_data(as_text=True)
    assert [c.id for c in certificates(db)] == [automatic.id]


def test_a_manual_issue_losing_the_race_to_the_automatic_one_gets_a_message(
    app, db, world, monkeypatch
):
    """The coordinator's form was checked before the automatic certificate was stored: the
    INSERT then meets the unique enrolment and the coordinator reads why, never a 500."""
    enrolment = complete(world, world.nusta)
    monkeypatch.setattr(services, "completion_certificate", lambda enrolment: None)
    client = log_in(app.test_client(), world.quito_coordinator)
    url = f"/enrolments/{enrolment.id}/certificate"
    response = client.post(url, data={"reason": "Paper records"})
    assert response.status_code == 200
    assert "already has a certificate of completion" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "certificate.issue")
        )
        == 0
    )
