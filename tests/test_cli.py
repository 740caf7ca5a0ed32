"""Command-line tools: seed-demo and create-user."""

from __future__ import annotations

from sqlalchemy import func, select

from config import ProductionConfig
from trainer.auth.models import Institution, User


def test_seed_demo_is_idempotent_and_the_demo_admin_can_log_in(app, committing_db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.org" in first.output
    assert "demo-admin-pass" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "already present" in second.output
    session = committing_db.session
    assert session.scalar(select(func.count()).select_from(User)) == 6
    assert session.scalar(select(func.count()).select_from(Institution)) == 3

    client = app.test_client()
    response = client.post(
        "/login", data={"email": "admin@example.org", "password": "demo-admin-pass"}
    )
    assert response.status_code == 302
    assert "Ada Admin" in client.get("/").get_data(as_text=True)


def test_seed_demo_refuses_to_run_in_production(make_app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://trainer.example.org")
    app = make_app(ProductionConfig)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refuses to run in production" in result.output


def test_create_user_prints_a_one_time_link(app, committing_db):
    committing_db.session.add(Institution(slug="min-a", name="Ministry A", kind="ministry"))
    committing_db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "New.Person@Example.org",
            "--name",
            "New Person",
            "--institution",
            "min-a",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created participant new.person@example.org." in result.output
    assert "/set-password/" in result.output


def test_create_user_reports_an_unknown_institution(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-user", "x@example.org", "--name", "X", "--institution", "nowhere"]
    )
    assert result.exit_code != 0
    assert "No institution with slug 'nowhere'" in result.output


def test_create_user_reports_a_duplicate_email(app, committing_db):
    runner = app.test_cli_runner()
    args = [
        "create-user",
        "admin2@example.org",
        "--name",
        "A",
        "--role",
        "admin",
        "--password",
        "long enough password",
    ]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0
    assert "already exists" in again.output
