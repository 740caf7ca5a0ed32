"""The demo course, in English and Spanish, is complete, consistent and free of filler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.courses.checks import check_courses
from trainer.courses.parser import load_course

COURSES = Path(__file__).resolve().parents[2] / "courses"
ENGLISH = COURSES / "migration-development-policy"
SPANISH = COURSES / "migracion-politicas-desarrollo"
# Upper case only for the markers: "todo" is an ordinary Spanish word.
FILLER = re.compile(r"(?i:lorem ipsum|placeholder|\bxxx\b)|\bTODO\b|\bTBD\b|\bFIXME\b")


@pytest.fixture(scope="module")
def both():
    english, problems_en = load_course(ENGLISH)
    spanish, problems_es = load_course(SPANISH)
    assert problems_en == []
    assert problems_es == []
    return english, spanish


def test_check_passes_on_both_languages():
    specs, problems = check_courses(COURSES)
    assert [str(p) for p in problems] == []
    assert {spec.language for spec in specs} == {"en", "es"}


def test_spanish_is_a_translation_of_english(both):
    english, spanish = both
    assert english.language == "en"
    assert spanish.language == "es"
    assert spanish.translation_of == english.slug


def test_same_module_slugs_and_question_ids(both):
    english, spanish = both
    assert [m.slug for m in english.modules] == [m.slug for m in spanish.modules]
    for en_module, es_module in zip(english.modules, spanish.modules, strict=True):
        assert en_module.kind == es_module.kind
        en_ids = en_module.quiz.question_ids if en_module.quiz else ()
        es_ids = es_module.quiz.question_ids if es_module.quiz else ()
        assert en_ids == es_ids, en_module.slug
        if en_module.quiz:
            for en_q, es_q in zip(en_module.quiz.questions, es_module.quiz.questions, strict=True):
                assert en_q.type == es_q.type, en_q.id
                assert en_q.points == es_q.points, en_q.id
                assert [c.is_correct for c in en_q.choices] == [c.is_correct for c in es_q.choices]
                assert en_q.true_false == es_q.true_false
                assert en_q.numeric == es_q.numeric


def test_the_course_covers_what_the_programme_needs(both):
    english, _ = both
    kinds = [m.kind for m in english.modules]
    assert kinds[0] == "pre-test"
    assert "post-test" in kinds
    assert "survey" in kinds
    assert kinds.count("lesson") >= 4
    types = {q.type for m in english.modules if m.quiz for q in m.quiz.questions}
    assert types >= {
        "single",
        "multiple",
        "true_false",
        "short_text",
        "numeric",
        "scale",
        "free_text",
    }
    completion = english.completion
    assert completion.modules == "all"
    assert completion.quizzes == "all"
    assert completion.attendance_percent > 0
    assert completion.survey
    assert set(english.certificate.kinds) == {"completion", "attendance"}
    names = {asset.name for asset in english.assets}
    assert any(name.endswith(".svg") for name in names)
    assert any(name.endswith(".pdf") for name in names)
    assert any("|---" in m.body_markdown or "| ---" in m.body_markdown for m in english.modules)


@pytest.mark.parametrize("folder", [ENGLISH, SPANISH], ids=["en", "es"])
def test_every_graded_question_has_feedback(folder):
    spec, _ = load_course(folder)
    for module in spec.modules:
        for question in module.quiz.questions if module.quiz else ():
            if not question.is_graded:
                continue
            has_feedback = bool(question.feedback_markdown.strip()) or any(
                c.feedback_markdown.strip() for c in question.choices
            )
            assert has_feedback, f"{module.file_name}: question {question.id} has no feedback"


@pytest.mark.parametrize("folder", [ENGLISH, SPANISH], ids=["en", "es"])
def test_no_filler_text(folder):
    for path in sorted(folder.glob("*.md")) + [folder / "course.yml"]:
        text = path.read_text(encoding="utf-8")
        match = FILLER.search(text)
        assert match is None, f"{path.name}: filler text {match.group(0)!r}"


# GLOSSARY.md terms, and Ecuadorian public-sector wording rather than literal translation.
AVOIDED_SPANISH = re.compile(
    r"evaluaci[oó]n (inicial|final)|\bpuntaje|\bformador|\w/as?\b|consejer[oa]s de empleo"
    r"|desglos",
    re.IGNORECASE,
)


def test_spanish_course_follows_the_glossary():
    for path in sorted(SPANISH.glob("*.md")) + [SPANISH / "course.yml"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = AVOIDED_SPANISH.search(line)
            assert match is None, f"{path.name}:{number}: {match.group(0)!r}"


def test_spanish_questions_open_with_an_inverted_question_mark(both):
    _, spanish = both
    for module in spanish.modules:
        for question in module.quiz.questions if module.quiz else ():
            for sentence in re.split(r"(?<=[.:])\s", question.text_markdown):
                if "?" not in sentence:
                    continue
                assert "¿" in sentence, f"{module.file_name}: {question.id}: {sentence!r}"


def test_levels_of_government_include_the_parish(both):
    for course in both:
        text = "\n".join(m.body_markdown + str(m.quiz) for m in course.modules)
        assert re.search(r"municipal y parroquial|municipal and parish", text)
