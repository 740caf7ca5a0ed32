"""A complete, valid course parses into the expected specs."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from trainer.courses.checks import check_courses
from trainer.courses.parser import load_course
from trainer.courses.spec import (
    AssetSpec,
    CertificateSpec,
    CompletionSpec,
    NumericAnswer,
    QuizSettings,
    ScaleSpec,
    Signatory,
)
from trainer.courses.text import normalise_answer

COURSE_YML = """\
title: Mainstreaming migration into development policy
summary: One or two sentences shown in the catalogue.
language: en
version: "2026.1"
estimated_hours: 6
owners: [ana.trainer@example.org]
co_authors: [luis@example.org]
audience: [min-labour, quito-municipality]
self_enrolment: false
translation_of: null
completion:
  modules: [why-migration, post-test]
  quizzes: all
  attendance_percent: 75
  survey: true
certificate:
  kinds: [completion, attendance]
  validity_months: 24
  title: Certificate of completion
  signatories:
    - name: María Pérez
      role: Programme director
"""

PRE_TEST = """\
---
title: Pre-test
minutes: 10
kind: pre-test
---
What do you know already?

::: quiz
reveal: never

? Remittances are private funds. {id=remittances-private}
= true
:::
"""

LESSON = """\
---
title: Why migration matters for development
minutes: 30
---
# Why migration matters

See the ![Map](assets/map.png) and the [checklist](assets/checklist.pdf "Checklist").

```markdown
A code example is not a link: [x](../outside.pdf)
::: quiz
:::
```

::: quiz
pass: 80%
attempts: 3
shuffle: yes
time-limit: 20
late: score-answered
reveal: after-last-attempt

? Which SDG target asks for well-managed migration policies? {id=sdg-target points=2}
- ( ) 8.8
  > 8.8 protects labour rights.
- (x) 10.7
  > Right: 10.7 asks for well-managed migration policies.
- ( ) 17.18

? Which of these are policy areas where migration should be mainstreamed?
Choose **all** that apply.
- [x] Employment
- [X] Urban development
- [ ] None: migration is only a border issue
> Migration touches most sectors.

? Remittances are sent by migrants to their families.
= false
> They are private money.

? What is the acronym of the Global Compact for Migration?
= GCM
= Global Compact for Migration
> Adopted in 2018.

? What maximum transaction cost of remittances, in percent, does target 10.c aim for? {points=0.5}
= 3
= 2.5 +- 0.5
= 1 ± 1
= 40..44
= 0.3 +- 0.1
:::

After the quiz.
"""

POST_TEST = """\
---
title: Post-test
minutes: 15
kind: post-test
---
::: quiz
attempts: unlimited
time-limit: none

? Remittances are private funds. {id=remittances-private}
= true
:::
"""

SURVEY = """\
---
title: Satisfaction survey
minutes: 5
kind: survey
---
::: quiz
anonymous: yes

? How useful was the course for your daily work? {id=usefulness}
~ scale 1-5: Not useful | Very useful

? Rate the pace.
~ scale 0-10

