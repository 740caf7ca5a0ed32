"""Each mail's builder: what it says, rendered in the recipient's language (see mails.py).

Password links and certificate mails cannot be turned off; the others name the preference
that does (``reminders`` or ``digests``) and carry an unsubscribe link.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from babel.dates import format_datetime
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from trainer.auth.models import User
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.notifications.mails import Attachment, Mail, builder, compose, external
from trainer.notifications.models import OutboxMail

PASSWORD_RESET = "password_reset"  # noqa: S105  (a kind of mail, not a secret)
CERTIFICATE = "certificate"
COHORT_ADDED = "cohort_added"
SESSION_CHANGED = "session_changed"
SESSION_REMINDER = "session_reminder"
NUDGE = "inactivity_nudge"
DIGEST = "digest"


def subject_id(row: OutboxMail) -> int:
    return int(row.subject_key.rsplit(":", 1)[1])


def fresh(model, key):
    """The row as the database holds it now, not as this session last saw it."""
    return db.session.get(model, key, populate_existing=True) if key is not None else None


def local_time(moment: datetime, timezone: str) -> str:
    """A session's time where its cohort meets, in the reader's language."""
    return format_datetime(
        moment, "full", tzinfo=zoneinfo.ZoneInfo(timezone), locale=str(get_locale())
    )


@builder(PASSWORD_RESET)
def password_reset(row: OutboxMail, user: User) -> Mail:
    from trainer.auth.services import create_password_token

    # Made now, by the worker: the database never holds a usable link, and a retried mail
    # carries a fresh one (the newest voids the older ones).
    token = create_password_token(user, created_by=None, hours=2)
    mail = compose(
        user,
        _("Set your password"),
        "password_reset",
        link=external("auth.set_password", token=token),
    )
    mail.secret = True
    return mail


@builder(CERTIFICATE)
def certificate_issued(row: OutboxMail, user: User) -> Mail | None:
    from trainer.certificates.documents import verification_url
    from trainer.certificates.models import Certificate

    # "certificate:<id>"; mails written before attendance certificates were mailed name
    # the completed enrolment ("enrolment:<id>").
    key = Certificate.enrolment_id if row.subject_key.startswith("enrolment:") else Certificate.id
    certificate = db.session.scalar(
        select(Certificate).where(key == subject_id(row)).execution_options(populate_existing=True)
    )
    if certificate is None or certificate.revoked_at is not None:
        return None
    return compose(
        user,
        _("Your certificate: %(course)s", course=certificate.course_title),
        "certificate",
        certificate=certificate,
        verify_link=verification_url(certificate.code),
        mine_link=external("certificates.my_certificates"),
    )


@builder(COHORT_ADDED, optional="reminders")
def cohort_added(row: OutboxMail, user: User) -> Mail | None:
    from trainer.cohorts.ics import cohort_calendar
    from trainer.cohorts.models import Cohort, CohortMember, TrainingSession

    member = fresh(CohortMember, row.payload.get("member_id"))
    if member is None or member.left_at is not None:
        return None
    cohort = fresh(Cohort, member.cohort_id)
    sessions = db.session.scalars(
        select(TrainingSession)
        .where(TrainingSession.cohort_id == cohort.id)
        .order_by(TrainingSession.starts_at)
        .execution_options(populate_existing=True)
    ).all()
    upcoming = [s for s in sessions if not s.is_cancelled]
    mail = compose(
        user,
        _("You have been added to the cohort %(cohort)s", cohort=cohort.name),
        "cohort_added",
        cohort=cohort,
        sessions=[(local_time(s.starts_at, cohort.timezone), s) for s in upcoming],
        course_link=external("learning.course", slug=cohort.course.slug),
    )
    mail.attachments.append(
        Attachment("cohort.ics", "text", "calendar", cohort_calendar(cohort, sessions))
    )
    return mail


@builder(SESSION_CHANGED, optional="reminders")
def session_changed(row: OutboxMail, user: User) -> Mail | None:
    from trainer.cohorts.ics import session_to_ics
    from trainer.cohorts.models import TrainingSession

    session = fresh(TrainingSession, subject_id(row))
    if session is None:
        return None
    cancelled = row.period == "cancelled"
    if cancelled != session.is_cancelled:
        return None  # moved, then cancelled: only the cancellation is worth a mail
    cohort = session.cohort
    if cancelled:
        subject = _("Session cancelled: %(cohort)s", cohort=cohort.name)
    else:
        subject = _("Session moved: %(cohort)s", cohort=cohort.name)
    mail = compose(
        user,
        subject,
        "session_changed",
        cancelled=cancelled,
        session=session,
        cohort=cohort,
        when=local_time(session.starts_at, cohort.timezone),
    )
    mail.attachments.append(Attachment("session.ics", "text", "calendar", session_to_ics(session)))
    return mail


@builder(SESSION_REMINDER, optional="reminders")
def session_reminder(row: OutboxMail, user: User) -> Mail | None:
    from trainer.cohorts.models import TrainingSession

    session = fresh(TrainingSession, subject_id(row))
    if (
        session is None
        or session.is_cancelled
        or session.starts_at.isoformat(timespec="minutes") != row.period
        or session.starts_at <= utcnow()
    ):
        return None  # cancelled, moved (its new date has its own reminder) or over
    cohort = session.cohort
    return compose(
        user,
        _("Reminder: session tomorrow, %(cohort)s", cohort=cohort.name),
        "session_reminder",
        session=session,
        cohort=cohort,
        when=local_time(session.starts_at, cohort.timezone),
        sessions_link=external("cohorts.my_sessions"),
    )


@builder(NUDGE, optional="reminders")
def inactivity_nudge(row: OutboxMail, user: User) -> Mail | None:
    from trainer.learning.models import Enrolment, EnrolmentStatus

    enrolment = fresh(Enrolment, subject_id(row))
    if (
        enrolment is None
        or enrolment.completed_at is not None
        or enrolment.status != EnrolmentStatus.ACTIVE.value
    ):
        return None
    course = enrolment.course
    return compose(
        user,
        _("Continue your course: %(course)s", course=course.title),
        "inactivity_nudge",
        course=course,
        course_link=external("learning.course", slug=course.slug),
    )


@builder(DIGEST, optional="digests")
def weekly_digest(row: OutboxMail, user: User) -> Mail | None:
    from trainer.notifications.scheduled import digest_for

    if user.role != "coordinator":
        return None
    since = datetime.fromisoformat(row.payload["since"])
    until = datetime.fromisoformat(row.payload["until"])
    digest = digest_for(user, since, until)
    scope = (
        user.institution.name
        if user.institution is not None and not user.is_programme_wide
        else _("every institution")
    )
    return compose(
        user,
        _("Weekly digest: %(scope)s", scope=scope),
        "digest",
        scope=scope,
        digest=digest,
        at_risk=[
            (s.enrolment.user.full_name, s.enrolment.course.title, (until - s.last_active).days)
            for s in digest.at_risk[:DIGEST_AT_RISK_SHOWN]
        ],
        more=max(len(digest.at_risk) - DIGEST_AT_RISK_SHOWN, 0),
    )


DIGEST_AT_RISK_SHOWN = 50
