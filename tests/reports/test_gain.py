"""Learning gain on the hand-computed programme (tests/reports/conftest.py)."""

from __future__ import annotations

import pytest

from trainer.cohorts import services as cohorts
from trainer.reports.gain import (
    GroupGain,
    ParticipantGain,
    cohort_gains,
    institution_gains,
    learning_gain,
    participant_gains,
)
from trainer.reports.scope import ReportFilter

FAMILY = ReportFilter("gain-course")


@pytest.mark.parametrize(
    ("pre", "post", "expected"),
    [
        (37.5, 100.0, (62.5, 1.0)),  # 62.5 / (100 - 37.5)
        (0.0, 75.0, (75.0, 0.75)),  # 75 / 100
        (75.0, 50.0, (-25.0, -1.0)),  # -25 / 25
        (100.0, 75.0, (-25.0, None)),  # pre = 100: no normalised gain
        (100.0, 100.0, (0.0, None)),
        (33.33, 66.66, (33.33, 0.4999)),  # 33.33 / 66.67 = 0.49993...
        (None, 80.0, (None, None)),
        (40.0, None, (None, None)),
    ],
)
def test_learning_gain_follows_the_product_definition(pre, post, expected):
    assert learning_gain(pre, post) == expected


def row(person, institution, cohort, pre, post, gain, normalised) -> ParticipantGain:
    return ParticipantGain(
        user_id=person.id,
        name=person.full_name,
        email=person.email,
        institution=institution,
        cohort=cohort,
        pre=pre,
        post=post,
        gain=gain,
        normalised_gain=normalised,
    )


def test_each_participant_has_pre_best_post_gain_and_normalised_gain(programme):
    p = programme
    assert participant_gains(p.admin, FAMILY) == [
        # Best post of 75 and 100 is 100; 100 - 37.5 = 62.5; 62.5 / 62.5 = 1.
        row(p.ana, "Quito", "March", 37.5, 100.0, 62.5, 1.0),
        # 75 - 0 = 75; 75 / 100 = 0.75.
        row(p.ben, "Quito", "March", 0.0, 75.0, 75.0, 0.75),
        # 75 - 100 = -25; pre = 100, so no normalised gain.
        row(p.carla, "Cuenca", "March", 100.0, 75.0, -25.0, None),
        # Post-test taken in the Spanish translation: 50 - 75 = -25; -25 / 25 = -1.
        row(p.dario, "Cuenca", None, 75.0, 50.0, -25.0, -1.0),
        # No post-test yet.
        row(p.eva, "Cuenca", "March", 25.0, None, None, None),
    ]


def test_institution_means_are_over_participants_with_both_scores(programme):
    p = programme
    assert institution_gains(p.admin, FAMILY) == [
        # Carla and Dario (Eva has no post): pre (100 + 75) / 2 = 87.5, post (75 + 50) / 2 =
        # 62.5, gain (-25 - 25) / 2 = -25; normalised: Dario's alone (Carla's pre is 100).
        GroupGain(p.cuenca.id, "Cuenca", 2, 87.5, 62.5, -25.0, 1, -1.0),
        # Ana and Ben: pre (37.5 + 0) / 2 = 18.75, post (100 + 75) / 2 = 87.5,
        # gain (62.5 + 75) / 2 = 68.75, normalised (1 + 0.75) / 2 = 0.875.
        GroupGain(p.quito.id, "Quito", 2, 18.75, 87.5, 68.75, 2, 0.875),
    ]


def test_cohort_means_put_participants_in_no_cohort_last(programme):
    p = programme
    assert cohort_gains(p.admin, FAMILY) == [
        # Ana, Ben, Carla: pre (37.5 + 0 + 100) / 3 = 45.8333 -> 45.83; post (100 + 75 + 75) / 3
        # = 83.3333 -> 83.33; gain (62.5 + 75 - 25) / 3 = 37.5; normalised (1 + 0.75) / 2.
        GroupGain(p.march.id, "March", 3, 45.83, 83.33, 37.5, 2, 0.875),
        GroupGain(None, None, 1, 75.0, 50.0, -25.0, 1, -1.0),
    ]


def test_a_coordinator_counts_only_their_institution(programme):
    p = programme
    names = [g.name for g in participant_gains(p.quito_coordinator, FAMILY)]
    assert names == ["Ana", "Ben"]
    assert [g.name for g in institution_gains(p.quito_coordinator, FAMILY)] == ["Quito"]
    # The March cohort also has Carla and Eva of Cuenca: Quito's coordinator never counts
    # them, so its means are Ana's and Ben's.
    assert cohort_gains(p.quito_coordinator, FAMILY) == [
        GroupGain(p.march.id, "March", 2, 18.75, 87.5, 68.75, 2, 0.875)
    ]
    # Asking for another institution gives nothing, not its people.
    other = ReportFilter("gain-course", institution_id=p.cuenca.id)
    assert participant_gains(p.quito_coordinator, other) == []
    assert institution_gains(p.quito_coordinator, other) == []


def test_people_without_a_report_scope_see_nobody(programme):
    for actor in (programme.trainer, programme.ana):
        assert participant_gains(actor, FAMILY) == []
        assert cohort_gains(actor, FAMILY) == []


def test_a_cohorts_trainer_sees_the_members_of_the_cohorts_they_train(programme):
    p = programme
    cohorts.assign_trainers(p.admin, p.march, [p.trainer])
    # Dario is in no cohort: not the trainer's to see.
    assert [g.name for g in participant_gains(p.trainer, FAMILY)] == ["Ana", "Ben", "Carla", "Eva"]
    assert [g.name for g in cohort_gains(p.trainer, FAMILY)] == ["March"]


def test_a_programme_coordinator_sees_every_institution(programme):
    assert len(participant_gains(programme.programme, FAMILY)) == 5
    assert [g.n for g in institution_gains(programme.programme, FAMILY)] == [2, 2]


def test_filters_narrow_to_one_cohort_or_institution(programme):
    p = programme
    march = ReportFilter("gain-course", cohort_id=p.march.id)
    assert [g.name for g in participant_gains(p.admin, march)] == ["Ana", "Ben", "Carla", "Eva"]
    cuenca = ReportFilter("gain-course", institution_id=p.cuenca.id)
    assert [g.name for g in participant_gains(p.cuenca_coordinator, cuenca)] == [
        "Carla",
        "Dario",
        "Eva",
    ]
    assert participant_gains(p.admin, ReportFilter("no-such-family")) == []
