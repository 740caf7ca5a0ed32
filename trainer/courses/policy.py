"""Who may see and edit a course."""

from __future__ import annotations

from trainer.auth.models import User
from trainer.auth.policy import is_admin, is_coordinator, is_trainer
from trainer.courses.models import Course


def course_people(course: Course) -> set[str]:
    """E-mails of the owners and co-authors named by the current version."""
    version = course.current_version
    if version is None:
        return set()
    settings = version.settings
    return {e.lower() for e in [*settings.get("owners", []), *settings.get("co_authors", [])]}


def can_edit_course(actor: User, course: Course) -> bool:
    if not actor.is_authenticated:
        return False
    if is_admin(actor):
        return True
    return is_trainer(actor) and actor.email in course_people(course)


def is_open_to(actor: User, course: Course) -> bool:
    """The course's audience: open, or listing the actor's institution."""
    version = course.current_version
    audience = version.settings.get("audience", []) if version else []
    if not audience:
        return True
    institution = actor.institution
    return institution is not None and institution.slug in audience


def can_view_course(actor: User, course: Course) -> bool:
    """Admins and the course's own people see every course; other trainers and coordinators
    every published course, whatever its audience; participants published courses open to
    them. A course not published yet (its title and summary included) stays with its
    authors."""
    if not actor.is_authenticated or course.is_archived:
        return False
    if is_admin(actor) or can_edit_course(actor, course):
        return True
    if not course.is_published or course.current_version_id is None:
        return False
    if is_trainer(actor) or is_coordinator(actor):
        return True
    return is_open_to(actor, course)
