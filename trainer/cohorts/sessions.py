"""Training sessions and their attendance: schedule, reschedule, cancel, record, and rates.

Times are entered in the cohort's time zone and stored in UTC. Functions take the acting
user, check it with ``trainer.cohorts.policy``, flush and never commit, and raise
``CohortError`` with a message saying what to do.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from trainer.auth.models import User
from trainer.cohorts import policy
from trainer.cohorts.models import (
    AttendanceMethod,
    AttendanceRecord,
    AttendanceStatus,
    Cohort,
    CohortMember,
    TrainingSession,
)
from trainer.cohorts.services import CohortError, refuse_closed, require
from trainer.cohorts.signals import attendance_recorded, session_changed
from trainer.completion.attendance import AttendanceRates, SessionFacts, attendance_rates
from trainer.dbtypes import utcnow
from trainer.extensions import db

MAX_PLACE = 300
MAX_URL = 500
# The ``change=`` of ``session_changed``.
RESCHEDULED = "rescheduled"
CANCELLED = "cancelled"


def local_to_utc(cohort: Cohort, day: date, at: time) -> datetime:
    """A wall-clock time of the cohort's time zone, as a UTC instant."""
    return datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(cohort.timezone)).astimezone(UTC)


def _times(cohort: Cohort, day: date, start: time, end: time) -> tuple[datetime, datetime]:
    if not cohort.starts_on <= day <= cohort.ends_on:
        raise CohortError(
            _(
                "Sessions take place between %(start)s and %(end)s, the cohort's dates.",
                start=cohort.starts_on.isoformat(),
                end=cohort.ends_on.isoformat(),
            )
        )
    starts_at, ends_at = local_to_utc(cohort, day, start), local_to_utc(cohort, day, end)
    if ends_at <= starts_at:
        raise CohortError(_("A session must end after it starts."))
    return starts_at, ends_at


def _where(place: str, online_url: str) -> tuple[str, str]:
    place, online_url = " ".join(place.split()), online_url.strip()
    if not place and not online_url:
        raise CohortError(_("Give the session a place or an online link."))
    if len(place) > MAX_PLACE:
        raise CohortError(_("The place is too long: %(max)d characters at most.", max=MAX_PLACE))
    parts = urlsplit(online_url)
    if online_url and (
        len(online_url) > MAX_URL or parts.scheme not in ("http", "https") or not parts.netloc
    ):
        raise CohortError(_("The online link must be a web address starting with https://."))
    return place, online_url


def schedule_session(
    actor: User,
    cohort: Cohort,
    *,
    day: date,
    start: time,
    end: time,
    place: str = "",
    online_url: str = "",
) -> TrainingSession:
    """A new session of the cohort on ``day``, from ``start`` to ``end`` in its time zone."""
    require(policy.can_manage_cohort(actor, cohort))
    refuse_closed(cohort)
    starts_at, ends_at = _times(cohort, day, start, end)
    place, online_url = _where(place, online_url)
    session = TrainingSession(
        cohort=cohort, starts_at=starts_at, ends_at=ends_at, place=place, online_url=online_url
    )
    db.session.add(session)
    db.session.flush()
    return session


def reschedule_session(
    actor: User,
    session: TrainingSession,
    *,
    day: date,
    start: time,
    end: time,
    place: str | None = None,
    online_url: str | None = None,
) -> TrainingSession:
    """Move a session (and change its place or link when given); its records are kept.
    Sends ``session_changed`` (``change="rescheduled"``) after the flush."""
    cohort = session.cohort
    require(policy.can_manage_cohort(actor, cohort))
    refuse_closed(cohort)
    if session.is_cancelled:
        raise CohortError(_("This session was cancelled; schedule a new one instead."))
    session.starts_at, session.ends_at = _times(cohort, day, start, end)
    session.place, session.online_url = _where(
        session.place if place is None else place,
        session.online_url if online_url is None else online_url,
    )
    db.session.flush()
    session_changed.send(session, change=RESCHEDULED, actor=actor)
    return session


def cancel_session(
    actor: User, session: TrainingSession, *, now: datetime | None = None
) -> TrainingSession:
    """Cancel the session: it then counts for nobody. Idempotent: ``session_changed``
    (``change="cancelled"``) is sent once, after the flush, by the call that cancelled it."""
    require(policy.can_manage_cohort(actor, session.cohort))
    refuse_closed(session.cohort)
    if session.cancelled_at is None:
        session.cancelled_at = now or utcnow()
        db.session.flush()
        session_changed.send(session, change=CANCELLED, actor=actor)
    return session


