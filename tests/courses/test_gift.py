"""Moodle GIFT -> our quiz syntax: every supported type, escapes, formats, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.courses.gift import convert_gift
from trainer.courses.giftmodule import add_gift_to_module, append_questions
from trainer.courses.module import parse_module

SAMPLE = Path(__file__).parent / "data" / "sample.gift"


def _module(text: str):
    return parse_module(
        text, "m.md", slug="m", number=1, position=1, content_hash="", asset_names=()
    )


@pytest.fixture(scope="module")
def result():
    return convert_gift(SAMPLE.read_text(encoding="utf-8"))


def _question(result, question_id: str) -> str:
    return next(q.markdown for q in result.questions if q.id == question_id)


def test_multiple_choice_with_feedback(result):
    assert _question(result, "sdg-target") == (
        "? Which SDG target asks for well-managed migration policies? {id=sdg-target}\n"
        "- (x) 10.7\n"
        "  > Right: orderly, safe, regular migration.\n"
        "- ( ) 8.8\n"
        "  > That one protects labour rights.\n"
        "- ( ) 17.18\n"
        "> Target 10.7 is the migration-governance target."
    )


def test_weighted_choices_become_multiple_choice(result):
    assert _question(result, "policy-areas") == (
        "? Which are **policy areas** for mainstreaming? {id=policy-areas}\n"
        "- [x] Employment\n"
        "- [x] Urban development\n"
        "- [ ] None: migration is only a border issue\n"
        "  > No."
    )


def test_true_false_feedback_joins_the_question_feedback(result):
    assert _question(result, "gift-3") == (
        "? Remittances are private funds. {id=gift-3}\n"
        "= true\n"
        "> Right.\n"
        ">\n"
        "> They are private money."
    )
    assert _question(result, "plain").endswith("= false")


def test_short_answer(result):
    assert _question(result, "acronym") == (
        "? What is the acronym of the Global Compact for Migration? {id=acronym}\n"
        "= GCM\n"
        "= Global Compact for Migration"
    )


def test_numeric_tolerance_range_and_several_answers(result):
    assert _question(result, "remittance-cost").endswith("{id=remittance-cost}\n= 3 +- 0.5")
    assert _question(result, "year-range").endswith("{id=year-range}\n= 2017..2018")
    assert _question(result, "multi-numeric") == (
        "? What is pi? {id=multi-numeric}\n"
        "= 3.14159 +- 0.0005\n"
        "= 3.1 +- 0.05\n"
        "> Exactly.\n"
        ">\n"
        "> Close enough."
    )


def test_escapes_and_formats(result):
    assert _question(result, "escapes") == (
        "? Which symbol is = in maths: equal { or } or ~ or # ? {id=escapes}\n"
        "- (x) =\n"
        "- ( ) \\#\n"
        "- ( ) ~"
    )
    assert _question(result, "html") == (
        "? Which word is **bold**? {id=html}\n- (x) *this*\n- ( ) that"
    )
    assert _question(result, "plain") == "? Is 2\\*3\\_4 \\[x\\] plain? {id=plain}\n= false"


def test_unsupported_items_are_listed_with_their_lines(result):
    assert [(s.line, s.reason.split(" ")[0]) for s in result.skipped] == [
        (36, "matching"),
        (45, "description"),
    ]
    assert len(result.questions) == 12


def test_a_missing_word_question_gets_a_blank_and_keeps_the_text_after_it(result):
    assert _question(result, "gift-12") == (
        "? Moodle costs only \\_\\_\\_\\_\\_ to download. {id=gift-12}\n- (x) nothing\n- ( ) a lot"
    )


def test_every_converted_question_passes_our_quiz_parser(result):
    module, problems = _module(
        "---\ntitle: T\nminutes: 5\n---\n::: quiz\n" + result.markdown + "\n:::\n"
    )
    assert problems == []
    assert [(q.id, q.type) for q in module.quiz.questions] == [
        ("sdg-target", "single"),
        ("policy-areas", "multiple"),
        ("gift-3", "true_false"),
        ("acronym", "short_text"),
        ("remittance-cost", "numeric"),
        ("year-range", "numeric"),
        ("multi-numeric", "numeric"),
        ("escapes", "single"),
        ("html", "single"),
        ("plain", "true_false"),
        ("essay", "free_text"),  # ungraded: recorded, never scored
        ("gift-12", "single"),
    ]
    assert (
        module.quiz.questions[11].text_markdown == "Moodle costs only \\_\\_\\_\\_\\_ to download."
    )
    pi = module.quiz.questions[6]
    assert pi.numeric[0].accepts(3.1416)
    assert not pi.numeric[0].accepts(3.15)


@pytest.mark.parametrize(
    ("gift", "reason"),
    [
        ("Q {~a ~b}", "without a right answer"),
        ("Q {=a", "never closed"),
        ("Q {#=%0%3}", "without an answer of positive weight"),
        ("Q {#5..1}", "goes from high to low"),
        ("Q {#three}", "is not a number"),
        ("::Only a title::{T}", None),
        ("::Only a title::{T}.", None),
    ],
)
def test_broken_questions_are_reported(gift, reason):
    converted = convert_gift(gift)
    if reason is None:
        assert converted.questions[0].markdown == "? Only a title {id=only-a-title}\n= true"
    else:
        assert reason in converted.skipped[0].reason
        assert converted.skipped[0].line == 1


def test_question_text_that_looks_like_our_syntax_is_protected():
    converted = convert_gift("[markdown]First line\n= not an answer\n? not a question\n{T}")
    module, problems = _module(
        "---\ntitle: T\nminutes: 5\n---\n::: quiz\n" + converted.markdown + "\n:::\n"
    )
    assert problems == []
    assert module.quiz.questions[0].type == "true_false"
    assert "= not an answer" in module.quiz.questions[0].text_markdown


def test_ids_avoid_those_taken_and_each_other():
    converted = convert_gift("::Same::A {T}\n\n::Same::B {F}", taken_ids={"same"})
    assert [q.id for q in converted.questions] == ["same-2", "same-3"]


def test_html_paragraphs_lists_and_links():
    converted = convert_gift(
        '[html]<p>Read <a href="https://example.org">this</a>:</p><ul><li>one</li>'
        "<li>two &amp; three</li></ul>{T}"
    )
    assert converted.questions[0].markdown == (
        "? Read [this](https://example.org): {id=gift-1}\n\n- one\n- two &amp; three\n= true"
    )


def test_appending_to_a_module_with_and_without_a_quiz():
    lesson = "---\ntitle: T\nminutes: 5\n---\nText.\n"
    text, converted = add_gift_to_module(lesson, "::Q::Sure? {T}")
    assert text == lesson + "\n::: quiz\n? Sure? {id=q}\n= true\n:::\n"
    with_quiz = "---\ntitle: T\nminutes: 5\n---\n::: quiz\npass: 50\n\n? Old {id=q}\n= true\n:::\n"
    text, _ = add_gift_to_module(with_quiz, "::Q::New? {F}")
    assert text.endswith("? Old {id=q}\n= true\n\n? New? {id=q-2}\n= false\n:::\n")
    assert _module(text)[1] == []


def test_a_quiz_shown_inside_a_code_block_is_not_the_quiz():
    text = "---\ntitle: T\nminutes: 5\n---\n```\n::: quiz\n:::\n```\n"
    assert append_questions(text, "? Q {id=a}\n= true").endswith(
        "```\n\n::: quiz\n? Q {id=a}\n= true\n:::\n"
    )
