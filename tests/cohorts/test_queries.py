"""Roster, visible members and "My sessions": scoped, and in a fixed number of queries."""

from __future__ import annotations

from datetime import date, time

from trainer.cohorts import queries, services, sessions

from .conftest import at


def names(members) -> list[str]:
    return [member.user.full_name for member in members]


def test_a_coordinator_sees_only_their_institutions_members(people, new_cohort):
    cohort = new_cohort()
    for person in (people.zoe, people.luis, people.ana):
        services.add_member(people.admin, cohort, person)
    assert names(queries.visible_members(people.trainer, cohort)) == [
        "Ana Núñez",
        "Luis Peña",
        "Zoë Éluard",
    ]
    assert names(queries.visible_members(people.quito_coordinator, cohort)) == [
        "Ana Núñez",
        "Zoë Éluard",
    ]
    assert names(queries.visible_members(people.cuenca_coordinator, cohort)) == ["Luis Peña"]
    assert queries.visible_members(people.other_trainer, cohort) == []


def test_the_roster_shows_records_and_what_was_not_recorded(people, new_cohort, new_session):
    cohort = new_cohort()
    for person in (people.ana, people.zoe):
        services.add_member(people.admin, cohort, person, now=at(1, 12))
    session = new_session(cohort)
    sessions.record_attendance(people.trainer, session, {people.ana: "late"}, now=at(2, 15))
    during = queries.roster(people.trainer, session, now=at(2, 15))
    assert [(line.user.full_name, line.not_recorded) for line in during] == [
        ("Ana Núñez", False),
        ("Zoë Éluard", False),
    ]
    after = queries.roster(people.trainer, session, now=at(2, 18))
    assert [(line.record and line.record.status, line.not_recorded) for line in after] == [
        ("late", False),
        (None, True),
    ]


def test_a_session_roster_lists_who_was_a_member_then(people, new_cohort, new_session):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    first = new_session(cohort, day=2)
    services.remove_member(people.admin, cohort, people.ana, now=at(5, 12))
    services.add_member(people.admin, cohort, people.zoe, now=at(5, 12))
    later = new_session(cohort, day=9)
    assert names(queries.visible_members(people.trainer, cohort, first)) == ["Ana Núñez"]
    assert names(queries.visible_members(people.trainer, cohort, later)) == ["Zoë Éluard"]


def test_the_roster_takes_the_same_queries_for_2_or_20_members(
    people, new_cohort, new_session, make, count_queries
):
    def measure(size: int) -> int:
        cohort = new_cohort(name=f"Size {size}")
        members = [make.user(institution=people.quito) for _ in range(size)]
        for person in members:
            services.add_member(people.admin, cohort, person, now=at(1, 12))
        session = new_session(cohort)
        sessions.record_attendance(
            people.trainer, session, dict.fromkeys(members, "present"), now=at(2, 18)
        )
        services.db.session.expire_all()
        with count_queries() as statements:
            lines = queries.roster(people.trainer, session, now=at(2, 18))
            assert len({line.user.full_name for line in lines if line.record}) == size
        return len(statements)

    small = measure(2)
    # A participant is in one cohort per family: the larger roster takes fresh people.
    assert measure(20) == small


def test_my_sessions_lists_what_is_coming_in_current_cohorts(people, new_cohort, new_session):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    past, coming = new_session(cohort, day=2), new_session(cohort, day=9)
    called_off = sessions.schedule_session(
        people.admin, cohort, day=date(2026, 3, 16), start=time(9), end=time(10), place="Sala 1"
    )
    sessions.cancel_session(people.admin, called_off)
    upcoming = queries.upcoming_sessions(people.ana, now=at(5, 12))
    assert [s.id for s in upcoming] == [coming.id, called_off.id]
    assert past not in upcoming
    assert upcoming[0].cohort.course.title == people.course.title
    assert queries.upcoming_sessions(people.zoe, now=at(5, 12)) == []
