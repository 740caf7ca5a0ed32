"""The programme's shape: a few large institutions, many small ones."""

from __future__ import annotations

import pytest

from trainer.bench.shape import institution_sizes


def test_twenty_thousand_participants_make_fifty_institutions_the_largest_with_2000():
    sizes = institution_sizes(20_000)
    assert len(sizes) == 50
    assert sum(sizes) == 20_000
    assert sizes[0] == 2_000
    assert sizes == sorted(sizes, reverse=True)
    # A few large (the five largest hold over a third of everyone), many small.
    assert sum(sizes[:5]) > 20_000 / 3
    assert sum(1 for size in sizes if size < 100) >= 20
    assert sizes[-1] >= 1


@pytest.mark.parametrize("participants", [1, 2, 3, 10, 57, 120, 999, 2_000, 4_321, 100_000])
def test_every_participant_has_exactly_one_institution(participants):
    sizes = institution_sizes(participants)
    assert sum(sizes) == participants
    assert min(sizes) >= 1
    assert sizes == sorted(sizes, reverse=True)
    assert len(sizes) <= 50


@pytest.mark.parametrize(
    ("participants", "over_median"), [(120, 1.5), (999, 3), (2_000, 3), (100_000, 3)]
)
def test_the_largest_institution_stands_out(participants, over_median):
    sizes = institution_sizes(participants)
    assert sizes[0] >= 0.1 * participants
    assert sizes[0] >= over_median * sizes[len(sizes) // 2]
