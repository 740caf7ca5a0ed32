"""Demo data for a first look at trainer. Never used in production.

``seed_demo`` creates what is missing, so it can run again at any time: the institutions, one
account per kind of user, and, once the demo course has been imported (``courses import
courses/``; ``make run`` imports it first), a demo cohort of it. The cohort's sessions are
placed around the day it is created, in its time zone (a few already held, with attendance,
one still to come), and the demo participant's attendance meets the course's 75 %, so the
demo course can still be completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from trainer.auth import services as accounts
from trainer.auth.models import Institution, InstitutionKind, ProgrammeSettings, Role, User
from trainer.cohorts import services as cohorts
from trainer.cohorts import sessions as cohort_sessions
from trainer.cohorts.models import Cohort
from trainer.courses.models import Course
from trainer.dbtypes import utcnow
from trainer.extensions import db

INSTITUTIONS = [
    ("ministerio-trabajo", "Ministerio del Trabajo", InstitutionKind.MINISTRY),
    (
        "gad-quito",
        "GAD Municipal del Distrito Metropolitano de Quito",
        InstitutionKind.MUNICIPALITY,
    ),
    ("gad-cuenca", "GAD Municipal de Cuenca", InstitutionKind.MUNICIPALITY),
]

# (e-mail, name, role, institution slug, programme-wide, language, password)
USERS = [
    ("admin@example.org", "Ada Admin", Role.ADMIN, None, False, "en", "demo-admin-pass"),
    ("trainer@example.org", "Tomás Trainer", Role.TRAINER, None, False, "es", "demo-trainer-pass"),
    (
        "coordinator@example.org",
        "Carmen Coordinadora",
        Role.COORDINATOR,
        "ministerio-trabajo",
        False,
        "es",
        "demo-coordinator-pass",
    ),
    (
        "programme@example.org",
        "Pablo Programa",
        Role.COORDINATOR,
        None,
        True,
        "es",
        "demo-programme-pass",
    ),
    (
        "participant@example.org",
        "Paula Participante",
        Role.PARTICIPANT,
        "ministerio-trabajo",
        False,
        "es",
        "demo-participant-pass",
    ),
    (
        "participant2@example.org",
        "Diego Delgado",
        Role.PARTICIPANT,
        "gad-quito",
        False,
        "es",
        "demo-participant-pass",
    ),
]


# Members of the demo cohort who never log in: (e-mail, name, institution slug).
MEMBERS = [
    ("lucia.andrade@example.org", "Lucía Andrade", "gad-quito"),
    ("marco.jaramillo@example.org", "Marco Jaramillo", "ministerio-trabajo"),
]

COURSE = "migration-development-policy"
COHORT = "Quito, demo cohort"
ZONE = "America/Guayaquil"
# Days of the sessions from the day the cohort is created: four held, one to come.
SESSION_DAYS = (-28, -21, -14, -7, 7)
# Marks at the four held sessions; None: never marked, shown as "not recorded". Counted over
# all five scheduled sessions (PRODUCT.md): Paula 4 of 5 (80 %) and Diego 3 of 4, one
# excused (75 %) meet the course's 75 %; Lucía has 2 of 5; Marco joined after the second.
MARKS = {
    "participant@example.org": ("present", "present", "late", "present"),
    "participant2@example.org": ("present", "late", "excused", "present"),
    "lucia.andrade@example.org": ("present", "absent", "present", None),
    "marco.jaramillo@example.org": (None, None, "present", "absent"),
}
JOINS_LATE = {"marco.jaramillo@example.org": -17}  # days, like SESSION_DAYS


@dataclass
class DemoSeed:
    accounts: list[tuple[str, str, str, bool]]  # (e-mail, password, role label, created now)
    cohort: Cohort | None  # None while the demo course is not imported
    cohort_created: bool


def seed_demo(*, now: datetime | None = None) -> DemoSeed:
    """Create what is missing (accounts, then the demo cohort once the demo course exists).
    Flushes, never commits."""
    report = _seed_accounts()
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
    if cohort is not None:
        return DemoSeed(report, cohort, False)
    course = db.session.scalar(select(Course).where(Course.slug == COURSE))
    if course is None or course.current_version_id is None:
        return DemoSeed(report, None, False)
    return DemoSeed(report, _seed_cohort(course, now or utcnow()), True)


def _seed_accounts() -> list[tuple[str, str, str, bool]]:
    institutions = {}
    for slug, name, kind in INSTITUTIONS:
        institution = db.session.scalar(select(Institution).where(Institution.slug == slug))
        if institution is None:
            institution = Institution(slug=slug, name=name, kind=kind.value, country="EC")
            db.session.add(institution)
        institutions[slug] = institution
    if db.session.get(ProgrammeSettings, 1) is None:
        db.session.add(
            ProgrammeSettings(
                id=1,
                programme_name="Migración y desarrollo · Ecuador",
                default_timezone="America/Guayaquil",
                signatories=[{"name": "Laura Benítez", "role": "Programme director"}],
            )
        )
    db.session.flush()

    report = []
    for email, name, role, slug, wide, language, password in USERS:
        label = "programme coordinator" if wide else role.value
        existing = accounts.find_user_by_email(email)
        if existing is None:
            accounts.create_user(
                email,
                name,
                role,
                institution=institutions.get(slug) if slug else None,
                password=password,
                language=language,
                is_programme_wide=wide,
            )
        report.append((email, password, label, existing is None))
    for email, name, slug in MEMBERS:
        if accounts.find_user_by_email(email) is None:
            accounts.create_user(email, name, Role.PARTICIPANT, institution=institutions[slug])
    return report


def _seed_cohort(course: Course, now: datetime) -> Cohort:
    """The demo cohort, through the services the pages use: its members are enrolled by the
    same signals, and their attendance is judged toward completion."""
    people = {
        user.email: user
        for user in db.session.scalars(
            select(User).where(
                User.email.in_(
                    ["admin@example.org", "trainer@example.org", *MARKS],
                )
            )
        )
    }
    admin, trainer = people["admin@example.org"], people["trainer@example.org"]
    zone = ZoneInfo(ZONE)
    today = now.astimezone(zone).date()
    cohort = cohorts.create_cohort(
        admin,
        course,
        name=COHORT,
        starts_on=today + timedelta(days=SESSION_DAYS[0]),
        ends_on=today + timedelta(days=SESSION_DAYS[-1]),
        timezone=ZONE,
        institutions=[
            people["participant@example.org"].institution,
            people["participant2@example.org"].institution,
        ],
        trainers=[trainer],
    )
    cohorts.start_cohort(admin, cohort)
    sessions = [
        cohort_sessions.schedule_session(
            admin,
            cohort,
            day=today + timedelta(days=days),
            start=time(9),
            end=time(12, 30),
            place="" if n == 2 else "Ministerio del Trabajo, sala 2, Quito",
            online_url="https://meet.example.org/demo-cohort" if n == 2 else "",
        )
        for n, days in enumerate(SESSION_DAYS)
    ]
    for email in MARKS:
        joined = _local(today + timedelta(days=JOINS_LATE.get(email, SESSION_DAYS[0] - 3)), zone)
        cohorts.add_member(admin, cohort, people[email], now=joined)
    for n, session in enumerate(sessions):
        marks = {
            people[email]: marks[n] for email, marks in MARKS.items() if n < len(marks) and marks[n]
        }
        if marks:
            cohort_sessions.record_attendance(trainer, session, marks, now=session.ends_at)
    return cohort


def _local(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(8), tzinfo=zone)
