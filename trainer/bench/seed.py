"""Write a large programme in bulk, for benchmarks and the scale work that follows them.

The demo course ("Mainstreaming migration into development policy", in English and Spanish:
a pre-test, four lessons, a post-test and an anonymous survey) is imported from COURSES_DIR
if missing. Then, for ``participants`` people spread over institutions by ``shape``:

- each institution has a coordinator; the programme has a programme-wide coordinator, an
  admin and trainers; every account shares one password hash (hashing 20,000 passwords with
  argon2 would take the better part of an hour and prove nothing);
- everybody is enrolled (a quarter in Spanish); 85 % are members of a cohort of their
  institution (at most 30 members), cohorts have four weekly sessions, the older cohorts
  closed, and held sessions have attendance (present, late, excused, absent, a few unmarked);
- people get as far as their diligence takes them: the pre-test (with ``attempt_answer``
  rows), lessons, the post-test (up to three attempts, better than the pre-test on average),
  the anonymous survey (a ``survey_response`` with ``survey_answer`` rows, keeping only the
  institution and cohort), and completion when the course's rules are met.

Everything goes through SQLAlchemy Core ``insert`` in chunks (executemany), never the ORM
unit of work, and the statistics are refreshed (ANALYZE) at the end. Random but repeatable:
the same ``seed`` gives the same programme. It refuses a database that already has people.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, insert, select, text

from trainer.auth.models import Institution, Role, User
from trainer.auth.passwords import hash_password
from trainer.bench.shape import institution_sizes
from trainer.cohorts.models import (
    AttendanceRecord,
    Cohort,
    CohortInstitution,
    CohortMember,
    CohortTrainer,
    TrainingSession,
)
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.parser import load_course
from trainer.courses.services import current_modules, import_course
from trainer.courses.spec import ModuleKind
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.learning.answer_facts import answer_facts
from trainer.learning.grading import grade
from trainer.learning.models import (
    AttemptAnswer,
    Enrolment,
    ModuleProgress,
    QuizAttempt,
    SurveyAnswer,
    SurveyResponse,
)

COURSE = "migration-development-policy"
TRANSLATION = "migracion-politicas-desarrollo"
PASSWORD = "bench-password"  # noqa: S105  (every benchmark account; never in production)
DOMAIN = "bench.example.org"
CHUNK = 5_000
COHORT_SIZE = 30
SESSIONS = 4
ZONE = "America/Guayaquil"
ATTENDANCE_NEEDED = 75.0


class SeedRefused(RuntimeError):
    """The database is not empty, or the demo course cannot be found."""


@dataclass
class Seeded:
    institutions: list[tuple[str, int]] = field(default_factory=list)  # (slug, participants)
    rows: Counter = field(default_factory=Counter)  # table -> rows inserted

    @property
    def largest(self) -> tuple[str, int]:
        return self.institutions[0]


@dataclass
class _Person:
    user_id: int
    institution_id: int
    course: Course
    ability: float  # chance of a right answer before the course
    diligence: float  # how far they go, and how often they attend
    cohort_id: int | None = None
    joined_at: datetime | None = None
    enrolled_at: datetime | None = None


def seed(participants: int, *, rng_seed: int = 2026, now: datetime | None = None) -> Seeded:
    """Fill an empty database with ``participants`` participants and all they did. Commits
    as it goes (chunked inserts); a refusal writes nothing."""
    if participants < 1:
        raise SeedRefused("--participants must be at least 1.")
    existing = db.session.scalar(select(func.count()).select_from(User))
    if existing:
        raise SeedRefused(
            f"bench-seed fills an empty database; this one already has {existing} accounts. "
            "Point DATABASE_URL at a new database (then `flask --app wsgi db upgrade`)."
        )
    now = now or utcnow()
    rng = random.Random(rng_seed)  # noqa: S311  (repeatable data, no secret)
    english, spanish = _courses()
    seeded = Seeded()
    modules = {course.id: _modules_by_kind(course) for course in (english, spanish)}
    shared_hash = hash_password(PASSWORD)
    staff = _staff(seeded, shared_hash)
    people = _participants(seeded, participants, shared_hash, english, spanish, rng, now)
    _cohorts(seeded, people, english, staff, rng, now)
    _enrolment_dates(people, rng, now)
    _learning(seeded, people, modules, rng, now)
    db.session.commit()
    _analyze()
    return seeded


def _courses() -> tuple[Course, Course]:
    """The demo course and its Spanish translation, imported from COURSES_DIR if missing."""
    found = {}
    for slug in (COURSE, TRANSLATION):
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        if course is None:
            folder = Path(current_app.config["COURSES_DIR"]) / slug
            spec, problems = load_course(folder)
            if spec is None or problems:
                raise SeedRefused(f"The demo course {slug} is missing or invalid in {folder}.")
            course = import_course(spec).course
            db.session.commit()
        found[slug] = course
    return found[COURSE], found[TRANSLATION]


def _modules_by_kind(course: Course) -> dict[str, list[ModuleVersion]]:
    by_kind: dict[str, list[ModuleVersion]] = {}
    for module in current_modules(course, bodies=False):
        by_kind.setdefault(module.kind, []).append(module)
    return by_kind


def _staff(seeded: Seeded, shared_hash: str) -> dict[str, list[int]]:
    rows = [
        _account("admin", "Bench Admin", Role.ADMIN, shared_hash),
        {
            **_account("programme", "Bench Programme Coordinator", Role.COORDINATOR, shared_hash),
            "is_programme_wide": True,
        },
    ]
    rows += [
        _account(f"trainer-{n}", f"Bench Trainer {n}", Role.TRAINER, shared_hash)
        for n in range(1, 6)
    ]
    ids = _insert(seeded, User, rows, returning=User.id)
    return {"admin": ids[:1], "trainers": ids[2:]}


def _participants(
    seeded: Seeded,
    count: int,
    shared_hash: str,
    english: Course,
    spanish: Course,
    rng: random.Random,
    now: datetime,
) -> list[_Person]:
    sizes = institution_sizes(count)
    kinds = ("ministry", "agency", "municipality", "municipality", "ngo")
    institution_rows = [
        {
            "name": f"Bench Institution {n:02d}",
            "slug": f"bench-institution-{n:02d}",
            "kind": "ministry" if n <= 5 else kinds[n % len(kinds)],
            "created_at": now - timedelta(days=400),
        }
        for n in range(1, len(sizes) + 1)
    ]
    institution_ids = _insert(seeded, Institution, institution_rows, returning=Institution.id)
    seeded.institutions = [
        (row["slug"], size) for row, size in zip(institution_rows, sizes, strict=True)
    ]
    _insert(
        seeded,
        User,
        [
            {
                **_account(
                    f"coordinator-{row['slug']}",
                    f"Coordinator of {row['name']}",
                    Role.COORDINATOR,
                    shared_hash,
                ),
                "institution_id": institution_id,
            }
            for row, institution_id in zip(institution_rows, institution_ids, strict=True)
        ],
    )
    rows, owners = [], []
    for institution_id, size in zip(institution_ids, sizes, strict=True):
        for _ in range(size):
            n = len(rows) + 1
            rows.append(
                {
                    **_account(
                        f"participant-{n:06d}",
                        f"Participant {n:06d}",
                        Role.PARTICIPANT,
                        shared_hash,
                    ),
                    "institution_id": institution_id,
                    "language": "es" if n % 4 == 0 else "en",
                }
            )
            owners.append(institution_id)
    user_ids = _insert(seeded, User, rows, returning=User.id)
    return [
        _Person(
            user_id=user_id,
            institution_id=institution_id,
            course=spanish if n % 4 == 3 else english,
            ability=rng.uniform(0.2, 0.75),
            diligence=rng.betavariate(4, 1.6),
        )
        for n, (user_id, institution_id) in enumerate(zip(user_ids, owners, strict=True))
    ]


def _cohorts(
    seeded: Seeded,
    people: list[_Person],
    course: Course,
    staff: dict[str, list[int]],
    rng: random.Random,
    now: datetime,
) -> None:
    """Cohorts of up to 30 members of one institution, with four weekly sessions each and
    the attendance of those already held."""
    zone = ZoneInfo(ZONE)
    today = now.astimezone(zone).date()
    by_institution: dict[int, list[_Person]] = {}
    for person in people:
        if rng.random() < 0.85:
            by_institution.setdefault(person.institution_id, []).append(person)
    groups = [
        (institution_id, members[start : start + COHORT_SIZE])
        for institution_id, members in by_institution.items()
        for start in range(0, len(members), COHORT_SIZE)
    ]
    cohort_rows, starts = [], []
    for n, (_institution_id, _members) in enumerate(groups, start=1):
        starts_on = today - timedelta(days=rng.randint(-7, 150))
        ends_on = starts_on + timedelta(weeks=SESSIONS)
        closed = ends_on < today - timedelta(days=14)
        starts.append(starts_on)
        cohort_rows.append(
            {
                "course_id": course.id,
                "family": course.family,
                "name": f"Bench cohort {n:04d}",
                "starts_on": starts_on,
                "ends_on": ends_on,
                "timezone": ZONE,
                "state": "closed" if closed else ("running" if starts_on <= today else "planned"),
                "created_at": now - timedelta(days=200),
                "closed_at": _at(ends_on + timedelta(days=1), time(18), zone) if closed else None,
            }
        )
    cohort_ids = _insert(seeded, Cohort, cohort_rows, returning=Cohort.id)
    trainers = staff["trainers"]
    _insert(
        seeded,
        CohortInstitution,
        [
            {"cohort_id": cohort_id, "institution_id": institution_id}
            for cohort_id, (institution_id, _members) in zip(cohort_ids, groups, strict=True)
        ],
    )
    _insert(
        seeded,
        CohortTrainer,
        [
            {"cohort_id": cohort_id, "user_id": trainers[n % len(trainers)]}
            for n, cohort_id in enumerate(cohort_ids)
        ],
    )
    session_rows, session_owner = [], []
    for cohort_id, starts_on in zip(cohort_ids, starts, strict=True):
        for week in range(SESSIONS):
            day = starts_on + timedelta(weeks=week, days=1)
            session_rows.append(
                {
                    "cohort_id": cohort_id,
                    "starts_at": _at(day, time(9), zone),
                    "ends_at": _at(day, time(12), zone),
                    "place": "Sala de capacitación",
                    "created_at": now - timedelta(days=200),
                    "updated_at": now - timedelta(days=200),
                }
            )
            session_owner.append(cohort_id)
    session_ids = _insert(seeded, TrainingSession, session_rows, returning=TrainingSession.id)
    sessions_of: dict[int, list[tuple[int, dict]]] = {}
    for session_id, row in zip(session_ids, session_rows, strict=True):
        sessions_of.setdefault(row["cohort_id"], []).append((session_id, row))
    member_rows, marks = [], []
    for cohort_id, starts_on, (_institution_id, members) in zip(
        cohort_ids, starts, groups, strict=True
    ):
        joined = _at(starts_on - timedelta(days=3), time(10), zone)
        for person in members:
            person.cohort_id, person.joined_at = cohort_id, joined
            member_rows.append(
                {
                    "cohort_id": cohort_id,
                    "family": course.family,
                    "user_id": person.user_id,
                    "joined_at": joined,
                }
            )
            for session_id, row in sessions_of[cohort_id]:
                status = _attendance(person, rng) if row["ends_at"] <= now else None
                if status is not None:
                    marks.append(
                        {
                            "session_id": session_id,
                            "user_id": person.user_id,
                            "status": status,
                            "method": rng.choice(("roster", "roster", "qr", "sheet")),
                            "recorded_by_id": trainers[cohort_id % len(trainers)],
                            "recorded_at": row["ends_at"],
                        }
                    )
    _insert(seeded, CohortMember, member_rows)
    _insert(seeded, AttendanceRecord, marks)


def _attendance(person: _Person, rng: random.Random) -> str | None:
    draw = rng.random()
    if draw < 0.03:
        return None  # left unmarked by the trainer
    if draw < 0.03 + person.diligence * 0.85:
        return "present"
    return rng.choices(("late", "excused", "absent"), weights=(3, 1, 4))[0]


def _enrolment_dates(people: list[_Person], rng: random.Random, now: datetime) -> None:
    """Cohort members enrolled a few days before joining; the others months ago."""
    for person in people:
        start = person.joined_at or now - timedelta(days=150)
        person.enrolled_at = start - timedelta(days=rng.randint(0, 10))


def _learning(
    seeded: Seeded,
    people: list[_Person],
    modules: dict[int, dict[str, list[ModuleVersion]]],
    rng: random.Random,
    now: datetime,
) -> None:
    """Enrolments, module progress, quiz attempts with their answers, survey responses."""
    attended = _attended_rates(people, now)
    enrolments, progress, attempts, facts_of, surveys = [], [], [], [], []
    for person in people:
        kinds = modules[person.course.id]
        family = person.course.family
        moment = person.enrolled_at + timedelta(hours=rng.randint(1, 48))
        done: list[tuple[str, datetime, datetime | None]] = []  # (slug, completed, passed)
        finished = False
        if rng.random() < 0.92:
            pre = kinds[ModuleKind.PRE_TEST][0]
            attempts.append(_attempt(person, pre, 1, _answers(pre, person.ability, rng), moment))
            facts_of.append(attempts[-1].pop("_facts"))
            done.append((pre.slug, moment, None))
            lessons = kinds[ModuleKind.LESSON]
            reached = min(len(lessons), int(person.diligence * (len(lessons) + 1.5)))
            for lesson in lessons[:reached]:
                moment += timedelta(days=rng.randint(1, 6))
                done.append((lesson.slug, moment, None))
            if reached == len(lessons) and rng.random() < 0.9:
                post = kinds[ModuleKind.POST_TEST][0]
                skill = min(0.97, person.ability + 0.15 + 0.3 * person.diligence)
                for number in range(1, 4):
                    moment += timedelta(hours=rng.randint(1, 72))
                    attempts.append(
                        _attempt(person, post, number, _answers(post, skill, rng), moment)
                    )
                    facts_of.append(attempts[-1].pop("_facts"))
                    if attempts[-1]["is_passed"]:
                        done.append((post.slug, moment, moment))
                        break
                    skill = min(0.97, skill + 0.1)
                if done[-1][2] is not None and rng.random() < 0.88:
                    survey = kinds[ModuleKind.SURVEY][0]
                    moment += timedelta(hours=rng.randint(1, 24))
                    attempts.append(_survey_attempt(person, survey, moment))
                    facts_of.append([])
                    surveys.append(_survey_response(person, survey, rng, moment))
                    done.append((survey.slug, moment, None))
                    rate = attended.get(person.user_id)
                    finished = rate is not None and rate >= ATTENDANCE_NEEDED
        for slug, completed, passed in done:
            progress.append(
                {
                    "user_id": person.user_id,
                    "family": family,
                    "module_slug": slug,
                    "completed_at": min(completed, now),
                    "quiz_passed_at": min(passed, now) if passed else None,
                }
            )
        last = min(moment, now)
        withdrawn = not done and rng.random() < 0.3
        enrolments.append(
            {
                "user_id": person.user_id,
                "family": family,
                "course_id": person.course.id,
                "status": "withdrawn" if withdrawn else "active",
                "enrolled_at": person.enrolled_at,
                "withdrawn_at": person.enrolled_at + timedelta(days=2) if withdrawn else None,
                "completed_at": last if finished else None,
                "last_module_slug": done[-1][0] if done else None,
                "last_viewed_at": last if done else None,
                "viewed_modules": [slug for slug, _c, _p in done] or None,
            }
        )
    _insert(seeded, Enrolment, enrolments)
    _insert(seeded, ModuleProgress, progress)
    attempt_ids = _insert(seeded, QuizAttempt, attempts, returning=QuizAttempt.id)
    _insert(
        seeded,
        AttemptAnswer,
        (
            {"attempt_id": attempt_id, **fact}
            for attempt_id, facts in zip(attempt_ids, facts_of, strict=True)
            for fact in facts
        ),
    )
    _insert(seeded, SurveyResponse, [row for row, _answers in surveys])
    _insert(seeded, SurveyAnswer, (answer for _row, answers in surveys for answer in answers))


def _attended_rates(people: list[_Person], now: datetime) -> dict[int, float]:
    """Attendance toward completion per participant in a cohort, from what was inserted."""
    rows = db.session.execute(
        select(
            AttendanceRecord.user_id,
            func.count().filter(AttendanceRecord.status.in_(("present", "late"))),
            func.count().filter(AttendanceRecord.status == "excused"),
        ).group_by(AttendanceRecord.user_id)
    ).all()
    found = {user_id: (attended, excused) for user_id, attended, excused in rows}
    rates = {}
    for person in people:
        if person.cohort_id is None:
            continue
        attended, excused = found.get(person.user_id, (0, 0))
        expected = SESSIONS - excused
        rates[person.user_id] = 100.0 * attended / expected if expected > 0 else 0.0
    return rates


def _answers(module: ModuleVersion, skill: float, rng: random.Random) -> dict[str, list[str]]:
    """Answers to the module's quiz, each right with probability ``skill``."""
    answers = {}
    for question in module.quiz["questions"]:
        kind, right = question["type"], rng.random() < skill
        keys = [choice["key"] for choice in question.get("choices", ())]
        correct = [c["key"] for c in question.get("choices", ()) if c.get("is_correct")]
        if kind == "single":
            wrong = [key for key in keys if key not in correct] or keys
            answers[question["id"]] = [rng.choice(correct if right else wrong)]
        elif kind == "multiple":
            answers[question["id"]] = (
                correct if right else rng.sample(keys, rng.randint(1, len(keys)))
            )
        elif kind == "true_false":
            truth = bool(question.get("answer"))
            answers[question["id"]] = ["true" if truth == right else "false"]
        elif kind == "numeric":
            low = question["numeric"][0]["low"]
            answers[question["id"]] = [str(low if right else low + rng.choice((-7, -1, 2, 13)))]
        elif kind == "short_text":
            accepted = question.get("accepted") or ["?"]
            answers[question["id"]] = [accepted[0] if right else "no lo sé"]
    return answers


