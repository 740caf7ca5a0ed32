"""Several app servers and a worker in subprocesses, sharing one database and one Redis, and
a browser that can talk to any of them (for tests/deploy/test_multi_server.py)."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

import pytest
import redis
from aiosmtpd.controller import Controller

from tests.notifications.conftest import Inbox, free_port
from trainer.auth import throttle

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Redis database 14 is this test's own; inside it every key of a run carries the run's mark
# (or is tracked), and only those are deleted afterwards.
REDIS_URL = "redis://127.0.0.1:6379/14"
PUBLIC_HOST = "trainer.example.org"
PUBLIC_BASE_URL = f"https://{PUBLIC_HOST}"
# Small limits, so that splitting the tries between the servers shows whether they add up.
THROTTLE_LOCK = 4
LOOKUP_LIMIT = 4
START_SECONDS = 90  # generous: two servers and a worker start at once on a loaded machine
MAIL_SECONDS = 30


def skip_unless_shared_storage(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "needs PostgreSQL (TEST_DATABASE_URL): several app servers share one database "
            "server; SQLite is a file on one machine"
        )
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {REDIS_URL}: the servers share their counts and queue there")
    finally:
        client.close()


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def tail(self) -> str:
        return f"{self.name}: {self.log.read_text(errors='replace')[-3000:]}"


class Browser:
    """One person's cookies; each request goes to the server it names, through the same
    proxy headers (HTTPS, the public host name, this person's address)."""

    def __init__(self, address: str, tried: set[tuple[str, str]]) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}
        self._tried = tried  # (e-mail, address) pairs whose throttle counters must go (log-ins
        # and password resets count there)

    def copy(self) -> Browser:
        other = Browser(self.address, self._tried)
        other.cookies = dict(self.cookies)
        return other

    def request(self, server: Server, method: str, path: str, form: dict | None = None) -> Page:
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": PUBLIC_HOST,
            "X-Forwarded-For": self.address,
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = PUBLIC_BASE_URL + path  # CSRF protection checks it on HTTPS
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self._keep(cookie)
        return Page(response.status, response.headers, text)

    def _keep(self, cookie: str) -> None:
        pair, _, attributes = cookie.partition(";")
        name, _, value = pair.strip().partition("=")
        if not value or "max-age=0" in attributes.lower().replace(" ", ""):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, server: Server, path: str) -> Page:
        return self.request(server, "GET", path)

    def post(
        self, server: Server, path: str, fields: dict, *, form_from: Server, form_path: str = ""
    ) -> Page:
        """Post ``fields`` to ``server`` with the CSRF token of the form ``form_from`` shows
        at ``form_path`` (``path`` by default)."""
        if "email" in fields:
            self._tried.add((fields["email"], self.address))
        page = self.get(form_from, form_path or path)
        assert page.status == 200, page.text[-2000:]
        found = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page.text)
        assert found, page.text[-2000:]
        return self.request(server, "POST", path, {**fields, "csrf_token": found.group(1)})

    def log_in(self, server: Server, email: str, password: str) -> Page:
        return self.post(server, "/login", {"email": email, "password": password}, form_from=server)


@dataclass
class Servers:
    a: Server
    b: Server
    worker: Server
    inbox: Inbox
    redis: redis.Redis
    mark: str  # in every address and in the queue's name: this run's keys in Redis
    tried: set[tuple[str, str]]
    _browsers: int = 0

    def browser(self) -> Browser:
        """A new person, from an address of their own (a documentation address)."""
        self._browsers += 1
        return Browser(f"2001:db8:{self.mark}::{self._browsers:x}", self.tried)

    def throttle_failures(self, email: str, address: str) -> int:
        """The failures Redis holds for this account and address."""
        name = f"trainer:login-throttle:{throttle.throttle_key(email, address)}"
        return int(self.redis.hget(name, "failures") or 0)

    def wait_for_mail(self, address: str) -> list:
        deadline = time.monotonic() + MAIL_SECONDS
        while not self.inbox.to(address):
            assert self.worker.process.poll() is None, self.worker.tail()
            assert time.monotonic() < deadline, f"no mail within {MAIL_SECONDS} s\n{self.tail()}"
            time.sleep(0.1)
        return self.inbox.to(address)

    def tail(self) -> str:
        return "\n".join(server.tail() for server in (self.a, self.b, self.worker))


