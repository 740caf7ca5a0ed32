"""Item analysis on the hand-computed programme (tests/reports/conftest.py)."""

from __future__ import annotations

from trainer.reports.items import (
    ChoicePicks,
    ItemStats,
    item_statistics,
    mostly_missed,
    pre_post_items,
)
from trainer.reports.scope import ReportFilter

FAMILY = ReportFilter("gain-course")


def stats(slug, qid, qtype, n, right, mean_points, mean_percent, choices=()) -> ItemStats:
    return ItemStats(
        module_slug=slug,
        module_kind=slug,  # the modules are named after their kind
        question_id=qid,
        question_type=qtype,
        n=n,
        n_correct=right,
        percent_correct=round(100 * right / n, 2),
        mean_points=mean_points,
        mean_percent=mean_percent,
        choices=tuple(ChoicePicks(k, c, round(100 * c / n, 2)) for k, c in choices),
    )


# Pre-test, five participants (Ana, Ben, Carla, Dario, Eva):
PRE = [
    # capital: b, c, a, a, a -> 3 right of 5 = 60 %; a picked 3 times, b 1, c 1.
    stats("pre-test", "capital", "single", 5, 3, 0.6, 60.0, [("a", 3), ("b", 1), ("c", 1)]),
    # gcm: 23, 5, 23, 23.0, - -> 3 right = 60 %.
    stats("pre-test", "gcm", "numeric", 5, 3, 0.6, 60.0),
    # rights: false, false, true, false, - -> 1 right = 20 %.
    stats("pre-test", "rights", "true_false", 5, 1, 0.2, 20.0),
    # sdg: a (0.5), c (0), ab (1), ba (1), - (0) -> 2 right = 40 %; points 2.5 / 5 = 0.5;
    # a in Ana's, Carla's, Dario's answers = 3, b in Carla's and Dario's = 2, c in Ben's = 1.
    stats("pre-test", "sdg", "multiple", 5, 2, 0.5, 50.0, [("a", 3), ("b", 2), ("c", 1)]),
]
# Post-test, each participant's FIRST attempt (Ana's 75 %, not her 100 %): four answers.
POST = [
    # capital: a, a, b, b -> 2 right of 4 = 50 %.
    stats("post-test", "capital", "single", 4, 2, 0.5, 50.0, [("a", 2), ("b", 2)]),
    # gcm: 23, 23, 23, 22 -> 75 %.
    stats("post-test", "gcm", "numeric", 4, 3, 0.75, 75.0),
    # rights: false, true, true, true -> 75 %.
    stats("post-test", "rights", "true_false", 4, 3, 0.75, 75.0),
    # sdg: ab (1), ac (0), ab (1), ab (1) -> 75 %; a 4 times, b 3, c 1.
    stats("post-test", "sdg", "multiple", 4, 3, 0.75, 75.0, [("a", 4), ("b", 3), ("c", 1)]),
]


def test_each_question_has_percent_correct_mean_score_and_choice_picks(programme):
    assert item_statistics(programme.admin, FAMILY) == POST + PRE  # by module slug


def test_questions_most_people_miss_are_flagged_from_five_answers(programme):
    items = item_statistics(programme.admin, FAMILY)
    # rights (20 %) and sdg (40 %) in the pre-test; the post-test's capital (50 %) is not
    # under 50 %, and it has only 4 answers anyway.
    assert [(i.module_slug, i.question_id) for i in mostly_missed(items)] == [
        ("pre-test", "rights"),
        ("pre-test", "sdg"),
    ]


def test_pre_and_post_pair_by_question_id(programme):
    pairs = pre_post_items(programme.admin, FAMILY)
    assert [
        (p.question_id, p.pre.percent_correct, p.post.percent_correct, p.change) for p in pairs
    ] == [
        ("capital", 60.0, 50.0, -10.0),
        ("gcm", 60.0, 75.0, 15.0),
        ("rights", 20.0, 75.0, 55.0),
        ("sdg", 40.0, 75.0, 35.0),
    ]


def test_a_coordinator_analyses_only_their_institution(programme):
    items = item_statistics(programme.quito_coordinator, FAMILY)
    # Ana and Ben only: pre-test capital b, c -> 0 of 2.
    capital = next(i for i in items if (i.module_slug, i.question_id) == ("pre-test", "capital"))
    assert (capital.n, capital.n_correct, capital.choices) == (
        2,
        0,
        (ChoicePicks("b", 1, 50.0), ChoicePicks("c", 1, 50.0)),
    )
    assert item_statistics(programme.trainer, FAMILY) == []
    other = ReportFilter("gain-course", institution_id=programme.cuenca.id)
    assert item_statistics(programme.quito_coordinator, other) == []
