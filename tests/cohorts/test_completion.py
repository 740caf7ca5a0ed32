"""Attendance toward completion, supplied by cohorts and judged when it changes."""

from __future__ import annotations

from datetime import date, time

import pytest

from tests.cohorts.conftest import MARCH_1, MARCH_31, ZONE, at
from tests.learning.conftest import import_folder, lesson
from trainer.cohorts import services, sessions
from trainer.completion.rules import ATTENDANCE
from trainer.courses.services import current_modules
from trainer.learning import judging
from trainer.learning import services as learning
from trainer.learning.signals import enrolment_completed

COURSE_YML = """\
title: Blended course
summary: A course with workshops.
language: en
version: "1"
owners: [owner@example.org]
audience: open
completion:
  modules: all
  attendance_percent: 75
"""


@pytest.fixture
def blended(db, people, tmp_path):
    """A one-lesson course asking for 75 % attendance, and a cohort of it."""
    folder = tmp_path / "blended"
    folder.mkdir()
    (folder / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    (folder / "01-lesson.md").write_text(lesson("Only lesson"), encoding="utf-8")
    course = import_folder(folder)
    db.session.flush()
    cohort = services.create_cohort(
        people.admin,
        course,
        name="Blended, March",
        starts_on=MARCH_1,
        ends_on=MARCH_31,
        timezone=ZONE,
        institutions=[people.quito, people.cuenca],
        open_to_all=False,
        trainers=[people.trainer],
    )
    return cohort


def schedule(people, cohort, days):
    return [
        sessions.schedule_session(
            people.admin, cohort, day=date(2026, 3, d), start=time(9), end=time(12), place="Sala 3"
        )
        for d in days
    ]


def join(people, cohort, person, when=None):
    services.add_member(people.admin, cohort, person, now=when or at(1, 0))
    return learning.find_enrolment(person, cohort.family)


def mark(people, session, person, status):
    sessions.record_attendance(people.trainer, session, {person: status}, now=session.ends_at)


def test_adding_a_member_enrols_them_in_the_cohorts_course(people, blended):
    assert learning.find_enrolment(people.ana, blended.family) is None
    enrolment = join(people, blended, people.ana)
    assert enrolment is not None
    assert enrolment.is_active
    assert enrolment.course_id == blended.course_id


def test_adding_a_withdrawn_participant_reactivates_their_enrolment(people, blended):
    enrolment = learning.enrol(people.ana, blended.course)
    learning.withdraw(enrolment)
    assert join(people, blended, people.ana).id == enrolment.id
    assert enrolment.is_active


def test_the_rate_counts_late_excused_unmarked_cancelled_and_joining_late(people, blended):
    d2, d3, d4, d5, d6, d7 = schedule(people, blended, [2, 3, 4, 5, 6, 7])
    ana = join(people, blended, people.ana)
    zoe = join(people, blended, people.zoe, when=at(2, 20))  # after the first session
    sessions.cancel_session(people.admin, d6)
    mark(people, d2, people.ana, "present")
    mark(people, d3, people.ana, "late")
    mark(people, d4, people.ana, "excused")
    mark(people, d7, people.ana, "absent")  # d5 left unmarked: absent
    for session in (d3, d4, d5, d7):
        mark(people, session, people.zoe, "present")
    luis = learning.enrol(people.luis, blended.course)  # in no cohort
    facts = judging.build_facts([ana, zoe, luis])
    assert facts[ana.id].attendance_percent == pytest.approx(50.0)  # 2 / (5 - 1)
    assert facts[zoe.id].attendance_percent == pytest.approx(100.0)  # 4 / 4
    assert facts[luis.id].attendance_percent is None


def test_leaving_the_cohort_never_drops_the_attendance_asked(people, blended):
    both = schedule(people, blended, [2, 3])
    enrolment = join(people, blended, people.ana)
    for session in both:
        mark(people, session, people.ana, "present")  # 100 % while a member
    services.remove_member(people.admin, blended, people.ana)
    assert judging.build_facts([enrolment])[enrolment.id].attendance is None  # in no cohort
    learning.mark_complete(people.ana, enrolment, current_modules(blended.course)[0])
    (unmet,) = judging.judge([enrolment])[enrolment.id].unmet
    assert (unmet.kind, unmet.attendance) == (ATTENDANCE, None)
    assert enrolment.completed_at is None


def test_facts_take_the_same_queries_for_one_or_many_members(people, blended, count_queries):
    found = schedule(people, blended, [2, 3, 4])
    enrolments = [join(people, blended, p) for p in (people.ana, people.zoe, people.luis)]
    for n, person in enumerate((people.ana, people.zoe, people.luis)):
        for session in found[: n + 1]:
            mark(people, session, person, "present")
    with count_queries() as one:
        judging.build_facts(enrolments[:1])
    with count_queries() as many:
        facts = judging.build_facts(enrolments)
    assert len(one) == len(many), (one, many)
    assert [facts[e.id].attendance_percent for e in enrolments] == pytest.approx(
        [100 / 3, 200 / 3, 100.0]
    )


def test_below_the_threshold_the_checklist_shows_attendance_unmet(people, blended):
    (first, _second) = schedule(people, blended, [2, 3])
    enrolment = join(people, blended, people.ana)
    learning.mark_complete(people.ana, enrolment, current_modules(blended.course)[0])
    mark(people, first, people.ana, "present")
    verdict = judging.judge([enrolment])[enrolment.id]
    assert not verdict.complete
    (unmet,) = verdict.unmet
    assert unmet.kind == ATTENDANCE
    assert unmet.required_percent == 75
    assert unmet.actual_percent == pytest.approx(50.0)


def test_below_the_threshold_the_course_page_shows_the_rate(people, blended, client, login_as):
    d2, d3, d4, _d5 = schedule(people, blended, [2, 3, 4, 5])
    enrolment = join(people, blended, people.ana)
    learning.mark_complete(people.ana, enrolment, current_modules(blended.course)[0])
    mark(people, d2, people.ana, "present")
    mark(people, d3, people.ana, "late")  # counts as attended
    mark(people, d4, people.ana, "excused")  # leaves the count; d5 ended unmarked: absent
    login_as(people.ana)
    for page in (f"/courses/{blended.course.slug}", "/"):
        html = client.get(page).get_data(as_text=True)
        assert (
            "Attend at least 75% of your cohort's sessions: you have attended 2 of 3 (66%)"
        ) in html, page
        assert "50% complete" in html  # the lesson is done, attendance is not
    assert enrolment.completed_at is None


def test_in_no_cohort_the_checklist_asks_to_join_one(people, blended, client, login_as):
    schedule(people, blended, [2, 3])
    enrolment = learning.enrol(people.luis, blended.course)  # self-enrolled, in no cohort
    learning.mark_complete(people.luis, enrolment, current_modules(blended.course)[0])
    assert enrolment.completed_at is None
    login_as(people.luis)
    for page in (f"/courses/{blended.course.slug}", "/"):
        html = client.get(page).get_data(as_text=True)
        assert "Join a cohort and attend at least 75% of its sessions" in html, page
        assert "50% complete" in html


def test_a_member_before_any_session_counts_has_attendance_unmet(people, blended, client, login_as):
    enrolment = join(people, blended, people.ana)  # the cohort has no sessions yet
    learning.mark_complete(people.ana, enrolment, current_modules(blended.course)[0])
    (unmet,) = judging.judge([enrolment])[enrolment.id].unmet
    assert unmet.kind == ATTENDANCE
    assert unmet.attendance is not None
    assert unmet.actual_percent is None
    assert enrolment.completed_at is None
    login_as(people.ana)
    html = client.get(f"/courses/{blended.course.slug}").get_data(as_text=True)
    assert "of your cohort's sessions: no session counts yet" in html


def test_recording_the_attendance_that_crosses_the_threshold_completes(people, blended, db):
    four = schedule(people, blended, [2, 3, 4, 5])
    enrolment = join(people, blended, people.ana)
    learning.mark_complete(people.ana, enrolment, current_modules(blended.course)[0])
    heard = []
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.id)):
        mark(people, four[0], people.ana, "present")
        assert enrolment.completed_at is None  # one of four sessions never meets 75 %
        mark(people, four[1], people.ana, "present")
        assert enrolment.completed_at is None
        mark(people, four[2], people.ana, "late")
        assert enrolment.completed_at is not None  # in the recording's own transaction
        mark(people, four[3], people.ana, "present")
    assert heard == [enrolment.id]


