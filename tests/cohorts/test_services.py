"""Cohorts and members: who may create and fill them, moving, leaving and closing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from trainer.cohorts import services
from trainer.cohorts.models import CohortMember, CohortState
from trainer.cohorts.services import CohortError

from .conftest import MARCH_1, MARCH_31, ZONE, at


def create(actor, course, **fields):
    fields = {
        "name": "Quito",
        "starts_on": MARCH_1,
        "ends_on": MARCH_31,
        "timezone": ZONE,
        **fields,
    }
    return services.create_cohort(actor, course, **fields)


@pytest.mark.parametrize("who", ["admin", "programme", "owner"])
def test_admins_programme_coordinators_and_course_owners_create_cohorts(people, who):
    cohort = create(
        getattr(people, who), people.course, institutions=[people.quito], trainers=[people.trainer]
    )
    assert cohort.family == people.course.family
    assert cohort.state == CohortState.PLANNED.value
    assert [t.id for t in cohort.trainers] == [people.trainer.id]
    assert [i.id for i in cohort.institutions] == [people.quito.id]


@pytest.mark.parametrize("who", ["trainer", "quito_coordinator", "ana"])
def test_other_people_cannot_create_cohorts(people, who):
    with pytest.raises(CohortError, match="not allowed"):
        create(getattr(people, who), people.course)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Give the cohort a name"),
        ({"name": "x" * 201}, "too long"),
        ({"ends_on": date(2026, 2, 1)}, "cannot end before it starts"),
        ({"timezone": "Mars/Olympus"}, "Unknown time zone Mars/Olympus"),
    ],
)
def test_bad_cohort_fields_are_refused_with_a_message(people, fields, message):
    with pytest.raises(CohortError, match=message):
        create(people.admin, people.course, **fields)


def test_only_active_trainer_accounts_can_be_assigned(people, new_cohort):
    cohort = new_cohort()
    with pytest.raises(CohortError, match="Ana Núñez is not an active trainer"):
        services.assign_trainers(people.admin, cohort, [people.ana])
    with pytest.raises(CohortError, match="not allowed"):
        services.assign_trainers(people.trainer, cohort, [people.other_trainer])
    services.assign_trainers(people.owner, cohort, [people.other_trainer, people.trainer])
    assert {t.id for t in cohort.trainers} == {people.other_trainer.id, people.trainer.id}


def test_a_coordinator_adds_their_own_institutions_participants(people, new_cohort, received):
    cohort = new_cohort()
    member = services.add_member(people.quito_coordinator, cohort, people.ana, now=at(1, 12))
    assert (member.user_id, member.family, member.left_at) == (people.ana.id, cohort.family, None)
    assert member.added_by_id == people.quito_coordinator.id
    [(sender, kwargs)] = received["cohort-member-added"]
    assert sender is cohort
    assert kwargs["member"] is member
    assert kwargs["moved_from"] is None
    with pytest.raises(CohortError, match="not allowed"):
        services.add_member(people.quito_coordinator, cohort, people.luis)


def test_adding_a_member_again_changes_nothing(people, new_cohort, received):
    cohort = new_cohort()
    first = services.add_member(people.admin, cohort, people.ana)
    assert services.add_member(people.admin, cohort, people.ana) is first
    assert len(received["cohort-member-added"]) == 1


def test_a_cohort_takes_only_the_institutions_it_is_open_to(people, new_cohort):
    cohort = new_cohort(institutions=[people.quito])
    with pytest.raises(CohortError, match="not open to the institution of Luis Peña"):
        services.add_member(people.admin, cohort, people.luis)
    with pytest.raises(CohortError, match="not allowed"):
        services.add_member(people.cuenca_coordinator, cohort, people.ana)
    everyone = new_cohort(name="Open", institutions=[], open_to_all=True)
    services.add_member(people.cuenca_coordinator, everyone, people.luis)


def test_only_participants_become_members(people, new_cohort):
    with pytest.raises(CohortError, match="not an active participant"):
        services.add_member(people.admin, new_cohort(), people.quito_coordinator)


def test_a_participant_is_in_one_cohort_of_a_family_and_is_told_to_move(people, new_cohort):
    quito, cuenca = new_cohort(), new_cohort(name="Cuenca, March")
    services.add_member(people.admin, quito, people.ana)
    with pytest.raises(CohortError, match="already a member of the cohort Quito, March"):
        services.add_member(people.admin, cuenca, people.ana)


def test_moving_closes_the_old_membership_and_opens_the_new_one(people, new_cohort, received):
    quito, cuenca = new_cohort(), new_cohort(name="Cuenca, March")
    old = services.add_member(people.admin, quito, people.ana, now=at(1, 12))
    new = services.move_member(people.quito_coordinator, people.ana, cuenca, now=at(10, 12))
    assert old.left_at == new.joined_at == at(10, 12)
    assert services.active_membership(people.ana, quito.family) is new
    [(left_from, left)] = received["cohort-member-left"]
    assert left_from is quito
    assert left["member"] is old
    assert left["moved_to"] is new
    assert received["cohort-member-added"][-1][1]["moved_from"] is old


def test_moving_someone_in_no_cohort_adds_them(people, new_cohort):
    cohort = new_cohort()
    member = services.move_member(people.admin, people.ana, cohort)
    assert member.cohort_id == cohort.id


def test_removing_a_member_ends_their_membership(people, new_cohort, received):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    member = services.remove_member(people.quito_coordinator, cohort, people.ana, now=at(5, 12))
    assert member.left_at == at(5, 12)
    assert len(received["cohort-member-left"]) == 1
    with pytest.raises(CohortError, match="Ana Núñez is not a member of this cohort"):
        services.remove_member(people.admin, cohort, people.ana)
    # Rejoining later opens a second membership; the first stays as history.
    services.add_member(people.admin, cohort, people.ana, now=at(6, 12))
    count = (
        select(func.count()).select_from(CohortMember).where(CohortMember.user_id == people.ana.id)
    )
    assert services.db.session.scalar(count) == 2


def test_closing_freezes_the_cohort_and_announces_it_once(people, new_cohort, received):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana)
    services.start_cohort(people.owner, cohort)
    assert cohort.state == CohortState.RUNNING.value
    with pytest.raises(CohortError, match="not allowed"):
        services.close_cohort(people.trainer, cohort)
    services.close_cohort(people.programme, cohort, now=at(31, 23))
    services.close_cohort(people.programme, cohort)
    assert (cohort.state, cohort.closed_at) == (CohortState.CLOSED.value, at(31, 23))
    assert [sender for sender, _ in received["cohort-closed"]] == [cohort]
    for change in (
        lambda: services.add_member(people.admin, cohort, people.zoe),
        lambda: services.remove_member(people.admin, cohort, people.ana),
        lambda: services.start_cohort(people.admin, cohort),
    ):
        with pytest.raises(CohortError, match="is closed"):
            change()