def member_at(session: TrainingSession, person: User) -> CohortMember | None:
    """The participant's membership of the session's cohort that covers the session."""
    return db.session.scalar(
        select(CohortMember).where(
            CohortMember.cohort_id == session.cohort_id,
            CohortMember.user_id == person.id,
            CohortMember.joined_at < session.ends_at,
            (CohortMember.left_at.is_(None)) | (CohortMember.left_at > session.starts_at),
        )
    )


def members_at(session: TrainingSession, user_ids: Collection[int]) -> set[int]:
    """Which of ``user_ids`` have a membership of the session's cohort covering it: one
    query, however many people."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(CohortMember.user_id).where(
                CohortMember.cohort_id == session.cohort_id,
                CohortMember.user_id.in_(set(user_ids)),
                CohortMember.joined_at < session.ends_at,
                (CohortMember.left_at.is_(None)) | (CohortMember.left_at > session.starts_at),
            )
        )
    )


def check_can_mark(session: TrainingSession, status: str, now: datetime) -> None:
    """Refuse marks a session cannot take: closed cohort, cancelled, or not started yet
    (only "excused" may be recorded ahead)."""
    refuse_closed(session.cohort)
    if session.is_cancelled:
        raise CohortError(_("This session was cancelled; it takes no attendance."))
    if status not in set(AttendanceStatus):
        raise CohortError(_("Unknown attendance status %(status)s.", status=status))
    if status != AttendanceStatus.EXCUSED.value and now < session.starts_at:
        raise CohortError(
            _("This session has not started yet; only excused absences can be recorded ahead.")
        )


def save_marks(
    actor: User, session: TrainingSession, marks: Mapping[User, str], method: str, now: datetime
) -> list[AttendanceRecord]:
    """Create or update one record per participant, all or nothing, and send
    ``attendance_recorded`` once. Permission, and whether the session takes these marks
    now (``check_can_mark``), are the caller's."""
    covered = members_at(session, [person.id for person in marks])
    for person in marks:
        if person.id not in covered:
            raise CohortError(
                _("%(name)s is not a member of this cohort at this session.", name=person.full_name)
            )
    existing = {
        record.user_id: record
        for record in db.session.scalars(
            select(AttendanceRecord).where(
                AttendanceRecord.session_id == session.id,
                AttendanceRecord.user_id.in_([person.id for person in marks]),
            )
        )
    }
    records = []
    for person, status in marks.items():
        record = existing.get(person.id)
        if record is None:
            record = AttendanceRecord(session_id=session.id, user_id=person.id)
            db.session.add(record)
        record.status, record.method = status, method
        record.recorded_by_id, record.recorded_at = actor.id, now
        records.append(record)
    db.session.flush()
    if records:
        attendance_recorded.send(session, records=records, actor=actor)
    return records


def record_attendance(
    actor: User,
    session: TrainingSession,
    marks: Mapping[User, str],
    *,
    method: str = AttendanceMethod.ROSTER.value,
    now: datetime | None = None,
) -> list[AttendanceRecord]:
    """Record the statuses of one or many participants at a session, with who, when and how
    (roster or paper sheet; QR check-ins go through ``trainer.cohorts.checkin``). All or
    nothing: one bad mark refuses the whole batch. Re-marking updates the record."""
    if method not in (AttendanceMethod.ROSTER.value, AttendanceMethod.SHEET.value):
        raise CohortError(_("Attendance is recorded from the roster or a paper sheet."))
    require(policy.can_take_attendance(actor, session.cohort))
    now = now or utcnow()
    for status in marks.values():
        check_can_mark(session, status, now)
    return save_marks(actor, session, marks, method, now)


def rates_for(member: CohortMember, *, now: datetime | None = None) -> AttendanceRates:
    """The member's attendance rates in their cohort (``trainer.completion.attendance``)."""
    sessions = db.session.scalars(
        select(TrainingSession).where(TrainingSession.cohort_id == member.cohort_id)
    ).all()
    marks = {
        (session_id, member.user_id): status
        for session_id, status in db.session.execute(
            select(AttendanceRecord.session_id, AttendanceRecord.status).where(
                AttendanceRecord.user_id == member.user_id,
                AttendanceRecord.session_id.in_([session.id for session in sessions]),
            )
        )
    }
    return member_rates(
        sessions,
        marks,
        member.user_id,
        joined_at=member.joined_at,
        left_at=member.left_at,
        now=now or utcnow(),
    )


