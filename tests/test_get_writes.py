"""Pages only read: every GET route, as every kind of user, writes nothing but the one
write a page may make.

The routes and the data are the permission table's (tests/test_permissions.py), with
completions left pending on purpose: a participant whose progress meets every rule but whose
completion was never stored, and a quiz attempt whose time is up but still open. A page that
judged and stored completion, or closed the attempt, would write here.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from tests.sessions import log_in, use_api_token
from tests.test_permissions import ACTORS, ROWS, build_scenario
from trainer.auth.logins import SEEN_EVERY
from trainer.auth.models import LoginSession
from trainer.dbtypes import utcnow
from trainer.learning.models import Enrolment, ModuleProgress, QuizAttempt

# What a GET may write: (statement, table, the columns it sets), nothing else, not even
# another column of the same table. Each is one UPDATE, at most every few minutes, in a short
# transaction of its own: the module page records the last module viewed
# (learning.services.record_view), every page notes that a log-in is still in use
# (auth.loader.note_activity), and the API notes when a token was last used
# (trainer.api.tokens.note_used).
ALLOWED = {
    ("UPDATE", "enrolment", frozenset({"last_module_slug", "last_viewed_at", "viewed_modules"})),
    ("UPDATE", "login_session", frozenset({"last_seen_at", "expires_at"})),
    ("UPDATE", "api_token", frozenset({"last_used_at"})),
}

_WRITE = re.compile(r'^\s*(INSERT|UPDATE|DELETE)\s+(?:INTO\s+|FROM\s+)?"?(\w+)', re.IGNORECASE)
_SET = re.compile(r"\bSET\s+(.*?)(?:\s+WHERE\b|$)", re.IGNORECASE | re.DOTALL)


def pending_completions(db, scenario) -> None:
    participant = scenario.users["participant_a_enrolled"]
    course = scenario.objects["open_course"]
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == participant.id))
    now = utcnow()
    for slug, passed in (("module-1", False), ("module-2", True)):
        db.session.add(
            ModuleProgress(
                user_id=participant.id,
                family=course.family,
                module_slug=slug,
                completed_at=now,
                quiz_passed_at=now if passed else None,
            )
        )
    attempt = db.session.get(QuizAttempt, scenario.objects["attempt_id"])
    attempt.started_at = now - timedelta(hours=2)
    attempt.deadline_at = now - timedelta(hours=1)
    db.session.flush()
    assert enrolment.completed_at is None


def writes_of(statements: list[str]) -> list[tuple[str, str, frozenset]]:
    found = []
    for statement in statements:
        match = _WRITE.match(statement)
        if match:
            assigned = _SET.search(statement) if match.group(1).upper() == "UPDATE" else None
            columns = re.findall(r'"?(\w+)"?\s*=', assigned.group(1)) if assigned else []
            found.append((match.group(1).upper(), match.group(2).lower(), frozenset(columns)))
    return found


def test_the_pattern_reads_writes():
    none = frozenset()
    assert writes_of(['INSERT INTO "audit_entry" (a) VALUES (1)']) == [
        ("INSERT", "audit_entry", none)
    ]
    assert writes_of(
        [
            "UPDATE enrolment SET completed_at=? WHERE enrolment.id IN (?)",
            'UPDATE "enrolment" SET "last_module_slug"=%(a)s, last_viewed_at = %(b)s WHERE x',
            "DELETE FROM quiz_attempt WHERE 1",
        ]
    ) == [
        ("UPDATE", "enrolment", frozenset({"completed_at"})),
        ("UPDATE", "enrolment", frozenset({"last_module_slug", "last_viewed_at"})),
        ("DELETE", "quiz_attempt", none),
    ]
    assert writes_of(["SELECT 1", "SAVEPOINT sa_1"]) == []


def test_every_get_route_is_walked(app):
    walked = {row.endpoint for row in ROWS if row.method == "GET"}
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert routes <= walked


@pytest.mark.parametrize("actor", ACTORS)
def test_get_pages_write_nothing_else(app, db, make, actor):
    scenario = build_scenario(make)
    pending_completions(db, scenario)
    participant_id = scenario.users["participant_a_enrolled"].id
    db.session.commit()
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    failures = []
    allowed_seen = []
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for row in ROWS:
            if row.method != "GET":
                continue
            client = app.test_client()
            if row.bearer:
                if actor in scenario.objects["api_tokens"]:
                    use_api_token(client, scenario.objects["api_tokens"][actor])
            elif scenario.users[actor] is not None:
                log_in(client, scenario.users[actor])
                # Last seen long ago: this page is due to note the log-in again.
                db.session.execute(
                    update(LoginSession)
                    .where(LoginSession.user_id == scenario.users[actor].id)
                    .values(last_seen_at=utcnow() - SEEN_EVERY)
                )
                db.session.commit()
            statements.clear()
            response = client.get(row.path(scenario))
            response.close()
            written = writes_of(statements)
            allowed_seen += [w for w in written if w in ALLOWED]
            unexpected = [w for w in written if w not in ALLOWED]
            if unexpected:
                failures.append(f"{row.path(scenario)} ({response.status_code}): {unexpected}")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert not failures, f"{actor}: " + "; ".join(failures)
    # The walk does see writes: log-ins were noted, the enrolled participant's views recorded.
    expected = set()
    if actor != "anonymous":
        expected.add("login_session")
    if actor == "participant_a_enrolled":
        expected.add("enrolment")
    if actor in scenario.objects["api_tokens"]:
        expected.add("api_token")
    assert {table for _statement, table, _columns in allowed_seen} == expected
    db.session.expire_all()
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == participant_id))
    assert enrolment.completed_at is None  # shown as complete, stored by the next write
    attempt = db.session.get(QuizAttempt, scenario.objects["attempt_id"])
    assert attempt.is_in_progress  # shown as closed, stored by the next write or cleanup
