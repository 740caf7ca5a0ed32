"""Reactions to other domains' signals: each writes outbox rows in the sender's
transaction (flush only, never a commit, never a mail before the commit)."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from trainer.auth.models import User
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.notifications import kinds
from trainer.notifications.outbox import add_mail, add_mail_later


def on_password_reset_requested(user: User, **_extra) -> None:
    """``auth.signals.password_reset_requested``: one mail per request (the throttle in
    auth limits how many); the link itself is made when the mail is sent."""
    add_mail(kinds.PASSWORD_RESET, user, f"user:{user.id}", period=secrets.token_hex(8))


def on_certificates_issued(_sender, ids: list[int], **_extra) -> None:
    """``certificates.signals.certificates_issued``: the certificate mail, once per
    certificate (completion or attendance), whoever or whatever issued it. May be sent from
    a ``before_flush`` hook (the bulk issue of completion certificates): one plain SELECT of
    the holders, and the rows join the outbox's bulk INSERT of that same flush."""
    from trainer.certificates.models import Certificate

    if not ids:
        return
    holders = db.session.execute(
        select(Certificate.id, Certificate.user_id).where(Certificate.id.in_(list(ids)))
    )
    for certificate_id, user_id in holders:
        add_mail_later(kinds.CERTIFICATE, user_id, f"certificate:{certificate_id}")


def on_member_added(cohort, member, **_extra) -> None:
    """``cohorts.signals.member_added``: the cohort's calendar, once per membership."""
    add_mail(
        kinds.COHORT_ADDED,
        member.user_id,
        f"cohort:{cohort.id}",
        period=f"member:{member.id}",
        payload={"member_id": member.id},
    )


def on_session_changed(session, change: str, **_extra) -> None:
    """``cohorts.signals.session_changed``: every active member of an upcoming session
    hears that it was cancelled (once) or moved (once per change)."""
    from trainer.cohorts.models import CohortMember
    from trainer.cohorts.sessions import CANCELLED

    if session.ends_at <= utcnow():
        return
    period = "cancelled" if change == CANCELLED else f"moved:{session.updated_at:%Y%m%dT%H%M%S%f}"
    members = db.session.scalars(
        select(CohortMember.user_id).where(
            CohortMember.cohort_id == session.cohort_id, CohortMember.left_at.is_(None)
        )
    ).all()
    for user_id in members:
        add_mail_later(kinds.SESSION_CHANGED, user_id, f"session:{session.id}", period)
