"""Tokens, a client that speaks to the API with them, and a programme with figures computed
by hand (test_figures.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import update

from tests.reports.conftest import build_programme
from trainer.api import tokens
from trainer.cohorts import services as cohorts
from trainer.cohorts import sessions as cohort_sessions
from trainer.cohorts.models import CohortMember

# The March cohort's attendance in tests/reports' programme (see test_figures.py).
MARKS = {
    "ana": ("present", "present", "late", "absent"),
    "ben": ("present", "excused", "absent", "absent"),
    "carla": ("present", "present", "present", "present"),
}


@pytest.fixture
def token_for(db):
    """A working token's secret for a coordinator."""

    def create(coordinator, name: str = "HR system") -> str:
        secret = tokens.create(coordinator, name).secret
        db.session.flush()
        return secret

    return create


@pytest.fixture
def api(app, db):
    """GET an API address with a token: api(path, token, **query) -> response."""
    client = app.test_client()

    def get(path: str, token: str | None = None, **query):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.get(path, headers=headers, query_string=query)

    return get


@pytest.fixture
def programme(db, make, tmp_path):
    found = build_programme(db, make, tmp_path)
    march = found.march
    db.session.execute(
        update(CohortMember)
        .where(CohortMember.cohort_id == march.id)
        .values(joined_at=datetime(2026, 2, 1, tzinfo=UTC))
    )
    db.session.expire_all()
    cohorts.start_cohort(found.admin, march)
    for n, day in enumerate((2, 9, 16, 23)):
        session = cohort_sessions.schedule_session(
            found.admin, march, day=date(2026, 3, day), start=time(9), end=time(12), place="Sala"
        )
        marks = {getattr(found, name): statuses[n] for name, statuses in MARKS.items()}
        cohort_sessions.record_attendance(found.admin, session, marks, now=session.ends_at)
    db.session.flush()
    # Plain ids: requests end the session the objects belong to.
    found.ids = {
        name: getattr(found, name).id
        for name in ("ana", "ben", "carla", "dario", "eva", "quito", "cuenca")
    }
    found.march_id = march.id
    return found
