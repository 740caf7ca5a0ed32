"""The cohort and session mails, in the recipient's language, and unsubscribing."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from tests.notifications.conftest import run_queue
from trainer.auth.models import Role
from trainer.cohorts import services as cohorts
from trainer.cohorts import sessions
from trainer.notifications import kinds, preferences
from trainer.notifications.mails import in_mail_context
from trainer.notifications.models import MailStatus, NotificationPreference, OutboxMail


def upcoming_cohort(make, *members):
    admin = make.user(Role.ADMIN)
    course = make.course(modules=1)
    today = date.today()
    cohort = cohorts.create_cohort(
        admin,
        course,
        name="Cohorte Quito",
        starts_on=today,
        ends_on=today + timedelta(days=30),
        timezone="America/Guayaquil",
        open_to_all=True,
    )
    session = sessions.schedule_session(
        admin, cohort, day=today + timedelta(days=7), start=time(9), end=time(12), place="Sala 1"
    )
    for person in members:
        cohorts.add_member(admin, cohort, person)
    return admin, cohort, session


def test_new_members_get_the_cohort_calendar_in_their_language(mail_app, smtp, make, db):
    nusta = make.user(email="nusta@example.org", language="es")
    with mail_app.app_context():
        upcoming_cohort(make, nusta)
        db.session.commit()
        run_queue(mail_app)
    (message,) = smtp.to("nusta@example.org")
    assert message["Subject"] == "Se le ha añadido a la cohorte Cohorte Quito"
    text = message.get_body(("plain",)).get_content()
    assert "Sala 1" in text
    (calendar,) = [part for part in message.iter_attachments()]
    assert calendar.get_content_type() == "text/calendar"
    assert "BEGIN:VEVENT" in calendar.get_content()
    # An optional mail: one-click unsubscribe (RFC 8058).
    assert message["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_members_hear_once_that_a_session_is_cancelled_and_each_time_it_moves(
    mail_app, smtp, make, db
):
    pierre = make.user(email="pierre@example.org", language="fr")
    with mail_app.app_context():
        admin, cohort, session = upcoming_cohort(make, pierre)
        db.session.commit()
        run_queue(mail_app)
        # The worker's tasks ended the session these objects belonged to.
        admin, session = db.session.merge(admin), db.session.merge(session)
        day = session.starts_at.date() + timedelta(days=1)
        sessions.reschedule_session(admin, session, day=day, start=time(14), end=time(16))
        db.session.commit()
        sessions.cancel_session(admin, session)
        sessions.cancel_session(admin, session)
        db.session.commit()
        run_queue(mail_app)
    subjects = [m["Subject"] for m in smtp.to("pierre@example.org")]
    assert subjects[0].startswith("Vous avez été ajouté")
    # Moved, then cancelled before the worker ran: only the cancellation is sent.
    assert subjects[1:] == ["Séance annulée\u00a0: Cohorte Quito"]
    rows = db.session.scalars(
        select(OutboxMail).where(OutboxMail.kind == kinds.SESSION_CHANGED)
    ).all()
    assert sorted(row.status for row in rows) == [MailStatus.SENT.value, MailStatus.SKIPPED.value]


def test_unsubscribing_shows_on_get_and_changes_on_post_without_logging_in(app, client, make, db):
    person = make.user(email="quiet@example.org")
    with in_mail_context():
        token = preferences.unsubscribe_token(person, "reminders")
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200
    assert "quiet@example.org" in page.get_data(as_text=True)
    assert db.session.get(NotificationPreference, person.id) is None  # GET changes nothing
    # One click from a mail client: a plain POST, no log-in, no CSRF token.
    response = client.post(
        f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}, csrf=False
    )
    assert response.status_code == 200
    assert preferences.wants(person, "reminders") is False
    assert preferences.wants(person, "digests") is True


def test_an_unsubscribe_link_cannot_be_forged(app, client, make, db):
    person = make.user()
    other = make.user()
    with in_mail_context():
        token = preferences.unsubscribe_token(person, "digests")
    payload, signature = token.split(".")
    forged = preferences.unsubscribe_token(other, "digests").split(".")[0] + "." + signature
    for bad in (forged, token[:-2] + "xx", "garbage", f"{payload}."):
        assert client.get(f"/unsubscribe/{bad}").status_code == 404
        assert client.post(f"/unsubscribe/{bad}", csrf=False).status_code == 404
    # Signed with another key: refused too.
    from itsdangerous import URLSafeSerializer

    elsewhere = URLSafeSerializer("another-key", salt="trainer.unsubscribe").dumps(
        [other.id, "digests"]
    )
    assert client.post(f"/unsubscribe/{elsewhere}", csrf=False).status_code == 404
    assert preferences.wants(other, "digests") is True


def test_turned_off_mails_are_skipped_and_the_account_page_turns_them_back_on(
    mail_app, smtp, make, db, client, login_as
):
    person = make.user(email="choosy@example.org")
    preferences.choose(person, reminders=False)
    with mail_app.app_context():
        upcoming_cohort(make, person)
        db.session.commit()
        run_queue(mail_app)
    assert smtp.to("choosy@example.org") == []
    login_as(person)
    assert client.get("/account/notifications").status_code == 200
    response = client.post("/account/notifications", data={"reminders": "y", "digests": "y"})
    assert response.status_code == 302
    assert preferences.wants(person, "reminders") is True
