"""Courses with quizzes written for these tests, the demo course, and quiz-taking helpers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.courses.checks import check_courses
from trainer.courses.parser import load_course
from trainer.courses.services import import_course

ROOT = Path(__file__).resolve().parents[2]

QUIZ_YML = """\
title: Quiz course
summary: A course to test quizzes.
language: {language}
version: "1"
owners: [owner@example.org]
audience: open
{extra}
completion:
  modules: all
  quizzes: all
"""

QUESTIONS = """\
? Pick b {id=pick}
- ( ) A
  > A is not it.
- (x) B
  > Right: B.

? Pick both {id=many}
- [x] one
- [x] two
- [ ] three

? How many? {id=num}
= 10 +- 0.5

? Which city? {id=word}
= Quito
> The capital.
"""

RIGHT = {"q-pick": "b", "q-many": ["a", "b"], "q-num": "10", "q-word": "quito"}
WRONG = {"q-pick": "a", "q-many": ["c"], "q-num": "3", "q-word": "Lima"}


def write_course(root: Path, slug: str, files: dict[str, str], **yml) -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    extra = "\n".join(f"{key}: {value}" for key, value in yml.items() if key != "language")
    (folder / "course.yml").write_text(
        QUIZ_YML.format(language=yml.get("language", "en"), extra=extra), encoding="utf-8"
    )
    for old in folder.glob("*.md"):
        old.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def quiz_module(settings: str = "", questions: str = QUESTIONS, kind: str = "lesson") -> str:
    return (
        f"---\ntitle: The quiz\nminutes: 10\nkind: {kind}\n---\n## Read this\n\nText.\n\n"
        f"::: quiz\n{settings.strip()}\n\n{questions}:::\n"
    )


def lesson(title: str = "A lesson") -> str:
    return f"---\ntitle: {title}\nminutes: 5\n---\n## {title}\n\nSome text.\n"


def import_folder(folder: Path):
    spec, problems = load_course(folder)
    assert not problems, problems
    return import_course(spec).course


@pytest.fixture
def quiz_course(db, tmp_path):
    """Build and import a one-quiz course: quiz_course("attempts: 2\\nreveal: always")."""

    def build(settings: str = "pass: 50", *, slug: str = "quiz-course", kind: str = "lesson"):
        folder = write_course(
            tmp_path,
            slug,
            {"01-intro.md": lesson(), "02-quiz.md": quiz_module(settings, kind=kind)},
        )
        course = import_folder(folder)
        db.session.flush()
        return course

    return build


@pytest.fixture
def demo_courses(db):
    """The demo course in English and Spanish, checked and imported as `courses import` does."""
    specs, problems = check_courses(ROOT / "courses")
    assert not problems, problems
    courses = {spec.slug: import_course(spec).course for spec in specs}
    db.session.flush()
    return courses


def token_of(html: str) -> str:
    match = re.search(r'name="attempt_token" value="([^"]+)"', html)
    assert match, "no attempt token on the page"
    return match.group(1)


def start(client, course_slug: str, module_slug: str) -> int:
    response = client.post(f"/courses/{course_slug}/modules/{module_slug}/attempts")
    assert response.status_code == 302, response.status_code
    match = re.search(r"/attempts/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def take(client, course_slug: str, module_slug: str, answers: dict):
    """Start an attempt through the pages, send ``answers`` with the form's token."""
    attempt_id = start(client, course_slug, module_slug)
    page = client.get(f"/attempts/{attempt_id}")
    assert page.status_code == 200
    response = client.post(
        f"/attempts/{attempt_id}",
        data={**answers, "attempt_token": token_of(page.get_data(as_text=True))},
        csrf=False,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return attempt_id


def answers_for(quiz: dict, right: bool = True) -> dict:
    """Form data answering every question of a stored quiz, all right or all wrong."""
    data: dict = {}
    for question in quiz["questions"]:
        name = f"q-{question['id']}"
        kind = question["type"]
        if kind in ("single", "multiple"):
            keys = [c["key"] for c in question["choices"] if c["is_correct"] == right]
            data[name] = keys if kind == "multiple" else keys[0]
        elif kind == "true_false":
            data[name] = "true" if question["answer"] == right else "false"
        elif kind == "short_text":
            data[name] = question["accepted"][0] if right else "nothing like it"
        elif kind == "numeric":
            data[name] = str(question["numeric"][0]["low"]) if right else "-999999"
        elif kind == "scale":
            data[name] = str(question["scale"]["high"])
        elif kind == "free_text":
            data[name] = "Frank comment."
    return data
