"""Quiz submissions under load: CLIENTS participants at a time start a post-test attempt
(a form POST with its CSRF token), open it and send answers; the answers' POST is timed.

Each participant may take the post-test three times, so each run logs in a fresh slice of
participants who have not taken it yet, PER_CLIENT per client; a run ends when they have
used their attempts or SECONDS have passed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from benchkit.load import percentile
from benchkit.targets import Learner
from benchkit.web import Browser, PageError, csrf_token, form_answers, log_in

PER_CLIENT = 3
ATTEMPTS = 3


@dataclass
class QuizStats:
    submissions: int
    errors: int
    seconds: float
    rate: float
    p50: float
    p95: float
    participants: int

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def pool_size(clients: int, runs: int) -> int:
    return clients * PER_CLIENT * runs


def run(port: int, learners: list[Learner], *, clients: int, seconds: float) -> QuizStats:
    """One run over ``learners`` (logged in first, untimed)."""
    browsers = _log_in_all(port, learners, clients)
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def client(mine: list[tuple[Browser, Learner]]) -> None:
        for browser, learner in mine:
            for _attempt in range(ATTEMPTS):
                if time.perf_counter() >= deadline:
                    return
                try:
                    elapsed = submit_once(browser, learner)
                except (OSError, PageError):
                    with lock:
                        errors[0] += 1
                    continue
                with lock:
                    samples.append(elapsed)

    pairs = list(zip(browsers, learners, strict=True))
    threads = [threading.Thread(target=client, args=(pairs[n::clients],)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return QuizStats(
        submissions=len(samples),
        errors=errors[0],
        seconds=wall,
        rate=len(samples) / wall if wall else 0.0,
        p50=percentile(samples, 50),
        p95=percentile(samples, 95),
        participants=len(learners),
    )


def submit_once(browser: Browser, learner: Learner) -> float:
    """Start an attempt, open it, send answers; the milliseconds of the answers' POST."""
    token = csrf_token(browser.page(learner.module_path))
    started = browser.post(learner.start_path, {"csrf_token": token})
    location = started.headers.get("location", "")
    if started.status != 302 or "/attempts/" not in location:
        raise PageError(f"starting the quiz: {started.status} {location}")
    attempt = "/attempts/" + location.rsplit("/attempts/", 1)[1]
    answers = form_answers(browser.page(attempt))
    if "attempt_token" not in answers:
        raise PageError(f"{attempt}: no attempt form")
    sent = browser.post(attempt, answers)
    if sent.status != 302:
        raise PageError(f"sending answers to {attempt}: {sent.status}")
    return sent.milliseconds


def _log_in_all(port: int, learners: list[Learner], clients: int) -> list[Browser]:
    browsers: list[Browser | None] = [None] * len(learners)

    def work(indexes: range) -> None:
        for n in indexes:
            browsers[n] = log_in(port, learners[n].email)

    threads = [
        threading.Thread(target=work, args=(range(k, len(learners), clients),))
        for k in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if any(browser is None for browser in browsers):
        raise PageError("some participants of the quiz pool could not log in")
    return browsers  # type: ignore[return-value]
