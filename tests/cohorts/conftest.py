"""Cohort fixtures: a course, the people around a cohort, and a recorder of cohort signals."""

from __future__ import annotations

from collections import defaultdict
from contextlib import ExitStack
from datetime import UTC, date, datetime, time
from types import SimpleNamespace

import pytest

from trainer.auth.models import Role
from trainer.cohorts import services, sessions, signals

# The cohort runs in March 2026 in Quito (UTC-5, no daylight saving time).
MARCH_1, MARCH_31 = date(2026, 3, 1), date(2026, 3, 31)
ZONE = "America/Guayaquil"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC instant in March 2026."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def people(make):
    """Two institutions and the people around a cohort of one course."""
    quito, cuenca = make.institution(name="Municipio de Quito"), make.institution(name="Cuenca")
    owner = make.user(Role.TRAINER, email="owner@example.org", full_name="Olga Owner")
    return SimpleNamespace(
        quito=quito,
        cuenca=cuenca,
        course=make.course(owners=("owner@example.org",)),
        admin=make.user(Role.ADMIN),
        owner=owner,
        trainer=make.user(Role.TRAINER, full_name="Tomás Trainer"),
        other_trainer=make.user(Role.TRAINER),
        programme=make.user(Role.COORDINATOR, is_programme_wide=True),
        quito_coordinator=make.user(Role.COORDINATOR, institution=quito),
        cuenca_coordinator=make.user(Role.COORDINATOR, institution=cuenca),
        ana=make.user(institution=quito, full_name="Ana Núñez"),
        zoe=make.user(institution=quito, full_name="Zoë Éluard"),
        luis=make.user(institution=cuenca, full_name="Luis Peña"),
    )


@pytest.fixture
def new_cohort(people):
    def build(*, name="Quito, March", institutions=None, open_to_all=False, trainers=None):
        return services.create_cohort(
            people.admin,
            people.course,
            name=name,
            starts_on=MARCH_1,
            ends_on=MARCH_31,
            timezone=ZONE,
            institutions=[people.quito, people.cuenca] if institutions is None else institutions,
            open_to_all=open_to_all,
            trainers=[people.trainer] if trainers is None else trainers,
        )

    return build


@pytest.fixture
def new_session(people):
    """A session on March ``day`` from 09:00 to 12:00 in Quito (14:00 to 17:00 UTC)."""

    def build(cohort, day: int = 2):
        return sessions.schedule_session(
            people.admin,
            cohort,
            day=date(2026, 3, day),
            start=time(9),
            end=time(12),
            place="Sala 3",
        )

    return build


@pytest.fixture
def received():
    """Every cohort signal sent during the test: {signal name: [(sender, kwargs), ...]}."""
    calls = defaultdict(list)
    with ExitStack() as stack:
        for signal in (
            signals.member_added,
            signals.member_left,
            signals.attendance_recorded,
            signals.session_changed,
            signals.cohort_closed,
        ):

            def receiver(sender, _name=signal.name, **kwargs):
                calls[_name].append((sender, kwargs))

            stack.enter_context(signal.connected_to(receiver))
        yield calls
