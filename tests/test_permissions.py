"""Every route x every kind of user -> exactly one expected status.

A route registered in the app but missing here fails the suite: whoever adds a route adds
its row, and so decides who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from trainer.auth.models import Role

ACTORS = (
    "anonymous",
    "participant_a_enrolled",
    "participant_a",
    "participant_b",
    "trainer_owner",
    "trainer_other",
    "coordinator_a",
    "coordinator_b",
    "programme_coordinator",
    "admin",
)


@dataclass
class Scenario:
    """Two institutions and one user of each kind; objects later rows point at."""

    users: dict
    institution_a: object
    institution_b: object
    objects: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    path: Callable[[Scenario], str]
    # One status per actor, in the order of ACTORS.
    expected: tuple[int, ...]
    data: Callable[[Scenario], dict] | None = None


def _all(status: int) -> tuple[int, ...]:
    return (status,) * len(ACTORS)


def _logged_in(status: int, anonymous: int = 302) -> tuple[int, ...]:
    return (anonymous,) + (status,) * (len(ACTORS) - 1)


ROWS: list[Row] = [
    Row("static", "GET", lambda s: "/static/css/trainer.css", _all(200)),
    Row("main.healthz", "GET", lambda s: "/healthz", _all(200)),
    Row("main.index", "GET", lambda s: "/", _logged_in(200)),
    Row(
        "main.set_language", "POST", lambda s: "/language", _all(302), lambda s: {"language": "es"}
    ),
    Row("auth.login", "GET", lambda s: "/login", (200,) + (302,) * 9),
    Row("auth.login", "POST", lambda s: "/login", (200,) + (302,) * 9),
    Row("auth.logout", "POST", lambda s: "/logout", _all(302)),
    Row("auth.change_password", "GET", lambda s: "/account/password", _logged_in(200)),
    Row("auth.change_password", "POST", lambda s: "/account/password", _logged_in(200)),
    Row("auth.set_password", "GET", lambda s: "/set-password/not-a-token", _all(410)),
    Row("auth.set_password", "POST", lambda s: "/set-password/not-a-token", _all(410)),
    Row("auth.forgot_password", "GET", lambda s: "/forgot-password", _all(404)),
    Row("auth.forgot_password", "POST", lambda s: "/forgot-password", _all(404)),
    # Course content. An open course is readable by everybody logged in; a course whose
    # audience is institution A is refused to participants of B.
    Row("courses.course", "GET", lambda s: "/courses/open-course", _logged_in(200)),
    Row(
        "courses.module", "GET", lambda s: "/courses/open-course/modules/module-1", _logged_in(200)
    ),
    Row(
        "courses.module",
        "GET",
        lambda s: "/courses/course-for-a/modules/module-1",
        (302, 200, 200, 403, 200, 200, 200, 200, 200, 200),
    ),
    Row(
        "courses.asset", "GET", lambda s: "/courses/open-course/assets/missing.png", _logged_in(404)
    ),
    Row(
        "courses.asset",
        "GET",
        lambda s: "/courses/course-for-a/assets/missing.png",
        (302, 404, 404, 403, 404, 404, 404, 404, 404, 404),
    ),
]


def _courses(make, scenario: Scenario) -> None:
    owner = scenario.users["trainer_owner"].email
    scenario.objects["open_course"] = make.course("open-course", owners=(owner,))
    scenario.objects["course_for_a"] = make.course(
        "course-for-a", owners=(owner,), audience=("institution-a",)
    )


# Scenario builders added by domains: each takes (make, scenario) and adds objects.
SCENARIO_HOOKS: list[Callable] = [_courses]


def build_scenario(make) -> Scenario:
    a = make.institution("institution-a", name="Institution A")
    b = make.institution("institution-b", name="Institution B")
    users = {
        "anonymous": None,
        "participant_a_enrolled": make.user(Role.PARTICIPANT, institution=a),
        "participant_a": make.user(Role.PARTICIPANT, institution=a),
        "participant_b": make.user(Role.PARTICIPANT, institution=b),
        "trainer_owner": make.user(Role.TRAINER),
        "trainer_other": make.user(Role.TRAINER),
        "coordinator_a": make.user(Role.COORDINATOR, institution=a),
        "coordinator_b": make.user(Role.COORDINATOR, institution=b),
        "programme_coordinator": make.user(Role.COORDINATOR, is_programme_wide=True),
        "admin": make.user(Role.ADMIN),
    }
    scenario = Scenario(users=users, institution_a=a, institution_b=b)
    for hook in SCENARIO_HOOKS:
        hook(make, scenario)
    return scenario


def _rule_keys(app) -> set[tuple[str, str]]:
    keys = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            keys.add((rule.endpoint, method))
    return keys


def test_every_route_has_a_row(app):
    covered = {(row.endpoint, row.method) for row in ROWS}
    missing = sorted(_rule_keys(app) - covered)
    assert not missing, f"routes without a permission row: {missing}"
    stale = sorted(covered - _rule_keys(app))
    assert not stale, f"rows for routes that do not exist: {stale}"


def test_rows_have_one_status_per_actor():
    for row in ROWS:
        assert len(row.expected) == len(ACTORS), row


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.endpoint}")
def test_permission_table(app, make, login_as, row):
    scenario = build_scenario(make)
    failures = []
    for actor, expected in zip(ACTORS, row.expected, strict=True):
        client = app.test_client()
        user = scenario.users[actor]
        if user is not None:
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
        path = row.path(scenario)
        if row.method == "GET":
            response = client.get(path)
        else:
            data = row.data(scenario) if row.data else {}
            response = client.open(
                path, method=row.method, data={**data, "csrf_token": client.csrf_token()}
            )
        if response.status_code != expected:
            failures.append(f"{actor}: got {response.status_code}, expected {expected}")
        response.close()
    assert not failures, f"{row.method} {path}: " + "; ".join(failures)