def _attempt(person: _Person, module: ModuleVersion, number: int, answers, moment) -> dict:
    result = grade(module.quiz, answers)
    return {
        "user_id": person.user_id,
        "family": person.course.family,
        "module_slug": module.slug,
        "course_id": person.course.id,
        "module_version_id": module.id,
        "number": number,
        "status": "submitted",
        "token": secrets.token_hex(8),
        "question_order": [q["id"] for q in module.quiz["questions"]],
        "started_at": moment - timedelta(minutes=12),
        "submitted_at": moment,
        "answers": answers,
        "results": result.points_by_question(),
        "score": result.points,
        "max_score": result.max_points,
        "score_percent": result.percent,
        "is_passed": result.passed,
        "_facts": [
            {
                "question_id": fact.question_id,
                "question_type": fact.question_type,
                "value": fact.value,
                "number": fact.number,
                "score": fact.score,
                "max_score": fact.max_score,
                "is_correct": fact.is_correct,
            }
            for fact in answer_facts(module.quiz, answers, result)
        ],
    }


def _survey_attempt(person: _Person, module: ModuleVersion, moment: datetime) -> dict:
    """Who answered the anonymous survey (what they answered is only in the response)."""
    return {
        "user_id": person.user_id,
        "family": person.course.family,
        "module_slug": module.slug,
        "course_id": person.course.id,
        "module_version_id": module.id,
        "number": 1,
        "status": "submitted",
        "token": secrets.token_hex(8),
        "question_order": [q["id"] for q in module.quiz["questions"]],
        "started_at": moment - timedelta(minutes=6),
        "submitted_at": moment,
        "answers": None,
        "results": None,
    }


