"""Quiz attempts: started on the server, scored exactly once, deadlines kept by the server.

- Starting creates the attempt: its number, its question order (shuffled when the quiz says
  so) and its deadline (started + time limit) are decided here and stored, never taken from
  the browser. An open attempt is returned instead of starting a second one.
- Submitting changes the attempt from in progress to submitted with ONE conditional
  ``UPDATE ... WHERE status = 'in_progress'``: a double click, a second tab, a retry after a
  network error or two requests racing on two app servers all reach that statement, and only
  the first changes a row. The others are told the answers were already sent.
- Deadlines allow ``DEADLINE_GRACE`` for the time the answers spend on a slow network. Past
  that, ``late: refuse`` refuses the answers and closes the attempt unscored (it still counts
  as an attempt; a pre-test so closed counts as taken, its only attempt being used), and
  ``late: score-answered`` scores what was sent and marks it late.
- Pages never close an attempt whose time is up: they show it closed, computed
  (``as_closed``). It is stored closed the next time its participant starts or submits an
  attempt, or by ``flask cleanup`` (``close_overdue``).

Every function flushes and never commits.
"""

from __future__ import annotations

import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, joinedload

from trainer.auth.models import User
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import ModuleKind, quiz_settings
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.learning import outline, services
from trainer.learning.answers import record_answers
from trainer.learning.grading import GradeResult, grade
from trainer.learning.judging import judge
from trainer.learning.models import AttemptStatus, Enrolment, QuizAttempt

DEADLINE_GRACE = timedelta(seconds=30)

SCORED = "scored"
ALREADY_SUBMITTED = "already-submitted"
REFUSED_LATE = "refused-late"


class AttemptRefused(services.LearningError):
    """No attempt can be started; the message says why."""


@dataclass(frozen=True)
class SubmitOutcome:
    status: str  # SCORED, ALREADY_SUBMITTED or REFUSED_LATE
    result: GradeResult | None = None
    is_late: bool = False


def find_attempt(attempt_id: int) -> QuizAttempt | None:
    # Routes match only ids a column can hold (trainer.urls.BoundedIntegerConverter).
    return db.session.scalar(
        select(QuizAttempt)
        .options(joinedload(QuizAttempt.module_version), joinedload(QuizAttempt.course))
        .where(QuizAttempt.id == attempt_id)
    )


def attempts_of(user_id: int, family: str, module_slug: str) -> list[QuizAttempt]:
    """A participant's attempts at one quiz, oldest first, without their answers: one query."""
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .options(
                defer(QuizAttempt.answers),
                defer(QuizAttempt.results),
                defer(QuizAttempt.draft_answers),
                defer(QuizAttempt.question_order),
            )
            .where(
                QuizAttempt.user_id == user_id,
                QuizAttempt.family == family,
                QuizAttempt.module_slug == module_slug,
            )
            .order_by(QuizAttempt.number)
        )
    )