def _forget(client: redis.Redis, mark: str, tried: set[tuple[str, str]]) -> None:
    """Delete a run's keys from Redis: the throttle counters of the log-ins it tried, and
    every key that carries its mark (rate-limit counters per address, the task queue)."""
    names = [
        f"trainer:login-throttle:{throttle.throttle_key(key, address)}"
        for email, address in tried
        for key in (email, f"reset:{email}")
    ]
    names += list(client.scan_iter(match=f"*{mark}*"))
    if names:
        client.delete(*names)


def _environment(database_url: str, smtp_port: int, queue_name: str) -> dict[str, str]:
    """The production settings both servers and the worker share; nothing else is inherited
    from the environment the tests run in but what finds programs and sets the language."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TZ") if key in os.environ}
    env.update(
        TRAINER_CONFIG="production",
        SECRET_KEY=secrets.token_hex(32),
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        TASK_QUEUE_NAME=queue_name,
        TRUSTED_PROXIES="1",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_USE_TLS="0",
        MAIL_FROM="trainer@example.org",
        LOGIN_THROTTLE_LOCK=str(THROTTLE_LOCK),
        CERTIFICATE_LOOKUP_LIMIT=f"{LOOKUP_LIMIT} per minute",
        # Check-in stays open a day around each session, so a session today is always open.
        CHECKIN_MARGIN_MINUTES=str(24 * 60),
    )
    return env


def _start(
    name: str, command: list[str], port: int, env: dict, folder: Path, stack: ExitStack
) -> Server:
    log_path = folder / f"{name}.log"
    log: IO[bytes] = stack.enter_context(log_path.open("wb"))
    process = subprocess.Popen(  # noqa: S603  (our own virtualenv's programs, fixed arguments)
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    stack.callback(_stop, process)
    return Server(name, port, process, log_path)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _gunicorn(port: int, folder: Path, name: str) -> list[str]:
    return [
        str(BIN / "gunicorn"),
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--forwarded-allow-ips=127.0.0.1",
        f"--control-socket={folder / f'{name}.ctl'}",
        "wsgi:app",
    ]


def _serving(server: Server) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def running_servers(database_url: str, folder: Path) -> Iterator[Servers]:
    """Servers A and B, a worker and the SMTP server it mails to; all stopped afterwards, and
    this run's keys deleted from Redis."""
    mark = secrets.token_hex(2)
    queue_name = f"trainer-multi-server-{mark}"
    with ExitStack() as stack:
        inbox = Inbox()
        smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
        smtp.start()
        stack.callback(smtp.stop)
        client = redis.Redis.from_url(REDIS_URL)
        stack.callback(client.close)
        tried: set[tuple[str, str]] = set()
        stack.callback(_forget, client, mark, tried)  # once every process has stopped
        env = _environment(database_url, smtp.port, queue_name)
        worker = _start(
            "worker",
            [str(BIN / "flask"), "--app", "wsgi", "worker", "--workers", "1"],
            0,
            env,
            folder,
            stack,
        )
        a, b = (
            _start(name, _gunicorn(port, folder, name), port, env, folder, stack)
            for name, port in (("a", free_port()), ("b", free_port()))
        )
        servers = Servers(a, b, worker, inbox, client, mark, tried)
        deadline = time.monotonic() + START_SECONDS
        waiting = [a, b]
        while waiting:
            for server in (a, b, worker):
                assert server.process.poll() is None, f"exited:\n{server.tail()}"
            late = time.monotonic() > deadline
            assert not late, f"not serving in {START_SECONDS} s\n{servers.tail()}"
            waiting = [server for server in waiting if not _serving(server)]
            time.sleep(0.2 if waiting else 0)
        yield servers
