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
