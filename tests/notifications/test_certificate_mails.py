"""The certificate mail covers every certificate issued, of completion or of attendance,
whoever issued it: one outbox row per certificate, written in the issuing transaction."""

from __future__ import annotations

from sqlalchemy import select

from tests.certificates.conftest import attend, complete, join
from tests.certificates.conftest import world as world  # noqa: F401  (the fixture)
from tests.notifications.conftest import run_queue
from trainer.certificates import services
from trainer.certificates.attendance import issue_attendance_certificates
from trainer.certificates.models import Certificate
from trainer.cohorts import services as cohorts
from trainer.learning.signals import enrolment_completed
from trainer.notifications import kinds
from trainer.notifications.models import MailStatus, OutboxMail


def certificate_mails(db) -> list[OutboxMail]:
    return list(
        db.session.scalars(
            select(OutboxMail).where(OutboxMail.kind == kinds.CERTIFICATE).order_by(OutboxMail.id)
        )
    )


def certificates(db, kind: str) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate).where(Certificate.kind == kind).order_by(Certificate.id)
        )
    )


def test_closing_a_cohort_mails_each_attendance_certificate_once(db, world, mail_app, smtp):
    world.nusta.email, world.nusta.language = "nusta@example.org", "es"
    world.luis.email, world.luis.language = "luis@example.org", "fr"
    with mail_app.app_context():
        for person in (world.nusta, world.luis):
            join(world, person)
            attend(world, person, 3)
        cohorts.close_cohort(world.admin, world.cohort)
        db.session.commit()  # the closing's commit, as the view makes it
        issued = certificates(db, "attendance")
        assert len(issued) == 2
        rows = certificate_mails(db)
        assert {(row.user_id, row.subject_key) for row in rows} == {
            (c.user_id, f"certificate:{c.id}") for c in issued
        }
        # Issuing again (a second closing, the backfill) issues nothing and mails nothing.
        assert issue_attendance_certificates(world.cohort) == []
        db.session.commit()
        assert len(certificate_mails(db)) == 2
        run_queue(mail_app)
    db.session.expire_all()
    assert {row.status for row in certificate_mails(db)} == {MailStatus.SENT.value}
    (spanish,) = [m for m in smtp.to("nusta@example.org") if "certificado" in m["Subject"]]
    (french,) = [m for m in smtp.to("luis@example.org") if "certificat" in m["Subject"]]
    assert "certificado de asistencia" in spanish.get_body(("plain",)).get_content()
    assert "certificat d'assiduité" in french.get_body(("plain",)).get_content()
    code = next(c.code for c in issued if c.user_id == world.nusta.id)
    assert f"/verify/{code}" in spanish.get_body(("html",)).get_content()


def test_every_completion_certificate_is_mailed_once_however_it_is_issued(db, world, monkeypatch):
    # Earned: issued in bulk as the session flushes.
    enrolment = complete(world, world.nusta)
    db.session.commit()
    (earned,) = certificates(db, "completion")
    # Issued one at a time, as a coordinator or the backfill issues it.
    with monkeypatch.context() as patch:
        patch.setattr(enrolment_completed, "receivers", {})
        other = complete(world, world.luis)
        db.session.commit()
    assert services.completion_certificate(other) is None
    by_hand = services.issue_completion(other)
    assert services.issue_completion(enrolment).id == earned.id  # already there: no mail
    db.session.commit()
    rows = certificate_mails(db)
    assert sorted((row.user_id, row.subject_key) for row in rows) == sorted(
        (c.user_id, f"certificate:{c.id}") for c in (earned, by_hand)
    )
