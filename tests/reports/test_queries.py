"""Every report runs a fixed number of SQL queries, only reads, and agrees with the figures
computed per participant."""

from __future__ import annotations

import pytest

from tests.reports.bulk import add_participants
from trainer.courses.services import current_modules
from trainer.reports import gain, items
from trainer.reports.scope import ReportFilter

FAMILY = ReportFilter("gain-course")
REPORTS = {
    "participant_gains": (gain.participant_gains, 1),
    "cohort_gains": (gain.cohort_gains, 1),
    "institution_gains": (gain.institution_gains, 1),
    "item_statistics": (items.item_statistics, 1),
    "pre_post_items": (items.pre_post_items, 1),
}


def statements_of(db, count_queries, report, actor) -> list[str]:
    db.session.refresh(actor)  # the actor is loaded by the page before any report runs
    with count_queries() as statements:
        report(actor, FAMILY)
    return statements


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_query_count_is_the_same_for_10_and_200_participants(
    programme, db, count_queries, name
):
    report, expected = REPORTS[name]
    p = programme
    modules = [m for m in current_modules(p.english) if m.quiz]
    institutions = [p.quito.id, p.cuenca.id]
    add_participants(db.session, p.english, modules, institutions, p.march.id, 5, seed=1)
    small = {
        actor: statements_of(db, count_queries, report, actor)
        for actor in (p.admin, p.quito_coordinator)
    }
    assert len(gain.participant_gains(p.admin, FAMILY)) == 10
    add_participants(db.session, p.english, modules, institutions, p.march.id, 190, seed=2)
    assert len(gain.participant_gains(p.admin, FAMILY)) == 200
    for actor, before in small.items():
        after = statements_of(db, count_queries, report, actor)
        assert len(after) == len(before) == expected
        # Reports only read.
        assert all(s.lstrip().upper().startswith(("SELECT", "WITH")) for s in after)


def test_group_means_agree_with_the_participants_figures(programme, db):
    """The SQL means equal the means of the per-participant figures, over 200 people."""
    p = programme
    modules = [m for m in current_modules(p.english) if m.quiz]
    add_participants(db.session, p.english, modules, [p.quito.id, p.cuenca.id], p.march.id, 195)
    people = gain.participant_gains(p.admin, FAMILY)
    for group in gain.institution_gains(p.admin, FAMILY):
        members = [g for g in people if g.institution == group.name and g.gain is not None]
        normalised = [g.normalised_gain for g in members if g.normalised_gain is not None]
        assert group.n == len(members)
        assert group.mean_gain == pytest.approx(
            sum(g.gain for g in members) / len(members), abs=0.01
        )
        assert group.n_normalised == len(normalised)
        assert group.mean_normalised_gain == pytest.approx(
            sum(normalised) / len(normalised), abs=0.0002
        )
