"""Certificates issued by the action that earns them, with a frozen snapshot, and unique in
the database."""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.certificates.conftest import (
    HOLDER,
    at,
    attend,
    complete,
    join,
    write_blended,
)
from tests.learning.conftest import import_folder
from trainer.auth import programme
from trainer.certificates import codes, services
from trainer.certificates.models import Certificate, CertificateStatus
from trainer.certificates.snapshot import add_months, expiry
from trainer.cohorts import services as cohorts


def certificates_of(db, person) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == person.id)))


def test_completing_issues_one_certificate_with_its_snapshot(db, world):
    programme.update_programme_settings(
        world.admin,
        programme_name="Migración y desarrollo",
        default_timezone="America/Guayaquil",
        signatories=[{"name": "Ana Programa", "role": "Directora"}],
    )
    enrolment = complete(world, world.nusta)
    (certificate,) = certificates_of(db, world.nusta)
    assert certificate.kind == "completion"
    assert certificate.enrolment_id == enrolment.id
    assert certificate.holder_name == HOLDER
    assert certificate.institution_name == "GAD Municipal de Quito"
    assert certificate.course_title == "Gestión municipal de la movilidad humana"
    assert certificate.certificate_title == (
        "Certificado en gestión municipal de la movilidad humana"
    )
    assert certificate.hours == 12
    assert certificate.language == "es"
    assert certificate.programme_name == "Migración y desarrollo"
    # The course names its own signatories: the programme's are not used.
    assert [s["name"] for s in certificate.signatories] == ["Laura Méndez", "Carlos Andrade"]
    # The day it was earned where the programme is (Quito, UTC-5).
    quito = zoneinfo.ZoneInfo("America/Guayaquil")
    assert certificate.issued_on == enrolment.completed_at.astimezone(quito).date()
    assert certificate.expires_on == add_months(certificate.issued_on, 24) - timedelta(days=1)
    assert certificate.issued_by_id is None
    assert codes.normalise(certificate.code) == certificate.code


def test_without_course_signatories_the_programmes_are_printed(db, world, tmp_path):
    programme.update_programme_settings(
        world.admin,
        programme_name="Programa",
        default_timezone="America/Guayaquil",
        signatories=[{"name": "Ana Programa", "role": "Directora"}],
    )
    yml = (tmp_path / "x").parent.joinpath("blended-course", "course.yml").read_text()
    short = yml.split("  signatories:")[0]
    import_folder(write_blended(tmp_path, short))  # a new version without signatories
    complete(world, world.nusta)
    (certificate,) = certificates_of(db, world.nusta)
    assert certificate.signatories == [{"name": "Ana Programa", "role": "Directora"}]


def test_a_later_edit_of_the_course_or_settings_changes_nothing_issued(db, world, tmp_path):
    complete(world, world.nusta)
    (certificate,) = certificates_of(db, world.nusta)
    before = (certificate.course_title, certificate.certificate_title, certificate.programme_name)
    yml = (tmp_path / "blended-course" / "course.yml").read_text()
    import_folder(write_blended(tmp_path, yml.replace("Gestión", "Otra gestión")))
    programme.update_programme_settings(
        world.admin,
        programme_name="Another name",
        default_timezone="America/Lima",
        signatories=[],
    )
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    assert world.course.title.startswith("Otra")
    assert (
        certificate.course_title,
        certificate.certificate_title,
        certificate.programme_name,
    ) == before


def test_a_course_without_completion_certificates_issues_none(db, world, tmp_path):
    yml = (tmp_path / "blended-course" / "course.yml").read_text()
    import_folder(write_blended(tmp_path, yml.replace("[completion, attendance]", "[]")))
    enrolment = complete(world, world.nusta)
    assert enrolment.completed_at is not None
    assert certificates_of(db, world.nusta) == []


def test_a_second_completion_certificate_for_one_enrolment_fails_at_the_database(db, world):
    enrolment = complete(world, world.nusta)
    (first,) = certificates_of(db, world.nusta)
    copy = {
        column.key: getattr(first, column.key)
        for column in Certificate.__table__.columns
        if column.key not in ("id", "code")
    }
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Certificate(code=codes.new_code(), **copy))
    assert copy["enrolment_id"] == enrolment.id
    # The service, asked again, keeps the one there is.
    assert services.issue_completion(enrolment).id == first.id
    assert len(certificates_of(db, world.nusta)) == 1


