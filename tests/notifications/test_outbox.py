"""The outbox with a real SMTP server: once per (kind, person, subject, period), retried
after failures, swept when a task is lost, and the forgot-password mail on the queue."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.notifications.conftest import drop_queue, run_queue
from trainer.certificates.models import Certificate
from trainer.dbtypes import utcnow
from trainer.learning import services as learning
from trainer.learning.signals import enrolment_completed
from trainer.notifications import kinds, periodic, sending
from trainer.notifications.models import MailStatus, OutboxMail
from trainer.notifications.outbox import add_mail
from trainer.notifications.queue import queue


def mails(db, kind=None) -> list[OutboxMail]:
    statement = select(OutboxMail).order_by(OutboxMail.id)
    if kind:
        statement = statement.where(OutboxMail.kind == kind)
    return list(db.session.scalars(statement))


def complete_course(make, db, person):
    course = make.course(modules=1)
    enrolment = learning.enrol(person, course)
    (module,) = [m for m in course.current_version.modules]
    learning.mark_complete(person, enrolment, module)
    assert enrolment.completed_at is not None
    return enrolment


def test_the_certificate_mail_arrives_once_despite_a_second_judgement_and_an_smtp_failure(
    mail_app, smtp, make, db
):
    person = make.user(email="ana@example.org", full_name="Ana Quispe", language="es")
    with mail_app.app_context():
        enrolment = complete_course(make, db, person)
        # Judged again (another request, a new course version): the same mail, not a second.
        enrolment_completed.send(enrolment, completion=None)
        db.session.commit()
        smtp.fail = 1  # the first try is refused
        run_queue(mail_app)
        # A second sweeper, a duplicate task: nothing more is sent.
        sending.deliver(mails(db)[0].id)
    (row,) = mails(db, kinds.CERTIFICATE)
    assert row.status == MailStatus.SENT.value
    assert row.attempts == 2
    (message,) = smtp.to("ana@example.org")
    assert "certificado" in message["Subject"].lower()
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    code = db.session.scalar(select(Certificate.code))
    assert f"http://localhost/verify/{code}" in text
    assert f"/verify/{code}" in html
    # Nobody may turn certificate mails off.
    assert message["List-Unsubscribe"] is None


def test_a_mail_whose_task_is_lost_is_sent_by_the_sweeper(mail_app, smtp, make, db):
    person = make.user(email="lost@example.org")
    with mail_app.app_context():
        complete_course(make, db, person)
        db.session.commit()
        drop_queue(mail_app)  # the worker died between the commit and the send
        assert periodic.sweep() == 0  # not overdue yet: its task may still be coming
        assert periodic.sweep(utcnow() + timedelta(minutes=6)) == 1
        run_queue(mail_app)
        assert periodic.sweep(utcnow() + timedelta(minutes=20)) == 0
    assert len(smtp.to("lost@example.org")) == 1


def test_a_worker_killed_while_sending_leaves_a_claim_that_runs_out(mail_app, smtp, make, db):
    person = make.user(email="claimed@example.org")
    with mail_app.app_context():
        complete_course(make, db, person)
        db.session.commit()
        drop_queue(mail_app)
        (row,) = mails(db)
        assert sending.claim(row.id)  # ... and the worker is killed here
        assert sending.deliver(row.id) is None  # another task: claimed, so nothing
        later = utcnow() + timedelta(minutes=11)
        assert periodic.sweep(later) == 1
        drop_queue(mail_app)
        assert sending.deliver(row.id, now=later) == MailStatus.SENT.value
    assert len(smtp.to("claimed@example.org")) == 1


def test_after_every_try_fails_admins_see_it_and_may_retry(
    app, mail_app, smtp, make, db, client, login_as
):
    person = make.user(email="unlucky@example.org")
    admin = make.user(role="admin")
    with mail_app.app_context():
        complete_course(make, db, person)
        db.session.commit()
        smtp.fail = 100
        run_queue(mail_app)
    (row,) = mails(db)
    assert row.status == MailStatus.FAILED.value
    assert row.attempts == mail_app.config["MAIL_ATTEMPTS"]
    assert "451" in row.last_error
    smtp.fail = 0
    login_as(admin)
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    assert b"unlucky@example.org" in page.data
    assert b"Retry" in page.data
    drop_queue(app)  # what other tests left in the shared app's queue
    response = client.post(f"/admin/outbox/{row.id}/retry")
    assert response.status_code == 302
    assert mails(db)[0].status == MailStatus.PENDING.value
    assert queue(app).huey.pending_count() == 1
    drop_queue(app)
    with mail_app.app_context():
        assert sending.deliver(row.id) == MailStatus.SENT.value
    assert len(smtp.to("unlucky@example.org")) == 1
    assert mails(db)[0].status == MailStatus.SENT.value


def test_without_a_mail_server_mails_are_kept_for_the_outbox_page(app, make, db, client, login_as):
    drop_queue(app)
    person = make.user(email="dev@example.org")
    admin = make.user(role="admin")
    with app.app_context():
        complete_course(make, db, person)
        db.session.commit()
        run_queue(app)
    (row,) = mails(db)
    assert row.status == MailStatus.HELD.value
    assert "/verify/" in row.preview
    login_as(admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "No mail server is configured" in page
    assert "dev@example.org" in page


def test_the_same_key_is_written_once(app, make, db):
    person = make.user()
    first = add_mail("test", person, "thing:1", "2026-W49")
    assert first is not None
    assert add_mail("test", person, "thing:1", "2026-W49") is None
    assert add_mail("test", person, "thing:1", "2026-W50") is not None


def test_forgot_password_is_sent_by_the_worker_with_a_working_link(mail_app, smtp, make, db):
    make.user(email="forgetful@example.org", language="fr")
    client = mail_app.test_client()
    response = client.post("/forgot-password", data={"email": "Forgetful@example.org"})
    assert response.status_code == 302
    assert smtp.messages == []  # not sent inside the request
    run_queue(mail_app)
    (message,) = smtp.to("forgetful@example.org")
    body = message.get_body(("plain",)).get_content()
    link = next(word for word in body.split() if "/set-password/" in word)
    assert client.get(link[link.index("/set-password/") :]).status_code == 200
    (row,) = mails(db, kinds.PASSWORD_RESET)
    assert row.preview == ""  # the link is never kept


def test_periodic_cleanup_runs_as_a_task(mail_app, db):
    tasks = queue(mail_app)
    assert {"sweep-outbox", "cleanup"} <= set(tasks.periodic)
    tasks.periodic["cleanup"].call_local()
