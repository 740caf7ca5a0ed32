"""The dashboard, its exports and the item analysis run as many SQL statements for 1,000
participants as for 10, and only read."""

from __future__ import annotations

import random

from sqlalchemy import insert, select

from tests.reports.bulk import add_participants
from trainer.auth.models import User
from trainer.cohorts import sessions as cohort_sessions
from trainer.cohorts.models import AttendanceRecord, CohortMember
from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.reports import dashboard
from trainer.reports.scope import ReportFilter

FAMILY = ReportFilter("gain-course")
PAGES = (
    "/reports?family=gain-course",
    "/reports/tables/participants.xlsx?family=gain-course",
    "/reports/dashboard.xlsx?family=gain-course",
    "/reports/items?family=gain-course",
    "/reports/participants/{ana}?family=gain-course",
)


def grow(db, p, count: int, seed: int) -> None:
    """``count`` more participants, half of them in March, each marked at both sessions."""
    modules = [m for m in current_modules(p.english) if m.quiz]
    add_participants(
        db.session, p.english, modules, [p.quito.id, p.cuenca.id], p.march.id, count, seed=seed
    )
    members = db.session.scalars(
        select(CohortMember.user_id).where(CohortMember.cohort_id == p.march.id)
    ).all()
    marked = set(db.session.scalars(select(AttendanceRecord.user_id).distinct()).all())
    rng = random.Random(seed)
    rows = [
        {
            "session_id": session_id,
            "user_id": user_id,
            "status": rng.choice(["present", "late", "excused", "absent"]),
            "method": "roster",
            "recorded_at": utcnow(),
        }
        for user_id in members
        if user_id not in marked
        for session_id in p.session_ids
    ]
    if rows:
        db.session.execute(insert(AttendanceRecord), rows)
    db.session.flush()


def test_the_same_statements_for_10_and_1000_participants(
    programme, db, count_queries, client, login_as
):
    from datetime import date, time

    p = programme
    p.session_ids = [
        cohort_sessions.schedule_session(
            p.admin, p.march, day=date(2026, 3, day), start=time(9), end=time(12), place="Sala"
        ).id
        for day in (3, 10)
    ]
    grow(db, p, 5, seed=1)
    actors = [p.admin.id, p.quito_coordinator.id, p.programme.id]
    quito_coordinator, ana = p.quito_coordinator.id, p.ana.id

    def measure() -> dict:
        counts = {}
        for actor_id in actors:
            actor = db.session.get(User, actor_id)
            with count_queries() as statements:
                data = dashboard.build(actor, FAMILY, now=utcnow(), inactive_after_days=14)
            assert all(s.lstrip().upper().startswith(("SELECT", "WITH")) for s in statements)
            counts[actor_id] = (len(statements), len(data.participants))
        login_as(db.session.get(User, quito_coordinator))
        for path in PAGES:
            with count_queries() as statements:
                response = client.get(path.format(ana=ana))
            assert response.status_code == 200, path
            counts[path] = (len(statements), None)
        return counts

    small = measure()
    assert small[actors[0]][1] == 10
    grow(db, p, 990, seed=2)
    large = measure()
    assert large[actors[0]][1] == 1000
    assert {k: v[0] for k, v in large.items()} == {k: v[0] for k, v in small.items()}
    print({k: v[0] for k, v in large.items()})
