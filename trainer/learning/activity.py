"""Activity and inactivity: the one definition the coordinators' dashboard (its at-risk
list) and the mails (inactivity nudges, the digests' at-risk list) both use.

A participant's **last activity** in a course family is the latest module view, module
completion or quiz passed, quiz attempt started, or session attended (present or late) of
their current cohort that has begun. An active, unfinished enrolment is **inactive** after
the programme's ``inactive_after_days`` without any, counted from enrolling when there was
none.

``latest``, ``days_inactive`` and ``is_inactive`` are pure: the dashboard applies them to the
facts it has loaded; ``last_activity`` loads the same facts for any enrolments, in a fixed
number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select

from trainer.cohorts.models import AttendanceRecord, Cohort, CohortMember, TrainingSession
from trainer.extensions import db
from trainer.learning.models import Enrolment, EnrolmentStatus, ModuleProgress, QuizAttempt

ATTENDED = ("present", "late")


def latest(moments: Iterable[datetime | None]) -> datetime | None:
    """The latest of the moments of activity; None when there was none."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def days_inactive(last: datetime | None, enrolled_at: datetime, now: datetime) -> int:
    """Whole days since the last activity, or since enrolling when there was none."""
    return max(0, (now - (last or enrolled_at)).days)


def is_inactive(
    status: str,
    completed_at: datetime | None,
    last: datetime | None,
    enrolled_at: datetime,
    *,
    now: datetime,
    inactive_after_days: int,
) -> bool:
    """An active, unfinished enrolment without activity for ``inactive_after_days``."""
    if status != EnrolmentStatus.ACTIVE.value or completed_at is not None:
        return False
    return days_inactive(last, enrolled_at, now) >= inactive_after_days


def last_activity(enrolments: Sequence[Enrolment], now: datetime) -> dict[int, datetime | None]:
    """{enrolment id: last activity (see above) at ``now``}; three queries whatever the
    number of enrolments."""
    if not enrolments:
        return {}
    user_ids = {enrolment.user_id for enrolment in enrolments}
    families = {enrolment.family for enrolment in enrolments}
    moments: dict[tuple[int, str], list[datetime | None]] = {
        (enrolment.user_id, enrolment.family): [] for enrolment in enrolments
    }
    progress = db.session.execute(
        select(
            ModuleProgress.user_id,
            ModuleProgress.family,
            func.max(ModuleProgress.completed_at),
            func.max(ModuleProgress.quiz_passed_at),
        )
        .where(ModuleProgress.user_id.in_(user_ids), ModuleProgress.family.in_(families))
        .group_by(ModuleProgress.user_id, ModuleProgress.family)
    )
    for user_id, family, completed, passed in progress:
        moments.get((user_id, family), []).extend((completed, passed))
    attempts = db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.family, func.max(QuizAttempt.started_at))
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.family.in_(families))
        .group_by(QuizAttempt.user_id, QuizAttempt.family)
    )
    for user_id, family, started in attempts:
        moments.get((user_id, family), []).append(started)
    attended = db.session.execute(
        select(AttendanceRecord.user_id, Cohort.family, func.max(TrainingSession.starts_at))
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .join(
            CohortMember,
            (CohortMember.cohort_id == Cohort.id)
            & (CohortMember.user_id == AttendanceRecord.user_id)
            & CohortMember.left_at.is_(None),
        )
        .where(
            AttendanceRecord.user_id.in_(user_ids),
            Cohort.family.in_(families),
            AttendanceRecord.status.in_(ATTENDED),
            TrainingSession.starts_at <= now,
        )
        .group_by(AttendanceRecord.user_id, Cohort.family)
    )
    for user_id, family, starts_at in attended:
        moments.get((user_id, family), []).append(starts_at)
    return {
        enrolment.id: latest(
            [enrolment.last_viewed_at, *moments[(enrolment.user_id, enrolment.family)]]
        )
        for enrolment in enrolments
    }
