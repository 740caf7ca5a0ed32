"""What the course and module pages show about the participant, gathered in fixed queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from trainer.auth.models import User
from trainer.courses import services as courses
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


def course_page(user: User, course: Course, modules: list[ModuleVersion]) -> CoursePage:
    """Reads only."""
    state = progress.course_state(user, course, modules)
    translations = [c for c in courses.published_courses(course.family) if c.id != course.id]
    return CoursePage(
        state=state,
        can_enrol=policy.can_enrol(user, course, state.enrolment),
        self_enrolment=policy.self_enrolment_allowed(course),
        translations=[c for c in translations if policy.can_see_course(user, c)],
    )


def module_page(user: User, course: Course, module: ModuleVersion) -> ModulePage:
    """Reads only; ``view_due`` says whether the view should now record the visit."""
    now = utcnow()
    enrolment = services.find_enrolment(user, course.family)
    studying = policy.can_study(user, enrolment)
    row = None
    history: list[QuizAttempt] = []
    if enrolment is not None:
        row = db.session.scalar(
            select(ModuleProgress)
            .where(
                ModuleProgress.user_id == user.id,
                ModuleProgress.family == course.family,
                ModuleProgress.module_slug == module.slug,
            )
            .execution_options(populate_existing=True)
        )
        if module.quiz is not None:
            history = attempts.as_shown(
                attempts.attempts_of(user.id, course.family, module.slug), now
            )
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
