"""What a certificate freezes at issue: titles, hours, dates, issuer, signatories and logo.

Read from the course's *current* version and the programme settings at the moment of issue,
then stored on the row; nothing here is read again when the certificate is shown.
"""

from __future__ import annotations

import calendar
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from trainer.auth.models import ProgrammeSettings, User
from trainer.auth.services import programme_settings
from trainer.courses import services as courses
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.storage.models import StoredFile


@dataclass(frozen=True)
class Issuer:
    """The programme as it stands when certificates are issued (read once per batch)."""

    name: str
    timezone: str
    signatories: list[dict]
    logo_file_id: int | None
    logo_sha256: str | None


def current_issuer() -> Issuer:
    programme: ProgrammeSettings = programme_settings()
    sha256 = None
    if programme.logo_file_id is not None:
        sha256 = db.session.scalar(
            select(StoredFile.sha256).where(StoredFile.id == programme.logo_file_id)
        )
    return Issuer(
        name=programme.programme_name,
        timezone=programme.default_timezone,
        signatories=[dict(s) for s in programme.signatories or []],
        logo_file_id=programme.logo_file_id if sha256 is not None else None,
        logo_sha256=sha256,
    )


def certificate_settings(course: Course) -> dict:
    """course.yml's ``certificate`` settings of the course's current version."""
    version = course.current_version
    return dict((version.settings if version is not None else {}).get("certificate") or {})


def issues_kind(course: Course, kind: str) -> bool:
    """Whether the course's certificate settings list this kind (completion by default)."""
    return kind in certificate_settings(course).get("kinds", ["completion"])


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar date of ``moment`` where the programme is."""
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 January + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(issued_on: date, validity_months: int | None) -> date | None:
    """The last day a certificate is valid: ``validity_months`` after issue, less a day."""
    if not validity_months:
        return None
    return add_months(issued_on, validity_months) - timedelta(days=1)


def course_hours(course: Course) -> float | None:
    return hours_of([course])[course.id]


def hours_of(found: list[Course]) -> dict[int, float | None]:
    """{course id: hours}: course.yml's estimated hours, else the current version's module
    minutes in hours (one decimal); at most one query, whatever the number of courses."""
    hours: dict[int, float | None] = {}
    counted = {}
    for course in found:
        version = course.current_version
        estimated = version.settings.get("estimated_hours") if version is not None else None
        hours[course.id] = float(estimated) if estimated else None
        if not estimated and version is not None:
            counted[course.id] = version.id
    totals = courses.module_totals(list(set(counted.values())))
    for course_id, version_id in counted.items():
        minutes = totals.get(version_id, (0, 0))[1]
        hours[course_id] = round(minutes / 60, 1) if minutes else None
    return hours


def snapshot(
    kind: str,
    holder: User,
    course: Course,
    issuer: Issuer,
    *,
    issued_on: date,
    hours: float | None,
) -> dict:
    """The certificate's frozen columns: the course's signatories, else the programme's."""
    settings = certificate_settings(course)
    signatories = [
        {"name": s.get("name", ""), "role": s.get("role", "")}
        for s in (settings.get("signatories") or issuer.signatories)
    ]
    return {
        "kind": kind,
        "user_id": holder.id,
        "family": course.family,
        "course_id": course.id,
        "language": course.language,
        "holder_name": holder.full_name,
        "institution_name": holder.institution.name if holder.institution else "",
        "course_title": course.title,
        "certificate_title": settings.get("title") or "",
        "hours": hours,
        "issued_on": issued_on,
        "expires_on": expiry(issued_on, settings.get("validity_months")),
        "programme_name": issuer.name,
        "signatories": signatories,
        "logo_file_id": issuer.logo_file_id,
        "logo_sha256": issuer.logo_sha256,
    }
