"""bench-seed's certificates and outbox: as automatic issuance and a mail worker would have
left them, consistent with the enrolments, cohorts and attendance written before them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.bench.conftest import PARTICIPANTS
from trainer.auth.models import AuditEntry, User
from trainer.certificates import codes
from trainer.certificates.models import Certificate
from trainer.cohorts.models import AttendanceRecord, Cohort, CohortMember
from trainer.cohorts.sessions import attendance_toward_completion
from trainer.learning.models import Enrolment
from trainer.notifications.models import MailStatus, OutboxMail


def _count(session, statement) -> int:
    return session.scalar(statement)


def test_every_completed_enrolment_has_one_completion_certificate_and_no_other(seeded):
    session = seeded
    rows = session.execute(
        select(Certificate, Enrolment)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(Certificate.kind == "completion")
    ).all()
    assert rows
    for certificate, enrolment in rows:
        assert enrolment.completed_at is not None
        assert certificate.user_id == enrolment.user_id
        assert certificate.course_id == enrolment.course_id
        assert certificate.issued_at == enrolment.completed_at
    completed = _count(session, select(func.count()).where(Enrolment.completed_at.is_not(None)))
    assert len(rows) == completed
    assert _count(session, select(func.count()).select_from(Certificate)) > len(rows)


def test_the_snapshot_is_the_holder_s_and_the_course_s_and_the_code_verifies(app, seeded):
    session = seeded
    certificate = session.scalars(select(Certificate).order_by(Certificate.id)).first()
    holder = session.get(User, certificate.user_id)
    assert certificate.holder_name == holder.full_name
    assert certificate.institution_name == holder.institution.name
    assert certificate.course_title == certificate.course.title
    assert certificate.certificate_title.startswith("Certifica")
    assert [s["name"] for s in certificate.signatories] == ["Laura Méndez", "Carlos Andrade"]
    assert certificate.expires_on > certificate.issued_on  # validity_months: 36
    all_codes = session.scalars(select(Certificate.code)).all()
    assert len(set(all_codes)) == len(all_codes)
    assert all(codes.normalise(code) == code for code in all_codes)
    page = app.test_client().get(f"/verify/{certificate.code}")
    assert page.status_code == 200
    assert holder.full_name in page.get_data(as_text=True)


def test_attendance_certificates_go_to_members_of_closed_cohorts_who_met_the_threshold(seeded):
    session = seeded
    closed = session.scalars(select(Cohort).where(Cohort.state == "closed")).all()
    assert closed
    issued = {
        (c.user_id, c.cohort_id): c
        for c in session.scalars(select(Certificate).where(Certificate.kind == "attendance"))
    }
    assert issued
    assert {cohort_id for _user, cohort_id in issued} <= {cohort.id for cohort in closed}
    for cohort in closed:
        members = session.scalars(
            select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)
        ).all()
        rates = attendance_toward_completion({(m, cohort.family) for m in members})
        for member in members:
            certificate = issued.get((member, cohort.id))
            met = rates[(member, cohort.family)] >= 75
            assert (certificate is not None) == met, (cohort.id, member)
            if certificate is not None:
                assert certificate.issued_at == cohort.closed_at
                attended = _count(
                    session,
                    select(func.count()).where(
                        AttendanceRecord.user_id == member,
                        AttendanceRecord.status.in_(("present", "late")),
                    ),
                )
                assert certificate.hours == 3 * attended


def test_each_certificate_has_its_automatic_issue_audit_entry(seeded):
    session = seeded
    entries = session.execute(
        select(AuditEntry, Certificate)
        .join(Certificate, Certificate.id == AuditEntry.target_id)
        .where(AuditEntry.action == "certificate.issue_automatic")
    ).all()
    assert len(entries) == _count(session, select(func.count()).select_from(Certificate))
    for entry, certificate in entries:
        assert entry.target_type == "certificate"
        assert entry.after["code"] == certificate.code
        assert entry.institution_id == certificate.holder.institution_id
        expected = "rules_met" if certificate.kind == "completion" else "cohort_closed"
        assert entry.after["trigger"] == expected
        assert (entry.actor_id is None) == (certificate.kind == "completion")


def test_the_outbox_holds_mails_sent_and_a_few_pending(seeded):
    session = seeded
    by_status = dict(
        session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all()
    )
    assert by_status[MailStatus.SENT.value] > PARTICIPANTS
    assert 3 <= by_status[MailStatus.PENDING.value] < by_status[MailStatus.SENT.value] / 10
    sent = session.scalars(select(OutboxMail).where(OutboxMail.status == "sent")).all()
    assert all(mail.sent_at is not None and mail.sent_at >= mail.created_at for mail in sent)
    assert max(mail.created_at for mail in sent) <= session.scalar(
        select(func.min(OutboxMail.created_at)).where(OutboxMail.status == "pending")
    )
    certificate_mails = session.scalars(
        select(OutboxMail.subject_key).where(OutboxMail.kind == "certificate")
    ).all()
    ids = session.scalars(select(Certificate.id)).all()
    assert sorted(certificate_mails) == sorted(f"certificate:{i}" for i in ids)
    kinds = set(session.scalars(select(OutboxMail.kind).distinct()))
    assert {"cohort_added", "session_reminder", "certificate", "digest"} <= kinds


def test_the_output_names_what_a_benchmark_needs(seeding, seeded):
    output = seeding.output
    assert "largest institution: bench-institution-01" in output
    assert "institution nearest 2,000 participants: bench-institution-01" in output
    cohort_id = int(re.search(r"largest certificates zip: cohort (\d+)", output)[1])
    assert seeded.get(Cohort, cohort_id).state == "closed"
    printed = re.search(r"verification codes: (.+)", output)[1].split()
    assert len(printed) == 5
    assert set(printed) <= set(seeded.scalars(select(Certificate.code)))
    learner = re.search(
        r"participant with a lesson: (\S+@bench\.example\.org) /courses/\S+", output
    )
    enrolment = seeded.scalar(
        select(Enrolment).join(User, User.id == Enrolment.user_id).where(User.email == learner[1])
    )
    assert enrolment.status == "active"
    assert enrolment.completed_at is None
    cohort = seeded.scalar(
        select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == enrolment.user_id)
    )
    assert cohort.state == "running"
    assert "No signing key is configured" in output


@pytest.mark.parametrize("participants", [1_000])
def test_from_a_thousand_participants_one_closed_cohort_has_200_certificates(
    app, committing_db, participants
):
    result = app.test_cli_runner().invoke(args=["bench-seed", "--participants", str(participants)])
    assert result.exit_code == 0, result.output
    cohort_id = int(re.search(r"largest certificates zip: cohort (\d+)", result.output)[1])
    session = committing_db.session
    assert session.get(Cohort, cohort_id).state == "closed"
    attendance = _count(session, select(func.count()).where(Certificate.cohort_id == cohort_id))
    assert attendance >= 200
    members = _count(session, select(func.count()).where(CohortMember.cohort_id == cohort_id))
    assert members == 300
