"""A real SMTP server on localhost (aiosmtpd), an app that mails to it, and a way to run
what its queue holds, as a worker would."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from trainer.notifications.queue import queue


class Inbox:
    """aiosmtpd handler: keeps every message; refuses the next ``fail`` ones with a 451."""

    def __init__(self) -> None:
        self.messages = []
        self.fail = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.fail > 0:
                self.fail -= 1
                return "451 4.3.0 Try again later"
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    try:
        yield inbox
    finally:
        controller.stop()


def mail_settings(smtp) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_FROM": "trainer@example.org",
    }


@pytest.fixture
def mail_app(make_app, smtp, db):
    """An app whose mails go to the local SMTP server, with an in-memory queue of its own."""
    return make_app(**mail_settings(smtp))


def run_queue(app, limit: int = 100) -> int:
    """Run every task in the app's queue (and the retries they queue), like a worker;
    how many ran."""
    huey = queue(app).huey
    ran = 0
    while ran < limit:
        task = huey.dequeue()
        if task is None:
            return ran
        huey.execute(task)
        ran += 1
    raise AssertionError("the queue never empties")


def drop_queue(app) -> None:
    """What a worker killed before running its tasks leaves behind: nothing queued."""
    queue(app).huey.flush()
