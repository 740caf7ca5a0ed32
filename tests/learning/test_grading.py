"""grade(quiz, answers): pure scoring over the stored quiz JSON, no database."""

from __future__ import annotations

import pytest

from trainer.learning.grading import grade, parse_decimal


def choice(key: str, right: bool) -> dict:
    return {"key": key, "text_html": f"<p>{key}</p>", "is_correct": right, "feedback_html": ""}


QUIZ = {
    "settings": {"pass_percent": 70.0},
    "questions": [
        {
            "id": "one",
            "type": "single",
            "points": 1.0,
            "choices": [choice("a", False), choice("b", True)],
        },
        {
            "id": "many",
            "type": "multiple",
            "points": 3.0,
            "choices": [
                choice("a", True),
                choice("b", True),
                choice("c", True),
                choice("d", False),
            ],
        },
        {"id": "tf", "type": "true_false", "points": 1.0, "answer": False},
        {
            "id": "word",
            "type": "short_text",
            "points": 1.0,
            "accepted": ["Movilidad humana", "human mobility"],
        },
        {
            "id": "num",
            "type": "numeric",
            "points": 1.0,
            "numeric": [{"low": 3.4, "high": 3.6}, {"low": 10, "high": 10}],
        },
        {"id": "scale", "type": "scale", "scale": {"low": 1, "high": 5}},
        {"id": "text", "type": "free_text"},
    ],
}


def points(answers: dict, question: str) -> float | None:
    return grade(QUIZ, answers).question(question).points


@pytest.mark.parametrize(("value", "expected"), [("b", 1.0), ("a", 0.0), ("zz", 0.0), ("", 0.0)])
def test_single_choice_is_all_or_nothing_and_unknown_keys_are_wrong(value, expected):
    assert points({"one": value}, "one") == expected


def test_single_choice_with_two_values_is_wrong():
    assert points({"one": ["a", "b"]}, "one") == 0.0


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["a", "b", "c"], 3.0),  # all right
        (["a", "b"], 2.0),  # 2 of 3 right: 2/3 x 3
        (["a"], 1.0),
        (["a", "b", "c", "d"], 2.0),  # (3 - 1) / 3 x 3
        (["a", "d"], 0.0),  # (1 - 1) / 3
        (["d"], 0.0),  # never below zero
        (["a", "a", "b"], 2.0),  # a repeated key counts once
        (["a", "b", "c", "forged"], 2.0),  # an unknown key counts as a wrong choice
        ([], 0.0),
    ],
)
def test_multiple_choice_gives_partial_credit(chosen, expected):
    assert points({"many": chosen}, "many") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "expected"), [("false", 1.0), ("FALSE", 1.0), ("true", 0.0), ("maybe", 0.0)]
)
def test_true_false(value, expected):
    assert points({"tf": value}, "tf") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("movilidad humana", 1.0),
        ("  MOVILIDAD   Humána ", 1.0),
        ("Human Mobility", 1.0),
        ("mobility", 0.0),
    ],
)
def test_short_text_is_normalised(value, expected):
    assert points({"word": value}, "word") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3.5", 1.0),
        ("3,5", 1.0),  # decimal comma
        (" 3,45 ", 1.0),
        ("10", 1.0),  # second accepted range
        ("+10.0", 1.0),
        ("4", 0.0),
        ("three", 0.0),
        ("1e1", 0.0),  # only plain decimals
        ("nan", 0.0),
        ("inf", 0.0),
        ("3,5,1", 0.0),
    ],
)
def test_numeric_accepts_any_range_and_a_decimal_comma(value, expected):
    assert points({"num": value}, "num") == expected


def test_parse_decimal():
    assert parse_decimal("3,5") == 3.5
    assert parse_decimal("-,5") == -0.5
    assert parse_decimal("1\u00a0000") == 1000.0
    assert parse_decimal("1_000") is None
    assert parse_decimal("9" * 41) is None


def test_survey_questions_are_recorded_not_scored():
    result = grade(QUIZ, {"scale": "4", "text": "Useful"})
    assert result.question("scale").points is None
    assert result.question("scale").answered
    assert result.question("text").answered
    assert result.max_points == 7.0
    assert not grade(QUIZ, {"scale": "9"}).question("scale").answered


def test_score_percent_and_pass_mark():
    answers = {"one": "b", "many": ["a", "b", "c"], "tf": "false", "word": "human mobility"}
    result = grade(QUIZ, answers)
    assert result.points == 6.0
    assert result.percent == pytest.approx(85.71, abs=0.01)
    assert result.passed is True
    failing = grade(QUIZ, {"one": "b", "many": ["a", "b", "c"]})
    assert failing.percent == pytest.approx(57.14, abs=0.01)
    assert failing.passed is False


def test_exactly_the_pass_mark_passes():
    quiz = {
        "settings": {"pass_percent": 70},
        "questions": [
            {"id": f"q{i}", "type": "true_false", "points": 1.0, "answer": True} for i in range(10)
        ],
    }
    answers = {f"q{i}": "true" for i in range(7)}
    assert grade(quiz, answers).passed is True


def test_just_under_the_pass_mark_fails_and_shows_under_it():
    # 69.996 % must not be rounded up to 70 % and passed.
    quiz = {
        "settings": {"pass_percent": 70},
        "questions": [
            {"id": "a", "type": "true_false", "points": 69.996, "answer": True},
            {"id": "b", "type": "true_false", "points": 30.004, "answer": True},
        ],
    }
    result = grade(quiz, {"a": "true"})
    assert result.passed is False
    assert result.percent == 69.99


def test_partial_credit_is_judged_unrounded():
    # 2 of 3 right choices is 66.666... %, under a 66.67 pass mark, shown as 66.66 %.
    quiz = {"settings": {"pass_percent": 66.67}, "questions": [QUIZ["questions"][1]]}
    result = grade(quiz, {"many": ["a", "b"]})
    assert result.passed is False
    assert result.percent == 66.66
    # Three thirds make a whole question again: 7 of 10 passes a pass mark of 70.
    thirds = {
        "id": "m",
        "type": "multiple",
        "points": 1.0,
        "choices": [choice("a", True), choice("b", True), choice("c", True)],
    }
    quiz = {
        "settings": {"pass_percent": 70},
        "questions": [
            *({**thirds, "id": f"m{i}"} for i in range(3)),
            *({"id": f"t{i}", "type": "true_false", "answer": True} for i in range(7)),
        ],
    }
    answers = {"m0": "a", "m1": "b", "m2": "c", **{f"t{i}": "true" for i in range(6)}}
    result = grade(quiz, answers)
    assert result.passed is True
    assert (result.points, result.percent) == (7.0, 70.0)


def test_garbage_never_raises():
    garbage = {
        "one": 5,
        "many": {"a": 1},
        "tf": None,
        "word": ["x" * 10_000],
        "num": [[]],
        "nope": "x",
    }
    result = grade(QUIZ, garbage)
    assert result.points == 0.0
    assert result.passed is False


def test_a_survey_has_no_percent_and_no_pass():
    survey = {"settings": {"pass_percent": 70}, "questions": QUIZ["questions"][5:]}
    result = grade(survey, {"scale": "3"})
    assert result.percent is None
    assert result.passed is None


def test_grading_is_pure():
    import ast
    from pathlib import Path

    import trainer.learning.grading as module

    tree = ast.parse(Path(module.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    pure = {"__future__", "collections.abc", "dataclasses", "trainer.courses.spec"}
    assert imported <= pure | {"trainer.courses.text"}