def _survey_response(person: _Person, module: ModuleVersion, rng: random.Random, moment):
    answers: dict[str, list[str]] = {}
    for question in module.quiz["questions"]:
        if question["type"] == "scale":
            answers[question["id"]] = [str(rng.choices((1, 2, 3, 4, 5), (1, 2, 5, 10, 8))[0])]
        elif rng.random() < 0.3:
            answers[question["id"]] = [rng.choice(COMMENTS)]
    result = grade(module.quiz, answers)
    response_id = UUID(int=rng.getrandbits(128)).hex
    row = {
        "id": response_id,
        "family": person.course.family,
        "module_slug": module.slug,
        "course_id": person.course.id,
        "module_version_id": module.id,
        "submitted_on": moment.date(),
        "institution_id": person.institution_id,
        "cohort_id": person.cohort_id,
        "answers": answers,
    }
    facts = [
        {
            "response_id": response_id,
            "question_id": fact.question_id,
            "question_type": fact.question_type,
            "value": fact.value,
            "number": fact.number,
        }
        for fact in answer_facts(module.quiz, answers, result)
    ]
    return row, facts


COMMENTS = (
    "Los talleres con otras instituciones fueron lo más útil.",
    "More examples from municipalities, please.",
    "El módulo de empleo me sirvió para el plan cantonal.",
    "The post-test was harder than the lessons.",
    "Más tiempo para los ejercicios prácticos.",
)


def _account(local: str, name: str, role: Role, shared_hash: str) -> dict:
    return {
        "email": f"{local}@{DOMAIN}",
        "full_name": name,
        "password_hash": shared_hash,
        "role": role.value,
    }


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _insert(seeded: Seeded, model, rows: Iterable[dict], *, returning=None) -> list:
    """Insert ``rows`` in chunks of CHUNK (executemany); with ``returning``, the new ids in
    the order of the rows."""
    table = model.__table__
    ids: list = []
    chunk: list[dict] = []

    def flush(batch: Sequence[dict]) -> None:
        if not batch:
            return
        statement = insert(model)
        if returning is not None:
            statement = statement.returning(returning, sort_by_parameter_order=True)
            ids.extend(db.session.scalars(statement, list(batch)).all())
        else:
            db.session.execute(statement, list(batch))
        seeded.rows[table.name] += len(batch)

    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            flush(chunk)
            chunk = []
    flush(chunk)
    return ids


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum would have them after such a load; on
    PostgreSQL a VACUUM too, which marks the pages all-visible so that index-only scans
    need not visit the table (it cannot run inside a transaction)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
