"""A module as participants will see it, for the editor's preview.

Everything goes through ``render_markdown`` (the only renderer, which sanitises); asset
links point at the draft's files so that images uploaded but not yet published show.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal, gettext

from trainer.courses.markdowncost import text_cost
from trainer.courses.spec import ModuleSpec, QuestionSpec
from trainer.markdown import TocEntry, render_markdown, render_markdown_with_toc


@dataclass(frozen=True)
class ChoicePreview:
    text_html: str
    is_correct: bool
    feedback_html: str


@dataclass(frozen=True)
class QuestionPreview:
    id: str
    type: str
    points: float
    text_html: str
    choices: tuple[ChoicePreview, ...]
    answers: tuple[
        str, ...
    ]  # accepted answers, true/false, numbers or scale, as the reader writes them
    feedback_html: str


@dataclass(frozen=True)
class ModulePreview:
    title: str
    minutes: int
    kind: str
    body_html: str
    toc: list[TocEntry]
    pass_percent: float | None
    questions: tuple[QuestionPreview, ...]


def module_preview(module: ModuleSpec, asset_prefix: str) -> ModulePreview | None:
    """None when some of its Markdown would take too long to render (the checker says where)."""
    if any(text_cost(text).too_costly for text in _markdown_texts(module)):
        return None
    body_html, toc = render_markdown_with_toc(module.body_markdown, asset_url_prefix=asset_prefix)
    quiz = module.quiz
    return ModulePreview(
        title=module.title,
        minutes=module.minutes,
        kind=module.kind,
        body_html=body_html,
        toc=toc,
        pass_percent=quiz.settings.pass_percent if quiz and quiz.is_graded else None,
        questions=tuple(_question(q, asset_prefix) for q in quiz.questions) if quiz else (),
    )


def _markdown_texts(module: ModuleSpec) -> list[str]:
    texts = [module.body_markdown]
    for question in module.quiz.questions if module.quiz else ():
        texts += [question.text_markdown, question.feedback_markdown]
        texts += [t for c in question.choices for t in (c.text_markdown, c.feedback_markdown)]
    return texts


def _html(text: str, asset_prefix: str) -> str:
    return render_markdown(text, asset_url_prefix=asset_prefix) if text.strip() else ""


def _question(question: QuestionSpec, asset_prefix: str) -> QuestionPreview:
    return QuestionPreview(
        id=question.id,
        type=question.type,
        points=question.points,
        text_html=_html(question.text_markdown, asset_prefix),
        choices=tuple(
            ChoicePreview(
                _html(c.text_markdown, asset_prefix),
                c.is_correct,
                _html(c.feedback_markdown, asset_prefix),
            )
            for c in question.choices
        ),
        answers=_answers(question),
        feedback_html=_html(question.feedback_markdown, asset_prefix),
    )


def _answers(question: QuestionSpec) -> tuple[str, ...]:
    """What the preview lists as accepted, in the reader's language and number format."""
    if question.type == "true_false":
        return (gettext("True") if question.true_false else gettext("False"),)
    if question.type == "short_text":
        return question.accepted
    if question.type == "numeric":
        return tuple(
            f"{format_decimal(n.value)} ± {format_decimal(n.tolerance)}"
            if n.value is not None
            else f"{format_decimal(n.low)} – {format_decimal(n.high)}"
            for n in question.numeric
        )
    if question.scale is not None:
        scale = question.scale
        labels = f" ({scale.low_label} … {scale.high_label})" if scale.low_label else ""
        return (f"{format_decimal(scale.low)} – {format_decimal(scale.high)}{labels}",)
    return ()
