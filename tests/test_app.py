"""The application shell: health, errors, headers, configuration."""

from __future__ import annotations

import os
import secrets

import pytest

from config import DEVELOPMENT_SECRET_KEY, ProductionConfig
from trainer import create_app


def test_healthz_makes_a_database_round_trip(client, count_queries):
    with count_queries() as statements:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert any("SELECT 1" in s for s in statements)


def test_login_page_is_served(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'<form method="post"' in response.data
    assert b'name="csrf_token"' in response.data


def test_unknown_url_gives_the_styled_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data
    assert b"trainer.css" in response.data


def test_unknown_api_url_gives_json(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_an_exception_in_a_view_gives_the_500_page_without_traceback(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret internal detail" not in response.data
    assert b"Traceback" not in response.data


def test_oversized_request_gives_the_413_page(make_app):
    app = make_app(MAX_CONTENT_LENGTH=100)
    response = app.test_client().post("/login", data={"email": "x" * 500})
    assert response.status_code == 413
    assert b"File too large" in response.data


def test_security_headers_are_set(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_or_style(client):
    html = client.get("/login").get_data(as_text=True)
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
    assert "http://" not in html.replace('xmlns="http://', "")  # no outside asset


def test_static_assets_are_served_by_the_app(client):
    response = client.get("/static/css/trainer.css")
    assert response.status_code == 200
    assert b"--brand" in response.data
    response.close()


_PRODUCTION = {"SECRET_KEY": "x" * 40, "PUBLIC_BASE_URL": "https://trainer.example.org"}


@pytest.mark.parametrize("secret", ["short", "", DEVELOPMENT_SECRET_KEY, "x" * 31])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, **{**_PRODUCTION, "SECRET_KEY": secret})


def test_production_accepts_a_random_secret_key():
    ProductionConfig.check({**_PRODUCTION, "SECRET_KEY": secrets.token_hex(32)})


@pytest.mark.parametrize("address", [None, ""])
def test_production_refuses_to_start_without_public_base_url(address):
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app(ProductionConfig, **{**_PRODUCTION, "PUBLIC_BASE_URL": address})


def test_production_warns_when_counts_and_queue_are_not_shared(make_app, caplog):
    make_app(ProductionConfig, **_PRODUCTION, REDIS_URL=None)
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert warning.getMessage().startswith("REDIS_URL is not set:")
    caplog.clear()
    make_app(ProductionConfig, **_PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/14")
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_production_sets_secure_cookies(make_app):
    app = make_app(ProductionConfig, **_PRODUCTION)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_pages_for_logged_in_people_are_not_stored(client, make, login_as):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login_as(make.user())
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_development_links_follow_the_port_of_make_run():
    """`make run PORT=5201` serves on 5201; the links it prints and mails must say 5201."""
    import shutil
    import subprocess
    from pathlib import Path

    make = shutil.which("make")
    if make is None:
        pytest.skip("needs make")
    root = Path(__file__).resolve().parent.parent
    show = 'show-base-url: ; @$(PY) -c "from config import Config; print(Config.PUBLIC_BASE_URL)"'
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PUBLIC_BASE_URL", "FLASK_"))}
    result = subprocess.run(  # noqa: S603  (fixed arguments)
        [make, "--no-print-directory", f"--eval={show}", "show-base-url", "PORT=5201"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "http://127.0.0.1:5201"
