"""The completion verdict: pure rules and facts, no database."""

from __future__ import annotations

import pytest

from trainer.completion import (
    AttendanceRates,
    Facts,
    ModuleOutline,
    Requirement,
    evaluate,
    rules_from_settings,
)

DEMO = [
    ModuleOutline("pre-test", has_graded_quiz=True, quiz_counts=False),
    ModuleOutline("why", has_graded_quiz=True),
    ModuleOutline("reading"),
    ModuleOutline("post-test", has_graded_quiz=True),
    ModuleOutline("survey", is_survey=True),
]
ALL = {"modules": "all", "quizzes": "all", "attendance_percent": 75, "survey": True}
EVERYTHING = {
    "completed_modules": frozenset({"pre-test", "why", "reading", "post-test", "survey"}),
    "passed_quizzes": frozenset({"why", "post-test"}),
    "survey_answered": True,
}


def rates(attended: int, expected: int) -> AttendanceRates:
    """A cohort member's rates: attended of the sessions expected, all of them held."""
    percent = None if expected == 0 else 100 * attended / expected
    return AttendanceRates(percent, percent, attended, 0, expected, expected, ())


def kinds(requirements) -> list[tuple[str, str | None]]:
    return [(r.kind, r.module_slug) for r in requirements]


def test_all_rules_list_each_module_once_in_course_order():
    rules = rules_from_settings(ALL, DEMO)
    assert kinds(rules.requirements) == [
        ("module", "pre-test"),  # the pre-test is never "passed": done once sent
        ("quiz", "why"),
        ("module", "reading"),
        ("quiz", "post-test"),
        ("survey", "survey"),
        ("attendance", None),
    ]


def test_nothing_done_lists_everything_attendance_included():
    completion = evaluate(rules_from_settings(ALL, DEMO), Facts())
    assert not completion.complete
    assert completion.percent == 0
    assert kinds(completion.unmet)[-1] == ("attendance", None)
    assert completion.total_count == 6


def test_everything_done_is_complete_at_100_with_an_empty_checklist():
    facts = Facts(**EVERYTHING, attendance=rates(3, 4))
    completion = evaluate(rules_from_settings(ALL, DEMO), facts)
    assert completion.complete
    assert completion.percent == 100
    assert completion.unmet == ()


def test_everything_done_in_no_cohort_leaves_attendance_unmet():
    completion = evaluate(rules_from_settings(ALL, DEMO), Facts(**EVERYTHING))
    assert not completion.complete
    assert completion.percent == 83  # 5 of 6, rounded down
    (unmet,) = completion.unmet
    assert (unmet.kind, unmet.required_percent, unmet.attendance) == ("attendance", 75.0, None)


def test_a_completed_module_does_not_stand_for_its_quiz():
    facts = Facts(completed_modules=frozenset({"why"}))
    completion = evaluate(rules_from_settings({"quizzes": ["why"], "modules": []}, DEMO), facts)
    assert kinds(completion.unmet) == [("quiz", "why")]


def test_percent_is_rounded_down_so_100_always_means_complete():
    rules = rules_from_settings({"modules": "all", "quizzes": "none"}, DEMO)
    facts = Facts(completed_modules=frozenset({"pre-test", "why", "reading"}))
    completion = evaluate(rules, facts)
    assert completion.percent == 60
    facts = Facts(completed_modules=frozenset({"pre-test", "why"}))
    assert evaluate(rules, facts).percent == 40
    three = [ModuleOutline(s) for s in ("a", "b", "c")]
    assert evaluate(rules_from_settings({}, three), Facts(frozenset({"a", "b"}))).percent == 66


@pytest.mark.parametrize(
    ("attendance", "met"),
    [
        (None, False),  # in no cohort of the family
        (rates(0, 0), False),  # in a cohort, but no session counts yet
        (rates(0, 4), False),
        (rates(2, 4), False),
        (rates(7499, 10000), False),
        (rates(3, 4), True),
        (rates(4, 4), True),
    ],
)
def test_attendance_is_asked_of_everyone(attendance, met):
    rules = rules_from_settings({"modules": [], "quizzes": "none", "attendance_percent": 75}, DEMO)
    completion = evaluate(rules, Facts(attendance=attendance))
    assert completion.complete is met
    assert completion.total_count == 1
    if not met:
        assert completion.unmet == (
            Requirement("attendance", required_percent=75.0, attendance=attendance),
        )
        expected = None if attendance is None else attendance.toward_completion
        assert completion.unmet[0].actual_percent == expected


def test_without_an_attendance_rule_nobody_needs_a_cohort():
    rules = rules_from_settings({"modules": "all", "quizzes": "none"}, DEMO)
    facts = Facts(completed_modules=frozenset(m.slug for m in DEMO))
    assert evaluate(rules, facts).complete


def test_quizzes_none_and_lists():
    none = rules_from_settings({"modules": [], "quizzes": "none"}, DEMO)
    assert none.requirements == ()
    listed = rules_from_settings({"modules": [], "quizzes": ["post-test"]}, DEMO)
    assert kinds(listed.requirements) == [("quiz", "post-test")]


def test_modules_archived_by_a_new_version_no_longer_count():
    # `completion.modules` still names `gone`, but the current version has no such module.
    rules = rules_from_settings({"modules": ["why", "gone"], "quizzes": ["gone"]}, DEMO)
    assert kinds(rules.requirements) == [("module", "why")]


def test_survey_required_but_removed_from_the_course_is_dropped():
    rules = rules_from_settings({"modules": [], "quizzes": "none", "survey": True}, DEMO[:4])
    assert rules.requirements == ()


def test_a_course_without_requirements_is_complete():
    completion = evaluate(rules_from_settings({"modules": [], "quizzes": "none"}, []), Facts())
    assert completion.complete
    assert completion.percent == 100


def test_completion_imports_no_domain():
    import ast
    from pathlib import Path

    import trainer.completion

    folder = Path(trainer.completion.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("flask", "sqlalchemy")), path
                if node.module.startswith("trainer."):
                    assert node.module.startswith("trainer.completion"), (path, node.module)
