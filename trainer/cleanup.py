"""Daily housekeeping, run by the worker's scheduler (and by ``flask --app wsgi cleanup``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Cleaned:
    counters: int
    links: int
    logins: int
    attempts: int


def run(days: int = 30) -> Cleaned:
    """Delete finished log-in counters, old set-password links and expired log-ins, and
    store as closed the quiz attempts whose time is up. Flushes; the caller commits."""
    from trainer.auth.logins import prune
    from trainer.auth.services import prune_password_tokens
    from trainer.auth.throttle import prune_database
    from trainer.learning.attempts import close_overdue

    return Cleaned(
        counters=prune_database(),
        links=prune_password_tokens(days),
        logins=prune(),
        attempts=close_overdue(),
    )