def test_attending_one_session_of_four_never_completes(people, blended):
    four = schedule(people, blended, [2, 3, 4, 5])
    enrolment = join(people, blended, people.ana)
    learning.mark_complete(people.ana, enrolment, current_modules(blended.course)[0])
    mark(people, four[0], people.ana, "present")
    key = (people.ana.id, blended.family)
    # Once the first is over, and once all four are (the others left unmarked): 25 %.
    for now in (four[0].ends_at, four[3].ends_at):
        rates = sessions.current_rates({key}, now=now)[key]
        assert (rates.attended, rates.expected, rates.toward_completion) == (1, 4, 25.0)
    verdict = judging.judge([enrolment])[enrolment.id]
    assert not verdict.complete
    assert [r.kind for r in verdict.unmet] == [ATTENDANCE]  # everything else is done
    for session in four[1:]:
        mark(people, session, people.ana, "absent")
    assert not judging.judge([enrolment])[enrolment.id].complete
    assert enrolment.completed_at is None


def test_cancelling_a_missed_session_completes_in_that_call(people, blended):
    five = schedule(people, blended, [2, 3, 4, 5, 6])
    ana, zoe = join(people, blended, people.ana), join(people, blended, people.zoe)
    for enrolment, person in ((ana, people.ana), (zoe, people.zoe)):
        learning.mark_complete(person, enrolment, current_modules(blended.course)[0])
    for session, status in zip(five[:4], ["present", "absent", "present", "present"], strict=True):
        mark(people, session, people.ana, status)  # the fifth ended unmarked: 3 of 5
    mark(people, five[0], people.zoe, "present")  # 1 of 5
    assert ana.completed_at is None
    heard = []
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.id)):
        sessions.cancel_session(people.admin, five[1])  # 3 of 4: 75 %
        assert ana.completed_at is not None  # in the cancellation's own transaction
        assert zoe.completed_at is None  # 1 of 4
        sessions.cancel_session(people.admin, five[1])  # again: nothing changes
        sessions.cancel_session(people.admin, five[4])  # ana 3 of 3, zoe 1 of 3
    assert heard == [ana.id]
    assert zoe.completed_at is None


