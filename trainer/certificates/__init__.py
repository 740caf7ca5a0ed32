"""Certificates of completion and of attendance: issued by the action that earns them,
verified publicly by code. ``init_app`` connects them to the signals of the domains below
(called from create_app's register_signals); nothing below ever imports certificates."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from trainer.certificates import extras
    from trainer.certificates.attendance import on_cohort_closed
    from trainer.certificates.services import on_enrolment_completed, take_snapshots
    from trainer.cohorts.signals import cohort_closed
    from trainer.learning.signals import enrolment_completed

    enrolment_completed.connect(on_enrolment_completed)
    app.add_template_global(extras.render, "certificate_extras")
    cohort_closed.connect(on_cohort_closed)
    # Completion certificates are queued by the signal and completed in bulk as the
    # session flushes (every session: the app's, the command line's, the tests').
    if not event.contains(Session, "before_flush", take_snapshots):
        event.listen(Session, "before_flush", take_snapshots)
