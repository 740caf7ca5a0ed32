"""Two completions racing on PostgreSQL give exactly one certificate: the completion is
announced once, and the database refuses a second certificate for one enrolment."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from tests.factories import Factories
from trainer.certificates import services as certificates
from trainer.certificates.models import Certificate
from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.extensions import db as _db
from trainer.learning import services as learning
from trainer.learning.models import Enrolment

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def nearly_complete(app, committing_db, tmp_path):
    """An enrolment whose quiz is passed and whose one lesson is left to complete."""
    if committing_db.engine.dialect.name != "postgresql":
        pytest.skip(
            "needs PostgreSQL (TEST_DATABASE_URL): SQLite lets one writer at a time hold the "
            "whole database, so two completions never race; the unique constraint is tested "
            "on SQLite by test_a_second_completion_certificate_for_one_enrolment_fails_at_the_"
            "database"
        )
    make = Factories(committing_db, tmp_path)
    user = make.user()
    course = make.course(modules=2)
    enrolment = learning.enrol(user, course)
    learning.record_quiz_done(user.id, course.family, "module-2", passed=True, now=utcnow())
    committing_db.session.commit()
    return user.id, enrolment.id, course.id


def race(work, *, wait_in=None, monkeypatch=None) -> list:
    """Run ``work()`` in two threads; with ``wait_in`` (module, name), both meet at a barrier
    as they call it, so both have read the same state before either writes."""
    barrier = threading.Barrier(2, timeout=10)
    if wait_in is not None:
        module, name = wait_in
        original = getattr(module, name)

        def waiting(*args, **kwargs):
            barrier.wait()
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, waiting)
    results, errors = [], []

    def run() -> None:
        try:
            results.append(work())
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def certificates_count() -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count(Certificate.id)))


def test_two_concurrent_completions_give_one_certificate(app, nearly_complete, monkeypatch):
    user_id, enrolment_id, course_id = nearly_complete
    from trainer.auth.models import User
    from trainer.courses.models import Course

    def complete_the_lesson() -> None:
        with app.app_context():
            try:
                user = _db.session.get(User, user_id)
                enrolment = _db.session.get(Enrolment, enrolment_id)
                lesson = current_modules(_db.session.get(Course, course_id))[0]
                learning.mark_complete(user, enrolment, lesson)
                _db.session.commit()
            finally:
                _db.session.remove()

    # Both reach the progress INSERT together: the database orders them, and only the first
    # one's completion is announced.
    race(complete_the_lesson, wait_in=(learning, "_touch"), monkeypatch=monkeypatch)
    assert certificates_count() == 1
    assert _db.session.get(Enrolment, enrolment_id).completed_at is not None


def test_two_concurrent_issuings_give_one_certificate(app, nearly_complete, monkeypatch):
    user_id, enrolment_id, _course_id = nearly_complete
    with app.app_context():
        _db.session.get(Enrolment, enrolment_id).completed_at = utcnow()
        _db.session.commit()
        _db.session.remove()

    def issue() -> str:
        with app.app_context():
            try:
                enrolment = _db.session.get(Enrolment, enrolment_id)
                certificate = certificates.issue_completion(enrolment)
                _db.session.commit()
                return certificate.code
            finally:
                _db.session.remove()

    # Both have found no certificate and insert at once: the unique enrolment_id keeps one,
    # and the other request gets that one back.
    codes = race(issue, wait_in=(certificates, "add"), monkeypatch=monkeypatch)
    assert len(set(codes)) == 1
    assert certificates_count() == 1


def test_a_manual_issue_racing_the_completion_leaves_the_participant_unharmed(
    app, nearly_complete, committing_db, tmp_path, monkeypatch
):
    """A coordinator issues the certificate by hand and has not committed yet when the
    participant's last step completes the course: the participant's INSERT waits for the
    coordinator's transaction, then skips its row (ON CONFLICT DO NOTHING). Both requests
    succeed, and there is one certificate, the coordinator's."""
    from trainer.auth.models import Role, User
    from trainer.courses.models import Course

    user_id, enrolment_id, course_id = nearly_complete
    admin_id = Factories(committing_db, tmp_path).user(Role.ADMIN).id
    committing_db.session.commit()
    manual_flushed, participant_inserting = threading.Event(), threading.Event()
    original = certificates.insert_skipping

    def announcing(*args, **kwargs):
        participant_inserting.set()
        return original(*args, **kwargs)

    monkeypatch.setattr(certificates, "insert_skipping", announcing)
    errors: list[Exception] = []

    def coordinator() -> None:
        with app.app_context():
            try:
                enrolment = _db.session.get(Enrolment, enrolment_id)
                admin = _db.session.get(User, admin_id)
                certificates.issue_manually(admin, enrolment, "Paper records")
                manual_flushed.set()
                assert participant_inserting.wait(10)
                time.sleep(0.5)  # the participant's INSERT now waits on this transaction
                _db.session.commit()
            except Exception as error:
                errors.append(error)
                manual_flushed.set()
            finally:
                _db.session.remove()

    def participant() -> None:
        assert manual_flushed.wait(10)
        with app.app_context():
            try:
                user = _db.session.get(User, user_id)
                enrolment = _db.session.get(Enrolment, enrolment_id)
                lesson = current_modules(_db.session.get(Course, course_id))[0]
                learning.mark_complete(user, enrolment, lesson)
                _db.session.commit()
            except Exception as error:
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=coordinator), threading.Thread(target=participant)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert certificates_count() == 1
    _db.session.expire_all()
    (certificate,) = _db.session.scalars(select(Certificate)).all()
    assert certificate.issued_by_id == admin_id
    assert _db.session.get(Enrolment, enrolment_id).completed_at is not None
