"""Mails and background work: the outbox, the task queue (huey) and its periodic tasks.

Every mail is an ``outbox`` row written in the transaction of the change that causes it
and queued after the commit (trainer.notifications.outbox); a worker sends it
(``sending``), a periodic sweeper queues what was missed. Nothing below imports this
package: it hears from the other domains through their signals, connected in ``init_app``
(called from create_app's register_signals).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainer.auth.signals import password_reset_requested
    from trainer.certificates.signals import certificates_issued
    from trainer.cohorts.signals import member_added, session_changed
    from trainer.notifications import handlers
    from trainer.notifications.outbox import init_events

    password_reset_requested.connect(handlers.on_password_reset_requested)
    certificates_issued.connect(handlers.on_certificates_issued)
    member_added.connect(handlers.on_member_added)
    session_changed.connect(handlers.on_session_changed)
    # After certificates.init_app: its before_flush hook (the bulk issue, which sends
    # certificates_issued) runs before the outbox's, which inserts the mails it wrote.
    init_events()
