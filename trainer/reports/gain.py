"""Learning gain, as PRODUCT.md defines it, per participant and as means per cohort and
per institution.

- Pre score: the participant's first closed attempt at a pre-test of the family, in % (one
  attempt is all a pre-test allows; were there two, after a module was renamed, the first
  counts). An attempt closed unscored because time ran out leaves no pre score.
- Post score: their best scored attempt at a post-test of the family, in %.
- Gain: post - pre, in percentage points. Normalised gain: (post - pre) / (100 - pre), left
  out (None) where pre = 100.
- Means are over the participants who have both scores, with that n; the mean normalised
  gain is over those of them whose pre score is under 100, with its own n.

Pre-tests and post-tests are found by the kind of the module version each attempt was taken
on, so every version and translation of the family counts. Figures are rounded once, here:
scores and gains to 2 decimals (scores are stored floored to 2 decimals, so this only drops
floating-point noise), normalised gains to 4.

Each function runs one SQL query, whatever the number of participants.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, select

from trainer.auth.models import Institution, User
from trainer.cohorts.models import Cohort, CohortMember
from trainer.courses.models import ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.extensions import db
from trainer.learning.models import AttemptStatus, Enrolment, QuizAttempt
from trainer.reports import firsts
from trainer.reports.scope import ReportFilter, join_active_cohort, people_in_scope


@dataclass(frozen=True)
class ParticipantGain:
    user_id: int
    name: str
    email: str
    institution: str | None
    cohort: str | None
    pre: float | None
    post: float | None
    gain: float | None
    normalised_gain: float | None


@dataclass(frozen=True)
class GroupGain:
    """Means of one cohort or institution; ``id`` and ``name`` are None for the
    participants in no cohort (or, for an admin, in no institution)."""

    id: int | None
    name: str | None
    n: int
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    n_normalised: int
    mean_normalised_gain: float | None


def learning_gain(pre: float | None, post: float | None) -> tuple[float | None, float | None]:
    """(gain, normalised gain) of one participant; None where a score is missing, and no
    normalised gain where pre = 100."""
    if pre is None or post is None:
        return None, None
    gain = round(post - pre, 2)
    if pre >= 100:
        return gain, None
    return gain, round((post - pre) / (100 - pre), 4)


def participant_gains(actor: User, report: ReportFilter) -> list[ParticipantGain]:
    """Every participant enrolled in the family whom the actor may see, by name, with their
    scores where they have them (withdrawn participants too: what they learnt counts)."""
    scores = _scores(actor, report).subquery()
    rows = db.session.execute(
        select(
            scores,
            Institution.name.label("institution_name"),
            Cohort.name.label("cohort_name"),
        )
        .outerjoin(Institution, Institution.id == scores.c.institution_id)
        .outerjoin(Cohort, Cohort.id == scores.c.cohort_id)
        .order_by(scores.c.full_name, scores.c.user_id)
    ).all()
    return [
        participant_gain(
            row.user_id,
            row.full_name,
            row.email,
            row.institution_name,
            row.cohort_name,
            row.pre,
            row.post,
        )
        for row in rows
    ]


def participant_gain(
    user_id: int,
    name: str,
    email: str,
    institution: str | None,
    cohort: str | None,
    pre: float | None,
    post: float | None,
) -> ParticipantGain:
    """One participant's line from their unrounded scores (None where missing)."""
    gain, normalised = learning_gain(pre, post)
    return ParticipantGain(
        user_id=user_id,
        name=name,
        email=email,
        institution=institution,
        cohort=cohort,
        pre=_round(pre, 2),
        post=_round(post, 2),
        gain=gain,
        normalised_gain=normalised,
    )


def cohort_gains(actor: User, report: ReportFilter) -> list[GroupGain]:
    """Means per cohort (participants in no cohort of the family together, last)."""
    return _group_gains(actor, report, "cohort_id", Cohort)


