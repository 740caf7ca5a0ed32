"""Completion facts built for many enrolments at once, and judged where the facts change."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from tests.learning.conftest import import_folder, lesson, write_course
from trainer.auth.models import Role, User
from trainer.completion import AttendanceRates, Facts
from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.learning import judging, services
from trainer.learning.models import Enrolment, ModuleProgress
from trainer.learning.signals import enrolment_completed

EN = "migration-development-policy"
ES = "migracion-politicas-desarrollo"


def enrol_many(db, make, count: int) -> list[Enrolment]:
    """``count`` participants in one four-module course, each at another stage: every
    fourth has done everything (complete, never stored), the others part of it."""
    course = make.course(modules=4)  # module-2 and module-4 have quizzes
    institution = make.institution()
    tag = course.slug
    db.session.execute(
        insert(User),
        [
            {
                "email": f"{tag}-{n}@example.org",
                "full_name": f"Participant {n}",
                "role": Role.PARTICIPANT.value,
                "institution_id": institution.id,
            }
            for n in range(count)
        ],
    )
    user_ids = db.session.scalars(
        select(User.id).where(User.email.like(f"{tag}-%")).order_by(User.id)
    ).all()
    db.session.execute(
        insert(Enrolment),
        [{"user_id": uid, "family": course.family, "course_id": course.id} for uid in user_ids],
    )
    now = utcnow()
    stages = [
        [("module-1", False), ("module-2", True), ("module-3", False), ("module-4", True)],
        [("module-1", False)],
        [("module-1", False), ("module-2", False)],  # the quiz done, not passed
        [],
    ]
    db.session.execute(
        insert(ModuleProgress),
        [
            {
                "user_id": uid,
                "family": course.family,
                "module_slug": slug,
                "completed_at": now,
                "quiz_passed_at": now if passed else None,
            }
            for n, uid in enumerate(user_ids)
            for slug, passed in stages[n % 4]
        ],
    )
    return list(
        db.session.scalars(
            select(Enrolment).where(Enrolment.course_id == course.id).order_by(Enrolment.id)
        )
    )


def test_facts_take_the_same_queries_for_1_or_1000_enrolments(db, make, count_queries):
    enrolments = enrol_many(db, make, 1000)
    with count_queries() as one:
        judging.build_facts(enrolments[:1])
    with count_queries() as thousand:
        facts = judging.build_facts(enrolments)
    assert len(one) == len(thousand) == 3, (one, thousand)  # and cohort memberships
    assert len(facts) == 1000
    assert facts[enrolments[0].id].passed_quizzes == {"module-2", "module-4"}


def test_judging_takes_the_same_queries_for_1_or_1000_enrolments(db, make, count_queries):
    enrolments = enrol_many(db, make, 1000)
    heard = []
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.id)):
        # With the flush that stores what the completions set off (their certificates).
        with count_queries() as one:
            judging.judge(enrolments[:1])
            db.session.flush()
        with count_queries() as thousand:
            verdicts = judging.judge(enrolments)
            db.session.flush()
    assert len(one) == len(thousand), (one, thousand)
    complete = [e.id for n, e in enumerate(enrolments) if n % 4 == 0]
    assert sorted(heard) == complete  # each announced once, the first one by the first call
    assert [e.id for e in enrolments if verdicts[e.id].complete] == complete
    stored = db.session.scalars(
        select(Enrolment.id).where(Enrolment.completed_at.is_not(None)).order_by(Enrolment.id)
    ).all()
    assert stored == complete


def test_facts_equal_those_built_one_enrolment_at_a_time(db, make, demo_courses):
    enrolments = enrol_many(db, make, 12)
    # The demo course has a pre-test, a survey and a translation: progress in both languages.
    modules = current_modules(demo_courses[EN])
    for n in range(6):
        user = make.user()
        enrolment = services.enrol(user, demo_courses[ES] if n % 2 else demo_courses[EN])
        for module in modules[: n * 2]:
            services.record_quiz_done(
                user.id, enrolment.family, module.slug, passed=n % 3 == 0, now=utcnow()
            )
        enrolments.append(enrolment)
    together = judging.build_facts(enrolments)
    alone = {e.id: judging.build_facts([e])[e.id] for e in enrolments}
    assert together == alone
    survey_takers = [e for e in enrolments if together[e.id].survey_answered]
    assert survey_takers  # the last demo participants answered the survey
    assert all(isinstance(facts, Facts) for facts in together.values())


def test_cohorts_supply_attendance_through_the_hook(db, make, monkeypatch):
    enrolments = enrol_many(db, make, 4)
    four_of_five = AttendanceRates(80.0, 80.0, 4, 0, 5, 5, ())
    rates = {enrolments[1].id: four_of_five}
    monkeypatch.setattr(judging, "_attendance_sources", [])
    judging.add_attendance_source(lambda given: {e.id: rates[e.id] for e in given if e.id in rates})
    facts = judging.build_facts(enrolments)
    assert facts[enrolments[1].id].attendance == four_of_five
    assert facts[enrolments[1].id].attendance_percent == 80.0
    assert facts[enrolments[0].id].attendance is None  # in no cohort


def test_pages_show_completion_without_storing_it(client, make, login_as, db, tmp_path):
    user = make.user()
    login_as(user)
    files = {"01-first.md": lesson("First"), "02-second.md": lesson("Second")}
    course = import_folder(write_course(tmp_path, "quiz-course", files))
    enrolment = services.enrol(user, course)
    enrolment_id = enrolment.id
    for module in current_modules(course):
        services.record_quiz_done(
            user.id, course.family, module.slug, passed=False, now=utcnow()
        )  # written behind judging's back: the completion is pending
    db.session.commit()
    assert "100% complete" in client.get("/courses/quiz-course").get_data(as_text=True)
    assert "100% complete" in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment_id).completed_at is None


def test_a_new_version_from_courses_import_completes_in_bulk(make, db, tmp_path):
    files = {"01-first.md": lesson("First"), "02-second.md": lesson("Second")}
    course = import_folder(write_course(tmp_path, "quiz-course", files))
    first = current_modules(course)[0]
    people = [make.user() for _ in range(3)]
    enrolments = [services.enrol(user, course) for user in people]
    for user, enrolment in zip(people[:2], enrolments[:2], strict=True):
        services.mark_complete(user, enrolment, first)
    services.withdraw(enrolments[1])
    heard = []
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.id)):
        import_folder(write_course(tmp_path, "quiz-course", {"01-first.md": lesson("First")}))
    assert heard == [enrolments[0].id]  # the withdrawn one waits until they come back
    assert enrolments[0].completed_at is not None
    assert enrolments[2].completed_at is None
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.id)):
        services.enrol(people[1], course)
    assert heard == [enrolments[0].id, enrolments[1].id]


@pytest.mark.parametrize("switch", [False, True])
def test_switching_language_judges_against_the_other_course(make, db, switch):
    user = make.user()
    english = make.course("judge-en", modules=1)
    spanish = make.course("judge-es", modules=3, language="es", translation_of="judge-en")
    enrolment = services.enrol(user, spanish)
    services.mark_complete(user, enrolment, current_modules(spanish)[0])
    assert enrolment.completed_at is None
    if switch:
        services.enrol(user, english)  # its one module is the one completed
        assert enrolment.completed_at is not None
