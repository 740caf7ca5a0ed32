"""Learning services called directly, as the CLI or another domain would."""

from __future__ import annotations

from datetime import timedelta

import pytest

from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.learning import attempts, judging, services
from trainer.learning.signals import enrolment_completed


def test_enrolment_is_one_row_per_family(make, db):
    user = make.user()
    original = make.course("family-en", modules=2)
    translation = make.course("family-es", modules=2, language="es", translation_of="family-en")
    first = services.enrol(user, original)
    assert services.enrol(user, original) is first
    switched = services.enrol(user, translation)
    assert switched.id == first.id
    assert switched.course_id == translation.id
    assert switched.family == "family-en"
    services.withdraw(switched)
    assert not switched.is_active
    assert switched.withdrawn_at is not None
    back = services.enrol(user, original)
    assert back.id == first.id
    assert back.is_active
    assert back.withdrawn_at is None


def test_completion_is_recorded_and_announced_once(make, db):
    user = make.user()
    course = make.course(modules=1)
    enrolment = services.enrol(user, course)
    heard = []
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(kw["completion"])):
        services.mark_complete(user, enrolment, current_modules(course)[0])
        services.mark_complete(user, enrolment, current_modules(course)[0])
        judging.judge([enrolment])
    assert enrolment.completed_at is not None
    assert [c.percent for c in heard] == [100]


def test_a_module_without_quiz_cannot_be_started(make, db):
    user = make.user()
    course = make.course(modules=2)
    enrolment = services.enrol(user, course)
    with pytest.raises(attempts.AttemptRefused, match="no quiz"):
        attempts.start_attempt(user, enrolment, course, current_modules(course)[0])


def test_submitting_a_closed_attempt_changes_nothing(make, db):
    user = make.user()
    course = make.course(modules=2)
    enrolment = services.enrol(user, course)
    attempt = attempts.start_attempt(user, enrolment, course, current_modules(course)[1])
    assert attempts.submit_attempt(attempt, {"q-2": ["true"]}).status == attempts.SCORED
    again = attempts.submit_attempt(attempt, {"q-2": ["false"]})
    assert again.status == attempts.ALREADY_SUBMITTED
    db.session.refresh(attempt)
    assert attempt.is_passed
    assert attempt.answers == {"q-2": ["true"]}


def test_an_overdue_attempt_is_closed_by_the_server(make, db):
    user = make.user()
    course = make.course(modules=2)
    enrolment = services.enrol(user, course)
    module = current_modules(course)[1]
    started = utcnow() - timedelta(hours=2)
    attempt = attempts.start_attempt(user, enrolment, course, module, now=started)
    attempt.deadline_at = started + timedelta(minutes=5)
    db.session.flush()
    assert attempts.close_if_overdue(attempt)
    assert attempt.status == "expired"  # the default policy refuses late answers
    assert not attempts.close_if_overdue(attempt)
