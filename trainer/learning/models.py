"""Who is enrolled where, what they read, and their quiz attempts.

Everything a participant does is kept per course *family* (a course and its translations)
and per module slug, never per course or module version: switching to the Spanish version,
or the trainer publishing a new version, keeps every view, completion and attempt.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import QUESTION_TYPES
from trainer.dbtypes import UTCDateTime, one_of, utcnow
from trainer.extensions import db


class EnrolmentStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    # Time ran out and the quiz refuses late answers: the attempt counts, unscored.
    EXPIRED = "expired"


class Enrolment(db.Model):
    """A participant in a course family, following the course (language) they chose."""

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("user_id", "family"),
        CheckConstraint(one_of("status", EnrolmentStatus), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    family: Mapped[str] = mapped_column(String(80), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=EnrolmentStatus.ACTIVE.value)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set once, the first time the completion rules are met; never cleared.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The one thing a page records (trainer.learning.services.record_view): the last module
    # opened and when ("active" participants, where to resume), and every module opened.
    last_module_slug: Mapped[str | None] = mapped_column(String(80))
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    viewed_modules: Mapped[list | None] = mapped_column(JSON(none_as_null=True))

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE.value


class ModuleProgress(db.Model):
    """One participant's completion of one module of a course family (views are kept on the
    enrolment)."""

    __tablename__ = "module_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "family", "module_slug"),
        # The reports read each person's progress from this index alone (index-only scan).
        Index(
            "ix_module_progress_reports",
            "user_id",
            "family",
            "module_slug",
            "completed_at",
            "quiz_passed_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    family: Mapped[str] = mapped_column(String(80), index=True)
    module_slug: Mapped[str] = mapped_column(String(80))
    # Marked complete (lesson without quiz), quiz passed, or pre-test / survey sent.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    quiz_passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QuizAttempt(db.Model):
    """One attempt at a module's quiz, created on the server when the participant starts.

    ``token`` is the attempt form's anti-forgery token (the submit view does not use the
    session's CSRF token, so answers survive an expired session); it is random per attempt
    and only ever shown to the attempt's owner.
    """

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "family", "module_slug", "number"),
        CheckConstraint(one_of("status", AttemptStatus), name="status_known"),
        CheckConstraint("number > 0", name="number_positive"),
        # Reports read every attempt at one quiz (pre/post scores, item analysis).
        Index("ix_quiz_attempt_family_module_slug", "family", "module_slug"),
        # ... and the attempts of the people in scope, from this narrow index alone (an
        # index-only scan): the table's rows are wide with their answers' JSON.
        Index(
            "ix_quiz_attempt_reports",
            "user_id",
            "family",
            "status",
            "module_slug",
            "module_version_id",
            "score_percent",
            "id",
            # When each person last started an attempt (the dashboard's activity).
            "started_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    family: Mapped[str] = mapped_column(String(80))
    module_slug: Mapped[str] = mapped_column(String(80))
    # The course (language) and quiz definition the attempt was started on.
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"), index=True)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=AttemptStatus.IN_PROGRESS.value)
    token: Mapped[str] = mapped_column(String(64))
    question_order: Mapped[list] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_late: Mapped[bool] = mapped_column(default=False)
    # {question id: [values]}; None for anonymous surveys (see SurveyResponse).
    answers: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # {question id: points}, None for survey questions.
    results: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    score_percent: Mapped[float | None] = mapped_column(Float)
    is_passed: Mapped[bool | None]
    # Answers posted after the session had expired, kept until the owner logs in again.
    draft_answers: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module_version: Mapped[ModuleVersion] = relationship()
    course: Mapped[Course] = relationship()

    @property
    def is_in_progress(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS.value

    @property
    def is_submitted(self) -> bool:
        return self.status == AttemptStatus.SUBMITTED.value


class AttemptAnswer(db.Model):
    """One question of one scored attempt, as reports group and count it.

    Written with the attempt's closing, in its transaction, by the request that won the
    close (``trainer.learning.answers``); the unique (attempt, question) makes a second
    write fail rather than count twice. ``value`` is the answer normalised for grouping
    (``trainer.learning.answer_facts`` says how, per question type); ``number`` the value as
    a number where the type has one (numeric answers, scale points). ``score``,
    ``max_score`` and ``is_correct`` are None for survey questions, which are never scored.
    An unanswered question has a row too: no value, no points.
    """

    __tablename__ = "attempt_answer"
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id"),
        CheckConstraint(one_of("question_type", QUESTION_TYPES), name="question_type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    # The question's {id=...}: the same in every version and translation of the course.
    question_id: Mapped[str] = mapped_column(String(80))
    question_type: Mapped[str] = mapped_column(String(12))
    value: Mapped[str | None] = mapped_column(Text)
    number: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    is_correct: Mapped[bool | None]


class SurveyResponse(db.Model):
    """The answers to an anonymous survey, with nothing that leads back to the person.

    No user, no attempt, no time of day: only the date, the institution and the cohort the
    respondent belonged to when answering (reports show groups of at least five), and a
    random key so that the order of the keys does not follow the order of the attempts.
    Who has answered is known from their QuizAttempt (status submitted, answers None); what
    was answered is only here. Responses stored before institutions and cohorts were kept
    have neither (they cannot be recovered without knowing who answered).
    """

    __tablename__ = "survey_response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    family: Mapped[str] = mapped_column(String(80), index=True)
    module_slug: Mapped[str] = mapped_column(String(80))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"), index=True)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="RESTRICT"), index=True
    )
    submitted_on: Mapped[date] = mapped_column(Date)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort.id", ondelete="SET NULL"), index=True
    )
    answers: Mapped[dict] = mapped_column(JSON)


class SurveyAnswer(db.Model):
    """One question of an anonymous survey response, normalised like ``AttemptAnswer``.

    Its key is (response, question) and nothing else: a serial id would number the rows in
    the order people answered, which the attempts (who answered, when) could be lined up
    against.
    """

    __tablename__ = "survey_answer"
    __table_args__ = (
        CheckConstraint(one_of("question_type", QUESTION_TYPES), name="question_type_known"),
    )

    response_id: Mapped[str] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    question_type: Mapped[str] = mapped_column(String(12))
    value: Mapped[str | None] = mapped_column(Text)
    number: Mapped[float | None] = mapped_column(Float)
