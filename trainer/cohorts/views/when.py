"""Dates and times of sessions as people read them: in the cohort's time zone (stored in UTC),
in the reader's language, with the zone named, since participants may be elsewhere."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from babel.dates import format_date, format_time, get_timezone_name
from flask_babel import get_locale
from flask_babel import gettext as _

from trainer import dbtypes
from trainer.cohorts.models import Cohort, TrainingSession


def _zone(cohort: Cohort) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(cohort.timezone)


def _locale() -> str:
    return str(get_locale() or "en")


def session_when(session: TrainingSession) -> str:
    """ "Monday, March 2, 2026, 9:00 AM to 12:00 PM", in the cohort's zone."""
    zone, locale = _zone(session.cohort), _locale()
    return _(
        "%(date)s, %(start)s to %(end)s",
        date=format_date(session.starts_at.astimezone(zone).date(), "full", locale=locale),
        start=format_time(session.starts_at, "short", tzinfo=zone, locale=locale),
        end=format_time(session.ends_at, "short", tzinfo=zone, locale=locale),
    )


def moment(at: datetime, cohort: Cohort) -> str:
    """ "Monday, March 2, 2026 at 8:45 AM", in the cohort's zone."""
    zone, locale = _zone(cohort), _locale()
    return _(
        "%(date)s at %(time)s",
        date=format_date(at.astimezone(zone).date(), "full", locale=locale),
        time=format_time(at, "short", tzinfo=zone, locale=locale),
    )


def zone_name(cohort: Cohort) -> str:
    """The cohort's time zone in words ("Ecuador (Guayaquil) Time")."""
    return get_timezone_name(_zone(cohort), "long", locale=_locale())


def now() -> datetime:
    """The one clock of the cohorts pages, read through ``trainer.dbtypes`` at each call so a
    test can move it (``monkeypatch.setattr(trainer.dbtypes, "utcnow", ...)``)."""
    return dbtypes.utcnow()