def test_rescheduling_a_session_before_someone_joined_changes_their_rate(people, blended):
    d12, d14, d16, d18 = schedule(people, blended, [12, 14, 16, 18])
    zoe = join(people, blended, people.zoe, when=at(13, 0))  # after d12
    learning.mark_complete(people.zoe, zoe, current_modules(blended.course)[0])
    mark(people, d14, people.zoe, "present")
    mark(people, d16, people.zoe, "present")
    mark(people, d18, people.zoe, "absent")
    key = (people.zoe.id, blended.family)
    assert sessions.current_rates({key})[key].toward_completion == pytest.approx(200 / 3)
    assert zoe.completed_at is None
    heard = []
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.id)):
        # d18 moves to the 11th, before she joined: it no longer counts for her.
        sessions.reschedule_session(
            people.admin, d18, day=date(2026, 3, 11), start=time(9), end=time(12)
        )
        assert zoe.completed_at is not None
    assert heard == [zoe.id]
    assert sessions.current_rates({key})[key].toward_completion == 100.0
    # Moving d12 after she joined makes it count again, unmarked: 2 of 3.
    sessions.reschedule_session(
        people.admin, d12, day=date(2026, 3, 20), start=time(9), end=time(12)
    )
    assert sessions.current_rates({key})[key].toward_completion == pytest.approx(200 / 3)


def test_a_cancellation_judges_the_whole_cohort_in_fixed_queries(
    people, blended, count_queries, make, monkeypatch
):
    other = services.create_cohort(
        people.admin,
        blended.course,
        name="Blended, April",
        starts_on=MARCH_1,
        ends_on=MARCH_31,
        timezone=ZONE,
        open_to_all=True,
    )
    small, large = schedule(people, other, [2, 3]), schedule(people, blended, [2, 3])
    join(people, other, make.user(institution=people.quito))
    for person in (people.ana, people.zoe, people.luis):
        join(people, blended, person)
    sessions.cancel_session(people.admin, small[0])  # loads what any first call loads
    sessions.cancel_session(people.admin, large[0])
    judged = []
    judge = judging.judge
    monkeypatch.setattr(
        judging, "judge", lambda given, **kw: judged.append(len(given)) or judge(given, **kw)
    )
    with count_queries() as one:
        sessions.cancel_session(people.admin, small[1])
    with count_queries() as three:
        sessions.cancel_session(people.admin, large[1])
    assert judged == [1, 3]  # one batch per cancellation, every member in it
    assert len(one) == len(three), (one, three)
