"""The course catalogue: what a participant may take, one entry per course family."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from trainer.auth.models import User
from trainer.courses import services as courses
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.learning.models import Enrolment
from trainer.learning.policy import can_see_course, opened_families


@dataclass
class CatalogueEntry:
    course: Course  # in the participant's language when there is one
    translations: list[Course]
    module_count: int
    minutes: int
    estimated_hours: float | None
    enrolment: Enrolment | None


def catalogue(user: User, language: str) -> list[CatalogueEntry]:
    """Published courses open to ``user``, grouped by family, ``language`` first: 3 queries."""
    opened = opened_families(user)
    visible = [c for c in courses.published_courses() if can_see_course(user, c, opened)]
    totals = courses.module_totals([c.current_version_id for c in visible])
    enrolments = {
        e.family: e
        for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id))
    }
    families: dict[str, list[Course]] = {}
    for course in visible:
        families.setdefault(course.family, []).append(course)

    entries = []
    for family, members in families.items():
        members.sort(key=lambda c: (c.language != language, c.slug != family, c.language))
        headline = members[0]
        count, minutes = totals.get(headline.current_version_id, (0, 0))
        entries.append(
            CatalogueEntry(
                course=headline,
                translations=members[1:],
                module_count=count,
                minutes=minutes,
                estimated_hours=headline.current_version.settings.get("estimated_hours"),
                enrolment=enrolments.get(family),
            )
        )
    entries.sort(key=lambda e: (e.course.language != language, e.course.title.casefold()))
    return entries