def test_closing_the_cohort_issues_attendance_certificates_to_who_met_the_threshold(db, world):
    join(world, world.nusta)
    join(world, world.luis)
    attend(world, world.nusta, 3)  # 3 of 4: 75 %
    attend(world, world.luis, 1)  # 1 of 4: 25 %
    cohorts.close_cohort(world.admin, world.cohort)
    (certificate,) = certificates_of(db, world.nusta)
    assert certificate.kind == "attendance"
    assert certificate.cohort_id == world.cohort.id
    assert certificate.hours == 9  # three sessions of three hours
    assert certificate.enrolment_id is None
    assert certificates_of(db, world.luis) == []
    # Issued once: a second call finds them issued.
    from trainer.certificates.attendance import issue_attendance_certificates

    assert issue_attendance_certificates(world.cohort) == []
    assert len(certificates_of(db, world.nusta)) == 1


def test_a_second_attendance_certificate_for_one_cohort_fails_at_the_database(db, world):
    join(world, world.nusta)
    attend(world, world.nusta, 4)
    cohorts.close_cohort(world.admin, world.cohort)
    (first,) = certificates_of(db, world.nusta)
    copy = {
        column.key: getattr(first, column.key)
        for column in Certificate.__table__.columns
        if column.key not in ("id", "code")
    }
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Certificate(code=codes.new_code(), **copy))


def test_a_course_without_attendance_certificates_issues_none_on_closing(db, world, tmp_path):
    yml = (tmp_path / "blended-course" / "course.yml").read_text()
    import_folder(write_blended(tmp_path, yml.replace("[completion, attendance]", "[completion]")))
    join(world, world.nusta)
    attend(world, world.nusta, 4)
    cohorts.close_cohort(world.admin, world.cohort)
    assert certificates_of(db, world.nusta) == []


def test_validity_months_set_the_last_valid_day():
    assert expiry(date(2026, 3, 10), 24) == date(2028, 3, 9)
    assert expiry(date(2026, 1, 31), 1) == date(2026, 2, 27)
    assert expiry(date(2026, 1, 31), None) is None


def test_status_is_revoked_expired_or_valid(db, world):
    complete(world, world.nusta)
    (certificate,) = certificates_of(db, world.nusta)
    assert certificate.status_on(certificate.expires_on) is CertificateStatus.VALID
    after = certificate.expires_on + timedelta(days=1)
    assert certificate.status_on(after) is CertificateStatus.EXPIRED
    services.revoke(world.admin, certificate, "Issued by mistake")
    assert certificate.status_on(certificate.issued_on) is CertificateStatus.REVOKED


def test_backfill_issues_the_missing_certificates_once(app, db, world, monkeypatch):
    from trainer.cohorts.signals import cohort_closed
    from trainer.learning.signals import enrolment_completed

    first = join(world, world.nusta)
    second = join(world, world.luis)
    attend(world, world.nusta, 4)
    # Completed, and the cohort closed, before certificates existed: nobody was listening.
    monkeypatch.setattr(enrolment_completed, "receivers", {})
    monkeypatch.setattr(cohort_closed, "receivers", {})
    for enrolment in (first, second):
        enrolment.completed_at = at(20, 12)
    cohorts.close_cohort(world.admin, world.cohort, now=at(31, 23))
    db.session.flush()
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    runner = app.test_cli_runner()
    result = runner.invoke(args=["certificates", "backfill"])
    assert result.exit_code == 0, result.output
    assert "Issued 2 certificate(s) of completion and 1 of attendance." in result.output
    # Dated when they were earned, where the programme is (Quito, UTC-5).
    assert sorted((c.kind, c.issued_on) for c in certificates_of(db, world.nusta)) == [
        ("attendance", date(2026, 3, 31)),
        ("completion", date(2026, 3, 20)),
    ]
    again = runner.invoke(args=["certificates", "backfill"])
    assert again.exit_code == 0, again.output
    assert "Issued 0 certificate(s) of completion and 0 of attendance." in again.output
    assert db.session.scalar(select(func.count(Certificate.id))) == 3
