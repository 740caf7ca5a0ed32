"""LOG_FORMAT=json: one JSON line per request on standard error, with a request id that the
response carries in X-Request-ID; off by default."""

from __future__ import annotations

import json
import logging
import re

import pytest

from config import ConfigurationError, TestingConfig
from tests.sessions import log_in
from trainer import create_app


def lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def requests_logged(captured: str) -> list[dict]:
    return [line for line in lines(captured) if line["logger"] == "trainer.requests"]


@pytest.fixture(autouse=True)
def _loggers_restored():
    """A JSON app sets up the process's loggers (one app per process in production); the
    tests after these get them back as they were."""
    app_logger, requests = logging.getLogger("trainer"), logging.getLogger("trainer.requests")
    saved = (app_logger.handlers[:], app_logger.propagate, requests.level)
    yield
    app_logger.handlers[:], app_logger.propagate, level = saved
    requests.setLevel(level)


@pytest.fixture
def json_app(make_app):
    return make_app(LOG_FORMAT="json", TRUSTED_PROXIES=1)


def test_off_by_default_no_line_and_no_header(client, capsys):
    response = client.get("/healthz")
    assert "X-Request-ID" not in response.headers
    assert requests_logged(capsys.readouterr().err) == []


def test_one_line_per_request_with_its_id_and_the_client_s_address(json_app, db, make, capsys):
    person = make.user()
    client = json_app.test_client()
    with json_app.app_context():  # the log-in is kept when the context ends
        log_in(client, person)
        db.session.commit()
    capsys.readouterr()
    response = client.get(
        "/healthz?full=0&password=hunter2",
        headers={"X-Request-ID": "3f2a9c1e-nginx-0042", "X-Forwarded-For": "203.0.113.7"},
    )
    assert response.headers["X-Request-ID"] == "3f2a9c1e-nginx-0042"
    [line] = requests_logged(capsys.readouterr().err)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line.pop("time"))
    assert isinstance(line.pop("duration_ms"), float)
    assert line == {
        "level": "info",
        "logger": "trainer.requests",
        "message": "GET /healthz 200",
        "request_id": "3f2a9c1e-nginx-0042",
        "method": "GET",
        "path": "/healthz",
        "route": "/healthz",
        "status": 200,
        "user_id": person.id,
        "remote_addr": "203.0.113.7",
    }


@pytest.mark.parametrize(
    "incoming", ["", "short", "x" * 129, "two words", 'quote"s-and-more', "ünïcode-id-1234"]
)
def test_an_odd_incoming_id_is_replaced_by_a_new_one(json_app, db, capsys, incoming):
    response = json_app.test_client().get("/healthz", headers={"X-Request-ID": incoming})
    new = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", new)
    [line] = requests_logged(capsys.readouterr().err)
    assert line["request_id"] == new
    assert line["user_id"] is None


def test_secret_links_are_not_logged(json_app, db, capsys):
    client = json_app.test_client()
    client.get("/set-password/abcdefghijklmnopqrstu")
    client.get("/unsubscribe/secret-unsubscribe-token")
    client.get("/verify/ABCD-EFGH-JKLM-NPQR")
    captured = capsys.readouterr().err
    assert "abcdefghijklmnopqrstu" not in captured
    assert "secret-unsubscribe-token" not in captured
    assert "ABCD-EFGH" not in captured
    paths = [line["path"] for line in requests_logged(captured)]
    assert paths == ["/set-password/[hidden]", "/unsubscribe/[hidden]", "/verify/[hidden]"]


def test_an_error_s_traceback_is_a_json_line_with_the_request_s_id(make_app, db, capsys):
    app = make_app(LOG_FORMAT="json", PROPAGATE_EXCEPTIONS=False)

    @app.get("/test-only/boom")
    def boom():
        raise RuntimeError("the view broke")

    response = app.test_client().get("/test-only/boom")
    assert response.status_code == 500
    logged = lines(capsys.readouterr().err)
    [error] = [line for line in logged if line["level"] == "error"]
    [request_line] = [line for line in logged if line["logger"] == "trainer.requests"]
    assert request_line["status"] == 500
    assert error["request_id"] == request_line["request_id"] == response.headers["X-Request-ID"]
    assert "RuntimeError: the view broke" in error["exception"]


def test_an_unknown_log_format_stops_the_start():
    with pytest.raises(ConfigurationError, match="LOG_FORMAT='xml' is not known"):
        create_app(TestingConfig, LOG_FORMAT="xml")
