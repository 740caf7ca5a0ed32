"""The coordinators' dashboard for one course family: who enrolled, who is active, who
finished, their progress and quiz scores, attendance per session and per participant,
learning gain, and who is at risk.

PRODUCT.md defines the figures:

- **Completion rate**: completed enrolments / enrolments (withdrawn ones included).
- **Active**: a module viewed or completed, a quiz attempt or a session attended in the last
  ``ACTIVE_DAYS`` (30) days.
- **Attendance rate so far**: (present + late) / (sessions already held - excused), over the
  sessions of the participant's current cohort since they joined; a past session left
  unmarked counts as absent ("not recorded").
- **At risk**: an active, unfinished enrolment whose attendance so far is below the course's
  attendance requirement, or with no activity for the programme's ``inactive_after_days``
  (counted from enrolling when there was none).

A date range counts the people who enrolled in it, the sessions held and the survey
responses given in it. Survey results come from ``reports.surveys``, whose groups of fewer
than ``SURVEY_MIN_GROUP`` responses are never shown on their own. ``build`` runs a fixed
number of queries (``facts.load``'s, learning-gain scores included, and the survey's)
whatever the number of participants; everything else is Python over the loaded facts.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.auth.models import User
from trainer.completion import evaluate
from trainer.courses.spec import PASSABLE_KINDS, ModuleKind
from trainer.learning import activity
from trainer.learning.models import EnrolmentStatus
from trainer.reports import facts as loaded
from trainer.reports import gain, surveys
from trainer.reports.scope import ReportFilter

ACTIVE_DAYS = 30

# Progress buckets, in the order the chart shows them.
COMPLETED = "completed"
WITHDRAWN = "withdrawn"
BUCKETS = ("0", "1-24", "25-49", "50-74", "75-99", COMPLETED, WITHDRAWN)

# Why a participant is at risk.
LOW_ATTENDANCE = "attendance"
INACTIVE = "inactive"


@dataclass(frozen=True)
class Summary:
    enrolled: int
    active: int
    completed: int
    withdrawn: int
    completion_rate: float | None  # percent


@dataclass(frozen=True)
class ParticipantLine:
    user_id: int
    name: str
    email: str
    institution: str | None
    cohort: str | None
    enrolled_on: date
    status: str  # active, withdrawn or completed
    progress: int  # percent of the completion requirements met (100 once completed)
    completed_on: date | None
    attended: int | None  # sessions attended, present or late (None: in no cohort)
    counted: int | None  # sessions held since joining, less the excused
    attendance: float | None  # percent so far; None while no session counts
    not_recorded: int | None
    last_activity: datetime | None
    is_active: bool


@dataclass(frozen=True)
class Bucket:
    key: str
    count: int
    percent: float | None  # of the enrolled


@dataclass(frozen=True)
class QuizLine:
    module_slug: str
    title: str
    kind: str
    attempted: int  # participants with a scored attempt
    mean_best: float | None  # mean of their best scores, %
    passed: int | None  # None for a quiz that is not passed (pre-test)
    pass_rate: float | None  # of those who attempted it


@dataclass(frozen=True)
class SessionLine:
    session_id: int
    cohort_id: int
    cohort: str
    day: date  # in the cohort's time zone
    hours: str  # "09:00–12:00", in the cohort's time zone
    place: str
    is_cancelled: bool
    is_held: bool
    expected: int  # members counted at the session (held: their mark counts)
    present: int
    late: int
    excused: int
    absent: int  # marked absent, or not recorded after it ended
    not_recorded: int
    attendance: float | None  # (present + late) / (expected - excused), %


@dataclass(frozen=True)
class GroupLine:
    """Enrolment and completion of one institution (or cohort)."""

    name: str | None
    enrolled: int
    active: int
    completed: int
    completion_rate: float | None
    mean_attendance: float | None  # over the members with a rate so far
    n_attendance: int


@dataclass(frozen=True)
class AtRiskLine:
    user_id: int
    name: str
    institution: str | None
    cohort: str | None
    attendance: float | None
    required_attendance: float | None
    last_activity: datetime | None
    days_inactive: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Dashboard:
    report: ReportFilter
    now: datetime
    inactive_after_days: int
    summary: Summary
    participants: list[ParticipantLine]
    progress: list[Bucket]
    quizzes: list[QuizLine]
    sessions: list[SessionLine]
    institutions: list[GroupLine]
    at_risk: list[AtRiskLine]
    gains: list[gain.ParticipantGain]
    cohort_gains: list[gain.GroupGain]
    institution_gains: list[gain.GroupGain]
    surveys: surveys.SurveyResults


def build(
    actor: User,
    report: ReportFilter,
    *,
    now: datetime,
    inactive_after_days: int,
    language: str | None = None,
) -> Dashboard:
    """The whole dashboard, as the page and every export show it (survey questions worded
    in ``language`` where the family has a course in it)."""
    found = loaded.load(actor, report)
    sessions = [s for s in found.sessions if _in_range(s, report)]
    in_range = _by_cohort(sessions)
    all_sessions = found.sessions_by_cohort()
    lines: list[ParticipantLine] = []
    at_risk: list[AtRiskLine] = []
    for person in found.people:
        outline = found.outline_of(person)
        # Completion counts every session; the figures shown, those of the period.
        overall = loaded.attendance_of(
            person, all_sessions.get(person.cohort_id, []), found.marks, now=now
        )
        shown = (
            overall
            if len(sessions) == len(found.sessions)
            else loaded.attendance_of(
                person, in_range.get(person.cohort_id, []), found.marks, now=now
            )
        )
        verdict = (
            evaluate(outline.rules, loaded.completion_facts(person, outline, overall))
            if outline
            else None
        )
        last = last_activity(person, all_sessions.get(person.cohort_id, []), found.marks, now)
        line = _line(person, verdict.percent if verdict else 0, shown, last, now)
        lines.append(line)
        risk = at_risk_line(
            person,
            overall.so_far if overall else None,
            outline.attendance_percent if outline else None,
            last,
            now=now,
            inactive_after_days=inactive_after_days,
        )
        if risk is not None:
            at_risk.append(risk)
    # ``gain.participant_gains``'s lines, from the scores loaded with the facts.
    gains = [
        gain.participant_gain(
            person.user_id,
            person.name,
            person.email,
            person.institution,
            person.cohort,
            person.pre,
            person.post,
        )
        for person in found.people
    ]
    groups = {person.user_id: person for person in found.people}
    return Dashboard(
        report=report,
        now=now,
        inactive_after_days=inactive_after_days,
        summary=summarise(lines),
        participants=lines,
        progress=distribution(lines),
        quizzes=quiz_lines(found),
        sessions=session_lines(found.people, sessions, found.marks, now=now),
        institutions=group_lines(lines, key=lambda line: line.institution),
        at_risk=sorted(at_risk, key=lambda r: (-len(r.reasons), -r.days_inactive, r.name)),
        gains=gains,
        cohort_gains=group_gains(
            gains, lambda g: (groups[g.user_id].cohort_id, groups[g.user_id].cohort)
        ),
        institution_gains=group_gains(
            gains, lambda g: (groups[g.user_id].institution_id, groups[g.user_id].institution)
        ),
        surveys=surveys.survey_results(
            actor,
            report,
            language=language,
            starts_on=report.enrolled_from,
            ends_on=report.enrolled_to,
        ),
    )


def group_gains(people: list[gain.ParticipantGain], key) -> list[gain.GroupGain]:
    """Means per group (``key``: a person's (id, name) of cohort or institution) over the
    participants with both scores, as ``reports.gain``'s cohort and institution means
    define them, computed from the per-participant figures already loaded instead of
    another query each; the group of no cohort (id None) last."""
    groups: dict[tuple, list[gain.ParticipantGain]] = defaultdict(list)
    for person in people:
        if person.pre is not None and person.post is not None:
            groups[key(person)].append(person)
    found = []
    for (group_id, name), members in sorted(
        groups.items(), key=lambda item: (item[0][0] is None, item[0][1] or "", item[0][0] or 0)
    ):
        n = len(members)
        normalisable = [m for m in members if m.pre < 100]
        found.append(
            gain.GroupGain(
                id=group_id,
                name=name,
                n=n,
                mean_pre=round(sum(m.pre for m in members) / n, 2),
                mean_post=round(sum(m.post for m in members) / n, 2),
                mean_gain=round(sum(m.post - m.pre for m in members) / n, 2),
                n_normalised=len(normalisable),
                mean_normalised_gain=(
                    round(
                        sum((m.post - m.pre) / (100 - m.pre) for m in normalisable)
                        / len(normalisable),
                        4,
                    )
                    if normalisable
                    else None
                ),
            )
        )
    return found


def last_activity(
    person: loaded.Person,
    sessions: list[loaded.Session],
    marks: dict[tuple[int, int], str],
    now: datetime,
) -> datetime | None:
    """The latest module view or completion, quiz attempt or session attended, from the
    facts loaded (``trainer.learning.activity`` defines it, and loads it for the mails)."""
    moments = [person.last_viewed_at, person.last_completed_at, person.last_attempt_at]
    moments += [
        s.starts_at
        for s in sessions
        if marks.get((s.id, person.user_id)) in activity.ATTENDED and s.starts_at <= now
    ]
    return activity.latest(moments)


def at_risk_line(
    person: loaded.Person,
    attendance: float | None,
    required: float | None,
    last: datetime | None,
    *,
    now: datetime,
    inactive_after_days: int,
) -> AtRiskLine | None:
    """The person's line of the at-risk list, or None when they are not at risk."""
    if person.status != EnrolmentStatus.ACTIVE.value or person.completed_at is not None:
        return None
    reasons = []
    if required and attendance is not None and attendance + 1e-9 < required:
        reasons.append(LOW_ATTENDANCE)
    days = activity.days_inactive(last, person.enrolled_at, now)
    if activity.is_inactive(
        person.status,
        person.completed_at,
        last,
        person.enrolled_at,
        now=now,
        inactive_after_days=inactive_after_days,
    ):
        reasons.append(INACTIVE)
    if not reasons:
        return None
    return AtRiskLine(
        user_id=person.user_id,
        name=person.name,
        institution=person.institution,
        cohort=person.cohort,
        attendance=_round(attendance),
        required_attendance=required,
        last_activity=last,
        days_inactive=days,
        reasons=tuple(reasons),
    )


def summarise(lines: list[ParticipantLine]) -> Summary:
    completed = sum(1 for line in lines if line.status == COMPLETED)
    return Summary(
        enrolled=len(lines),
        active=sum(1 for line in lines if line.is_active),
        completed=completed,
        withdrawn=sum(1 for line in lines if line.status == WITHDRAWN),
        completion_rate=_percent(completed, len(lines)),
    )


def bucket_of(line: ParticipantLine) -> str:
    if line.status in (COMPLETED, WITHDRAWN):
        return line.status
    if line.progress <= 0:
        return "0"
    for low, high in ((1, 24), (25, 49), (50, 74)):
        if low <= line.progress <= high:
            return f"{low}-{high}"
    return "75-99"


def distribution(lines: list[ParticipantLine]) -> list[Bucket]:
    counts = dict.fromkeys(BUCKETS, 0)
    for line in lines:
        counts[bucket_of(line)] += 1
    return [Bucket(key, counts[key], _percent(counts[key], len(lines))) for key in BUCKETS]


def quiz_lines(found: loaded.FamilyFacts) -> list[QuizLine]:
    """One line per graded quiz of the family's current outline (the first course's order),
    then quizzes attempted that the outline no longer has."""
    modules: dict[str, tuple[str, str]] = {}
    for outline in found.outlines.values():
        for module in outline.modules:
            graded = module.quiz and module.quiz.get("is_graded")
            if graded and module.kind != ModuleKind.SURVEY:
                modules.setdefault(module.slug, (module.title, module.kind))
    figures = {quiz.module_slug: quiz for quiz in found.quizzes}
    passed: dict[str, int] = defaultdict(int)
    for person in found.people:
        for slug in person.passed_quizzes:
            passed[slug] += 1
    for slug in sorted(set(figures) - set(modules)):
        modules[slug] = (slug, ModuleKind.LESSON.value)
    lines = []
    for slug, (title, kind) in modules.items():
        quiz = figures.get(slug)
        attempted = quiz.attempted if quiz else 0
        passable = kind in PASSABLE_KINDS
        lines.append(
            QuizLine(
                module_slug=slug,
                title=title,
                kind=kind,
                attempted=attempted,
                mean_best=quiz.mean_best if quiz else None,
                passed=passed[slug] if passable else None,
                pass_rate=_percent(passed[slug], attempted) if passable else None,
            )
        )
    return lines


def session_lines(
    people: list[loaded.Person],
    sessions: list[loaded.Session],
    marks: dict[tuple[int, int], str],
    *,
    now: datetime,
) -> list[SessionLine]:
    """Per session, the marks of the in-scope members it counts for (those who had joined
    before it ended), with unmarked ones absent once it is over."""
    members: dict[int, list[loaded.Person]] = defaultdict(list)
    for person in people:
        if person.cohort_id is not None and person.joined_at is not None:
            members[person.cohort_id].append(person)
    lines = []
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    for session in sessions:
        counts = dict.fromkeys(("present", "late", "excused", "absent"), 0)
        expected = not_recorded = 0
        ended = session.ends_at <= now
        held = ended
        for person in members.get(session.cohort_id, []):
            if session.is_cancelled or session.ends_at <= person.joined_at:
                continue
            status = marks.get((session.id, person.user_id))
            if status is not None:
                held = True
            elif not ended:
                continue
            expected += 1
            if status is None:
                not_recorded += 1
                counts["absent"] += 1
            else:
                counts[status] += 1
        zone = zones.get(session.timezone)
        if zone is None:
            zone = zones[session.timezone] = zoneinfo.ZoneInfo(session.timezone)
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        attended = counts["present"] + counts["late"]
        lines.append(
            SessionLine(
                session_id=session.id,
                cohort_id=session.cohort_id,
                cohort=session.cohort,
                day=starts.date(),
                hours=f"{starts.hour:02}:{starts.minute:02}–{ends.hour:02}:{ends.minute:02}",
                place=session.place or session.online_url,
                is_cancelled=session.is_cancelled,
                is_held=held and not session.is_cancelled,
                expected=expected,
                not_recorded=not_recorded,
                attendance=_percent(attended, expected - counts["excused"]),
                **counts,
            )
        )
    return lines


def group_lines(lines: list[ParticipantLine], *, key) -> list[GroupLine]:
    groups: dict[str | None, list[ParticipantLine]] = defaultdict(list)
    for line in lines:
        groups[key(line)].append(line)
    found = []
    for name in sorted(groups, key=lambda n: (n is None, n or "")):
        members = groups[name]
        completed = sum(1 for line in members if line.status == COMPLETED)
        # From the counts, not the rounded rates, so the mean is rounded once.
        rates = [100 * line.attended / line.counted for line in members if line.counted]
        found.append(
            GroupLine(
                name=name,
                enrolled=len(members),
                active=sum(1 for line in members if line.is_active),
                completed=completed,
                completion_rate=_percent(completed, len(members)),
                mean_attendance=_round(sum(rates) / len(rates)) if rates else None,
                n_attendance=len(rates),
            )
        )
    return found


def _line(person, progress: int, rates, last: datetime | None, now: datetime) -> ParticipantLine:
    if person.completed_at is not None:
        status, progress = COMPLETED, 100
    elif person.status == EnrolmentStatus.WITHDRAWN.value:
        status = WITHDRAWN
    else:
        status = "active"
    return ParticipantLine(
        user_id=person.user_id,
        name=person.name,
        email=person.email,
        institution=person.institution,
        cohort=person.cohort,
        enrolled_on=person.enrolled_at.date(),
        status=status,
        progress=progress,
        completed_on=person.completed_at.date() if person.completed_at else None,
        attended=rates.attended if rates else None,
        counted=(rates.held - rates.excused) if rates else None,
        attendance=_round(rates.so_far) if rates else None,
        not_recorded=len(rates.not_recorded) if rates else None,
        last_activity=last,
        is_active=last is not None and last >= now - timedelta(days=ACTIVE_DAYS),
    )


def _in_range(session: loaded.Session, report: ReportFilter) -> bool:
    if report.enrolled_from is None and report.enrolled_to is None:
        return True
    day = session.starts_at.astimezone(zoneinfo.ZoneInfo(session.timezone)).date()
    if report.enrolled_from is not None and day < report.enrolled_from:
        return False
    return report.enrolled_to is None or day <= report.enrolled_to


def _by_cohort(sessions: list[loaded.Session]) -> dict[int, list[loaded.Session]]:
    found: dict[int, list[loaded.Session]] = defaultdict(list)
    for session in sessions:
        found[session.cohort_id].append(session)
    return found


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole > 0 else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
