"""Every route, GET and POST, as the people allowed to use it, with hostile values.

Values go into the path, the query string and every form field the application knows of:
NUL bytes, integers no column can hold, CR/LF, control characters, long strings. The answer
may be a form error, a 404 or a redirect, never a 5xx. Requests carry real sessions and
valid CSRF tokens, and the test counts how many of them reached the body of a view, so that
it cannot pass by bouncing off the log-in page, a 403 or the CSRF check.
"""

from __future__ import annotations

import inspect
import io
import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import quote

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Form

from tests.sessions import log_in, use_api_token
from tests.test_permissions import ACTORS, ROWS, Row, build_scenario

HOSTILE = (
    "\x00",
    "a\x00b",
    "99999999999999999999999",
    "-2147483649",
    "/next\r\nSet-Cookie: evil=1",
    "\x01\x08\x1b[31m\x7f",
    "../../../etc/passwd",
    "\u202e\ufeffé\U0001f600",
    "x" * 3000,
    "[" * 300 + "](" * 100,
    "NaN",
    "sNaN",
    "-Infinity",
    "1e999",
)
# Sent one field at a time inside otherwise valid data, so each reaches the code behind it.
FIELD_HOSTILE = ("a\x00b", "99999999999999999999999", "sNaN", "\x01", "x" * 3000)
# Valid data for forms whose permission row posts none.
FORM_DATA: dict[str, Callable[[object], dict]] = {
    "auth.login": lambda s: {"email": "nobody@example.org", "password": "not-the-password"},
    "auth.change_password": lambda s: {
        "current_password": "wrong-password",
        "password": "a-long-new-password",
        "confirm": "a-long-new-password",
    },
    "authoring.new_course": lambda s: {
        "slug": "fuzzed-course",
        "title": "Title",
        "summary": "Summary.",
        "language": "en",
        "version": "1",
        "estimated_hours": "2",
    },
    "authoring.add_module": lambda s: {
        "module_slug": "fuzzed-module",
        "module_title": "Title",
        "kind": "lesson",
        "minutes": "20",
    },
    "authoring.module": lambda s: {"source": "---\ntitle: M\nminutes: 5\n---\nText\n", "save": "1"},
    "cohorts.sheet_entry": lambda s: {"results": "1 present\n2 late"},
}
# Tokens the client must send right for the request to reach the code under test.
KEEP = {"csrf_token", "attempt_token"}
# Requests that reach a view's body, out of those with a valid path: the floor this test
# holds itself to, so that a change making most requests bounce is noticed.
MIN_REACHED = 0.8
_ARGUMENT = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")


def _form_classes() -> list[type]:
    found, pending = [], [FlaskForm, Form]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("trainer."):
                found.append(sub)
    return found


def _field_names() -> tuple[set[str], set[str]]:
    """Every field name the application's forms read, split into text and file fields."""
    text, files = {"q", "page", "after", "before", "next", "module", "source", "version"}, set()
    for form in _form_classes():
        for name, unbound in vars(form).items():
            if not hasattr(unbound, "field_class"):
                continue
            (files if issubclass(unbound.field_class, FileField) else text).add(name)
    return text - KEEP, files


