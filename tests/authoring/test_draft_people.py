"""Who may edit a draft is kept with the draft when its course.yml is saved; nobody's visit
parses a draft to decide it."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from tests.authoring.test_publish import _base_hash
from trainer.auth.models import Role
from trainer.authoring.models import CourseDraft

SETTINGS_URL = "/courses/local-planning/edit/settings"


def _save_settings(client, course_yml: str):
    data = {"course_yml": course_yml, "base_hash": _base_hash(client, SETTINGS_URL), "save": "x"}
    return client.post(SETTINGS_URL, data=data)


def test_saving_course_yml_keeps_its_owners_and_co_authors(client, login_as, owner, course, db):
    login_as(owner)
    yml = (
        "title: Local planning\nsummary: S.\nlanguage: en\nversion: '2'\n"
        "owners: [Owner@Example.org]\nco_authors: [helper@example.org]\n"
    )
    assert _save_settings(client, yml).status_code == 302
    draft = db.session.query(CourseDraft).one()
    assert draft.people == ["helper@example.org", "owner@example.org"]


def test_visitors_are_judged_without_parsing_the_draft(
    client, login_as, make, owner, course, db, monkeypatch
):
    login_as(owner)
    _save_settings(client, "title: x\nowners: [owner@example.org, helper@example.org]\n")
    helper = make.user(Role.TRAINER, email="helper@example.org")
    stranger = make.user(Role.TRAINER, email="stranger@example.org")

    def refuse(*args, **kwargs):
        raise AssertionError("a draft was parsed to decide who may edit it")

    monkeypatch.setattr("trainer.authoring.drafts.parse_course_settings", refuse)
    monkeypatch.setattr("trainer.courses.coursefile.parse_course_settings", refuse)
    monkeypatch.setattr("trainer.authoring.policy.parse_course_settings", refuse, raising=False)
    login_as(stranger)
    assert client.get("/courses/local-planning/edit").status_code == 403
    assert "local-planning" not in client.get("/authoring").get_data(as_text=True)
    login_as(helper)
    assert client.get("/authoring").status_code == 200


def test_a_web_course_is_its_authors_from_the_start(client, login_as, make, db, courses_dir):
    trainer = make.user(Role.TRAINER, email="ana@example.org")
    login_as(trainer)
    data = {
        "slug": "web-course",
        "title": "Web course",
        "summary": "S.",
        "language": "en",
        "version": "1",
        "submit": "x",
    }
    assert client.post("/authoring/courses/new", data=data).status_code == 302
    assert db.session.query(CourseDraft).one().people == ["ana@example.org"]


@pytest.mark.parametrize(
    ("course_yml", "people"),
    [
        (
            "owners: [A@example.org]\nco_authors: [b@example.org]\n",
            '["a@example.org", "b@example.org"]',
        ),
        ("owners: &x [a@example.org]\n", "[]"),
        ("not: [valid\n", "[]"),
    ],
)
def test_revision_0011_fills_in_the_people_of_existing_drafts(
    make_app, tmp_path: Path, course_yml: str, people: str
):
    url = f"sqlite:///{tmp_path}/migrated.db"
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0010")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO course (id, slug, family, language, source, is_published, "
                "is_archived, title, summary, created_at, updated_at) VALUES (1, 'c-one', "
                "'c-one', 'en', 'web', 0, 0, 'C', '', '2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO course_draft (id, course_id, course_yml, created_at, updated_at) "
                "VALUES (1, 1, :yml, '2026-01-01', '2026-01-01')"
            ),
            {"yml": course_yml},
        )
    with app.app_context():
        upgrade(revision="0011")
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT people FROM course_draft")) == people
    engine.dispose()
