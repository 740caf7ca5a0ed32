"""The people lists and the audit log page by key: every row once, forwards and backwards,
filters and scope kept through the links, a bounded count, and bad cursors answered."""

from __future__ import annotations

import base64
import html
import json
import re

import pytest
from sqlalchemy import event, insert, text

from trainer.admin import keyset
from trainer.auth import audit
from trainer.auth.models import Role, User

# Equal names on purpose: the order must fall back to the id, across page boundaries.
NAMES = ("Ana Ruiz", "Ana Ruiz", "Ana Ruiz", "Bruno Díaz", "Carla Pérez")
EMAIL = re.compile(r"<td>([^<@]+@[^<]+)</td>")


def _add_people(db, institution, count: int, prefix: str, names=NAMES) -> list[User]:
    """``count`` participants in one statement (the factory makes one at a time)."""
    rows = [
        {
            "email": f"{prefix}-{n:05d}@example.org",
            "full_name": names[n % len(names)],
            "role": Role.PARTICIPANT.value,
            "institution_id": institution.id,
        }
        for n in range(count)
    ]
    return list(db.session.scalars(insert(User).returning(User), rows))


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    return html.unescape(found[1]) if found else None


def _walk(client, url: str, rel: str) -> list[list[str]]:
    """The e-mails of each page, following the ``rel`` links from ``url`` to the end."""
    pages = []
    while url is not None:
        page = client.get(url).get_data(as_text=True)
        pages.append(EMAIL.findall(page))
        url = _link(page, rel)
        assert len(pages) < 50
    return pages


def _in_order(people) -> list[str]:
    return [p.email for p in sorted(people, key=lambda p: (p.full_name, p.id))]


@pytest.mark.parametrize("path", ["/admin/people", "/admin/users?role=participant"])
def test_walking_forward_then_back_shows_everyone_once(client_for, admin, make, db, path):
    people = _add_people(db, make.institution(), 60, "walk")
    client = client_for(admin)
    forward = _walk(client, path, "next")
    assert [len(page) for page in forward] == [25, 25, 10]
    assert sum(forward, []) == _in_order(people)

    last = client.get(path).get_data(as_text=True)
    while _link(last, "next"):
        last = client.get(_link(last, "next")).get_data(as_text=True)
    assert "First page" in last
    backward = _walk(client, _link(last, "prev"), "prev")
    assert backward == forward[-2::-1]


def test_filters_travel_with_the_links(client_for, admin, make, db):
    a, b = make.institution(), make.institution()
    wanted = _add_people(db, a, 40, "keep", names=("Marta Mora", "Mario Mora"))
    _add_people(db, a, 10, "other", names=("Zoe Vega",))
    _add_people(db, b, 30, "away", names=("Marta Mora",))
    client = client_for(admin)
    pages = _walk(client, f"/admin/users?q=mora&institution={a.id}&role=participant", "next")
    assert sum(pages, []) == _in_order(wanted)
    page = client.get(f"/admin/users?q=mora&institution={a.id}&role=participant")
    link = _link(page.get_data(as_text=True), "next")
    assert "q=mora" in link
    assert f"institution={a.id}" in link
    assert "role=participant" in link


def test_a_coordinator_pages_and_searches_within_their_institution(client_for, make, db):
    a, b = make.institution(), make.institution()
    mine = _add_people(db, a, 35, "mine")
    _add_people(db, b, 35, "theirs")
    client = client_for(make.user(Role.COORDINATOR, institution=a))
    named_ana = [p for p in mine if p.full_name == "Ana Ruiz"]
    for path, expected in [
        ("/admin/people", mine),
        ("/admin/people?q=ana", named_ana),
        # A forged filter for another institution is ignored, never widened.
        (f"/admin/people?institution={b.id}", mine),
    ]:
        assert sum(_walk(client, path, "next"), []) == _in_order(expected), path


@pytest.mark.parametrize(
    ("added", "caption"), [(5, "5 participants"), (6, "More than 5 participants")]
)
def test_the_count_stops_at_its_cap(client_for, admin, make, db, monkeypatch, added, caption):
    monkeypatch.setattr(keyset, "COUNT_CAP", 5)
    _add_people(db, make.institution(), added, "cap")
    page = client_for(admin).get("/admin/people").get_data(as_text=True)
    assert caption in page


def _cursor(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD_CURSORS = [
    "!!!",
    "x" * 3000,
    _cursor(b"\xff\xfe"),
    _cursor(b"not json"),
    _cursor({"full_name": "Ana", "id": 1}),
    _cursor(["Ana Ruiz"]),
    _cursor(["Ana Ruiz", 1, 2]),
    _cursor(["Ana\x00Ruiz", 1]),
    _cursor(["\ud800", 1]),
    _cursor(["x" * 201, 1]),
    _cursor(["Ana Ruiz", 99999999999999999999]),
    _cursor(["Ana Ruiz", -1]),
    _cursor(["Ana Ruiz", True]),
    _cursor(["Ana Ruiz", 1.5]),
    _cursor([1, 1]),
]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_bad_cursor_gives_the_first_page(client_for, admin, make, db, cursor, direction):
    people = _add_people(db, make.institution(), 30, "bad")
    response = client_for(admin).get("/admin/people", query_string={direction: cursor})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "That page link is not valid" in page
    assert EMAIL.findall(page) == _in_order(people)[:25]


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor(["2026-12-01T10:00:00", 5]),  # no time zone
        _cursor(["yesterday", 5]),
        _cursor(["99999-01-01T00:00:00+00:00", 5]),
        _cursor([1764583200, 5]),
        _cursor(["Ana Ruiz", 5]),
    ],
)
def test_a_bad_audit_cursor_gives_the_first_page(client_for, admin, cursor):
    response = client_for(admin).get("/admin/audit", query_string={"after": cursor})
    assert response.status_code == 200
    assert "That page link is not valid" in response.get_data(as_text=True)


