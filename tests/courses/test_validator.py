"""Every mistake a trainer can make is reported with its file, line and what to do."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from trainer.courses.checks import check_courses
from trainer.courses.messages import msg
from trainer.courses.parser import load_course
from trainer.courses.spec import Problem, sorted_problems

COURSE = """\
title: Migration and development
summary: A short course.
language: en
version: "1"
owners: [ana@example.org]
completion:
  modules: all
  quizzes: all
"""
INTRO = """\
---
title: Introduction
minutes: 10
---
# Introduction

![Map](assets/map.png)
"""
BASE: dict[str, str | bytes] = {
    "course.yml": COURSE,
    "01-intro.md": INTRO,
    "assets/map.png": b"png",
}
HERE = "courses/demo-course"

Files = dict[str, "str | bytes | None"]
Check = Callable[..., list[str]]


def quiz_module(quiz: str, kind: str = "lesson", after: str = "") -> str:
    """A module whose quiz line k (1-based) is line 8 + k of the file."""
    return (
        f"---\ntitle: Quiz\nminutes: 10\nkind: {kind}\n---\nText.\n\n::: quiz\n{quiz}:::\n{after}"
    )


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Check:
    """check(files) writes the base course changed by `files` (None deletes) and checks it."""
    monkeypatch.chdir(tmp_path)

    def run(
        files: Files | None = None, slug: str = "demo-course", *, root: bool = False
    ) -> list[str]:
        folder = tmp_path / "courses" / slug
        for name, content in {**BASE, **(files or {})}.items():
            target = folder / name
            if content is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        _, problems = check_courses(Path("courses") if root else Path("courses") / slug)
        return [str(p) for p in problems]

    return run


def reported(problems: list[str], location: str, *fragments: str) -> bool:
    """Whether a problem at `location` (path or path:line) mentions every fragment."""
    return any(p.startswith(f"{location}: ") and all(f in p for f in fragments) for p in problems)


def test_the_base_course_is_valid(check: Check) -> None:
    assert check() == []


def test_problem_format_and_order() -> None:
    problems = [
        Problem("b.md", 2, msg("choice-without-text")),
        Problem("a.md", 9, msg("answer-empty")),
        Problem("a.md", None, msg("assets-not-a-folder")),
        Problem("a.md", 10, msg("tilde-twice")),
        Problem("a.md", 9, msg("answer-empty")),
    ]
    assert [str(p) for p in sorted_problems(problems)] == [
        "a.md: assets must be a folder inside the course folder",
        "a.md:9: empty answer: write the accepted answer after `= `",
        "a.md:10: a question has one `~` line",
        "b.md:2: choice has no text",
    ]


# course.yml ---------------------------------------------------------------------------------


def test_bad_yaml_reports_the_yaml_error_line(check: Check) -> None:
    problems = check({"course.yml": COURSE.replace("A short course.", "Policy: a primer")})
    assert reported(problems, f"{HERE}/course.yml:2", "not valid YAML", "quotes")


def test_bad_yaml_in_front_matter_is_located_in_the_module(check: Check) -> None:
    problems = check({"01-intro.md": INTRO.replace("minutes: 10", "minutes: [10")})
    assert reported(problems, f"{HERE}/01-intro.md:3", "not valid YAML")


def test_missing_course_yml(check: Check) -> None:
    problems = check({"course.yml": None, "course.yaml": COURSE}, slug="other-course")
    assert reported(
        problems, "courses/other-course/course.yml", "course.yml is missing", "rename `course.yaml`"
    )


def test_missing_front_matter(check: Check) -> None:
    problems = check({"01-intro.md": "# Introduction\n\nNo settings.\n"})
    assert reported(problems, f"{HERE}/01-intro.md:1", "no front matter", "---")


def test_unclosed_front_matter(check: Check) -> None:
    problems = check({"01-intro.md": "---\ntitle: Intro\nminutes: 3\n# Introduction\n"})
    assert reported(problems, f"{HERE}/01-intro.md:1", "never closed")


def test_missing_required_keys(check: Check) -> None:
    problems = check(
        {
            "course.yml": COURSE.replace('version: "1"\n', ""),
            "01-intro.md": INTRO.replace("minutes: 10\n", ""),
        }
    )
    assert reported(problems, f"{HERE}/course.yml:1", "`version` is missing")
    assert reported(problems, f"{HERE}/01-intro.md:2", "`minutes` is missing")


def test_key_set_twice(check: Check) -> None:
    problems = check({"course.yml": COURSE + "language: es\n"})
    assert reported(problems, f"{HERE}/course.yml:9", "`language` is set twice", "line 3")


@pytest.mark.parametrize(
    ("change", "location", "suggestion"),
    [
        ({"course.yml": COURSE + "estimated_hour: 3\n"}, "course.yml:9", "`estimated_hours`"),
        ({"course.yml": COURSE + "  attendance: 75\n"}, "course.yml:9", "`attendance_percent`"),
        (
            {
                "course.yml": COURSE
                + "certificate:\n  signatories:\n    - name: Ana\n      rol: Chair\n"
            },
            "course.yml:12",
            "`role`",
        ),
        (
            {"01-intro.md": INTRO.replace("minutes:", "minute: 2\nminutes:")},
            "01-intro.md:3",
            "`minutes`",
        ),
        ({"02-quiz.md": quiz_module("attempt: 3\n\n? Q\n= 4\n")}, "02-quiz.md:9", "`attempts`"),
    ],
    ids=["course.yml", "nested", "list-item", "front-matter", "quiz-setting"],
)
def test_unknown_keys_suggest_the_right_one(
    check: Check, change: Files, location: str, suggestion: str
) -> None:
    assert reported(check(change), f"{HERE}/{location}", "unknown", f"did you mean {suggestion}")


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("language: en", "language: de", 3, "must be one of en, es, fr"),
        (
            "[ana@example.org]",
            "[ana@example.org, ana.example.org]",
            5,
            "`ana.example.org` in `owners` is not a valid e-mail",
        ),
        ("[ana@example.org]", "[]", 5, "at least one e-mail"),
        ("[ana@example.org]", "ana@example.org", 5, "must be a list of e-mails"),
        ('"1"', "2026.1", 4, 'put it in quotes: version: "2026.1"'),
        ("  quizzes: all", "  quizzes: some", 8, "`completion.quizzes` must be `all` or `none`"),
        ("  quizzes: all", "  attendance_percent: 120", 8, "from 0 to 100"),
        ("  quizzes: all", "  survey: maybe", 8, "must be true or false"),
        ("owners:", "audience: everyone\nowners:", 5, "`open` or a list of institution slugs"),
        ("owners:", "estimated_hours: -1\nowners:", 5, "greater than 0"),
        ("owners:", "certificate:\n  kinds: [diploma]\nowners:", 6, "unknown certificate kind"),
        ("owners:", "certificate:\n  validity_months: 0\nowners:", 6, "whole number"),
        ("owners:", "certificate: all\nowners:", 5, "group of settings"),
    ],
)
def test_wrong_types_and_values_in_course_yml(
    check: Check, old: str, new: str, line: int, fragment: str
) -> None:
    problems = check({"course.yml": COURSE.replace(old, new, 1)})
    assert reported(problems, f"{HERE}/course.yml:{line}", fragment)


@pytest.mark.parametrize(
    ("front", "line", "fragment"),
    [
        ("title: Intro\nminutes: 0\n", 3, "`minutes` must be a whole number from 1 to 10000"),
        ("title: Intro\nminutes: ten\n", 3, "`minutes` must be a whole number"),
        ("title: ''\nminutes: 5\n", 2, "`title` must be non-empty text"),
        ("title: Intro\nminutes: 5\nkind: pretest\n", 4, "did you mean `pre-test`"),
        ("- title\n", 2, "must be `key: value` lines"),
    ],
    ids=["zero-minutes", "text-minutes", "empty-title", "unknown-kind", "not-a-mapping"],
)
def test_wrong_front_matter(check: Check, front: str, line: int, fragment: str) -> None:
    problems = check({"01-intro.md": f"---\n{front}---\nText.\n"})
    assert reported(problems, f"{HERE}/01-intro.md:{line}", fragment)


# Quiz blocks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ("pass: 120", "`pass` must be a percentage from 0 to 100"),
        ("attempts: 0", "`attempts` must be a number of attempts"),
        ("shuffle: maybe", "`shuffle` must be `yes` or `no`"),
        ("time-limit: -5", "`time-limit` must be a number of minutes"),
        ("late: later", "use one of: refuse, score-answered"),
        ("reveal: afterpass", "did you mean `after-pass`"),
    ],
)
def test_wrong_quiz_settings(check: Check, setting: str, fragment: str) -> None:
    problems = check({"02-quiz.md": quiz_module(f"anonymous: no\n{setting}\n\n? Q\n= 4\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:10", fragment)


def test_quiz_setting_after_a_blank_line(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("\npass: 50\n\n? Q\n= 4\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:10", "right after the `::: quiz` line")


def test_text_before_the_first_question(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("pass: 50\n\nWhat is 2+2?\n= 4\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:11", "start each question with `? `")


def test_unknown_question_attribute(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Two plus two? {id=sum point=2}\n= 4\n")})
    assert reported(
        problems,
        f"{HERE}/02-quiz.md:9",
        "unknown question attribute `point`",
        "did you mean `points`",
    )


def test_bad_question_id_and_points(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Q {id=My_Id points=-1}\n= 4\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:9", "question id `My_Id`")
    assert reported(problems, f"{HERE}/02-quiz.md:9", "`points` must be a number above 0")


def test_unknown_question_type(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Rate us\n~ slider 1-5\n", kind="survey")})
    assert reported(problems, f"{HERE}/02-quiz.md:10", "unknown question type `~ slider 1-5`")


def test_bad_scale(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Rate us\n~ scale 5-1\n", kind="survey")})
    assert reported(problems, f"{HERE}/02-quiz.md:10", "`~ scale 1-5`")


def test_choice_question_with_no_correct_choice(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("pass: 50\n\n? Pick one\n- ( ) a\n- ( ) b\n")})
    assert f"{HERE}/02-quiz.md:11: question has no correct choice; mark one with (x)" in problems


def test_multiple_choice_with_no_correct_choice(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Pick some\n- [ ] a\n- [ ] b\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:9", "no correct choice; mark one with [x]")


def test_mixing_single_and_multiple_markers(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Pick\n- (x) a\n- [ ] b\n- ( ) c\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:11", "mixes `( )`", "`[ ]`")


def test_single_choice_with_two_correct_choices(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Pick\n- (x) a\n- (x) b\n- ( ) c\n")})
    assert reported(
        problems, f"{HERE}/02-quiz.md:9", "2 correct choices (lines 10, 11)", "exactly one (x)"
    )


def test_choice_question_with_one_choice_or_no_marker(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? A\n- (x) a\n\n? B\n- (x) a\n- b\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:9", "at least two choices")
    assert reported(problems, f"{HERE}/02-quiz.md:14", "choice without a marker")


def test_question_without_answers_or_text(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Lonely question\n\n?\n= 4\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:9", "question has no answers")
    assert reported(problems, f"{HERE}/02-quiz.md:11", "question has no text")


def test_answers_of_different_kinds(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Q\n- (x) a\n- ( ) b\n= a\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:9", "one kind of answer")


def test_bad_numeric_and_true_false_answers(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? N\n= 44..40\n= 42\n\n? T\n= true\n= false\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:10", "`44..40` is not a valid", "lowest first")
    assert reported(problems, f"{HERE}/02-quiz.md:13", "exactly one `= true` or `= false`")


def test_answer_after_feedback(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Q\n= a\n> Because.\n= b\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:12", "answer line after the question's feedback")


def test_duplicate_question_ids(check: Check) -> None:
    quiz = "? A {id=sum}\n= 4\n\n? B {id=sum}\n= 5\n\n? C {id=q4}\n= 6\n\n? D\n= 7\n"
    problems = check({"02-quiz.md": quiz_module(quiz)})
    assert reported(
        problems, f"{HERE}/02-quiz.md:12", "question id `sum` is already used on line 9"
    )
    assert reported(
        problems, f"{HERE}/02-quiz.md:18", "`q4` is already used on line 15", "automatic id"
    )


def test_unclosed_quiz_block(check: Check) -> None:
    problems = check({"02-quiz.md": "---\ntitle: Q\nminutes: 3\n---\n::: quiz\n? Q\n= 4\n"})
    assert reported(problems, f"{HERE}/02-quiz.md:5", "never closed", "add a line `:::`")


def test_two_quiz_blocks(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Q\n= 4\n", after="::: quiz\n? R\n= 5\n:::\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:12", "second quiz block", "line 8")


def test_quiz_without_questions(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("pass: 50\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:8", "this quiz has no questions")


# Module kinds and course rules ----------------------------------------------------------------


def test_more_than_one_pre_test(check: Check) -> None:
    pre = quiz_module("? Q\n= 4\n", kind="pre-test")
    problems = check({"02-pre.md": pre, "03-pre-again.md": pre})
    assert reported(
        problems, f"{HERE}/03-pre-again.md:4", "only one pre-test", "02-pre.md already is it"
    )


@pytest.mark.parametrize("kind", ["pre-test", "post-test", "survey"])
def test_special_module_without_quiz(check: Check, kind: str) -> None:
    problems = check({"02-special.md": f"---\ntitle: S\nminutes: 3\nkind: {kind}\n---\nText\n"})
    assert reported(problems, f"{HERE}/02-special.md:4", f"a {kind} needs its questions")


def test_a_scale_outside_a_survey_is_refused_free_text_is_asked_ungraded(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? Rate\n~ scale 1-5\n\n? Say\n~ text\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:9", "scale questions belong in the survey")
    assert not [p for p in problems if p.startswith(f"{HERE}/02-quiz.md:12")], problems


def test_graded_question_inside_a_survey(check: Check) -> None:
    problems = check(
        {"02-survey.md": quiz_module("? Rate\n~ scale 1-5\n\n? Sum\n= 4\n", kind="survey")}
    )
    assert reported(problems, f"{HERE}/02-survey.md:12", "a survey asks only scale")


def test_anonymous_outside_a_survey_and_attempts_in_a_pre_test(check: Check) -> None:
    problems = check(
        {
            "02-quiz.md": quiz_module("anonymous: yes\n\n? Q\n= 4\n"),
            "03-pre.md": quiz_module("attempts: 3\n\n? Q\n= 4\n", kind="pre-test"),
        }
    )
    assert reported(problems, f"{HERE}/02-quiz.md:9", "`anonymous` applies only to surveys")
    assert reported(problems, f"{HERE}/03-pre.md:9", "exactly one attempt")


def test_completion_rules_name_missing_modules_and_quizzes(check: Check) -> None:
    course = COURSE.replace("modules: all", "modules: [intro, intro-2]").replace(
        "quizzes: all", "quizzes: [intro, nowhere]\n  survey: true"
    )
    problems = check({"course.yml": course})
    assert reported(problems, f"{HERE}/course.yml:7", "`intro-2`", "did you mean `intro`")
    assert reported(problems, f"{HERE}/course.yml:8", "names `intro`, but that module has no quiz")
    assert reported(problems, f"{HERE}/course.yml:8", "`nowhere`, which is not a module")
    assert reported(problems, f"{HERE}/course.yml:9", "no survey module")


def test_completion_quizzes_cannot_name_the_pre_test(check: Check) -> None:
    problems = check(
        {
            "course.yml": COURSE.replace("quizzes: all", "quizzes:\n    - pre"),
            "02-pre.md": quiz_module("? Q\n= 4\n", kind="pre-test"),
        }
    )
    assert reported(problems, f"{HERE}/course.yml:9", "`pre` is the pre-test")


def test_empty_course(check: Check) -> None:
    problems = check({"01-intro.md": None, "assets/map.png": None}, slug="empty-course")
    assert reported(problems, "courses/empty-course", "no modules", "01-introduction.md")


# Files and names -----------------------------------------------------------------------------


def test_duplicate_module_slugs(check: Check) -> None:
    problems = check({"05-intro.md": INTRO})
    assert reported(
        problems, f"{HERE}/05-intro.md", "module slug `intro` is already used by 01-intro.md"
    )


def test_duplicate_module_numbers(check: Check) -> None:
    problems = check({"01-outro.md": INTRO})
    assert reported(problems, f"{HERE}/01-outro.md", "01-intro.md has the same number")


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("intro.md", "`01-intro.md`"),
        ("1-Intro.md", "`1-intro.md`"),
        ("02-ab.md", "`02-ab.md`"),
        ("03-Intro to GCM.md", "`03-intro-to-gcm.md`"),
    ],
)
def test_module_file_names(check: Check, name: str, suggestion: str) -> None:
    problems = check({name: INTRO})
    assert reported(problems, f"{HERE}/{name}", "NN-slug.md", "rename it to", suggestion)


def test_course_folder_name_must_be_a_slug(check: Check) -> None:
    problems = check(slug="Demo_Course")
    assert reported(problems, "courses/Demo_Course", "folder name", "`demo-course`")


def test_unexpected_files_in_the_course_folder(check: Check) -> None:
    problems = check({"map.png": b"png", "images/x.png": b"png", ".DS_Store": b"x"})
    assert reported(problems, f"{HERE}/map.png", "unexpected file", "assets/")
    assert reported(problems, f"{HERE}/images", "unexpected folder")
    assert not any(".DS_Store" in p for p in problems)


def test_disallowed_asset_extension(check: Check) -> None:
    problems = check({"assets/setup.exe": b"MZ", "assets/.gitkeep": b""})
    assert reported(problems, f"{HERE}/assets/setup.exe", "`.exe` files are not allowed", "pdf")
    assert not any("gitkeep" in p for p in problems)


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("01-intro.md", INTRO.encode() + b"caf\xe9\n", 8),
        ("course.yml", COURSE.encode().replace(b"A short", b"\xff short"), 2),
        ("assets/data.csv", b"a,b\n1,2\n\xe9,3\n", 3),
    ],
)
def test_files_that_are_not_utf8(check: Check, name: str, content: bytes, line: int) -> None:
    problems = check({name: content})
    assert reported(problems, f"{HERE}/{name}:{line}", "not UTF-8", "save it as UTF-8")


def test_binary_assets_need_not_be_utf8(check: Check) -> None:
    assert check({"assets/photo.jpg": b"\xff\xd8\xff\xe0"}) == []


def test_files_over_the_size_limits(check: Check, tmp_path: Path) -> None:
    folder = tmp_path / "courses" / "demo-course"
    check()
    with (folder / "assets" / "video.pdf").open("wb") as big:
        big.truncate(10 * 1024 * 1024 + 1)  # sparse: the limit is checked before reading
    (folder / "02-long.md").write_text(INTRO + "x" * 512 * 1024, encoding="utf-8")
    problems = check({"course.yml": COURSE + "#" * 64 * 1024})
    assert reported(problems, f"{HERE}/assets/video.pdf", "10.0 MiB, over the limit of 10.0 MiB")
    assert reported(problems, f"{HERE}/02-long.md", "over the limit of 512 KiB", "split")
    assert reported(problems, f"{HERE}/course.yml", "over the limit of 64 KiB")


# Links and assets --------------------------------------------------------------------------


def test_links_and_images_to_missing_assets(check: Check) -> None:
    body = INTRO + "\n[Checklist](assets/checklist.pdf)\n\n![Map](assets/Map.png)\n"
    problems = check({"01-intro.md": body})
    assert reported(problems, f"{HERE}/01-intro.md:9", "`assets/checklist.pdf` does not exist")
    assert reported(problems, f"{HERE}/01-intro.md:11", "did you mean `assets/map.png`")


@pytest.mark.parametrize(
    ("markdown", "fragment"),
    [
        ("[Notes](../notes.pdf)", "leaves the course folder"),
        ("![x](../../etc/passwd)", "leaves the course folder"),
        ("[x](assets/../../secret.pdf)", "leaves the course folder"),
        ("[x](/etc/passwd)", "absolute path"),
        ("[x](file:///etc/passwd)", "a file on your own computer"),
        ("[x](C:\\Users\\ana\\x.pdf)", "a file on your own computer"),
        ("[x](javascript:alert(1))", "`javascript:` links are not allowed"),
        ('<img src="../secret.png" alt="">', "leaves the course folder"),
        ("<a href='/etc/passwd'>x</a>", "absolute path"),
        ("[ref]: ../../etc/passwd", "leaves the course folder"),
        ("[Next](02-next.md)", "not in assets/"),
        ("[x](//example.org/x)", "https://example.org/x"),
    ],
)
def test_links_that_leave_the_course(check: Check, markdown: str, fragment: str) -> None:
    problems = check({"01-intro.md": INTRO + f"\n{markdown}\n"})
    assert reported(problems, f"{HERE}/01-intro.md:9", fragment)


def test_allowed_links_and_code_are_not_reported(check: Check) -> None:
    body = INTRO + (
        "\n[IOM](https://www.iom.int/) [mail](mailto:ana@example.org) [top](#introduction)\n"
        "[map][m] and a footnote[^1]. `[inline](../code.pdf)`\n\n"
        "[m]: assets/map.png\n[^1]: Footnote text.\n\n"
        '```markdown\n![Example](../outside.png)\n<img src="/etc/passwd">\n```\n\n'
        "~~~\n[x](file:///etc/passwd)\n~~~\n"
        '<img src="assets/map.png" alt="Map">\n[quoted](<assets/map.png>)\n'
    )
    assert check({"01-intro.md": body}) == []


def test_links_inside_quizzes_are_checked(check: Check) -> None:
    problems = check({"02-quiz.md": quiz_module("? See ![x](../x.png)\n= 4\n")})
    assert reported(problems, f"{HERE}/02-quiz.md:9", "leaves the course folder")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_that_leave_the_course_folder(check: Check, tmp_path: Path) -> None:
    check()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret")
    folder = tmp_path / "courses" / "demo-course"
    (folder / "assets" / "leak.png").symlink_to(secret)
    (folder / "02-leak.md").symlink_to(tmp_path / "secret.png")
    (folder / "assets" / "inside.png").symlink_to(folder / "assets" / "map.png")
    problems = check()
    assert reported(problems, f"{HERE}/assets/leak.png", "outside the course folder")
    assert reported(problems, f"{HERE}/02-leak.md", "outside the course folder")
    assert not any("inside.png" in p for p in problems)


# Translations -------------------------------------------------------------------------------


def spanish(translation_of: str = "demo-course", language: str = "es") -> str:
    return COURSE.replace("language: en", f"language: {language}") + (
        f"translation_of: {translation_of}\n"
    )


def test_translation_with_different_module_slugs(check: Check) -> None:
    check({"02-quiz.md": quiz_module("? Q\n= 4\n")})
    problems = check(
        {"course.yml": spanish(), "02-cuestionario.md": quiz_module("? Q\n= 4\n")},
        slug="demo-course-es",
        root=True,
    )
    assert reported(
        problems,
        "courses/demo-course-es/course.yml:9",
        "missing quiz",
        "not in the original: cuestionario",
    )


def test_translation_question_ids_must_match(check: Check) -> None:
    check({"02-quiz.md": quiz_module("? Q {id=sum}\n= 4\n\n? R\n= 5\n")})
    problems = check(
        {"course.yml": spanish(), "02-quiz.md": quiz_module("? Q {id=suma}\n= 4\n\n? R\n= 5\n")},
        slug="demo-course-es",
        root=True,
    )
    assert reported(
        problems, "courses/demo-course-es/02-quiz.md:8", "missing sum", "not in the original: suma"
    )


def test_translation_kinds_must_match(check: Check) -> None:
    check({"02-quiz.md": quiz_module("? Q\n= 4\n", kind="post-test")})
    problems = check(
        {"course.yml": spanish(), "02-quiz.md": quiz_module("? Q\n= 4\n")},
        slug="demo-course-es",
        root=True,
    )
    assert reported(
        problems, "courses/demo-course-es/02-quiz.md:4", "is a lesson", "it is a post-test"
    )


def test_dangling_translation_of(check: Check) -> None:
    check()
    problems = check({"course.yml": spanish("demo-corse")}, slug="demo-course-es", root=True)
    assert reported(
        problems,
        "courses/demo-course-es/course.yml:9",
        "no course folder `demo-corse`",
        "did you mean `demo-course`",
    )


def test_translation_of_a_course_in_the_same_language(check: Check) -> None:
    check()
    problems = check({"course.yml": spanish(language="en")}, slug="demo-course-fr", root=True)
    assert reported(problems, "courses/demo-course-fr/course.yml:9", "both in `en`")


def test_two_translations_in_one_language(check: Check) -> None:
    check()
    check({"course.yml": spanish()}, slug="demo-course-es")
    problems = check({"course.yml": spanish()}, slug="demo-course-es2", root=True)
    assert reported(
        problems,
        "courses/demo-course-es2/course.yml:9",
        "`demo-course-es` already is the `es` translation",
    )


def test_a_single_translation_folder_is_compared_with_its_original(check: Check) -> None:
    check({"02-quiz.md": quiz_module("? Q\n= 4\n")})
    problems = check({"course.yml": spanish()}, slug="demo-course-es")
    assert problems == [
        "courses/demo-course-es/course.yml:9: the modules differ from the original "
        "`demo-course` (missing quiz): a translation has the same module slugs (file names) "
        "as its original"
    ]


def test_load_course_returns_none_only_without_usable_course_yml(
    check: Check, tmp_path: Path
) -> None:
    check({"course.yml": "title: [unclosed\n"})
    spec, problems = load_course(Path("courses/demo-course"))
    assert spec is None
    assert problems
    check({"course.yml": COURSE.replace("language: en", "language: xx")})
    spec, problems = load_course(Path("courses/demo-course"))
    assert spec is not None
    assert [m.slug for m in spec.modules] == ["intro"]
    assert len(problems) == 1
    assert load_course(tmp_path / "nowhere") == (
        None,
        [Problem((tmp_path / "nowhere").as_posix(), None, msg("course-folder-not-found"))],
    )


def test_titles_and_version_labels_longer_than_the_database_keeps(check: Check) -> None:
    long_title = "T" * 301
    course = COURSE.replace("title: Migration and development", f"title: {long_title}").replace(
        'version: "1"', f'version: "{"v" * 41}"'
    )
    problems = check(
        {
            "course.yml": course,
            "01-intro.md": INTRO.replace("title: Introduction", f"title: {long_title}"),
        }
    )
    assert reported(problems, f"{HERE}/course.yml:1", "301 characters", "at most 300")
    assert reported(problems, f"{HERE}/course.yml:4", "41 characters", "at most 40")
    assert reported(problems, f"{HERE}/01-intro.md:2", "301 characters", "at most 300")
