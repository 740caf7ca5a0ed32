"""The outbox of a programme that has been running for months, for bench-seed.

The mails the platform writes, with the keys its own code gives them (so a benchmark's
requests that write a mail meet the same unique index): a cohort's calendar to each member,
the reminder the day before each session already reminded of, a certificate mail per
certificate, weekly digests to the coordinators over the last eight weeks and an inactivity
nudge per stalled enrolment. All sent, as a worker with a mail server would have left them,
but the newest few, still pending. The previews are short (To and Subject): a real one is
the whole text, which would only make the table bigger.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from trainer.auth.models import Role, User
from trainer.auth.services import programme_settings
from trainer.bench.certificates import Issued
from trainer.bench.cohorts import CohortFacts
from trainer.bench.rows import ZONE, Person, Seeded, insert_rows
from trainer.extensions import db
from trainer.notifications import kinds
from trainer.notifications.models import MailStatus, OutboxMail
from trainer.notifications.outbox import ONCE
from trainer.notifications.scheduled import iso_week

DIGEST_WEEKS = 8
SENT_AFTER = timedelta(minutes=2)  # how long the worker took to send each mail
PENDING_EVERY = 1_000  # one mail in this many is still pending (the newest), at least 3


def outbox(
    seeded: Seeded,
    people: Sequence[Person],
    cohorts: Sequence[CohortFacts],
    issued: Sequence[Issued],
    now: datetime,
) -> None:
    emails = {person.user_id: person.email for person in people}
    mails = [
        *_cohort_mails(cohorts, now),
        *_certificate_mails(issued),
        *_nudges(people, now),
        *_digests(now),
    ]
    mails.sort(key=lambda row: (row["created_at"], row["user_id"], row["kind"]))
    pending = max(3, len(mails) // PENDING_EVERY)
    for n, row in enumerate(mails):
        if n < len(mails) - pending:
            address = emails.get(row["user_id"]) or row.pop("_email", "")
            row.update(
                status=MailStatus.SENT.value,
                attempts=1,
                sent_at=row["created_at"] + SENT_AFTER,
                next_attempt_at=row["created_at"] + SENT_AFTER,
                preview=f"To: {address}\nSubject: {SUBJECTS[row['kind']]}",
            )
        row.pop("_email", None)
    insert_rows(seeded, OutboxMail, mails)


SUBJECTS = {
    kinds.COHORT_ADDED: "You have been added to the cohort",
    kinds.SESSION_REMINDER: "Reminder: session tomorrow",
    kinds.CERTIFICATE: "Your certificate",
    kinds.NUDGE: "Continue your course",
    kinds.DIGEST: "Weekly digest",
}


def _mail(
    kind: str, user_id: int, subject: str, period: str, created_at: datetime, payload=None
) -> dict:
    """A pending row as ``outbox.add_mail`` writes it."""
    return {
        "kind": kind,
        "user_id": user_id,
        "subject_key": subject,
        "period": period,
        "payload": payload or {},
        "status": MailStatus.PENDING.value,
        "attempts": 0,
        "created_at": created_at,
        "next_attempt_at": created_at + timedelta(minutes=5),
        "last_error": "",
        "preview": "",
    }


def _cohort_mails(cohorts: Sequence[CohortFacts], now: datetime) -> Iterable[dict]:
    zone = ZoneInfo(ZONE)
    hour = current_app.config["SESSION_REMINDER_HOUR"]
    for cohort in cohorts:
        for person, member_id in zip(cohort.members, cohort.member_ids, strict=True):
            yield _mail(
                kinds.COHORT_ADDED,
                person.user_id,
                f"cohort:{cohort.id}",
                f"member:{member_id}",
                person.joined_at,
                {"member_id": member_id},
            )
        for session_id, starts_at, _ends_at in cohort.sessions:
            day = starts_at.astimezone(zone).date() - timedelta(days=1)
            reminded = datetime.combine(day, time(hour), tzinfo=zone).astimezone(ZoneInfo("UTC"))
            if reminded > now:
                continue
            period = starts_at.isoformat(timespec="minutes")
            for person in cohort.members:
                yield _mail(
                    kinds.SESSION_REMINDER,
                    person.user_id,
                    f"session:{session_id}",
                    period,
                    reminded,
                )


def _certificate_mails(issued: Sequence[Issued]) -> Iterable[dict]:
    for certificate in issued:
        yield _mail(
            kinds.CERTIFICATE,
            certificate.user_id,
            f"certificate:{certificate.id}",
            ONCE,
            certificate.issued_at,
        )


def _nudges(people: Sequence[Person], now: datetime) -> Iterable[dict]:
    """One nudge per enrolment left unfinished for the programme's at-risk days (its
    period is the day the inactivity began, as ``scheduled.queue_nudges`` writes it)."""
    days = timedelta(days=programme_settings().inactive_after_days)
    for person in people:
        last = person.last_active or person.enrolled_at
        if not person.is_active or person.completed_at is not None or last + days > now:
            continue
        yield _mail(
            kinds.NUDGE,
            person.user_id,
            f"enrolment:{person.enrolment_id}",
            last.date().isoformat(),
            last + days,
        )


def _digests(now: datetime) -> Iterable[dict]:
    coordinators = select(User.id, User.email, User.institution_id, User.is_programme_wide).where(
        User.role == Role.COORDINATOR.value
    )
    found = db.session.execute(coordinators).all()
    for week in range(1, DIGEST_WEEKS + 1):
        until = now - timedelta(weeks=week)
        since = until - timedelta(days=7)
        for user_id, email, institution_id, programme_wide in found:
            subject = "programme" if programme_wide else f"institution:{institution_id}"
            row = _mail(
                kinds.DIGEST,
                user_id,
                subject,
                iso_week(until),
                until,
                {"since": since.isoformat(), "until": until.isoformat()},
            )
            row["_email"] = email
            yield row
