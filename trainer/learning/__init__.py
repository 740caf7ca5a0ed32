"""Enrolments, progress and quiz attempts; ``init_app`` connects learning to the signals of
the domains below it (called from create_app's register_signals)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainer.courses.signals import version_created
    from trainer.learning.judging import judge_new_version

    # Cohorts, when they exist, connect attendance recorded and membership changed here too.
    version_created.connect(judge_new_version)
