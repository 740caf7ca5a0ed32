"""gunicorn serving the seeded database as production does, on loopback and plain HTTP.

Production settings (``TRAINER_CONFIG=production``, a random SECRET_KEY) with what plain
HTTP on 127.0.0.1 needs: cookies without the Secure flag. Two changes for the benchmark,
both printed with the figures: the verification rate limit (CERTIFICATE_LOOKUP_LIMIT) is
raised, or /verify would answer 429 after 60 lookups a minute; and the task queue is in
memory, as no worker runs (mails written meanwhile stay pending in the outbox, where the
sweeper would find them).
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

from benchkit.databases import BIN, ROOT, BenchError
from benchkit.load import WORKERS

TIMEOUT = 120
LOOKUP_LIMIT = "1000000 per minute"
SETTINGS_CHANGED = (
    f"CERTIFICATE_LOOKUP_LIMIT={LOOKUP_LIMIT!r} (production: 60 per minute)",
    "TASK_QUEUE=memory (no worker runs during the benchmark)",
    "SESSION_COOKIE_SECURE=0 (plain HTTP on 127.0.0.1)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn wsgi:app`` with WORKERS sync workers on a free port; a context manager."""

    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TRAINER_", "FLASK_", "TEST_DATABASE"))
            and key not in {"SECRET_KEY", "PUBLIC_BASE_URL", "DATABASE_URL"}
        } | {
            "TRAINER_CONFIG": "production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_hex(32),
            "PUBLIC_BASE_URL": self.base,
            "SESSION_COOKIE_SECURE": "0",
            "CERTIFICATE_LOOKUP_LIMIT": LOOKUP_LIMIT,
            "TASK_QUEUE": "memory",
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(  # noqa: S603  (our virtualenv's gunicorn, no shell)
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--timeout",
                str(TIMEOUT),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.process.returncode}")
            if self._healthy():
                return self
            time.sleep(0.25)
        self.__exit__()
        raise BenchError("gunicorn did not answer /healthz within 120 s")

    def _healthy(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def __exit__(self, *_exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (the master's children), in MB, from /proc."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        sizes = []
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sorted(sizes)