def start_attempt(
    user: User,
    enrolment: Enrolment,
    course: Course,
    module: ModuleVersion,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """The participant's open attempt at this quiz, or a new one; AttemptRefused if none is left.

    Two starts racing for the same attempt number cannot both succeed: the unique
    (user, family, module, number) refuses the second, which then returns the first's attempt.
    """
    now = now or utcnow()
    if module.quiz is None:
        raise AttemptRefused(_("This module has no quiz."))
    close_overdue(user.id, now=now)
    history = attempts_of(user.id, enrolment.family, module.slug)
    current = next((a for a in history if a.is_in_progress), None)
    if current is not None:
        return current
    allowed = outline.attempts_allowed(module)
    if allowed is not None and len(history) >= allowed:
        raise AttemptRefused(
            ngettext(
                "You have used your only attempt at this quiz.",
                "You have used all %(num)d attempts at this quiz.",
                allowed,
            )
        )
    quiz = module.quiz
    order = [question["id"] for question in quiz["questions"]]
    settings = quiz_settings(quiz)
    if settings["shuffle"]:
        (rng or secrets.SystemRandom()).shuffle(order)
    limit = settings["time_limit_minutes"]
    attempt = QuizAttempt(
        user_id=user.id,
        family=enrolment.family,
        module_slug=module.slug,
        course_id=course.id,
        module_version_id=module.id,
        number=len(history) + 1,
        token=secrets.token_urlsafe(32),
        question_order=order,
        started_at=now,
        deadline_at=now + timedelta(minutes=limit) if limit else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        raced = next(
            (a for a in attempts_of(user.id, enrolment.family, module.slug) if a.is_in_progress),
            None,
        )
        if raced is None:
            raise AttemptRefused(_("The quiz could not be started. Please try again.")) from None
        return raced
    return attempt


def as_shown(history: list[QuizAttempt], now: datetime) -> list[QuizAttempt]:
    """Attempts as pages show them: one whose time is up reads as closed (``as_closed``)."""
    return [as_closed(a, now) if is_overdue_open(a, now) else a for a in history]


def token_matches(attempt: QuizAttempt, token: object) -> bool:
    return isinstance(token, str) and hmac.compare_digest(token.encode(), attempt.token.encode())


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    """Past the deadline and the grace for network lag."""
    return attempt.deadline_at is not None and now > attempt.deadline_at + DEADLINE_GRACE


def is_overdue_open(attempt: QuizAttempt, now: datetime) -> bool:
    """Still stored as in progress, but its time is up: it reads as closed."""
    return attempt.is_in_progress and is_overdue(attempt, now)


def close_overdue(
    user_id: int | None = None, *, now: datetime | None = None, keep: int | None = None
) -> int:
    """Store as closed every attempt whose time is up, of one participant or of everyone
    (``flask cleanup``), but attempt ``keep`` (the one being submitted); returns how many
    were closed."""
    now = now or utcnow()
    statement = select(QuizAttempt).where(
        QuizAttempt.status == AttemptStatus.IN_PROGRESS.value,
        QuizAttempt.deadline_at < now - DEADLINE_GRACE,
    )
    if user_id is not None:
        statement = statement.where(QuizAttempt.user_id == user_id)
    if keep is not None:
        statement = statement.where(QuizAttempt.id != keep)
    overdue = db.session.scalars(
        statement.options(joinedload(QuizAttempt.module_version)).order_by(QuizAttempt.id)
    ).all()
    return sum(close_if_overdue(attempt, now=now) for attempt in overdue)


def as_closed(attempt: QuizAttempt, now: datetime) -> QuizAttempt:
    """The attempt as it reads once closed, computed without writing anything.

    A copy outside the session, so nothing it holds is ever flushed; what ``submit_attempt``
    would store is applied to it.
    """
    columns = {column.key: getattr(attempt, column.key) for column in QuizAttempt.__table__.c}
    view = QuizAttempt(**columns)
    view.module_version = attempt.module_version
    view.course = attempt.course
    values, _result = _closing(attempt, attempt.draft_answers or {}, now)
    for key, value in {"draft_answers": None, "draft_saved_at": None, **values}.items():
        setattr(view, key, value)
    return view


def close_if_overdue(attempt: QuizAttempt, *, now: datetime | None = None) -> bool:
    """Close an abandoned attempt whose time is up; True when it was closed now.

    ``late: refuse`` closes it unscored; ``score-answered`` scores the answers it holds (a draft
    kept from an expired session, else none).
    """
    now = now or utcnow()
    if not attempt.is_in_progress or not is_overdue(attempt, now):
        return False
    submit_attempt(attempt, attempt.draft_answers or {}, now=now)
    return True


def submit_answers(
    attempt: QuizAttempt, answers: dict[str, list[str]], *, now: datetime | None = None
) -> SubmitOutcome:
    """The participant sends their answers: their other attempts whose time is up are
    stored closed on the way, then this one is scored (``submit_attempt``)."""
    now = now or utcnow()
    close_overdue(attempt.user_id, now=now, keep=attempt.id)
    return submit_attempt(attempt, answers, now=now)


def _closing(
    attempt: QuizAttempt, answers: dict[str, list[str]], now: datetime
) -> tuple[dict, GradeResult | None]:
    """What closing the attempt with these answers stores; no result when time was up and
    the quiz refuses late answers."""
    module = attempt.module_version
    quiz = module.quiz or {"questions": [], "settings": {}}
    late = is_overdue(attempt, now)
    if late and quiz_settings(quiz)["late"] == "refuse":
        return {"status": AttemptStatus.EXPIRED.value, "submitted_at": now, "is_late": True}, None
    result = grade(quiz, answers)
    scored = result.percent is not None
    return {
        "status": AttemptStatus.SUBMITTED.value,
        "submitted_at": now,
        "is_late": late,
        "answers": None if outline.is_anonymous(module) else answers,
        "results": result.points_by_question(),
        "score": result.points if scored else None,
        "max_score": result.max_points if scored else None,
        "score_percent": result.percent,
        "is_passed": result.passed,
    }, result


def submit_attempt(
    attempt: QuizAttempt, answers: dict[str, list[str]], *, now: datetime | None = None
) -> SubmitOutcome:
    """Score the answers once and record what they complete.

    The in-progress -> submitted (or expired) change is a single conditional UPDATE whose
    row count says whether this call won; only the winner scores, stores the answers as
    reports read them (``answers.record_answers``: one row per question, or an anonymous
    survey response), records progress and judges completion, all in the caller's
    transaction.
    """
    now = now or utcnow()
    module = attempt.module_version
    values, result = _closing(attempt, answers, now)
    won = _close(attempt, **values)
    if result is None:
        if won and module.kind == ModuleKind.PRE_TEST:
            # Its one attempt is used up: taken, unscored, or the course could never complete.
            _record_done(attempt, passed=False, now=now)
            db.session.flush()
        return SubmitOutcome(REFUSED_LATE if won else ALREADY_SUBMITTED, is_late=True)
    if not won:
        return SubmitOutcome(ALREADY_SUBMITTED)
    record_answers(attempt, module, answers, result, now)
    _record_outcome(attempt, module, result, now)
    db.session.flush()
    return SubmitOutcome(SCORED, result, is_late=values["is_late"])


def _close(attempt: QuizAttempt, **values) -> bool:
    statement = (
        update(QuizAttempt)
        .where(
            QuizAttempt.id == attempt.id,
            QuizAttempt.status == AttemptStatus.IN_PROGRESS.value,
        )
        .values(draft_answers=None, draft_saved_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    won = db.session.execute(statement).rowcount == 1
    # The row changed behind the ORM: read it again on next access.
    db.session.expire(attempt)
    return won


def _record_outcome(
    attempt: QuizAttempt, module: ModuleVersion, result: GradeResult, now: datetime
) -> None:
    passed = bool(result.passed) and outline.must_pass(module)
    if outline.must_pass(module) and not passed:
        return
    _record_done(attempt, passed=passed, now=now)


def _record_done(attempt: QuizAttempt, *, passed: bool, now: datetime) -> None:
    services.record_quiz_done(
        attempt.user_id, attempt.family, attempt.module_slug, passed=passed, now=now
    )
    enrolment = db.session.scalar(
        select(Enrolment).where(
            Enrolment.user_id == attempt.user_id, Enrolment.family == attempt.family
        )
    )
    if enrolment is not None:
        judge([enrolment], now=now)


def save_draft(
    attempt: QuizAttempt, answers: dict[str, list[str]], *, now: datetime | None = None
) -> bool:
    """Keep answers posted after the session expired, until the owner logs in and sends them."""
    statement = (
        update(QuizAttempt)
        .where(
            QuizAttempt.id == attempt.id,
            QuizAttempt.status == AttemptStatus.IN_PROGRESS.value,
        )
        .values(draft_answers=answers, draft_saved_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    saved = db.session.execute(statement).rowcount == 1
    db.session.expire(attempt)
    return saved


def shows_each_question(attempt: QuizAttempt, *, reveals: bool) -> bool:
    """Whether the result page marks each question right or wrong, with its own feedback.

    A lesson quiz always does, so that a failed attempt teaches what to read again; `reveal`
    then governs only the correct answers and the per-choice feedback. A pre-test or a
    post-test shows nothing per question until `reveal` allows it (``reveals``): their scores
    measure learning gain, and a post-test with attempts left must not teach its own answers.
    """
    module = attempt.module_version
    if not attempt.is_submitted or not outline.has_graded_quiz(module):
        return False
    return reveals or module.kind == "lesson"


def reveals_answers(attempt: QuizAttempt, history: list[QuizAttempt]) -> bool:
    """Whether the result page shows correct answers and feedback, per the quiz's reveal."""
    module = attempt.module_version
    if not attempt.is_submitted or not outline.has_graded_quiz(module):
        return False
    reveal = quiz_settings(module.quiz)["reveal"]
    if reveal == "always":
        return True
    if reveal == "after-pass":
        # A pre-test is never passed, whatever its score: its questions return in the post-test.
        return outline.must_pass(module) and any(a.is_passed for a in history)
    if reveal == "after-last-attempt":
        allowed = outline.attempts_allowed(module)
        return (
            allowed is not None
            and len(history) >= allowed
            and not any(a.is_in_progress for a in history)
        )
    return False
