"""The cohort tables' invariants hold in the database itself, whatever the code above does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from trainer.cohorts.models import AttendanceRecord, Cohort, CohortMember, TrainingSession

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def cohort(db, course, **fields) -> Cohort:
    row = Cohort(
        course_id=course.id,
        family=course.family,
        name=fields.pop("name", "Quito, March"),
        starts_on=fields.pop("starts_on", date(2026, 3, 1)),
        ends_on=fields.pop("ends_on", date(2026, 3, 31)),
        timezone="America/Guayaquil",
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def refused(db, row) -> None:
    savepoint = db.session.begin_nested()
    db.session.add(row)
    with pytest.raises(IntegrityError):
        db.session.flush()
    savepoint.rollback()


def test_one_active_membership_per_participant_and_family(db, make):
    course = make.course()
    first, second = cohort(db, course), cohort(db, course, name="Cuenca")
    person = make.user()
    db.session.add(CohortMember(cohort=first, family=course.family, user_id=person.id))
    db.session.flush()
    refused(db, CohortMember(cohort_id=second.id, family=course.family, user_id=person.id))


def test_a_left_membership_frees_the_family_and_other_families_are_independent(db, make):
    course, other = make.course(), make.course()
    first, second, elsewhere = cohort(db, course), cohort(db, course), cohort(db, other)
    person = make.user()
    old = CohortMember(cohort_id=first.id, family=course.family, user_id=person.id)
    db.session.add_all(
        [old, CohortMember(cohort_id=elsewhere.id, family=other.family, user_id=person.id)]
    )
    db.session.flush()
    old.left_at = old.joined_at + timedelta(days=1)
    db.session.add(CohortMember(cohort_id=second.id, family=course.family, user_id=person.id))
    db.session.flush()


def test_a_member_carries_its_cohorts_family(db, make):
    course, other = make.course(), make.course()
    row = cohort(db, course)
    refused(db, CohortMember(cohort_id=row.id, family=other.family, user_id=make.user().id))


def test_dates_and_times_run_forwards(db, make):
    course = make.course()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        cohort(db, course, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 1))
    row = cohort(db, course)
    refused(db, TrainingSession(cohort_id=row.id, starts_at=NOON, ends_at=NOON))


def test_one_attendance_record_per_session_and_participant_with_known_values(db, make):
    row = cohort(db, make.course())
    session = TrainingSession(cohort_id=row.id, starts_at=NOON, ends_at=NOON + timedelta(hours=2))
    db.session.add(session)
    db.session.flush()
    person = make.user()
    db.session.add(
        AttendanceRecord(session_id=session.id, user_id=person.id, status="late", method="qr")
    )
    db.session.flush()
    refused(
        db,
        AttendanceRecord(session_id=session.id, user_id=person.id, status="absent", method="qr"),
    )
    other = make.user()
    for status, method in (("asleep", "qr"), ("present", "pigeon")):
        refused(
            db,
            AttendanceRecord(session_id=session.id, user_id=other.id, status=status, method=method),
        )


def test_a_closed_cohort_has_its_closing_date(db, make):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        cohort(db, make.course(), state="closed")
