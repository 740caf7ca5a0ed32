"""Reading a quiz form: one field ``q-<question id>`` per question, checked for size.

The quiz form is built from the quiz itself, not from a WTForms class; its anti-forgery token
is the attempt's own (see trainer.learning.attempts). Values are kept as posted, as lists of
strings; what they are worth is for ``grading.grade`` to say, which never fails on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from trainer.text import has_control_characters

# Longest answer kept, in characters: a sentence for short answers, a page for free text.
MAX_SHORT_ANSWER = 500
MAX_FREE_TEXT = 5000
# More values than this for one question can only come from a forged form.
MAX_VALUES = 50
# Line breaks and tabs are text in a free-text answer; no other control character is.
_TEXT_BREAKS = str.maketrans("", "", "\t\r\n")


@dataclass
class PostedAnswers:
    answers: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # question id -> message


def field_name(question_id: str) -> str:
    return f"q-{question_id}"


def read_answers(form: MultiDict, quiz: dict) -> PostedAnswers:
    """The answers to ``quiz``'s questions in ``form``; values over the limits are errors."""
    posted = PostedAnswers()
    for question in quiz.get("questions", ()):
        values = [v.strip() for v in form.getlist(field_name(question["id"]))[:MAX_VALUES]]
        values = [v for v in values if v]
        if not values:
            continue
        limit = MAX_FREE_TEXT if question["type"] == "free_text" else MAX_SHORT_ANSWER
        if any(has_control_characters(v.translate(_TEXT_BREAKS)) for v in values):
            posted.errors[question["id"]] = _(
                "This answer holds an invisible control character (such as NUL); type it again."
            )
        elif any(len(v) > limit for v in values):
            posted.errors[question["id"]] = ngettext(
                "This answer is too long: write at most %(num)d character.",
                "This answer is too long: write at most %(num)d characters.",
                limit,
            )
        posted.answers[question["id"]] = values
    return posted


def within_limits(posted: PostedAnswers) -> dict[str, list[str]]:
    """Only the answers that respect the limits (what is kept as a draft)."""
    return {qid: values for qid, values in posted.answers.items() if qid not in posted.errors}
