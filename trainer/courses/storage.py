"""Turn parsed specs into what the database keeps: JSON settings and rendered quizzes.

Markdown is rendered here, once per version, through ``render_markdown`` (the only
renderer); no request ever parses Markdown.
"""

from __future__ import annotations

import dataclasses

from trainer.courses.spec import CourseSettings, ModuleSpec, QuestionSpec, QuizSpec
from trainer.markdown import render_markdown, render_markdown_with_toc


def asset_prefix(course_slug: str) -> str:
    return f"/courses/{course_slug}/assets"


def settings_json(settings: CourseSettings) -> dict:
    """course.yml as plain JSON: every field of CourseSettings but the line map."""
    data = {}
    for item in dataclasses.fields(CourseSettings):
        if item.name == "setting_lines":
            continue
        data[item.name] = _plain(getattr(settings, item.name))
    return data


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def render_module(module: ModuleSpec, course_slug: str) -> tuple[str, list]:
    return render_markdown_with_toc(
        module.body_markdown, asset_url_prefix=asset_prefix(course_slug)
    )


def quiz_json(quiz: QuizSpec | None, course_slug: str) -> dict | None:
    if quiz is None:
        return None
    return {
        "settings": dataclasses.asdict(quiz.settings),
        "questions": [_question_json(q, course_slug) for q in quiz.questions],
        "total_points": quiz.total_points,
        "is_graded": quiz.is_graded,
    }


def _html(markdown_text: str, course_slug: str) -> str:
    if not markdown_text.strip():
        return ""
    return render_markdown(markdown_text, asset_url_prefix=asset_prefix(course_slug))


def _question_json(question: QuestionSpec, course_slug: str) -> dict:
    data: dict = {
        "id": question.id,
        "type": question.type,
        "points": question.points,
        "text_html": _html(question.text_markdown, course_slug),
        "feedback_html": _html(question.feedback_markdown, course_slug),
    }
    if question.choices:
        data["choices"] = [
            {
                "key": choice.key,
                "text_html": _html(choice.text_markdown, course_slug),
                "is_correct": choice.is_correct,
                "feedback_html": _html(choice.feedback_markdown, course_slug),
            }
            for choice in question.choices
        ]
    if question.type == "short_text":
        data["accepted"] = list(question.accepted)
    if question.type == "true_false":
        data["answer"] = question.true_false
    if question.type == "numeric":
        data["numeric"] = [{"low": n.low, "high": n.high} for n in question.numeric]
    if question.scale is not None:
        data["scale"] = _plain(question.scale)
    return data
