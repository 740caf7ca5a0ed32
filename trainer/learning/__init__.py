"""Enrolments, progress and quiz attempts; ``init_app`` connects learning to the signals of
the domains below it (called from create_app's register_signals)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainer.cohorts.signals import (
        attendance_recorded,
        member_added,
        member_left,
        session_changed,
    )
    from trainer.courses.signals import version_created
    from trainer.learning import attendance
    from trainer.learning.judging import add_attendance_source, judge_new_version

    version_created.connect(judge_new_version)
    add_attendance_source(attendance.attendance_source)
    member_added.connect(attendance.enrol_member)
    member_left.connect(attendance.judge_member)
    attendance_recorded.connect(attendance.judge_attendance)
    session_changed.connect(attendance.judge_cohort)
