"""Demo data for a first look at trainer. Never used in production."""

from __future__ import annotations

from sqlalchemy import select

from trainer.auth import services as accounts
from trainer.auth.models import Institution, InstitutionKind, ProgrammeSettings, Role
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


def seed_demo() -> list[tuple[str, str, str, bool]]:
    """Create what is missing; returns (e-mail, password, role label, created now)."""
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
    return report
