"""Who may write courses in the browser."""

from __future__ import annotations

from trainer.auth.models import User
from trainer.auth.policy import is_admin, is_trainer
from trainer.authoring.models import CourseDraft
from trainer.courses.models import Course
from trainer.courses.policy import can_edit_course


def can_author_course(actor: User, course: Course, draft: CourseDraft | None) -> bool:
    """Admins; trainers named in the current version, or in the draft of the course.

    The draft counts too, so that the author of a course not yet published can edit it and
    a co-author added in the draft can help before publication.
    """
    if can_edit_course(actor, course):
        return True
    # The draft's people were read from its course.yml when it was saved, never here.
    return is_trainer(actor) and draft is not None and actor.email.lower() in draft.people


def can_create_courses(actor: User) -> bool:
    return is_admin(actor) or is_trainer(actor)
