"""seed-demo's demo cohort: of the demo course, around the day it is seeded, with attendance
that lets the demo participant complete the course."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tests.learning.conftest import demo_courses  # noqa: F401  (fixture)
from trainer.auth.services import find_user_by_email
from trainer.cohorts import sessions
from trainer.cohorts.models import AttendanceRecord, Cohort, CohortMember, TrainingSession
from trainer.completion.rules import ATTENDANCE
from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.demo import COHORT, seed_demo
from trainer.learning import judging
from trainer.learning import services as learning
from trainer.learning.signals import enrolment_completed

EN = "migration-development-policy"


def test_without_the_demo_course_there_is_no_cohort_yet(db):
    seeded = seed_demo()
    assert seeded.cohort is None
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 0
    assert find_user_by_email("participant@example.org") is not None


def test_the_demo_cohort_once_the_course_is_imported(db, demo_courses):  # noqa: F811
    seeded = seed_demo()
    cohort = seeded.cohort
    assert seeded.cohort_created
    assert (cohort.name, cohort.course.slug, cohort.timezone) == (COHORT, EN, "America/Guayaquil")
    assert cohort.state == "running"
    assert [t.email for t in cohort.trainers] == ["trainer@example.org"]

    members = db.session.scalars(
        select(CohortMember).where(CohortMember.cohort_id == cohort.id)
    ).all()
    institutions = {member.user.institution.slug for member in members}
    assert institutions == {"ministerio-trabajo", "gad-quito"}
    emails = {member.user.email for member in members}
    assert {"participant@example.org", "participant2@example.org"} <= emails

    found = sessions.sessions_of(cohort)
    now = utcnow()
    assert [s.ends_at < now for s in found] == [True, True, True, True, False]
    zone = ZoneInfo(cohort.timezone)
    assert {s.starts_at.astimezone(zone).time() for s in found} == {time(9)}
    assert all(
        cohort.starts_on <= s.starts_at.astimezone(zone).date() <= cohort.ends_on for s in found
    )

    statuses = db.session.scalars(
        select(AttendanceRecord.status)
        .join(TrainingSession)
        .where(TrainingSession.cohort_id == cohort.id)
    ).all()
    assert set(statuses) == {"present", "late", "excused", "absent"}
    # Both demo participants who log in meet the course's 75 %, so either can finish the demo.
    keys = {(find_user_by_email(e).id, cohort.family): e for e in emails if "participant" in e}
    rates = sessions.current_rates(keys)
    assert {keys[key]: rate.toward_completion for key, rate in rates.items()} == {
        "participant@example.org": 80.0,  # 4 of 5
        "participant2@example.org": 75.0,  # 3 of 4, one excused
    }
    roster = sessions.rates_for(next(m for m in members if m.user.email.startswith("lucia")))
    assert roster.not_recorded  # a held session nobody marked for her yet

    again = seed_demo()
    assert (again.cohort.id, again.cohort_created) == (cohort.id, False)
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 1
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == len(found)


def finish_every_module(person, course) -> dict:
    """Pass every quiz and complete every module of the course, then judge the enrolment."""
    enrolment = learning.find_enrolment(person, course.family)
    for module in current_modules(course):
        learning.record_quiz_done(person.id, course.family, module.slug, passed=True, now=utcnow())
    return judging.judge([enrolment])[enrolment.id]


def test_the_demo_participant_can_complete_the_demo_course(db, demo_courses):  # noqa: F811
    seed_demo()
    course = demo_courses[EN]
    paula = find_user_by_email("participant@example.org")
    enrolment = learning.find_enrolment(paula, course.family)
    assert enrolment is not None  # enrolled by joining the cohort
    unmet = judging.judge([enrolment])[enrolment.id].unmet
    assert ATTENDANCE not in {r.kind for r in unmet}  # 4 of 5 sessions: 80 %, met already
    heard = []
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.id)):
        assert finish_every_module(paula, course).complete
    assert heard == [enrolment.id]
    assert enrolment.completed_at is not None


def test_a_demo_member_below_the_attendance_asked_cannot_complete(db, demo_courses):  # noqa: F811
    seed_demo()
    verdict = finish_every_module(find_user_by_email("lucia.andrade@example.org"), demo_courses[EN])
    assert not verdict.complete
    (unmet,) = verdict.unmet
    assert unmet.kind == ATTENDANCE
    assert (unmet.attendance.attended, unmet.attendance.expected) == (2, 5)
