"""Who may enrol, study and take quizzes."""

from __future__ import annotations

from trainer.auth.models import Role, User
from trainer.courses.models import Course
from trainer.courses.policy import can_view_course
from trainer.learning.models import Enrolment, QuizAttempt


def is_participant(actor: User) -> bool:
    return actor.is_authenticated and actor.role == Role.PARTICIPANT.value


def opened_families(actor: User) -> frozenset[str]:
    """Course families opened to ``actor`` by something else than the course's audience.

    Nothing does yet. When cohorts exist, a participant's cohort memberships add their
    courses' families here (one query), and every check below follows: the catalogue, the
    course and module pages and enrolment.
    """
    return frozenset()


def can_see_course(actor: User, course: Course, opened: frozenset[str] | None = None) -> bool:
    """The course policy (staff see everything, participants the courses open to them),
    widened by the families opened to the participant."""
    if can_view_course(actor, course):
        return True
    if not is_participant(actor) or not course.is_published or course.is_archived:
        return False
    if course.current_version_id is None:
        return False
    return course.family in (opened_families(actor) if opened is None else opened)


def self_enrolment_allowed(course: Course) -> bool:
    version = course.current_version
    return bool(version and version.settings.get("self_enrolment", True))


def can_enrol(actor: User, course: Course, enrolment: Enrolment | None) -> bool:
    """Participants enrol in courses open to them where course.yml allows self-enrolment.

    Someone already enrolled in the family (active) may always switch to another language
    they can see; a participant who withdrew comes back on the same terms as a newcomer.
    Staff view courses but never enrol.
    """
    if not is_participant(actor) or not can_see_course(actor, course):
        return False
    if enrolment is not None and enrolment.is_active:
        return True
    return self_enrolment_allowed(course)


def can_study(actor: User, enrolment: Enrolment | None) -> bool:
    """Record progress and take quizzes: participants with an active enrolment."""
    return is_participant(actor) and enrolment is not None and enrolment.is_active


def owns_attempt(actor: User, attempt: QuizAttempt) -> bool:
    return actor.is_authenticated and attempt.user_id == actor.id
