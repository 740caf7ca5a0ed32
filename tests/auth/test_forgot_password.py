"""'Forgot your password?' when a mail server is configured: the mail is written to the
outbox and sent by a worker (tests/notifications for the delivery itself)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from trainer.notifications.models import OutboxMail

SENT_MESSAGE = b"a link to set a new password is on its way"


@pytest.fixture
def mail_app(make_app):
    return make_app(MAIL_SERVER="smtp.example.org")


def outbox(db) -> list[OutboxMail]:
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "password_reset")))


def test_a_known_address_gets_a_mail_written_not_sent_in_the_request(mail_app, make, db):
    user = make.user(email="forgetful@example.org")
    client = mail_app.test_client()
    assert b"Forgot your password?" in client.get("/login").data
    response = client.post("/forgot-password", data={"email": "Forgetful@example.org"})
    assert response.status_code == 302
    assert SENT_MESSAGE in client.get("/login").data
    (row,) = outbox(db)
    assert row.user_id == user.id
    assert row.status == "pending"
    assert row.payload == {}  # no link is stored: the worker makes it


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail_app, db):
    client = mail_app.test_client()
    response = client.post("/forgot-password", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert SENT_MESSAGE in client.get("/login").data
    assert outbox(db) == []


def test_at_most_three_mails_per_address_and_device(mail_app, make, db):
    make.user(email="flooded@example.org")
    client = mail_app.test_client()
    for _ in range(6):
        assert (
            client.post("/forgot-password", data={"email": "flooded@example.org"}).status_code
            == 302
        )
    assert len(outbox(db)) == 3


def test_a_queue_that_is_down_is_not_a_500(mail_app, make, db, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr("trainer.notifications.queue.Queue.enqueue_mail", refuse)
    make.user(email="unlucky@example.org")
    client = mail_app.test_client()
    response = client.post("/forgot-password", data={"email": "unlucky@example.org"})
    assert response.status_code == 302
    assert "the outbox sweeper will" in caplog.text
    assert len(outbox(db)) == 1
