"""Reminders, nudges and digests with a frozen clock: the right people, never twice, and a
second week gives a second digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from tests.notifications.conftest import run_queue
from trainer.auth.models import Role
from trainer.cohorts import services as cohorts
from trainer.cohorts import sessions
from trainer.learning import services as learning
from trainer.notifications import kinds
from trainer.notifications.models import OutboxMail
from trainer.notifications.scheduled import queue_digests, queue_nudges, queue_reminders


def rows(db, kind) -> list[OutboxMail]:
    return list(
        db.session.scalars(select(OutboxMail).where(OutboxMail.kind == kind).order_by("id"))
    )


def quito(day: date, hour: int) -> datetime:
    """``hour`` o'clock in Quito (UTC-5, no summer time), in UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC) + timedelta(hours=5)


def test_session_reminders_go_the_day_before_at_the_set_hour_to_members_only_once(
    mail_app, smtp, make, db
):
    admin = make.user(Role.ADMIN)
    member = make.user(email="member@example.org")
    gone = make.user(email="gone@example.org")
    make.user(email="outsider@example.org")
    course = make.course(modules=1)
    day = date.today() + timedelta(days=10)
    cohort = cohorts.create_cohort(
        admin,
        course,
        name="Taller",
        starts_on=date.today(),
        ends_on=day + timedelta(days=5),
        timezone="America/Guayaquil",
        open_to_all=True,
    )
    session = sessions.schedule_session(
        admin, cohort, day=day, start=time(9), end=time(12), place="Sala 2"
    )
    cancelled = sessions.schedule_session(
        admin, cohort, day=day, start=time(14), end=time(16), place="Sala 2"
    )
    sessions.cancel_session(admin, cancelled)
    cohorts.add_member(admin, cohort, member)
    cohorts.add_member(admin, cohort, gone)
    cohorts.remove_member(admin, cohort, gone)
    hour = mail_app.config["SESSION_REMINDER_HOUR"]
    eve = day - timedelta(days=1)
    with mail_app.app_context():
        assert queue_reminders(quito(eve, hour - 1)) == 0  # not yet
        assert queue_reminders(quito(eve, hour)) == 1
        assert queue_reminders(quito(eve, hour) + timedelta(minutes=15)) == 0  # never twice
        assert queue_reminders(quito(day, 10)) == 0  # under way: too late
        db.session.commit()
        run_queue(mail_app)
    (row,) = rows(db, kinds.SESSION_REMINDER)
    assert row.user_id == member.id
    assert row.subject_key == f"session:{session.id}"
    (message,) = smtp.to("member@example.org")
    assert "Taller" in message["Subject"]
    assert smtp.to("gone@example.org") == smtp.to("outsider@example.org") == []


def test_nudges_after_n_days_without_activity_once_per_stretch(mail_app, smtp, make, db):
    idle = make.user(email="idle@example.org")
    busy = make.user(email="busy@example.org")
    done = make.user(email="done@example.org")
    course = make.course(modules=2)
    start = datetime.now(UTC) - timedelta(days=30)
    idle_enrolment = learning.enrol(idle, course)
    idle_enrolment.enrolled_at = start
    busy_enrolment = learning.enrol(busy, course)
    busy_enrolment.enrolled_at = start
    done_enrolment = learning.enrol(done, course)
    done_enrolment.enrolled_at = start
    done_enrolment.completed_at = start + timedelta(days=1)
    db.session.flush()
    first = course.current_version.modules[0]
    learning.mark_complete(busy, busy_enrolment, first, now=datetime.now(UTC) - timedelta(days=2))
    now = datetime.now(UTC)
    with mail_app.app_context():
        assert queue_nudges(now) == 1
        assert queue_nudges(now + timedelta(days=1)) == 0  # the same stretch: never twice
        db.session.commit()
        run_queue(mail_app)
    (row,) = rows(db, kinds.NUDGE)
    assert row.user_id == idle.id
    assert len(smtp.to("idle@example.org")) == 1
    assert smtp.to("busy@example.org") == smtp.to("done@example.org") == []
    # Busy stalls too, 14 days after its last module: then, and only then, a nudge.
    later = now + timedelta(days=12)
    with mail_app.app_context():
        assert queue_nudges(later) == 1
        db.session.commit()
    assert rows(db, kinds.NUDGE)[1].user_id == busy.id


def test_weekly_digest_covers_only_the_coordinators_institution_and_comes_again_next_week(
    mail_app, smtp, make, db
):
    home = make.institution("home")
    away = make.institution("away")
    make.user(Role.COORDINATOR, institution=home, email="coord@example.org")
    ours = make.user(institution=home, full_name="Rosa Ours")
    theirs = make.user(institution=away, full_name="Tomás Theirs")
    course = make.course(modules=1)
    now = datetime.now(UTC)
    for person in (ours, theirs):
        stalled = learning.enrol(person, course)
        stalled.enrolled_at = now - timedelta(days=20)
    db.session.flush()
    newcomer = make.user(institution=away)
    learning.enrol(newcomer, make.course(modules=1))
    with mail_app.app_context():
        assert queue_digests(now) == 1
        assert queue_digests(now + timedelta(minutes=5)) == 0  # the same week: once
        db.session.commit()
        run_queue(mail_app)
    (message,) = smtp.to("coord@example.org")
    text = message.get_body(("plain",)).get_content()
    assert "Rosa Ours" in text
    assert "Tomás Theirs" not in text
    assert "New enrolments: 0" in text  # the newcomer is of the other institution
    assert "Participants at risk (no activity for a while): 1" in text
    with mail_app.app_context():
        assert queue_digests(now + timedelta(days=7)) == 1  # a second week, a second digest
        db.session.commit()
        run_queue(mail_app)
    assert len(smtp.to("coord@example.org")) == 2
    assert [row.period for row in rows(db, kinds.DIGEST)] == [
        f"{now.isocalendar()[0]}-W{now.isocalendar()[1]:02d}",
        "{}-W{:02d}".format(*(now + timedelta(days=7)).isocalendar()[:2]),
    ]


def test_n_is_the_programmes_inactivity_setting(app, make, db):
    from trainer.auth.services import programme_settings

    idle = make.user()
    enrolment = learning.enrol(idle, make.course(modules=1))
    enrolment.enrolled_at = datetime.now(UTC) - timedelta(days=30)
    settings = programme_settings()
    db.session.add(settings)  # the one row, stored
    settings.inactive_after_days = 40
    db.session.flush()
    assert queue_nudges(datetime.now(UTC)) == 0
    settings.inactive_after_days = 20
    db.session.flush()
    assert queue_nudges(datetime.now(UTC)) == 1
