"""Factories: plain functions with sensible defaults, flushing into the test session."""

from __future__ import annotations

import itertools

from trainer.auth import services as accounts
from trainer.auth.models import Institution, InstitutionKind, Role, User

_counter = itertools.count(1)

DEFAULT_PASSWORD = "correct horse battery"


class Factories:
    def __init__(self, db) -> None:
        self.db = db

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
