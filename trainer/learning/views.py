"""Rendering an attempt: the form while it is open, the result once it is closed."""

from __future__ import annotations

import math
import re

from flask import render_template
from markupsafe import Markup

from trainer.dbtypes import utcnow
from trainer.learning import attempts, outline
from trainer.learning.attempts import DEADLINE_GRACE
from trainer.learning.forms import MAX_FREE_TEXT, MAX_SHORT_ANSWER, field_name
from trainer.learning.models import QuizAttempt

_ONE_PARAGRAPH = re.compile(r"^<p>((?:(?!</?p[ >]).)*)</p>$", re.DOTALL)


def inline_html(html: str) -> Markup | None:
    """Stored HTML without its paragraph, when it is a single paragraph: labels and legends
    may hold only phrasing content. None when the HTML has blocks of its own."""
    match = _ONE_PARAGRAPH.match((html or "").strip())
    # The stored HTML was sanitised when the course was imported.
    return Markup(match.group(1)) if match else None  # noqa: S704


def _minutes_left(attempt: QuizAttempt) -> int:
    if attempt.deadline_at is None:
        return 0
    return max(0, math.ceil((attempt.deadline_at - utcnow()).total_seconds() / 60))


def _ordered_questions(attempt: QuizAttempt) -> list[dict]:
    quiz = attempt.module_version.quiz or {"questions": []}
    by_id = {question["id"]: question for question in quiz["questions"]}
    order = attempt.question_order or list(by_id)
    return [by_id[question_id] for question_id in order if question_id in by_id]


def render_attempt(
    attempt: QuizAttempt,
    values: dict[str, list[str]],
    *,
    errors: dict[str, str] | None = None,
    draft: bool = False,
    status: int = 200,
):
    return render_template(
        "learning/attempt.html",
        attempt=attempt,
        module=attempt.module_version,
        course=attempt.course,
        questions=_ordered_questions(attempt),
        values=values,
        errors=errors or {},
        draft=draft,
        field_name=field_name,
        inline_html=inline_html,
        grace_seconds=int(DEADLINE_GRACE.total_seconds()),
        minutes_left=_minutes_left(attempt),
        limits={"free_text": MAX_FREE_TEXT, "short": MAX_SHORT_ANSWER},
    ), status


def render_result(attempt: QuizAttempt, *, can_study: bool = True):
    """``attempt`` may be a closed view of an attempt whose time is up (attempts.as_closed)."""
    module = attempt.module_version
    stored = attempts.attempts_of(attempt.user_id, attempt.family, attempt.module_slug)
    history = [attempt if a.id == attempt.id else a for a in attempts.as_shown(stored, utcnow())]
    allowed = outline.attempts_allowed(module)
    left = None if allowed is None else max(0, allowed - len(history))
    can_retry = (
        outline.must_pass(module)
        and left != 0
        and not any(a.is_in_progress for a in history)
        and attempt.course.is_published
        and can_study
    )
    reveal = attempts.reveals_answers(attempt, history)
    return render_template(
        "learning/result.html",
        attempt=attempt,
        module=module,
        course=attempt.course,
        questions=_ordered_questions(attempt),
        answers=attempt.answers or {},
        results=attempt.results or {},
        reveal=reveal,
        each_question=attempts.shows_each_question(attempt, reveals=reveal),
        graded=outline.has_graded_quiz(module),
        must_pass=outline.must_pass(module),
        anonymous=outline.is_anonymous(module),
        attempts_left=left,
        can_retry=can_retry,
        inline_html=inline_html,
    )