def _count_view_bodies(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Count calls of each view's own body, inside its log-in and role decorators."""
    calls: Counter = Counter()
    for endpoint, view in list(app.view_functions.items()):
        body = inspect.unwrap(view)

        def counting(*args, _body=body, _endpoint=endpoint, **kwargs):
            calls[_endpoint] += 1
            return _body(*args, **kwargs)

        holder = view
        while getattr(holder, "__wrapped__", None) not in (None, body):
            holder = holder.__wrapped__
        cells = [c for c in (getattr(holder, "__closure__", None) or ()) if c.cell_contents is body]
        if holder is body or not cells:
            monkeypatch.setitem(app.view_functions, endpoint, counting)
        else:
            monkeypatch.setattr(cells[0], "cell_contents", counting)
    return calls


def _allowed_actors(row: Row) -> list[str]:
    allowed = [
        actor
        for actor, status in zip(ACTORS, row.expected, strict=True)
        if status not in (401, 403) and not (actor == "anonymous" and status == 302)
    ]
    # Two are enough to reach the view both as the least and as the most privileged user.
    return sorted({allowed[0], allowed[-1]}, key=ACTORS.index) if allowed else ["admin"]


def _anyone_allowed(row: Row) -> bool:
    return any(
        status not in (401, 403) and not (actor == "anonymous" and status == 302)
        for actor, status in zip(ACTORS, row.expected, strict=True)
    )


def _client(app: Flask, scenario, actor: str, row: Row):
    client = app.test_client()
    if row.bearer:
        use_api_token(client, scenario.objects["api_tokens"][actor])
    elif scenario.users[actor] is not None:
        log_in(client, scenario.users[actor])
    return client


def _send_field(client, method: str, path: str, data: dict, name: str, value: str) -> object:
    data = {**data, name: value, "csrf_token": client.csrf_token()}
    return client.open(path, method=method, data=data)


def _send(client, method: str, path: str, value: str, row_data: dict, fields) -> object:
    text_fields, file_fields = fields
    # A row's path may carry a query string of its own (a check-in ticket): the values join it.
    joiner = "&" if "?" in path else "?"
    if method == "GET":
        query = "&".join(f"{name}={quote(value, safe='')}" for name in sorted(text_fields))
        return client.get(f"{path}{joiner}{query}")
    url = f"{path}{joiner}next={quote(value, safe='')}&page={quote(value, safe='')}"
    data: dict = {name: value for name in text_fields}
    data.update({k: v for k, v in row_data.items() if k in KEEP})
    for name in file_fields:
        data[name] = (io.BytesIO(value.encode("utf-8", "surrogatepass")), f"{value[:40]}.png")
    data["csrf_token"] = client.csrf_token()
    return client.open(url, method=method, data=data, content_type="multipart/form-data")


def _hostile_paths(app: Flask, row: Row, path: str) -> list[str]:
    """The row's path with each argument of its rule replaced by each hostile value (its
    query string, if any, kept)."""
    path, _, query = path.partition("?")
    adapter = app.url_map.bind("localhost")
    rule, arguments = adapter.match(path, method=row.method, return_rule=True)
    paths = []
    for name in arguments:
        for value in HOSTILE:
            replaced = dict(arguments, **{name: value})
            built = _ARGUMENT.sub(
                lambda m, r=replaced: quote(str(r[m.group(1)]), safe=""), rule.rule
            )
            paths.append(f"{built}?{query}" if query else built)
    return paths


# The rows are dealt into shards, so that parallel test workers share the work.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_route_answers_a_hostile_value_with_a_server_error(app, make, monkeypatch, shard):
    rows = [row for row in ROWS if row.endpoint != "static"][shard::SHARDS]
    scenario = build_scenario(make)
    fields = _field_names()
    reached = _count_view_bodies(app, monkeypatch)
    failures: list[str] = []
    sent = 0

    def check(response, label: str) -> None:
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")
        response.close()

    for row in rows:
        path = row.path(scenario)
        row_data = row.data(scenario) if row.data else {}
        if row.method == "POST" and row.endpoint in FORM_DATA:
            row_data = {**FORM_DATA[row.endpoint](scenario), **row_data}
        actors = _allowed_actors(row)
        # Each value goes once, the actors taking turns: both see every kind of value.
        for turn, value in enumerate(HOSTILE):
            actor = actors[turn % len(actors)]
            client = _client(app, scenario, actor, row)
            check(
                _send(client, row.method, path, value, row_data, fields),
                f"{row.method} {path} as {actor} with {value[:30]!r}",
            )
            sent += 1
        for turn, name in enumerate(sorted(set(row_data) - KEEP)):
            actor = actors[turn % len(actors)]
            for value in FIELD_HOSTILE:
                client = _client(app, scenario, actor, row)
                check(
                    _send_field(client, row.method, path, row_data, name, value),
                    f"{row.method} {path} as {actor} with {name}={value[:30]!r}",
                )
                sent += 1
        client = _client(app, scenario, actors[-1] if row.bearer else "admin", row)
        for hostile_path in _hostile_paths(app, row, path):
            response = client.open(hostile_path, method=row.method, data={})
            check(response, f"{row.method} {hostile_path[:80]} as admin")

    assert not failures, "\n".join(failures)
    share = sum(reached.values()) / sent
    assert share >= MIN_REACHED, f"only {share:.0%} of {sent} requests reached a view"
    # A row that refuses everybody (the API without a token) cannot reach its view.
    unreached = {row.endpoint for row in rows if _anyone_allowed(row)} - set(reached)
    assert not unreached, f"no hostile request reached {sorted(unreached)}"
