"""Factories: plain functions with sensible defaults, flushing into the test session."""

from __future__ import annotations

import itertools
from pathlib import Path

from trainer.auth import services as accounts
from trainer.auth.models import Institution, InstitutionKind, Role, User

_counter = itertools.count(1)

DEFAULT_PASSWORD = "correct horse battery"


class Factories:
    def __init__(self, db, course_root: Path) -> None:
        self.db = db
        # Course folders are written here; the fixture that made the factories removes it.
        self.course_root = course_root

    def institution(self, slug: str | None = None, **fields) -> Institution:
        n = next(_counter)
        institution = Institution(
            slug=slug or f"institution-{n}",
            name=fields.pop("name", f"Institution {n}"),
            kind=fields.pop("kind", InstitutionKind.MINISTRY.value),
            country=fields.pop("country", "EC"),
            **fields,
        )
        self.db.session.add(institution)
        self.db.session.flush()
        return institution

    def user(
        self,
        role: Role | str = Role.PARTICIPANT,
        *,
        institution: Institution | None = None,
        email: str | None = None,
        password: str | None = DEFAULT_PASSWORD,
        **fields,
    ) -> User:
        n = next(_counter)
        role = Role(role)
        if institution is None and role is Role.PARTICIPANT:
            institution = self.institution()
        if institution is None and role is Role.COORDINATOR and not fields.get("is_programme_wide"):
            institution = self.institution()
        return accounts.create_user(
            email or f"user{n}@example.org",
            fields.pop("full_name", f"User {n}"),
            role,
            institution=institution,
            password=password,
            **fields,
        )

    def course(
        self,
        slug: str | None = None,
        *,
        owners: tuple[str, ...] = ("owner@example.org",),
        audience: tuple[str, ...] = (),
        modules: int = 2,
        language: str = "en",
        translation_of: str | None = None,
    ):
        """Write a small course folder and import it through the real parser and importer."""
        from trainer.courses.parser import load_course
        from trainer.courses.services import import_course

        n = next(_counter)
        slug = slug or f"course-{n}"
        folder = self.course_root / str(n) / slug
        folder.mkdir(parents=True)
        audience_yml = "open" if not audience else "[" + ", ".join(audience) + "]"
        translation = f"translation_of: {translation_of}\n" if translation_of else ""
        (folder / "course.yml").write_text(
            f"title: Course {n}\nsummary: A course.\nlanguage: {language}\nversion: '1'\n"
            f"owners: [{', '.join(owners)}]\naudience: {audience_yml}\n{translation}",
            encoding="utf-8",
        )
        for i in range(1, modules + 1):
            quiz = (
                f"\n::: quiz\npass: 50\n\n? Is this module {i}? {{id=q-{i}}}\n= true\n"
                "> It is.\n:::\n"
                if i % 2 == 0
                else ""
            )
            (folder / f"{i:02d}-module-{i}.md").write_text(
                f"---\ntitle: Module {i}\nminutes: 10\n---\n## Part {i}\n\nText {i}.\n{quiz}",
                encoding="utf-8",
            )
        spec, problems = load_course(folder)
        assert not problems, problems
        course = import_course(spec).course
        self.db.session.flush()
        return course

    def cohort(self, course, *, members=(), sessions: int = 4, attended: int | None = None):
        """A running cohort of the course's family, in Quito, with ``sessions`` weekly sessions
        that are all over (the last one a week ago). Each member joined before the first and
        was marked present at the first ``attended`` of them (all, by default) and absent at
        the others; members join through the service, so they are enrolled and judged."""
        from datetime import datetime, time, timedelta
        from zoneinfo import ZoneInfo

        from trainer.cohorts import services as cohorts
        from trainer.cohorts import sessions as cohort_sessions
        from trainer.dbtypes import utcnow

        zone = "America/Guayaquil"
        today = datetime.now(ZoneInfo(zone)).date()
        days = [today - timedelta(weeks=n) for n in range(sessions, 0, -1)]
        admin = self.user(Role.ADMIN)
        cohort = cohorts.create_cohort(
            admin,
            course,
            name=f"Cohort {next(_counter)}",
            starts_on=today - timedelta(weeks=sessions + 1),
            ends_on=today,
            timezone=zone,
            open_to_all=True,
        )
        cohorts.start_cohort(admin, cohort)
        found = [
            cohort_sessions.schedule_session(
                admin, cohort, day=day, start=time(9), end=time(12), place="Sala 1"
            )
            for day in days
        ]
        joined = utcnow() - timedelta(weeks=sessions + 1)
        for person in members:
            cohorts.add_member(admin, cohort, person, now=joined)
        attended = sessions if attended is None else attended
        for n, session in enumerate(found):
            status = "present" if n < attended else "absent"
            if members:
                cohort_sessions.record_attendance(
                    admin, session, dict.fromkeys(members, status), now=session.ends_at
                )
        return cohort