def institution_gains(actor: User, report: ReportFilter) -> list[GroupGain]:
    """Means per institution of the participants the actor may see."""
    return _group_gains(actor, report, "institution_id", Institution)


def _group_gains(actor: User, report: ReportFilter, key: str, model) -> list[GroupGain]:
    scores = _scores(actor, report).subquery()
    both = scores.c.pre.is_not(None) & scores.c.post.is_not(None)
    gain = scores.c.post - scores.c.pre
    normalisable = both & (scores.c.pre < 100)
    group = scores.c[key]
    rows = db.session.execute(
        select(
            group.label("id"),
            model.name,
            func.count().label("n"),
            func.avg(scores.c.pre).label("mean_pre"),
            func.avg(scores.c.post).label("mean_post"),
            func.avg(gain).label("mean_gain"),
            func.count(case((normalisable, 1))).label("n_normalised"),
            func.avg(case((normalisable, gain / (100.0 - scores.c.pre)))).label("normalised"),
        )
        .outerjoin(model, model.id == group)
        .where(both)
        .group_by(group, model.name)
        .order_by(group.is_(None), model.name, group)
    ).all()
    return [
        GroupGain(
            id=row.id,
            name=row.name,
            n=row.n,
            mean_pre=_round(row.mean_pre, 2),
            mean_post=_round(row.mean_post, 2),
            mean_gain=_round(row.mean_gain, 2),
            n_normalised=row.n_normalised,
            mean_normalised_gain=_round(row.normalised, 4),
        )
        for row in rows
    ]


def _scores(actor: User, report: ReportFilter) -> Select:
    """One row per enrolled participant in scope: user, institution, cohort, name, e-mail,
    pre, post.

    One pass over the participants' attempts, joined per participant on the
    ``ix_quiz_attempt_reports`` index (which holds every column read here), so the work
    follows the people in scope, not the whole programme, and never reads the attempts' wide
    rows. The pre score is the first closed pre-test attempt's, carried with its id through
    the MIN (``trainer.reports.firsts``) rather than joined back.
    """
    kind = ModuleVersion.kind
    closed = QuizAttempt.status.in_((AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value))
    scored = QuizAttempt.status == AttemptStatus.SUBMITTED.value
    first_pre = case(
        (
            (kind == ModuleKind.PRE_TEST.value) & closed,
            firsts.packed_percent(QuizAttempt.id, QuizAttempt.score_percent),
        )
    )
    facts = (
        select(
            User.id.label("user_id"),
            User.institution_id.label("institution_id"),
            CohortMember.cohort_id.label("cohort_id"),
            # Carried through the groups (one per person), so no second join to the people.
            User.full_name,
            User.email,
            func.min(first_pre).label("pre_key"),
            func.max(
                case(((kind == ModuleKind.POST_TEST.value) & scored, QuizAttempt.score_percent))
            ).label("post"),
        )
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(
            QuizAttempt,
            and_(QuizAttempt.user_id == User.id, QuizAttempt.family == report.family),
        )
        .outerjoin(ModuleVersion, ModuleVersion.id == QuizAttempt.module_version_id)
        .where(Enrolment.family == report.family)
        .group_by(User.id, User.institution_id, CohortMember.cohort_id, User.full_name, User.email)
    )
    facts = people_in_scope(actor, join_active_cohort(facts, report.family), report).subquery()
    pre_hundredths = firsts.value_of(facts.c.pre_key)
    return select(
        facts.c.user_id,
        facts.c.institution_id,
        facts.c.cohort_id,
        facts.c.full_name,
        facts.c.email,
        case((pre_hundredths == firsts.MISSING, None), else_=pre_hundredths / 100.0).label("pre"),
        facts.c.post,
    )


def _round(value: float | None, digits: int) -> float | None:
    """Rounded to ``digits``, after dropping floating-point noise: a mean's last bits depend
    on the order the database added the rows in (its plan), and must not decide whether
    30.555 is shown as 30.55 or 30.56."""
    return None if value is None else round(round(float(value), 9), digits)
