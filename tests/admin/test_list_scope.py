"""Every list of people returns exactly the people its viewer may see.

The expectations are written out by hand, per kind of user, rather than computed with the
rule under test (trainer.auth.policy.scope_people).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.sessions import log_in
from trainer.auth.models import Role, User
from trainer.auth.policy import scope_people

EVERYONE = {
    "Ana A",
    "Alba A",
    "Beto B",
    "Tomás Trainer",
    "Carla Coord A",
    "Ciro Coord B",
    "Pia Programme",
    "Ada Admin",
}
PARTICIPANTS = {"Ana A", "Alba A", "Beto B"}


@pytest.fixture
def people(make, db):
    a = make.institution("scope-a", name="Scope A")
    b = make.institution("scope-b", name="Scope B")
    found = {
        "participant": make.user(institution=a, full_name="Ana A"),
        "participant_inactive": make.user(institution=a, full_name="Alba A"),
        "participant_b": make.user(institution=b, full_name="Beto B"),
        "trainer": make.user(Role.TRAINER, full_name="Tomás Trainer"),
        "coordinator_a": make.user(Role.COORDINATOR, institution=a, full_name="Carla Coord A"),
        "coordinator_b": make.user(Role.COORDINATOR, institution=b, full_name="Ciro Coord B"),
        "programme_coordinator": make.user(
            Role.COORDINATOR, is_programme_wide=True, full_name="Pia Programme"
        ),
        "admin": make.user(Role.ADMIN, full_name="Ada Admin"),
    }
    found["participant_inactive"].is_active = False  # still listed, marked deactivated
    found["a"], found["b"] = a, b
    db.session.flush()
    return found


# What scope_people keeps, per kind of user: everyone in an institution they see.
SCOPE = {
    "participant": set(),
    "trainer": set(),
    "coordinator_a": {"Ana A", "Alba A", "Carla Coord A"},
    "coordinator_b": {"Beto B", "Ciro Coord B"},
    "programme_coordinator": {"Ana A", "Alba A", "Beto B", "Carla Coord A", "Ciro Coord B"},
    "admin": EVERYONE,
}

# Each list route -> {kind of user: the names listed, or None for "refused"}.
LISTS = {
    "/admin/people": {
        "participant": None,
        "trainer": None,
        "coordinator_a": {"Ana A", "Alba A"},
        "coordinator_b": {"Beto B"},
        "programme_coordinator": PARTICIPANTS,
        "admin": PARTICIPANTS,
    },
    # A forged filter for the other institution is ignored, never widened.
    "/admin/people?institution={b}": {
        "participant": None,
        "trainer": None,
        "coordinator_a": {"Ana A", "Alba A"},
        "coordinator_b": {"Beto B"},
        "programme_coordinator": {"Beto B"},
        "admin": {"Beto B"},
    },
    "/admin/people?q=b": {
        "participant": None,
        "trainer": None,
        "coordinator_a": {"Alba A"},
        "coordinator_b": {"Beto B"},
        "programme_coordinator": {"Alba A", "Beto B"},
        "admin": {"Alba A", "Beto B"},
    },
    "/admin/users": {
        "participant": None,
        "trainer": None,
        "coordinator_a": None,
        "coordinator_b": None,
        "programme_coordinator": None,
        "admin": EVERYONE,
    },
    "/admin/users?q=coord": {
        "participant": None,
        "trainer": None,
        "coordinator_a": None,
        "coordinator_b": None,
        "programme_coordinator": None,
        "admin": {"Carla Coord A", "Ciro Coord B"},
    },
}

_ROW = re.compile(r'<th scope="row">(?:<a [^>]*>)?([^<]+)')


def listed(html: str) -> set[str]:
    return {name.strip() for name in _ROW.findall(html)}


@pytest.mark.parametrize("viewer", sorted(SCOPE))
def test_scope_people_keeps_exactly_whom_each_kind_of_user_sees(db, people, viewer):
    statement = scope_people(people[viewer], select(User.full_name))
    names = set(db.session.scalars(statement)) & EVERYONE
    assert names == SCOPE[viewer]


@pytest.mark.parametrize("path", sorted(LISTS))
def test_every_list_returns_exactly_the_people_its_viewer_may_see(app, db, people, path):
    failures = []
    for viewer, expected in LISTS[path].items():
        client = log_in(app.test_client(), people[viewer])
        response = client.get(path.format(b=people["b"].id))
        if expected is None:
            if response.status_code != 403:
                failures.append(f"{viewer}: status {response.status_code}, expected 403")
            continue
        names = listed(response.get_data(as_text=True)) & EVERYONE
        if response.status_code != 200 or names != expected:
            failures.append(f"{viewer}: {response.status_code} {sorted(names)}")
    assert not failures, f"{path}: " + "; ".join(failures)
