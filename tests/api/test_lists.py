"""Paging, hostile queries and the OpenAPI document, checked against real responses."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import event

from trainer.api import pagination
from trainer.auth.models import Role
from trainer.certificates import services as certificates
from trainer.learning.services import find_enrolment

LISTS = ("enrolments", "progress", "attendance", "certificates")


@pytest.fixture
def crowd(db, make, token_for):
    """Seven participants of one institution in a cohort of four sessions, each holding a
    certificate, and their coordinator's token."""
    institution = make.institution()
    people = [make.user(institution=institution) for _ in range(7)]
    course = make.course("crowd-course")
    make.cohort(course, members=people, sessions=4, attended=3)
    admin = make.user(Role.ADMIN)
    for person in people:
        certificates.issue_manually(admin, find_enrolment(person, "crowd-course"), "Test")
    db.session.flush()
    coordinator = make.user(Role.COORDINATOR, institution=institution)
    return token_for(coordinator), [person.id for person in people]


@pytest.mark.parametrize("name", LISTS)
def test_pages_follow_each_other_without_gaps_or_repeats(crowd, api, name):
    token, _people = crowd
    everything = api(f"/api/v1/{name}", token, limit=500).get_json()
    assert everything["next_cursor"] is None
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = api(f"/api/v1/{name}", token, **query).get_json()
        seen += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything["items"]
    assert len(seen) in (7, 28)  # one per person, or one per person and session
    assert pages == -(-len(seen) // 3)


def test_the_progress_page_takes_the_same_queries_for_2_or_7_people(crowd, api, app, db):
    token, _people = crowd
    api("/api/v1/progress", token)  # notes the token's use, which later requests do not
    counts = []
    for limit in (2, 7):
        statements: list[str] = []

        def count(*_args, _found=statements, **_kwargs):
            _found.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert len(api("/api/v1/progress", token, limit=limit).get_json()["items"]) == limit
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "not a cursor"},
        {"cursor": "\x00"},
        {"cursor": "x" * 3000},
        {"cursor": pagination.encode("enrolments", 2**31)},
        {"cursor": pagination.encode("certificates", 1)},  # another list's
        {"cursor": "ZW5yb2xtZW50czotMQ"},  # "enrolments:-1"
        {"limit": 10**9},
        {"limit": 99999999999999999999999},
        {"limit": 0},
        {"limit": -1},
        {"limit": "ten"},
        {"limit": "NaN"},
        {"limit": "1e999"},
        {"family": "\x00"},
        {"family": "../etc"},
        {"family": "x" * 3000},
        {"institution_id": "99999999999999999999999"},
        {"institution_id": "-2147483649"},
        {"cohort_id": "a\x00b"},
    ],
)
def test_hostile_queries_get_400_json(crowd, api, query):
    token, _people = crowd
    response = api("/api/v1/enrolments", token, **query)
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == 400
    assert body["message"]


def test_unknown_filters_are_not_found(crowd, api):
    token, _people = crowd
    for query in ({"institution_id": 2**31 - 1}, {"cohort_id": 2**31 - 1}):
        response = api("/api/v1/attendance", token, **query)
        assert response.status_code == 404
        assert response.get_json()["status"] == 404


def test_errors_are_json_everywhere_under_the_api(crowd, app, api):
    token, _people = crowd
    missing = api("/api/v1/nothing-here", token)
    assert missing.status_code == 404
    assert missing.is_json
    wrong_method = app.test_client().post(
        "/api/v1/enrolments", headers={"Authorization": f"Bearer {token}"}
    )
    assert wrong_method.status_code == 405
    assert wrong_method.is_json


def test_requests_are_limited_per_token(make_app, db, make):
    from trainer.api import tokens

    limited = make_app(API_RATE_LIMIT="2 per minute")
    with limited.app_context():
        pass
    secret = tokens.create(make.user(Role.COORDINATOR), "HR").secret
    db.session.commit()
    client = limited.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    statuses = [client.get("/api/v1/enrolments", headers=headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get("/api/v1/enrolments", headers=headers)
    assert refused.is_json
    assert refused.get_json()["status"] == 429


def test_the_openapi_document_is_valid_and_describes_real_responses(
    app,
    api,
    token_for,
    programme,
    crowd,
):
    held = (token_for(programme.programme), crowd[0])
    document = api("/api/v1/openapi.json").get_json()
    validate_openapi(document)
    assert set(document["paths"]) == {f"/api/v1/{name}" for name in LISTS}
    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
    )

    def check(path: str, status: int, body) -> None:
        responses = document["paths"][path]["get"]["responses"]
        reference = responses[str(status)]["content"]["application/json"]["schema"]["$ref"]
        validator = Draft202012Validator(
            {"$ref": f"urn:openapi{reference}"},
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        errors = list(validator.iter_errors(body))
        assert not errors, (path, status, [error.message for error in errors])

    checked = 0
    for token in held:
        for name in LISTS:
            path = f"/api/v1/{name}"
            response = api(path, token, limit=2)
            assert response.status_code == 200
            assert response.get_json()["items"], path
            check(path, 200, response.get_json())
            for status, refused in (
                (400, api(path, token, cursor="bad")),
                (401, api(path, "not-a-token")),
                (404, api(path, token, cohort_id=2**31 - 1)),
            ):
                assert refused.status_code == status
                check(path, status, refused.get_json())
            checked += 1
    assert checked == 8
