"""What the course and module pages show about the participant, gathered in fixed queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from trainer.auth.models import User
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import ONE_ATTEMPT_KINDS
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.learning import attempts, outline, policy, progress, services
from trainer.learning.models import Enrolment, ModuleProgress, QuizAttempt


@dataclass
class CoursePage:
    state: progress.CourseState
    can_enrol: bool
    self_enrolment: bool
    translations: list[Course]  # the other published languages of the family

    @property
    def enrolment(self) -> Enrolment | None:
        return self.state.enrolment


class Neighbour(NamedTuple):
    """The previous or next module, as the pager links to it."""

    slug: str
    title: str


@dataclass
class ModuleFacts:
    """A module page's course, module and the reader's enrolment and progress, with the
    module's place in the course: what ``find_module`` reads in one query."""

    course: Course
    module: ModuleVersion
    enrolment: Enrolment | None
    row: ModuleProgress | None
    position: int
    count: int
    previous: Neighbour | None
    next: Neighbour | None


@dataclass
class ModulePage:
    module: ModuleVersion
    enrolment: Enrolment | None
    can_study: bool
    can_enrol: bool
    status: str
    row: ModuleProgress | None
    history: list[QuizAttempt]  # an attempt whose time is up shows as closed
    allowed: int | None
    view_due: bool = False  # the view should be recorded (services.record_view)

    @property
    def must_pass(self) -> bool:
        return outline.must_pass(self.module)

    @property
    def one_attempt(self) -> bool:
        return self.module.kind in ONE_ATTEMPT_KINDS

    @property
    def open_attempt(self) -> QuizAttempt | None:
        return next((a for a in self.history if a.is_in_progress), None)

    @property
    def attempts_left(self) -> int | None:
        return None if self.allowed is None else max(0, self.allowed - len(self.history))

    @property
    def best_percent(self) -> float | None:
        scores = [a.score_percent for a in self.history if a.score_percent is not None]
        return max(scores) if scores else None


@dataclass
class CourseFacts:
    """A course page's course (with its current version), the published translations the
    reader may open, and the reader's enrolment in the family: what ``find_course`` reads in
    one query."""

    course: Course
    translations: list[Course]
    enrolment: Enrolment | None


def find_course(user: User, slug: str) -> CourseFacts | None:
    """Every course of the family of the course at ``slug`` with its current version, and
    ``user``'s enrolment in that family, in one query; None when there is no such course."""
    family = select(Course.family).where(Course.slug == slug).scalar_subquery()
    rows = db.session.execute(
        select(Course, Enrolment)
        .options(joinedload(Course.current_version))
        .outerjoin(Enrolment, and_(Enrolment.user_id == user.id, Enrolment.family == Course.family))
        .where(Course.family == family)
        .order_by(Course.language)
    ).all()
    course = next((course for course, _enrolment in rows if course.slug == slug), None)
    if course is None:
        return None
    others = [
        other
        for other, _enrolment in rows
        if other.id != course.id
        and other.is_published
        and not other.is_archived
        and other.current_version_id is not None
    ]
    return CourseFacts(
        course=course,
        translations=[other for other in others if policy.can_see_course(user, other)],
        enrolment=rows[0][1],
    )


def course_page(user: User, facts: CourseFacts, modules: list[ModuleVersion]) -> CoursePage:
    """Reads only."""
    course = facts.course
    state = progress.course_state(user, course, modules, facts.enrolment)
    return CoursePage(
        state=state,
        can_enrol=policy.can_enrol(user, course, state.enrolment),
        self_enrolment=policy.self_enrolment_allowed(course),
        translations=facts.translations,
    )


def find_module(user: User, slug: str, module_slug: str) -> ModuleFacts | None:
    """The module of the course's current version, its HTML and table of contents, the
    course with its current version, ``user``'s enrolment in the family and progress in the
    module, its position and neighbours: one query. None when there is no such module (or
    no such course)."""
    order = {"order_by": ModuleVersion.position}
    place = (
        select(
            ModuleVersion.id,
            func.row_number().over(**order).label("module_position"),
            func.count().over().label("module_count"),
            func.lag(ModuleVersion.slug).over(**order).label("previous_slug"),
            func.lag(ModuleVersion.title).over(**order).label("previous_title"),
            func.lead(ModuleVersion.slug).over(**order).label("next_slug"),
            func.lead(ModuleVersion.title).over(**order).label("next_title"),
        )
        .join(Course, Course.current_version_id == ModuleVersion.course_version_id)
        .where(Course.slug == slug)
        .subquery()
    )
    found = db.session.execute(
        select(Course, ModuleVersion, Enrolment, ModuleProgress, place)
        .options(joinedload(Course.current_version))
        .join(ModuleVersion, ModuleVersion.course_version_id == Course.current_version_id)
        .join(place, place.c.id == ModuleVersion.id)
        .outerjoin(Enrolment, and_(Enrolment.user_id == user.id, Enrolment.family == Course.family))
        .outerjoin(
            ModuleProgress,
            and_(
                ModuleProgress.user_id == user.id,
                ModuleProgress.family == Course.family,
                ModuleProgress.module_slug == ModuleVersion.slug,
            ),
        )
        .where(Course.slug == slug, ModuleVersion.slug == module_slug)
        # Progress is written with INSERT ... ON CONFLICT, behind the ORM's back.
        .execution_options(populate_existing=True)
    ).first()
    if found is None:
        return None
    course, module, enrolment, row = found[:4]
    return ModuleFacts(
        course=course,
        module=module,
        enrolment=enrolment,
        row=row if enrolment is not None else None,
        position=found.module_position,
        count=found.module_count,
        previous=Neighbour(found.previous_slug, found.previous_title)
        if found.previous_slug
        else None,
        next=Neighbour(found.next_slug, found.next_title) if found.next_slug else None,
    )


def module_page(user: User, facts: ModuleFacts) -> ModulePage:
    """Reads only (the attempts at a quiz, in one query); ``view_due`` says whether the view
    should now record the visit."""
    now = utcnow()
    course, module, enrolment, row = facts.course, facts.module, facts.enrolment, facts.row
    studying = policy.can_study(user, enrolment)
    history: list[QuizAttempt] = []
    if enrolment is not None and module.quiz is not None:
        history = attempts.as_shown(attempts.attempts_of(user.id, course.family, module.slug), now)
    summary = progress.AttemptSummary(
        used=len(history),
        open_attempt_id=next((a.id for a in history if a.is_in_progress), None),
        best_percent=max(
            (a.score_percent for a in history if a.score_percent is not None), default=None
        ),
        passed=any(a.is_passed for a in history),
    )
    viewed = enrolment is not None and module.slug in (enrolment.viewed_modules or ())
    view_due = studying and services.view_is_due(enrolment, module.slug, now)
    return ModulePage(
        module=module,
        enrolment=enrolment,
        can_study=studying,
        can_enrol=policy.can_enrol(user, course, enrolment),
        # The view about to be recorded counts already, as it always did.
        status=progress.module_status(module, row, summary, viewed or studying),
        row=row,
        history=history,
        allowed=outline.attempts_allowed(module),
        view_due=view_due,
    )
