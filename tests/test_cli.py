"""Command-line tools: seed-demo and create-user."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from config import ProductionConfig
from trainer.auth.models import Institution, User
from trainer.cohorts.models import Cohort, TrainingSession

ROOT = Path(__file__).resolve().parent.parent


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
    # Six accounts to log in with, and two demo cohort members who never log in.
    assert session.scalar(select(func.count()).select_from(User)) == 8
    assert session.scalar(select(func.count()).select_from(Institution)) == 3

    client = app.test_client()
    response = client.post(
        "/login", data={"email": "admin@example.org", "password": "demo-admin-pass"}
    )
    assert response.status_code == 302
    assert "Ada Admin" in client.get("/").get_data(as_text=True)


def test_seed_demo_adds_the_demo_cohort_once_the_courses_are_imported(app, committing_db):
    """`make run` imports courses/ first; run the other way round, seed-demo says what to do."""
    runner = app.test_cli_runner()
    before = runner.invoke(args=["seed-demo"])
    assert before.exit_code == 0, before.output
    assert "No demo cohort yet" in before.output
    assert "courses import courses/" in before.output
    imported = runner.invoke(args=["courses", "import", str(ROOT / "courses")])
    assert imported.exit_code == 0, imported.output
    after = runner.invoke(args=["seed-demo"])
    assert after.exit_code == 0, after.output
    assert "Demo cohort: Quito, demo cohort, of Mainstreaming migration" in after.output
    again = runner.invoke(args=["seed-demo"])
    assert "(already present)" in again.output.splitlines()[-1]
    session = committing_db.session
    assert session.scalar(select(func.count()).select_from(Cohort)) == 1
    assert session.scalar(select(func.count()).select_from(TrainingSession)) == 5


def test_seed_demo_refuses_to_run_in_production(make_app):
    app = make_app(
        ProductionConfig, SECRET_KEY="x" * 40, PUBLIC_BASE_URL="https://trainer.example.org"
    )
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


def test_cleanup_deletes_finished_counters_and_old_links(app, committing_db):
    from datetime import timedelta

    from trainer.auth.models import LoginThrottle, PasswordToken
    from trainer.auth.services import create_password_token, create_user
    from trainer.dbtypes import utcnow

    session = committing_db.session
    long_ago = utcnow() - timedelta(days=40)
    session.add_all(
        [
            LoginThrottle(
                key="old", failures=3, window_started_at=long_ago, last_failure_at=long_ago
            ),
            LoginThrottle(
                key="fresh", failures=1, window_started_at=utcnow(), last_failure_at=utcnow()
            ),
        ]
    )
    other = create_user("fresh-link@example.org", "Fresh", "admin")
    create_password_token(other, None)
    user = create_user("linked@example.org", "Linked", "admin")
    old = create_password_token(user, None)
    session.flush()
    session.query(PasswordToken).filter(
        PasswordToken.id
        == session.query(PasswordToken.id)
        .order_by(PasswordToken.id.desc())
        .limit(1)
        .scalar_subquery()
    ).update({"expires_at": long_ago}, synchronize_session=False)
    session.commit()
    del old

    result = app.test_cli_runner().invoke(args=["cleanup"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 log-in counter(s) and 1 set-password link(s)." in result.output
    session.expire_all()
    assert [row.key for row in session.query(LoginThrottle)] == ["fresh"]
    assert session.query(PasswordToken).count() == 1