? What would you change? {id=changes}
~ text
:::
"""

FILES: dict[str, str | bytes] = {
    "course.yml": COURSE_YML,
    "01-pre-test.md": PRE_TEST,
    "02-why-migration.md": LESSON,
    "10-post-test.md": POST_TEST,
    "11-survey.md": SURVEY,
    "assets/map.png": b"\x89PNG\r\n\x1a\n fake image",
    "assets/checklist.pdf": b"%PDF-1.4 fake",
}


def write_course(root: Path, files: dict[str, str | bytes], slug: str = "demo-course") -> Path:
    folder = root / "courses" / slug
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return Path("courses") / slug


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.fixture
def course_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_course(tmp_path, FILES)


@pytest.fixture
def course(course_dir: Path):
    spec, problems = load_course(course_dir)
    assert [str(p) for p in problems] == []
    assert spec is not None
    return spec


def test_course_settings_are_typed_with_defaults(course) -> None:
    assert course.slug == "demo-course"
    assert course.path == "courses/demo-course"
    assert course.title == "Mainstreaming migration into development policy"
    assert course.language == "en"
    assert course.version == "2026.1"
    assert course.estimated_hours == 6
    assert course.owners == ("ana.trainer@example.org",)
    assert course.co_authors == ("luis@example.org",)
    assert course.audience == ("min-labour", "quito-municipality")
    assert not course.is_open
    assert course.self_enrolment is False
    assert course.translation_of is None
    assert course.completion == CompletionSpec(
        modules=("why-migration", "post-test"),
        quizzes="all",
        attendance_percent=75.0,
        survey=True,
    )
    assert course.certificate == CertificateSpec(
        kinds=("completion", "attendance"),
        validity_months=24,
        title="Certificate of completion",
        signatories=(Signatory(name="María Pérez", role="Programme director"),),
    )
    assert course.setting_lines["completion.attendance_percent"] == 14


def test_minimal_course_yml_gets_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    minimal = "title: T\nsummary: S\nlanguage: fr\nversion: v1\nowners: [a@example.org]\n"
    folder = write_course(
        tmp_path,
        {
            "course.yml": minimal,
            "01-intro.md": LESSON,
            "assets/map.png": b"x",
            "assets/checklist.pdf": b"y",
        },
    )
    spec, problems = load_course(folder)
    assert problems == []
    assert spec is not None
    assert spec.is_open
    assert spec.self_enrolment is True
    assert spec.estimated_hours is None
    assert spec.completion == CompletionSpec("all", "all", 0.0, False)
    assert spec.certificate == CertificateSpec(("completion",), None, None, ())
    assert spec.required_module_slugs == ("intro",)
    assert spec.required_quiz_slugs == ("intro",)


def test_modules_are_ordered_with_kinds_and_positions(course) -> None:
    assert [(m.slug, m.position, m.number, m.kind) for m in course.modules] == [
        ("pre-test", 1, 1, "pre-test"),
        ("why-migration", 2, 2, "lesson"),
        ("post-test", 3, 10, "post-test"),
        ("survey", 4, 11, "survey"),
    ]
    lesson = course.module("why-migration")
    assert lesson.title == "Why migration matters for development"
    assert lesson.minutes == 30
    assert lesson.source_path == "courses/demo-course/02-why-migration.md"
    assert lesson.file_name == "02-why-migration.md"
    assert course.required_quiz_slugs == ("why-migration", "post-test")


def test_body_excludes_front_matter_and_quiz_and_maps_lines(course) -> None:
    lesson = course.module("why-migration")
    body = lesson.body_markdown
    assert body.startswith("# Why migration matters\n")
    assert "? Which SDG target" not in body
    assert "::: quiz\n:::\n```" in body  # the example in the code block stays
    assert body.endswith("\nAfter the quiz.\n")
    body_line = line_of(body, "See the ![Map]")
    assert body_line + lesson.source_line_offset == line_of(LESSON, "See the ![Map]")


def test_quiz_settings(course) -> None:
    quiz = course.module("why-migration").quiz
    # The first `::: quiz` of the file is an example inside a code block.
    assert quiz.line == [n for n, t in enumerate(LESSON.splitlines(), 1) if t == "::: quiz"][1]
    assert quiz.settings == QuizSettings(
        pass_percent=80.0,
        attempts=3,
        shuffle=True,
        time_limit_minutes=20,
        late="score-answered",
        reveal="after-last-attempt",
        anonymous=False,
    )
    post = course.module("post-test").quiz
    assert post.settings == QuizSettings()
    pre = course.module("pre-test").quiz
    assert pre.settings.attempts == 1  # a pre-test always allows one attempt
    assert pre.settings.reveal == "never"


def test_every_graded_question_type(course) -> None:
    questions = course.module("why-migration").quiz.questions
    assert [(q.id, q.type, q.points) for q in questions] == [
        ("sdg-target", "single", 2.0),
        ("q2", "multiple", 1.0),
        ("q3", "true_false", 1.0),
        ("q4", "short_text", 1.0),
        ("q5", "numeric", 0.5),
    ]
    assert [q.line for q in questions] == [
        line_of(LESSON, "? Which SDG"),
        line_of(LESSON, "? Which of these"),
        line_of(LESSON, "? Remittances are sent"),
        line_of(LESSON, "? What is the acronym"),
        line_of(LESSON, "? What maximum"),
    ]
    single, multiple, true_false, short, numeric = questions
    assert single.text_markdown.startswith("Which SDG target asks")
    assert not single.text_markdown.endswith("}")
    assert single.has_explicit_id
    assert not multiple.has_explicit_id
    assert [(c.key, c.text_markdown, c.is_correct) for c in single.choices] == [
        ("a", "8.8", False),
        ("b", "10.7", True),
        ("c", "17.18", False),
    ]
    assert single.choices[0].feedback_markdown == "8.8 protects labour rights."
    assert single.choices[2].feedback_markdown == ""
    assert single.choices[1].line == line_of(LESSON, "- (x) 10.7")
    assert multiple.text_markdown == (
        "Which of these are policy areas where migration should be mainstreamed?\n"
        "Choose **all** that apply."
    )
    assert [c.is_correct for c in multiple.choices] == [True, True, False]
    assert multiple.feedback_markdown == "Migration touches most sectors."
    assert true_false.true_false is False
    assert true_false.feedback_markdown == "They are private money."
    assert short.accepted == ("GCM", "Global Compact for Migration")
    assert numeric.numeric == (
        NumericAnswer(low=3.0, high=3.0, value=3.0, tolerance=0.0),
        NumericAnswer(low=2.0, high=3.0, value=2.5, tolerance=0.5),
        NumericAnswer(low=0.0, high=2.0, value=1.0, tolerance=1.0),
        NumericAnswer(low=40.0, high=44.0),
        NumericAnswer(low=0.2, high=0.4, value=0.3, tolerance=0.1),
    )
    assert numeric.numeric[4].accepts(0.2)
    assert numeric.numeric[3].accepts(44)
    assert not numeric.numeric[3].accepts(44.01)
    quiz = course.module("why-migration").quiz
    assert quiz.is_graded
    assert quiz.total_points == 5.5


def test_survey_questions(course) -> None:
    survey = course.module_of_kind("survey").quiz
    assert survey.settings.anonymous is True
    assert not survey.is_graded
    assert [(q.id, q.type, q.scale) for q in survey.questions] == [
        ("usefulness", "scale", ScaleSpec(1, 5, "Not useful", "Very useful")),
        ("q2", "scale", ScaleSpec(0, 10)),
        ("changes", "free_text", None),
    ]
    assert survey.questions[2].line == line_of(SURVEY, "? What would you change")


def test_assets(course, course_dir: Path) -> None:
    pdf, png = FILES["assets/checklist.pdf"], FILES["assets/map.png"]
    assert course.assets == (
        AssetSpec(
            name="checklist.pdf",
            path=course_dir / "assets" / "checklist.pdf",
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            content_type="application/pdf",
        ),
        AssetSpec(
            name="map.png",
            path=course_dir / "assets" / "map.png",
            size=len(png),
            sha256=hashlib.sha256(png).hexdigest(),
            content_type="image/png",
        ),
    )
    assert course.assets[1].link == "assets/map.png"


def test_content_hash_is_stable_and_tracks_changes(course_dir: Path) -> None:
    first, _ = load_course(course_dir)
    second, _ = load_course(course_dir)
    assert first.content_hash == second.content_hash
    assert len(first.content_hash) == 64
    lesson = course_dir / "02-why-migration.md"
    lesson.write_text(LESSON.replace("After the quiz.", "After the quiz!"), encoding="utf-8")
    changed, _ = load_course(course_dir)
    assert changed.content_hash != first.content_hash
    assert (
        changed.module("why-migration").content_hash != first.module("why-migration").content_hash
    )
    assert changed.module("survey").content_hash == first.module("survey").content_hash
    (course_dir / "assets" / "map.png").write_bytes(b"another image")
    assert load_course(course_dir)[0].content_hash != changed.content_hash


def test_content_hash_does_not_depend_on_location(course_dir: Path, tmp_path: Path) -> None:
    here, _ = load_course(course_dir)
    elsewhere, _ = load_course((tmp_path / course_dir).resolve())
    assert here.content_hash == elsewhere.content_hash


def test_crlf_bom_and_translation_are_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_course(tmp_path, FILES)
    spanish = COURSE_YML.replace("language: en", "language: es").replace(
        "translation_of: null", "translation_of: demo-course"
    )
    translated = {
        **FILES,
        "course.yml": "\ufeff" + spanish.replace("\n", "\r\n"),
        "02-why-migration.md": LESSON.replace("\n", "\r\n"),
    }
    write_course(tmp_path, translated, slug="demo-course-es")
    courses, problems = check_courses(Path("courses"))
    assert [str(p) for p in problems] == []
    assert [(c.slug, c.language, c.translation_of) for c in courses] == [
        ("demo-course", "en", None),
        ("demo-course-es", "es", "demo-course"),
    ]
    questions = courses[1].module("why-migration").quiz.questions
    assert questions[0].line == line_of(LESSON, "? Which SDG")


def test_check_courses_on_a_single_folder(course_dir: Path) -> None:
    courses, problems = check_courses(course_dir)
    assert problems == []
    assert [c.slug for c in courses] == ["demo-course"]


def test_the_worked_example_of_the_authoring_guide_is_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = (Path(__file__).parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8")
    example = guide[guide.index("## 9. A complete worked example") : guide.index("## 10.")]
    files: dict[str, str | bytes] = {
        name: body + "\n"
        for name, body in re.findall(
            r"### `([^`]+)`\n\n(?:(?!```).*?\n\n)?```(?:yaml|markdown)\n(.*?)\n```\n", example, re.S
        )
    }
    assert len(files) == 5
    files |= {"assets/remittance-flows.png": b"png", "assets/cost-checklist.pdf": b"pdf"}
    monkeypatch.chdir(tmp_path)
    courses, problems = check_courses(write_course(tmp_path, files, slug="remittances-basics"))
    assert [str(p) for p in problems] == []
    lesson = courses[0].module("remittances-and-development")
    types = {q.type for q in lesson.quiz.questions}
    assert types == {"single", "multiple", "true_false", "short_text", "numeric"}
    assert {q.type for q in courses[0].module_of_kind("survey").quiz.questions} == {
        "scale",
        "free_text",
    }


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("  Ciudad de   MÉXICO ", "ciudad de mexico"),
        ("Organización Internacional\tdel Trabajo", "organizacion internacional del trabajo"),
        ("Straße", "strasse"),
        ("ｆｕｌｌ　ｗｉｄｔｈ", "full width"),
        ("İstanbul", "istanbul"),
        ("", ""),
    ],
)
def test_normalise_answer(written: str, expected: str) -> None:
    assert normalise_answer(written) == expected
