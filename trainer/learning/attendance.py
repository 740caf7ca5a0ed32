"""Learning's side of cohorts: attendance as a completion fact, and the reactions to cohort
signals, connected by ``trainer.learning.init_app``.

Each reaction runs inside the transaction of the cohort change that sent the signal, so the
enrolment and its completion are committed, or rolled back, with it. Flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import and_, select

from trainer.cohorts import sessions as cohort_sessions
from trainer.cohorts.models import CohortMember
from trainer.completion import AttendanceRates
from trainer.extensions import db
from trainer.learning import judging, services
from trainer.learning.models import Enrolment


def attendance_source(enrolments: Sequence[Enrolment]) -> Mapping[int, AttendanceRates]:
    """{enrolment id: attendance rates in the current cohort} for the enrolments of active
    cohort members; three queries whatever the number of enrolments
    (``judging.AttendanceSource``). The others are in no cohort of their course's family."""
    rates = cohort_sessions.current_rates(
        {(enrolment.user_id, enrolment.family) for enrolment in enrolments}
    )
    return {
        enrolment.id: rates[(enrolment.user_id, enrolment.family)]
        for enrolment in enrolments
        if (enrolment.user_id, enrolment.family) in rates
    }


def enrol_member(cohort, member, **_extra) -> None:
    """A participant added to a cohort is enrolled in its course family at once: a new
    enrolment in the cohort's course, or their own one reactivated (keeping the language
    they chose), then judged with the new cohort's attendance."""
    enrolment = services.find_enrolment(member.user, cohort.family)
    if enrolment is None or not enrolment.is_active:
        services.enrol(member.user, cohort.course if enrolment is None else enrolment.course)
    else:
        judging.judge([enrolment])


def judge_member(cohort, member, **_extra) -> None:
    """A participant left a cohort: their attendance changed, so their enrolment is judged."""
    _judge_pairs({(member.user_id, cohort.family)})


def judge_attendance(session, records, **_extra) -> None:
    """Attendance recorded at a session: every enrolment it touches is judged, in one go."""
    family = session.cohort.family
    _judge_pairs({(record.user_id, family) for record in records})


def judge_cohort(session, **_extra) -> None:
    """A session cancelled or rescheduled: every active member's rate may have changed, so
    their enrolments are judged in one batch (one query, then ``judging.judge``'s fixed few,
    whatever the number of members)."""
    judging.judge(
        db.session.scalars(
            select(Enrolment).join(
                CohortMember,
                and_(
                    CohortMember.user_id == Enrolment.user_id,
                    CohortMember.family == Enrolment.family,
                    CohortMember.cohort_id == session.cohort_id,
                    CohortMember.left_at.is_(None),
                ),
            )
        ).all()
    )


def _judge_pairs(pairs: set[tuple[int, str]]) -> None:
    candidates = db.session.scalars(
        select(Enrolment).where(
            Enrolment.user_id.in_({user_id for user_id, _family in pairs}),
            Enrolment.family.in_({family for _user_id, family in pairs}),
        )
    ).all()
    judging.judge([e for e in candidates if (e.user_id, e.family) in pairs])