def test_the_audit_log_pages_newest_first_and_back(client_for, admin, make, db):
    institution = make.institution()
    for n in range(120):
        audit.record(admin, "institution.update", institution, {"n": n}, {"n": n + 1}, f"e{n}")
    client = client_for(admin)
    summaries = re.compile(r'<span class="muted">(e\d+)</span>')
    pages, url = [], "/admin/audit?action=institution.update"
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(summaries.findall(page))
        url = _link(page, "next")
    # Entries made in the same instant keep the order of their ids, newest first.
    assert sum(pages, []) == [f"e{n}" for n in range(119, -1, -1)]
    assert [len(p) for p in pages] == [50, 50, 20]
    back = client.get(_link(page, "prev")).get_data(as_text=True)
    assert summaries.findall(back) == pages[1]


def test_the_who_list_offers_each_actor_once(client_for, admin, make):
    institution = make.institution()
    others = [make.user(Role.ADMIN, full_name=f"Actor {n}") for n in range(3)]
    for person in [admin, *others, admin, others[0]]:
        audit.record(person, "institution.update", institution, {}, {}, "x")
    audit.record(None, "institution.update", institution, {}, {}, "x")
    page = client_for(admin).get("/admin/audit").get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"', page)
    assert sorted(options) == sorted(str(p.id) for p in [admin, *others])


@pytest.mark.parametrize("path", ["/admin/people", "/admin/users"])
def test_a_page_costs_the_same_queries_for_10_or_1000_people(
    client_for, admin, make, db, count_queries, path
):
    institution = make.institution()
    _add_people(db, institution, 10, "few")
    client = client_for(admin)
    client.get("/")

    def queries(url: str) -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = queries(path)
    _add_people(db, institution, 990, "many")
    first = client.get(path).get_data(as_text=True)
    deep = _link(client.get(_link(first, "next")).get_data(as_text=True), "next")
    assert (few, few) == (queries(path), queries(deep))


@pytest.fixture
def plans(db, app):
    """EXPLAIN of every statement run while the block runs that reads a page of people."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("query plans are PostgreSQL's")
    from contextlib import contextmanager

    @contextmanager
    def explain():
        seen: list[tuple[str, dict]] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            if "FROM user_account" in statement and "LIMIT" in statement:
                seen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", record)
        found: list[str] = []
        try:
            yield found
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        connection = db.session.connection()
        for statement, parameters in seen:
            rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
            found.append("\n".join(row[0] for row in rows))

    return explain


def test_postgresql_reads_pages_and_searches_from_their_indexes(client_for, admin, make, db, plans):
    institutions = [make.institution() for _ in range(4)]
    for n, institution in enumerate(institutions):
        _add_people(
            db, institution, 1000, f"plan{n}", names=[f"Person {i:04d}" for i in range(997)]
        )
    _add_people(db, institutions[0], 1, "needle", names=("Zacarías Quishpe",))
    # Rows inserted in bulk wait in the GIN indexes' pending lists, which the planner
    # rightly prices as a scan of them all; a real table has them merged by autovacuum.
    for index in ("ix_user_account_full_name_trgm", "ix_user_account_email_trgm"):
        db.session.execute(text(f"SELECT gin_clean_pending_list('{index}'::regclass)"))
    db.session.execute(text("ANALYZE user_account"))
    client = client_for(admin)
    coordinator = client_for(make.user(Role.COORDINATOR, institution=institutions[0]))

    with plans() as first:
        client.get("/admin/users")
    assert "Index Scan using ix_user_account_full_name on user_account" in first[0]
    assert "Sort" not in first[0]

    with plans() as own:
        coordinator.get("/admin/people")
    assert "Index Scan using ix_user_account_institution_id" in own[0]
    assert "Sort" not in own[0]

    with plans() as search:
        client.get("/admin/users?q=quishpe")
    assert "ix_user_account_full_name_trgm" in search[0], search[0]

    # 400 matches side by side in name order: found (here by reading the small table) and
    # sorted, not met by walking the name index from "A", which costs the whole table
    # when they sit at its end (docs/performance.md).
    with plans() as clustered:
        client.get("/admin/users?q=person 09")
    assert "Index Scan using ix_user_account_full_name on" not in clustered[0], clustered[0]
    assert "Sort Key" in clustered[0]
    assert "ix_user_account_email_trgm" in search[0]
