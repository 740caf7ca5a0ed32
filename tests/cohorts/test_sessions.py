"""Sessions and attendance: scheduling in the cohort's time zone, marks, rates and who marks."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from trainer.cohorts import policy, services, sessions
from trainer.cohorts.models import AttendanceRecord, CohortMember
from trainer.cohorts.services import CohortError
from trainer.extensions import db

from .conftest import at


def records() -> int:
    return db.session.scalar(select(func.count()).select_from(AttendanceRecord))


def test_sessions_are_entered_in_the_cohorts_zone_and_stored_in_utc(people, new_cohort):
    session = sessions.schedule_session(
        people.owner,
        new_cohort(),
        day=date(2026, 3, 2),
        start=time(9),
        end=time(12, 30),
        online_url="https://meet.example.org/quito",
    )
    assert (session.starts_at, session.ends_at) == (at(2, 14), at(2, 17, 30))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": date(2026, 4, 1)}, "between 2026-03-01 and 2026-03-31"),
        ({"end": time(8)}, "must end after it starts"),
        ({"place": "", "online_url": ""}, "a place or an online link"),
        ({"place": "", "online_url": "javascript:alert(1)"}, "must be a web address"),
        ({"place": "x" * 301}, "too long"),
    ],
)
def test_bad_sessions_are_refused_with_a_message(people, new_cohort, fields, message):
    fields = {
        "day": date(2026, 3, 2),
        "start": time(9),
        "end": time(12),
        "place": "Sala 3",
        **fields,
    }
    with pytest.raises(CohortError, match=message):
        sessions.schedule_session(people.admin, new_cohort(), **fields)


def test_trainers_run_sessions_but_only_managers_schedule_them(people, new_cohort):
    with pytest.raises(CohortError, match="not allowed"):
        sessions.schedule_session(
            people.trainer,
            new_cohort(),
            day=date(2026, 3, 2),
            start=time(9),
            end=time(12),
            place="Sala 3",
        )


def test_reschedule_and_cancel(people, new_cohort, new_session, received):
    session = new_session(new_cohort())
    sessions.reschedule_session(
        people.admin, session, day=date(2026, 3, 3), start=time(14), end=time(16)
    )
    assert (session.starts_at, session.place) == (at(3, 19), "Sala 3")
    sessions.cancel_session(people.admin, session, now=at(1, 10))
    sessions.cancel_session(people.admin, session, now=at(2, 10))
    assert session.cancelled_at == at(1, 10)
    # Each changes every member's rate: one signal per reschedule, one for the cancellation.
    changes = received["training-session-changed"]
    assert [(sender, kwargs["change"]) for sender, kwargs in changes] == [
        (session, "rescheduled"),
        (session, "cancelled"),
    ]
    assert all(kwargs["actor"] is people.admin for _sender, kwargs in changes)
    with pytest.raises(CohortError, match="was cancelled"):
        sessions.reschedule_session(
            people.admin, session, day=date(2026, 3, 4), start=time(9), end=time(10)
        )


def test_a_trainer_records_many_marks_at_once_with_who_when_and_how(
    people, new_cohort, new_session, received
):
    cohort = new_cohort()
    for person in (people.ana, people.zoe, people.luis):
        services.add_member(people.admin, cohort, person, now=at(1, 12))
    session = new_session(cohort)
    marks = {people.ana: "present", people.zoe: "late", people.luis: "excused"}
    saved = sessions.record_attendance(
        people.trainer, session, marks, method="sheet", now=at(2, 18)
    )
    assert {(r.user_id, r.status, r.method, r.recorded_by_id, r.recorded_at) for r in saved} == {
        (people.ana.id, "present", "sheet", people.trainer.id, at(2, 18)),
        (people.zoe.id, "late", "sheet", people.trainer.id, at(2, 18)),
        (people.luis.id, "excused", "sheet", people.trainer.id, at(2, 18)),
    }
    [(sender, kwargs)] = received["attendance-recorded"]
    assert sender is session
    assert len(kwargs["records"]) == 3
    # Marking again changes the record rather than adding one.
    sessions.record_attendance(people.owner, session, {people.zoe: "present"}, now=at(3, 9))
    assert records() == 3
    zoe = db.session.scalar(select(AttendanceRecord).filter_by(user_id=people.zoe.id))
    assert (zoe.status, zoe.method, zoe.recorded_by_id) == ("present", "roster", people.owner.id)


def test_a_batch_with_one_bad_mark_records_nothing(people, new_cohort, new_session, received):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    session = new_session(cohort)
    with pytest.raises(CohortError, match="Zoë Éluard is not a member of this cohort"):
        sessions.record_attendance(
            people.trainer, session, {people.ana: "present", people.zoe: "present"}, now=at(2, 18)
        )
    with pytest.raises(CohortError, match="Unknown attendance status"):
        sessions.record_attendance(people.trainer, session, {people.ana: "asleep"}, now=at(2, 18))
    assert records() == 0
    assert not received["attendance-recorded"]


def test_marks_a_session_cannot_take(people, new_cohort, new_session):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    session = new_session(cohort)
    with pytest.raises(CohortError, match="has not started yet"):
        sessions.record_attendance(people.trainer, session, {people.ana: "present"}, now=at(2, 9))
    sessions.record_attendance(people.trainer, session, {people.ana: "excused"}, now=at(2, 9))
    sessions.cancel_session(people.admin, session)
    with pytest.raises(CohortError, match="cancelled; it takes no attendance"):
        sessions.record_attendance(people.trainer, session, {people.ana: "excused"}, now=at(2, 9))
    with pytest.raises(CohortError, match="roster or a paper sheet"):
        sessions.record_attendance(people.trainer, session, {people.ana: "present"}, method="qr")


@pytest.mark.parametrize("who", ["other_trainer", "quito_coordinator", "ana"])
def test_only_the_cohorts_trainers_and_managers_take_attendance(
    people, new_cohort, new_session, who
):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    with pytest.raises(CohortError, match="not allowed"):
        sessions.record_attendance(
            getattr(people, who), new_session(cohort), {people.ana: "present"}, now=at(2, 18)
        )


def test_closing_freezes_attendance(people, new_cohort, new_session):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    session = new_session(cohort)
    services.close_cohort(people.admin, cohort)
    with pytest.raises(CohortError, match="is closed"):
        sessions.record_attendance(people.trainer, session, {people.ana: "present"}, now=at(2, 18))


def test_rates_count_the_current_cohort_after_a_move(people, new_cohort, new_session):
    quito, cuenca = new_cohort(), new_cohort(name="Cuenca, March")
    services.add_member(people.admin, quito, people.ana, now=at(1, 12))
    first = new_session(quito, day=2)
    sessions.record_attendance(people.trainer, first, {people.ana: "present"}, now=at(2, 18))
    member = services.move_member(people.admin, people.ana, cuenca, now=at(3, 12))
    held, *_ = [new_session(cuenca, day=day) for day in (4, 11, 18, 25)]
    sessions.record_attendance(people.trainer, held, {people.ana: "late"}, now=at(4, 18))
    rates = sessions.rates_for(member, now=at(5, 12))
    assert (rates.toward_completion, rates.so_far, rates.scheduled) == (25.0, 100.0, 4)
    # The old membership keeps its own history.
    old = db.session.scalar(select(CohortMember).filter_by(cohort_id=quito.id))
    assert sessions.rates_for(old, now=at(5, 12)).toward_completion == 100.0


def test_members_are_listed_through_one_scope(people, new_cohort):
    cohort = new_cohort()
    other = new_cohort(name="Other", trainers=[people.other_trainer])
    for person in (people.ana, people.luis):
        services.add_member(people.admin, cohort, person)
    query = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)

    def seen(actor) -> set[int]:
        return set(db.session.scalars(policy.scope_members(actor, cohort, query)))

    everyone = {people.ana.id, people.luis.id}
    assert seen(people.trainer) == seen(people.admin) == seen(people.owner) == everyone
    assert seen(people.quito_coordinator) == {people.ana.id}
    assert seen(people.cuenca_coordinator) == {people.luis.id}
    assert seen(people.other_trainer) == seen(people.ana) == set()
    assert policy.can_see_cohort(people.other_trainer, other)
    assert not policy.can_see_cohort(people.other_trainer, cohort)
    assert not policy.can_see_member(people.quito_coordinator, cohort, people.luis)
