"""'Forgot your password?' when a mail server is configured."""

from __future__ import annotations

import smtplib

import pytest

SENT_MESSAGE = b"a link to set a new password is on its way"


@pytest.fixture
def mail_app(make_app, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "trainer.auth.routes.send_mail", lambda to, subject, body: sent.append((to, body))
    )
    app = make_app(MAIL_SERVER="smtp.example.org")
    app.sent = sent
    return app


def test_a_known_address_gets_a_working_link(mail_app, make, db):
    user = make.user(email="forgetful@example.org")
    client = mail_app.test_client()
    assert b"Forgot your password?" in client.get("/login").data
    response = client.post("/forgot-password", data={"email": "Forgetful@example.org"})
    assert response.status_code == 302
    assert SENT_MESSAGE in client.get("/login").data
    ((to, body),) = mail_app.sent
    assert to == user.email
    link = next(word for word in body.split() if "/set-password/" in word)
    path = link[link.index("/set-password/") :]
    assert client.get(path).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail_app, db):
    client = mail_app.test_client()
    response = client.post("/forgot-password", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert SENT_MESSAGE in client.get("/login").data
    assert mail_app.sent == []


def test_at_most_three_mails_per_address_and_device(mail_app, make, db):
    make.user(email="flooded@example.org")
    client = mail_app.test_client()
    for _ in range(6):
        assert (
            client.post("/forgot-password", data={"email": "flooded@example.org"}).status_code
            == 302
        )
    assert len(mail_app.sent) == 3


def test_a_mail_server_failure_is_not_a_500(make_app, make, db, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr("trainer.auth.routes.send_mail", refuse)
    make.user(email="unlucky@example.org")
    client = make_app(MAIL_SERVER="smtp.example.org").test_client()
    response = client.post("/forgot-password", data={"email": "unlucky@example.org"})
    assert response.status_code == 302
    assert "Could not send the set-password e-mail" in caplog.text
