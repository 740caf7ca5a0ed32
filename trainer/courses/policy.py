"""Who may see and edit a course.

Editing rights follow the e-mail addresses that course.yml names (``owners``,
``co_authors``), never an account: course.yml is content, reviewed in git or in the editor,
and an address is what its author can write there. Changing an account's e-mail therefore
hands no course to anybody and takes none away silently: the admin who changes it is shown
the courses that name the old address (``courses_naming``), to be updated in their
course.yml. See docs/authoring.md, "Who may edit a course".
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.auth.models import User
from trainer.auth.policy import is_admin, is_coordinator, is_trainer
from trainer.courses.models import Course
from trainer.extensions import db


def course_people(course: Course) -> set[str]:
    """E-mails of the owners and co-authors named by the current version."""
    version = course.current_version
    if version is None:
        return set()
    settings = version.settings
    return {e.lower() for e in [*settings.get("owners", []), *settings.get("co_authors", [])]}


def courses_naming(email: str) -> list[Course]:
    """Courses whose current version names ``email`` as an owner or co-author, by title."""
    email = email.lower()
    courses = db.session.scalars(
        select(Course)
        .options(joinedload(Course.current_version))
        .where(Course.current_version_id.is_not(None))
        .order_by(Course.title)
    )
    return [course for course in courses if email in course_people(course)]


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
