"""QR self check-in: a rotating session token, a short-lived ticket, one check-in per member.

1. The trainer's screen shows ``session_token``: the session's id and the current 30-second
   step, signed. It is accepted during its step and the next one, so a code scanned just
   before it rotates still works, but a photo of it passed around is soon useless.
2. Scanning exchanges the current token for a ``ticket`` (``exchange_token``): the session's
   id and an expiry 10 minutes on, signed. It is not bound to a person, so a participant who
   has to log in first comes back with it, however often the code rotated meanwhile.
3. The participant POSTs the ticket (``check_in``): it must be unexpired, the session open
   (from ``CHECKIN_MARGIN_MINUTES`` before it starts until as long after it ends), and the
   participant a member of its cohort not yet counted at it. They are then marked present.

Tokens and tickets are signed with the app's SECRET_KEY (itsdangerous, one salt each), so
several app servers agree without sharing memory. Every function takes ``now``; each refusal
is a ``CheckInRefused`` with its own ``reason`` and message, and records nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import segno
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import func, select

from trainer.auth.models import User
from trainer.cohorts.models import (
    AttendanceMethod,
    AttendanceRecord,
    AttendanceStatus,
    TrainingSession,
)
from trainer.cohorts.services import CohortError
from trainer.cohorts.sessions import member_at, save_marks
from trainer.extensions import db

TICKET_LIFETIME = timedelta(minutes=10)
TOKEN_SALT = "trainer.cohorts.checkin-token"  # noqa: S105  (a salt, not a secret)
TICKET_SALT = "trainer.cohorts.checkin-ticket"

# Reasons a check-in is refused, for the page (and the tests) to tell apart.
INVALID = "invalid"
STALE_TOKEN = "stale-token"  # noqa: S105  (a reason, not a secret)
EXPIRED_TICKET = "expired-ticket"
OUTSIDE_WINDOW = "outside-window"
CANCELLED = "cancelled"
NOT_MEMBER = "not-member"
ALREADY_CHECKED_IN = "already-checked-in"


class CheckInRefused(CohortError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _step_seconds() -> int:
    return current_app.config["CHECKIN_CODE_SECONDS"]


def _step(now: datetime) -> int:
    return int(now.timestamp()) // _step_seconds()


def _margin() -> timedelta:
    return timedelta(minutes=current_app.config["CHECKIN_MARGIN_MINUTES"])


def _load(salt: str, signed: str) -> dict:
    try:
        data = _serializer(salt).loads(signed)
    except BadData:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise CheckInRefused(
            INVALID, _("This check-in code is not valid. Scan the code on the screen again.")
        )
    return data


def session_token(session: TrainingSession, *, now: datetime) -> str:
    """The token the trainer's screen shows now (it changes every CHECKIN_CODE_SECONDS)."""
    return _serializer(TOKEN_SALT).dumps({"s": session.id, "t": _step(now)})


def seconds_to_rotation(now: datetime) -> int:
    """How long the current token is shown before the next one (for the screen's refresh)."""
    return _step_seconds() - int(now.timestamp()) % _step_seconds()


def window(session: TrainingSession) -> tuple[datetime, datetime]:
    """When check-in opens and closes: the session's times widened by the margin."""
    margin = _margin()
    return session.starts_at - margin, session.ends_at + margin


def is_open(session: TrainingSession, now: datetime) -> bool:
    """Check-in is open: not cancelled, and within the session's window and its margin."""
    opens_at, closes_at = window(session)
    return (
        not session.is_cancelled and not session.cohort.is_closed and opens_at <= now <= closes_at
    )


def _open_session(session_id: int, now: datetime) -> TrainingSession:
    session = db.session.get(TrainingSession, session_id)
    if session is None:
        raise CheckInRefused(INVALID, _("This session no longer exists."))
    if session.is_cancelled or session.cohort.is_closed:
        raise CheckInRefused(
            CANCELLED, _("This session was cancelled or its cohort closed; there is no check-in.")
        )
    if not is_open(session, now):
        raise CheckInRefused(
            OUTSIDE_WINDOW,
            _(
                "Check-in for this session is closed: it opens shortly before the session starts "
                "and closes shortly after it ends."
            ),
        )
    return session


def exchange_token(token: str, *, now: datetime) -> str:
    """A 10-minute ticket for the token's session, if the token is current and the session
    open for check-in. Writes nothing."""
    data = _load(TOKEN_SALT, token)
    if not isinstance(data.get("t"), int) or not 0 <= _step(now) - data["t"] <= 1:
        raise CheckInRefused(
            STALE_TOKEN,
            _(
                "This code has expired: the code on the screen changes every %(seconds)d "
                "seconds. Scan it again.",
                seconds=_step_seconds(),
            ),
        )
    session = _open_session(data["s"], now)
    expires = int((now + TICKET_LIFETIME).timestamp())
    return _serializer(TICKET_SALT).dumps({"s": session.id, "e": expires})


def ticket_session(ticket: str, *, now: datetime) -> TrainingSession:
    """The session of an unexpired ticket whose check-in is open (for the confirmation page)."""
    data = _load(TICKET_SALT, ticket)
    if not isinstance(data.get("e"), int) or now.timestamp() > data["e"]:
        raise CheckInRefused(
            EXPIRED_TICKET,
            _(
                "This check-in link has expired (it lasts 10 minutes). Scan the code on the screen "
                "again."
            ),
        )
    return _open_session(data["s"], now)


def due_session(person: User, ticket: str, *, now: datetime) -> TrainingSession:
    """The ticket's session, if ``person`` may check in to it with the ticket now (what the
    confirmation page shows before its button). Writes nothing."""
    session = ticket_session(ticket, now=now)
    if member_at(session, person) is None:
        raise CheckInRefused(
            NOT_MEMBER,
            _("You are not a member of the cohort of this session. Ask your coordinator."),
        )
    status = db.session.scalar(
        select(AttendanceRecord.status).where(
            AttendanceRecord.session_id == session.id, AttendanceRecord.user_id == person.id
        )
    )
    if status in (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value):
        raise CheckInRefused(
            ALREADY_CHECKED_IN, _("Your attendance at this session is already recorded.")
        )
    return session


def check_in(person: User, ticket: str, *, now: datetime) -> AttendanceRecord:
    """Mark ``person`` present at the ticket's session (method "qr", recorded by themselves)
    and send ``attendance_recorded``. Once: a member already counted present or late is
    refused; an earlier "absent" or "excused" mark is replaced by the check-in."""
    session = due_session(person, ticket, now=now)
    (record,) = save_marks(
        person, session, {person: AttendanceStatus.PRESENT.value}, AttendanceMethod.QR.value, now
    )
    return record


def checked_in_count(session: TrainingSession) -> int:
    """How many people checked in to the session with the QR code and are counted there."""
    return db.session.scalar(
        select(func.count()).where(
            AttendanceRecord.session_id == session.id,
            AttendanceRecord.method == AttendanceMethod.QR.value,
            AttendanceRecord.status.in_(
                (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)
            ),
        )
    )


def qr_svg(data: str, *, title: str | None = None) -> str:
    """The QR code of ``data`` as inline SVG (no script, no external asset). It has a viewBox
    and no fixed size, so the page's stylesheet can make it as big as the screen allows."""
    return segno.make(data, error="m").svg_inline(
        scale=6, dark="#000", light="#fff", omitsize=True, title=title
    )