def member_rates(
    sessions: Iterable[TrainingSession],
    marks: Mapping[tuple[int, int], str],
    user_id: int,
    *,
    joined_at: datetime,
    left_at: datetime | None = None,
    now: datetime,
) -> AttendanceRates:
    """The rates of ``user_id`` over the ``sessions`` of one membership, from ``marks`` the
    caller loaded, keyed by (session id, user id). Runs no query."""
    return attendance_rates(
        [
            SessionFacts(
                s.starts_at, s.ends_at, s.is_cancelled, marks.get((s.id, user_id)), key=s.id
            )
            for s in sessions
        ],
        joined_at=joined_at,
        left_at=left_at,
        now=now,
    )


def sessions_of(cohort: Cohort) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.cohort_id == cohort.id)
            .order_by(TrainingSession.starts_at)
        )
    )


def current_rates(
    pairs: Iterable[tuple[int, str]], *, now: datetime | None = None
) -> dict[tuple[int, str], AttendanceRates]:
    """{(user id, family): attendance rates in their current cohort of that family} for the
    participants who are active members of one, in three queries whatever their number.
    Attendance counts in the current cohort only; a participant in no cohort of the family
    (never, or no longer) is left out."""
    return _rates(set(pairs), now=now)[0]


def attendance_toward_completion(
    pairs: Iterable[tuple[int, str]], *, now: datetime | None = None
) -> dict[tuple[int, str], float | None]:
    """{(user id, family): attendance toward completion in %} for the participants who are or
    were members of a cohort of that family, in three queries whatever their number.

    Attendance counts in the current cohort (the active membership). A participant whose
    memberships of the family have all ended gets 0 %: leaving a cohort never drops the
    attendance a course asks for. A participant never in a cohort of the family is left out.
    """
    current, ended = _rates(set(pairs), now=now)
    found: dict[tuple[int, str], float | None] = dict.fromkeys(ended, 0.0)
    found.update((key, rates.toward_completion) for key, rates in current.items())
    return found


def _rates(
    wanted: set[tuple[int, str]], *, now: datetime | None
) -> tuple[dict[tuple[int, str], AttendanceRates], set[tuple[int, str]]]:
    """The rates of the wanted pairs with an active membership, and the pairs whose
    memberships have all ended; three queries."""
    if not wanted:
        return {}, set()
    memberships = db.session.scalars(
        select(CohortMember).where(
            CohortMember.user_id.in_({user_id for user_id, _family in wanted}),
            CohortMember.family.in_({family for _user_id, family in wanted}),
        )
    ).all()
    current: dict[tuple[int, str], CohortMember | None] = {}
    for member in memberships:
        key = (member.user_id, member.family)
        if key not in wanted:
            continue
        if member.is_active:
            current[key] = member
        else:
            current.setdefault(key, None)
    active = [member for member in current.values() if member is not None]
    by_cohort: dict[int, list[TrainingSession]] = {}
    marks: dict[tuple[int, int], str] = {}
    if active:
        for session in db.session.scalars(
            select(TrainingSession).where(
                TrainingSession.cohort_id.in_({member.cohort_id for member in active})
            )
        ):
            by_cohort.setdefault(session.cohort_id, []).append(session)
        session_ids = [s.id for found in by_cohort.values() for s in found]
        if session_ids:
            rows = db.session.execute(
                select(
                    AttendanceRecord.session_id, AttendanceRecord.user_id, AttendanceRecord.status
                ).where(
                    AttendanceRecord.session_id.in_(session_ids),
                    AttendanceRecord.user_id.in_({member.user_id for member in active}),
                )
            )
            marks = {(session_id, user_id): status for session_id, user_id, status in rows}
    now = now or utcnow()
    rates: dict[tuple[int, str], AttendanceRates] = {}
    for key, member in current.items():
        if member is None:
            continue
        rates[key] = member_rates(
            by_cohort.get(member.cohort_id, []),
            marks,
            member.user_id,
            joined_at=member.joined_at,
            now=now,
        )
    return rates, {key for key, member in current.items() if member is None}
