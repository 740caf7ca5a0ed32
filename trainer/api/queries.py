"""One query function per API list: the people the token's coordinator may see
(``auth.policy.scope_people``), the filters asked, then one page after the cursor.

Each reads a page through the primary key's index (``WHERE id > :after ORDER BY id LIMIT
:limit + 1``) and runs a fixed number of queries whatever the page size: the progress page
adds its modules, scores and attendance for the whole page at once, never per item.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, select
from werkzeug.exceptions import NotFound

from trainer.api import pagination, schemas
from trainer.auth import policy
from trainer.auth.models import Institution, User
from trainer.auth.services import programme_settings
from trainer.certificates.documents import verification_url
from trainer.certificates.models import Certificate
from trainer.certificates.snapshot import local_date
from trainer.cohorts import policy as cohort_policy
from trainer.cohorts import sessions as cohort_sessions
from trainer.cohorts.models import AttendanceRecord, Cohort, CohortMember, TrainingSession
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.learning.models import (
    AttemptStatus,
    Enrolment,
    ModuleProgress,
    QuizAttempt,
)


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def enrolments(actor: User, query: schemas.ListQuery) -> Page:
    rows = _enrolment_rows(actor, query, "enrolments")
    items = [
        schemas.EnrolmentItem(
            id=enrolment.id,
            participant=_participant(person, institution_name),
            family=enrolment.family,
            course=course_slug,
            language=language,
            status=enrolment.status,
            enrolled_at=enrolment.enrolled_at,
            withdrawn_at=enrolment.withdrawn_at,
            completed_at=enrolment.completed_at,
            cohort_id=cohort_id,
        )
        for enrolment, person, institution_name, course_slug, language, cohort_id in rows
    ]
    return _page("enrolments", items, [item.id for item in items], query.limit)


def progress(actor: User, query: schemas.ListQuery) -> Page:
    rows = _enrolment_rows(actor, query, "progress")
    page = [row[0] for row in rows[: query.limit]]
    pairs = {(enrolment.user_id, enrolment.family) for enrolment in page}
    modules = _completed_modules(pairs)
    scores = _scores(pairs)
    rates = cohort_sessions.current_rates(pairs)
    cohorts = {(row[0].user_id, row[0].family): row[5] for row in rows}
    items = []
    for enrolment in page:
        key = (enrolment.user_id, enrolment.family)
        pre, post = scores.get(key, (None, None))
        gain, normalised = _gain(pre, post)
        done = modules.get(key, [])
        items.append(
            schemas.ProgressItem(
                enrolment_id=enrolment.id,
                participant_id=enrolment.user_id,
                family=enrolment.family,
                status=enrolment.status,
                completed_at=enrolment.completed_at,
                last_viewed_at=enrolment.last_viewed_at,
                modules_completed=sum(1 for module in done if module.completed_at is not None),
                modules=done,
                pre_score=_round(pre),
                post_score=_round(post),
                learning_gain=gain,
                normalised_gain=normalised,
                attendance=_attendance(cohorts.get(key), rates.get(key)),
            )
        )
    return _page("progress", items, [row[0].id for row in rows], query.limit)


def attendance(actor: User, query: schemas.ListQuery) -> Page:
    after = _after("attendance", query)
    statement = (
        select(AttendanceRecord, TrainingSession)
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .join(User, User.id == AttendanceRecord.user_id)
        .where(AttendanceRecord.id > after)
    )
    if query.family is not None:
        statement = statement.join(Cohort, Cohort.id == TrainingSession.cohort_id).where(
            Cohort.family == query.family
        )
    if query.cohort_id is not None:
        _visible_cohort(actor, query.cohort_id)
        statement = statement.where(TrainingSession.cohort_id == query.cohort_id)
    statement = _people(actor, statement, query)
    rows = db.session.execute(statement.order_by(AttendanceRecord.id).limit(query.limit + 1)).all()
    items = [
        schemas.AttendanceItem(
            id=record.id,
            participant_id=record.user_id,
            session=schemas.SessionRef(
                id=session.id,
                cohort_id=session.cohort_id,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                cancelled=session.is_cancelled,
            ),
            status=record.status,
            method=record.method,
            recorded_at=record.recorded_at,
        )
        for record, session in rows
    ]
    return _page("attendance", items, [item.id for item in items], query.limit)


def certificates(actor: User, query: schemas.ListQuery) -> Page:
    after = _after("certificates", query)
    statement = (
        select(Certificate).join(User, User.id == Certificate.user_id).where(Certificate.id > after)
    )
    if query.family is not None:
        statement = statement.where(Certificate.family == query.family)
    if query.cohort_id is not None:
        _visible_cohort(actor, query.cohort_id)
        statement = statement.where(_member_of(query.cohort_id))
    statement = _people(actor, statement, query)
    found = db.session.scalars(statement.order_by(Certificate.id).limit(query.limit + 1)).all()
    timezone = programme_settings().default_timezone
    today = local_date(utcnow(), timezone)
    items = [
        schemas.CertificateItem(
            id=certificate.id,
            code=certificate.code,
            kind=certificate.kind,
            participant_id=certificate.user_id,
            holder_name=certificate.holder_name,
            institution_name=certificate.institution_name,
            family=certificate.family,
            course_title=certificate.course_title,
            hours=certificate.hours,
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            status=certificate.status_on(today).value,
            revoked_at=certificate.revoked_at,
            verify_url=verification_url(certificate.code),
        )
        for certificate in found
    ]
    return _page("certificates", items, [item.id for item in items], query.limit)


def _enrolment_rows(actor: User, query: schemas.ListQuery, kind: str) -> list:
    """One page of (enrolment, person, institution name, course slug, language, cohort id)."""
    after = _after(kind, query)
    statement = (
        select(
            Enrolment,
            User,
            Institution.name,
            Course.slug,
            Course.language,
            CohortMember.cohort_id,
        )
        .join(User, User.id == Enrolment.user_id)
        .join(Course, Course.id == Enrolment.course_id)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .outerjoin(
            CohortMember,
            and_(
                CohortMember.user_id == Enrolment.user_id,
                CohortMember.family == Enrolment.family,
                CohortMember.left_at.is_(None),
            ),
        )
        .where(Enrolment.id > after)
    )
    if query.family is not None:
        statement = statement.where(Enrolment.family == query.family)
    if query.cohort_id is not None:
        _visible_cohort(actor, query.cohort_id)
        statement = statement.where(CohortMember.cohort_id == query.cohort_id)
    statement = _people(actor, statement, query)
    return db.session.execute(statement.order_by(Enrolment.id).limit(query.limit + 1)).all()


def _people(actor: User, statement: Select, query: schemas.ListQuery) -> Select:
    """Narrowed to the people the actor may see, and to the institution asked: one the actor
    does not see is not found, rather than an empty list that would say it exists."""
    if query.institution_id is not None:
        if not policy.can_see_institution(actor, query.institution_id) or (
            db.session.get(Institution, query.institution_id) is None
        ):
            raise NotFound()
        statement = statement.where(User.institution_id == query.institution_id)
    return policy.scope_people(actor, statement)


def _visible_cohort(actor: User, cohort_id: int) -> None:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not cohort_policy.can_see_cohort(actor, cohort):
        raise NotFound()


def _member_of(cohort_id: int):
    return exists().where(
        CohortMember.user_id == User.id,
        CohortMember.cohort_id == cohort_id,
        CohortMember.left_at.is_(None),
    )


def _after(kind: str, query: schemas.ListQuery) -> int:
    return pagination.decode(kind, query.cursor)


def _page(kind: str, items: list, ids: list[int], limit: int) -> Page:
    return Page(items[:limit], pagination.next_cursor(kind, ids, limit))


def _participant(person: User, institution_name: str | None) -> schemas.Participant:
    institution = (
        schemas.InstitutionRef(id=person.institution_id, name=institution_name)
        if person.institution_id is not None and institution_name is not None
        else None
    )
    return schemas.Participant(
        id=person.id, name=person.full_name, email=person.email, institution=institution
    )


def _completed_modules(
    pairs: set[tuple[int, str]],
) -> dict[tuple[int, str], list[schemas.ModuleCompletion]]:
    if not pairs:
        return {}
    found: dict[tuple[int, str], list[schemas.ModuleCompletion]] = defaultdict(list)
    for row in db.session.scalars(
        select(ModuleProgress)
        .where(
            ModuleProgress.user_id.in_({user_id for user_id, _family in pairs}),
            ModuleProgress.family.in_({family for _user_id, family in pairs}),
        )
        .order_by(ModuleProgress.id)
    ):
        if (row.user_id, row.family) in pairs:
            found[(row.user_id, row.family)].append(
                schemas.ModuleCompletion(
                    slug=row.module_slug,
                    completed_at=row.completed_at,
                    quiz_passed_at=row.quiz_passed_at,
                )
            )
    return found


def _scores(
    pairs: set[tuple[int, str]],
) -> dict[tuple[int, str], tuple[float | None, float | None]]:
    """{(user, family): (pre, post)} as ``trainer.reports.gain`` defines them: the first
    closed pre-test attempt's score, the best scored post-test attempt's."""
    if not pairs:
        return {}
    closed = (AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value)
    rows = db.session.execute(
        select(
            QuizAttempt.user_id,
            QuizAttempt.family,
            QuizAttempt.id,
            QuizAttempt.status,
            QuizAttempt.score_percent,
            ModuleVersion.kind,
        )
        .join(ModuleVersion, ModuleVersion.id == QuizAttempt.module_version_id)
        .where(
            QuizAttempt.user_id.in_({user_id for user_id, _family in pairs}),
            QuizAttempt.family.in_({family for _user_id, family in pairs}),
            QuizAttempt.status.in_(closed),
            ModuleVersion.kind.in_((ModuleKind.PRE_TEST.value, ModuleKind.POST_TEST.value)),
        )
        .order_by(QuizAttempt.id)
    ).all()
    pre: dict[tuple[int, str], float | None] = {}
    post: dict[tuple[int, str], float] = {}
    for user_id, family, _id, status, score, kind in rows:
        key = (user_id, family)
        if key not in pairs:
            continue
        if kind == ModuleKind.PRE_TEST.value:
            pre.setdefault(key, score)  # the first closed attempt, scored or not
        elif status == AttemptStatus.SUBMITTED.value and score is not None:
            post[key] = max(score, post.get(key, score))
    return {key: (pre.get(key), post.get(key)) for key in pre.keys() | post.keys()}


def _gain(pre: float | None, post: float | None) -> tuple[float | None, float | None]:
    """(gain, normalised gain) as PRODUCT.md defines them, rounded as the learning-gain
    report rounds them (trainer.reports.gain, which the API may not import; the figures test
    holds the two to the same hand-computed values)."""
    if pre is None or post is None:
        return None, None
    gain = round(post - pre, 2)
    return gain, (None if pre >= 100 else round((post - pre) / (100 - pre), 4))


def _attendance(cohort_id: int | None, rates) -> schemas.AttendanceSummary | None:
    if cohort_id is None or rates is None:
        return None
    return schemas.AttendanceSummary(
        cohort_id=cohort_id,
        attended=rates.attended,
        excused=rates.excused,
        scheduled=rates.scheduled,
        held=rates.held,
        rate_so_far=_round(rates.so_far),
        rate_toward_completion=_round(rates.toward_completion),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)
