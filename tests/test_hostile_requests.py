"""Hostile values in particular places get the particular answer a person can act on.

tests/test_hostile_routes.py walks every route for "never a 5xx"; these say what the answer
is: a form error naming the problem, a 404, or a redirect that ignores a forged address.
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form as PlainForm
from wtforms import IntegerField, StringField, TextAreaField

from tests.factories import DEFAULT_PASSWORD
from trainer import forms as base
from trainer.auth.models import Role
from trainer.forms import Form, SubForm
from trainer.learning.forms import read_answers
from trainer.urls import MAX_ID, safe_next

FORGED_NEXT = (
    "/account/password\r\nSet-Cookie: evil=1",
    "/account/password\nLocation: https://evil.example",
    "/account\x00/password",
    "/account\tpassword",
    "/\x1b[31m",
    "/\x85next",
)


@pytest.mark.parametrize("target", FORGED_NEXT)
def test_a_next_address_with_control_characters_is_ignored(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", FORGED_NEXT)
def test_login_ignores_a_forged_next_and_lands_on_the_home_page(client, make, target):
    user = make.user()
    data = {"email": user.email, "password": DEFAULT_PASSWORD, "next": target}
    response = client.post("/login", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_ignores_a_forged_next(client):
    response = client.post("/language", data={"language": "es", "next": FORGED_NEXT[0]})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("email", ["ana\x00@example.org", "\x00", "ana@example.org\r\n"])
def test_a_nul_in_the_login_email_is_a_form_error(client, email):
    response = client.post("/login", data={"email": email, "password": "whatever"})
    assert response.status_code == 200
    assert "invisible control character" in response.get_data(as_text=True)


@pytest.mark.parametrize("term", ["a\x00b", "\x00", "\x1f"])
def test_a_search_with_a_nul_is_refused_with_a_message(client, make, login_as, term):
    login_as(make.user(Role.ADMIN))
    for path in ("/admin/users", "/admin/people"):
        response = client.get(path, query_string={"q": term})
        assert response.status_code == 200
        assert "invisible control character" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/users/{id}"),
        ("POST", "/admin/users/{id}"),
        ("POST", "/admin/users/{id}/deactivate"),
        ("GET", "/admin/institutions/{id}"),
        ("POST", "/admin/institutions/{id}/reactivate"),
        ("POST", "/admin/people/{id}/password-link"),
        ("GET", "/attempts/{id}"),
    ],
)
@pytest.mark.parametrize("number", [MAX_ID + 1, 10**20, 10**40])
def test_ids_no_column_can_hold_are_not_found(client, make, login_as, method, path, number):
    login_as(make.user(Role.ADMIN))
    response = client.open(path.format(id=number), method=method, data={})
    assert response.status_code == 404


def test_the_largest_id_a_column_holds_still_reaches_the_view(client, make, login_as):
    login_as(make.user(Role.ADMIN))
    assert client.get(f"/admin/users/{MAX_ID}").status_code == 404  # looked up, not found
    assert client.get(f"/admin/users/{MAX_ID}x").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/courses/a%00b",
        "/courses/a%0Ab/modules/m",
        "/courses/demo/modules/a%00",
        "/courses/demo/assets/a%00.png",
        "/courses/demo/edit/assets/%1b.png",
        "/set-password/abc%00def",
    ],
)
def test_control_characters_in_a_path_are_not_found(client, make, login_as, path):
    login_as(make.user(Role.ADMIN))
    assert client.get(path).status_code == 404


class _Sample(Form):
    class Meta:
        csrf = False

    name = StringField()
    text = TextAreaField()
    count = IntegerField()


def _sample(**data) -> _Sample:
    form = _Sample(formdata=MultiDict(data))
    form.validate()
    return form


def test_a_text_area_names_the_line_and_column_of_a_control_character(app):
    with app.test_request_context():
        form = _sample(text="first line\r\nok\tthen x\x00y\n")
        assert form.text.errors
        assert "Line 2, column 10" in str(form.text.errors[0])
        assert not _sample(text="tabs\tand\r\nbreaks\nare text").text.errors


@pytest.mark.parametrize("value", ["a\x00", "two\nlines", "bell\x07", "\x9b"])
def test_a_single_line_field_refuses_control_characters(app, value):
    with app.test_request_context():
        assert _sample(name=value).name.errors


@pytest.mark.parametrize("value", [str(base.INTEGER_MAX + 1), str(base.INTEGER_MIN - 1), "9" * 30])
def test_an_integer_field_stays_within_the_column_range(app, value):
    with app.test_request_context():
        assert _sample(count=value).count.errors
        assert not _sample(count=str(base.INTEGER_MAX)).count.errors


def test_every_form_of_the_application_has_the_input_rules():
    from flask_wtf import FlaskForm

    import trainer.models  # noqa: F401  (imports every domain)
    from trainer import create_app

    create_app("testing")  # registers every blueprint, so every form module is imported
    missing, pending = [], [FlaskForm, PlainForm]
    while pending:
        for cls in pending.pop().__subclasses__():
            pending.append(cls)
            if cls.__module__.startswith("trainer.") and not issubclass(cls, Form | SubForm):
                missing.append(f"{cls.__module__}.{cls.__name__}")
    assert not missing, f"forms without trainer.forms.Form or SubForm as base: {missing}"


def test_a_quiz_answer_with_a_nul_is_an_error_not_a_stored_answer(app):
    quiz = {"questions": [{"id": "q1", "type": "short_text"}]}
    with app.test_request_context():
        posted = read_answers(MultiDict({"q-q1": "ans\x00wer"}), quiz)
        assert "q1" in posted.errors
        posted = read_answers(MultiDict({"q-q1": "line one\r\nline two"}), quiz)
        assert not posted.errors


@pytest.mark.parametrize("limit", [0, 7, 10, 305, 1000, MAX_ID])
def test_the_id_pattern_matches_exactly_the_numbers_up_to_its_limit(limit):
    import random
    import re

    from trainer.urls import digits_up_to

    pattern = re.compile(digits_up_to(limit) + r"\Z")
    numbers = [*range(1200), limit - 1, limit, limit + 1, limit * 10 + 9, 10**20]
    numbers += [random.randrange(3 * 10**9) for _ in range(2000)]
    for number in (n for n in numbers if n >= 0):
        assert bool(pattern.match(str(number))) == (number <= limit), number
        assert bool(pattern.match(f"00{number}")) == (number <= limit), number
