"""Certificates of completion and of attendance: issued by the action that earns them,
verified publicly by code. ``init_app`` connects them to the signals of the domains below
(called from create_app's register_signals); nothing below ever imports certificates."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainer.certificates.attendance import on_cohort_closed
    from trainer.certificates.services import on_enrolment_completed
    from trainer.cohorts.signals import cohort_closed
    from trainer.learning.signals import enrolment_completed

    enrolment_completed.connect(on_enrolment_completed)
    cohort_closed.connect(on_cohort_closed)
