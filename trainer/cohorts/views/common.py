"""What the cohort views share: loading a cohort or one of its sessions (or 404), and a
session's start and end in its cohort's time zone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.auth.models import User
from trainer.cohorts.models import Cohort, TrainingSession
from trainer.courses.models import Course
from trainer.extensions import db


def actor() -> User:
    return current_user._get_current_object()


def load_cohort(cohort_id: int) -> Cohort:
    """The cohort with its course (and the version naming its owners), trainers and
    institutions, in a fixed number of queries; 404 when there is none."""
    cohort = db.session.scalar(
        select(Cohort)
        .options(
            selectinload(Cohort.course).joinedload(Course.current_version),
            selectinload(Cohort.trainers),
            selectinload(Cohort.institutions),
        )
        .where(Cohort.id == cohort_id)
    )
    if cohort is None:
        abort(404)
    return cohort


def load_session(cohort: Cohort, session_id: int) -> TrainingSession:
    """A session of this cohort; a session of another cohort is not found (404), so an
    address can never reach one cohort's session through another's."""
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.cohort_id != cohort.id:
        abort(404)
    return session


def local_times(session: TrainingSession) -> tuple[datetime, datetime]:
    """The session's start and end in its cohort's time zone."""
    zone = zoneinfo.ZoneInfo(session.cohort.timezone)
    return session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
