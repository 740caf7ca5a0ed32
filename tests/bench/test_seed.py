"""bench-seed at a small size, on whichever database the suite runs on (SQLite and
PostgreSQL both run it): the counts, the shape and the refusal of a database with people."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.bench.conftest import PARTICIPANTS
from tests.sessions import use_api_token
from trainer.api import tokens
from trainer.auth.models import Institution, Role, User
from trainer.bench.seed import SeedRefused, seed
from trainer.bench.shape import institution_sizes
from trainer.cohorts.models import (
    AttendanceRecord,
    CohortInstitution,
    CohortMember,
    TrainingSession,
)
from trainer.courses.models import ModuleVersion
from trainer.learning.models import (
    AttemptAnswer,
    Enrolment,
    QuizAttempt,
    SurveyAnswer,
    SurveyResponse,
)


def _count(session, statement) -> int:
    return session.scalar(statement)


def test_the_counts_and_the_shape(seeded):
    session = seeded
    participants = session.execute(
        select(Institution.slug, func.count(User.id))
        .join(User, User.institution_id == Institution.id)
        .where(User.role == Role.PARTICIPANT.value)
        .group_by(Institution.slug)
    ).all()
    sizes = sorted((count for _slug, count in participants), reverse=True)
    assert sizes == institution_sizes(PARTICIPANTS)
    assert _count(session, select(func.count()).select_from(Enrolment)) == PARTICIPANTS
    # One shared password hash for every account.
    assert _count(session, select(func.count(func.distinct(User.password_hash)))) == 1
    coordinators = _count(session, select(func.count()).where(User.role == Role.COORDINATOR.value))
    assert coordinators == len(sizes) + 1  # one per institution, one programme-wide


def test_every_graded_attempt_has_its_answer_rows(seeded):
    session = seeded
    questions = {
        version.id: len(version.quiz["questions"])
        for version in session.scalars(select(ModuleVersion).where(ModuleVersion.quiz.is_not(None)))
    }
    rows = session.execute(
        select(
            QuizAttempt.id,
            ModuleVersion.kind,
            ModuleVersion.id,
            func.count(AttemptAnswer.id),
        )
        .join(ModuleVersion, ModuleVersion.id == QuizAttempt.module_version_id)
        .outerjoin(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .group_by(QuizAttempt.id, ModuleVersion.kind, ModuleVersion.id)
    ).all()
    kinds = Counter(kind for _id, kind, _version, _answers in rows)
    assert kinds["pre-test"] > PARTICIPANTS / 2
    assert kinds["post-test"] > 0
    assert kinds["survey"] > 0
    for _id, kind, version, answers in rows:
        assert answers == (0 if kind == "survey" else questions[version])
    assert _count(session, select(func.count()).select_from(SurveyResponse)) == kinds["survey"]
    assert _count(session, select(func.count()).select_from(SurveyAnswer)) > 0
    assert _count(session, select(func.count()).where(SurveyResponse.institution_id.is_(None))) == 0


def test_cohorts_hold_one_institution_and_attendance_only_of_held_sessions(seeded):
    session = seeded
    mixed = session.execute(
        select(CohortMember.cohort_id)
        .join(User, User.id == CohortMember.user_id)
        .join(CohortInstitution, CohortInstitution.cohort_id == CohortMember.cohort_id)
        .where(User.institution_id != CohortInstitution.institution_id)
    ).all()
    assert mixed == []
    largest = session.execute(
        select(func.count()).select_from(CohortMember).group_by(CohortMember.cohort_id)
    ).scalars()
    assert max(largest) <= 30
    future_marks = _count(
        session,
        select(func.count())
        .select_from(AttendanceRecord)
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .where(TrainingSession.ends_at > func.now()),
    )
    assert future_marks == 0
    assert _count(session, select(func.count()).select_from(AttendanceRecord)) > PARTICIPANTS


def test_a_second_run_is_refused_and_writes_nothing(app, seeded):
    before = _count(seeded, select(func.count()).select_from(User))
    result = app.test_cli_runner().invoke(args=["bench-seed", "--participants", "5"])
    assert result.exit_code == 1
    assert "already has" in result.output
    assert _count(seeded, select(func.count()).select_from(User)) == before
    with pytest.raises(SeedRefused):
        seed(5)


def test_the_largest_institution_s_coordinator_sees_its_people_in_the_api(app, seeded):
    session = seeded
    slug, size = "bench-institution-01", institution_sizes(PARTICIPANTS)[0]
    coordinator = session.scalar(
        select(User).where(User.email == f"coordinator-{slug}@bench.example.org")
    )
    secret = tokens.create(coordinator, "bench").secret
    session.commit()
    client = use_api_token(app.test_client(), secret)
    items = client.get("/api/v1/enrolments", query_string={"limit": 500}).get_json()["items"]
    assert len(items) == size
    assert {item["participant"]["institution"]["id"] for item in items} == {
        coordinator.institution_id
    }


def test_bench_seed_refuses_to_run_in_production(make_app):
    from config import ProductionConfig

    app = make_app(
        ProductionConfig, SECRET_KEY="x" * 40, PUBLIC_BASE_URL="https://trainer.example.org"
    )
    result = app.test_cli_runner().invoke(args=["bench-seed", "--participants", "5"])
    assert result.exit_code != 0
    assert "refuses to run in production" in result.output
