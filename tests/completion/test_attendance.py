"""Attendance rates: pure facts in, PRODUCT.md's two rates out; no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trainer.completion import (
    Facts,
    SessionFacts,
    attendance_rates,
    evaluate,
    rules_from_settings,
)

MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def week(n: int, status: str | None = None, *, cancelled: bool = False) -> SessionFacts:
    """The session of week ``n`` (from 0), three hours long."""
    starts = MONDAY + timedelta(weeks=n)
    return SessionFacts(starts, starts + timedelta(hours=3), cancelled, status, key=n)


def after(n: int) -> datetime:
    """A moment after week ``n``'s session ended."""
    return MONDAY + timedelta(weeks=n, hours=4)


JOINED = MONDAY - timedelta(days=7)


def test_one_session_of_four_attended_never_meets_75_percent():
    sessions = [week(0, "present"), week(1), week(2), week(3)]
    rates = attendance_rates(sessions, joined_at=JOINED, now=after(0))
    assert rates.toward_completion == 25.0
    assert rates.so_far == 100.0
    rules = rules_from_settings({"modules": [], "quizzes": "none", "attendance_percent": 75}, [])
    verdict = evaluate(rules, Facts(attendance=rates))
    assert not verdict.complete
    assert verdict.unmet[0].actual_percent == 25.0


def test_three_of_four_meets_75_percent_and_late_counts_as_attended():
    sessions = [week(0, "present"), week(1, "late"), week(2, "absent"), week(3, "present")]
    rates = attendance_rates(sessions, joined_at=JOINED, now=after(3))
    assert rates.toward_completion == 75.0
    assert rates.attended == 3
    rules = rules_from_settings({"modules": [], "quizzes": "none", "attendance_percent": 75}, [])
    assert evaluate(rules, Facts(attendance=rates)).complete


def test_excused_sessions_leave_both_denominators():
    sessions = [week(0, "present"), week(1, "excused"), week(2, "present"), week(3)]
    rates = attendance_rates(sessions, joined_at=JOINED, now=after(2))
    assert rates.excused == 1
    assert rates.toward_completion == pytest.approx(100 * 2 / 3)
    assert rates.so_far == 100.0


def test_an_ended_unmarked_session_counts_absent_and_is_reported_not_recorded():
    sessions = [week(0, "present"), week(1), week(2)]
    rates = attendance_rates(sessions, joined_at=JOINED, now=after(1))
    assert rates.not_recorded == (1,)
    assert rates.so_far == 50.0
    assert rates.toward_completion == pytest.approx(100 / 3)


def test_a_session_in_progress_counts_as_held_only_once_marked():
    sessions = [week(0, "present"), week(1)]
    during = MONDAY + timedelta(weeks=1, hours=1)
    unmarked = attendance_rates(sessions, joined_at=JOINED, now=during)
    assert (unmarked.held, unmarked.so_far, unmarked.not_recorded) == (1, 100.0, ())
    marked = attendance_rates([week(0, "present"), week(1, "late")], joined_at=JOINED, now=during)
    assert (marked.held, marked.so_far) == (2, 100.0)


def test_cancelled_sessions_count_for_nobody():
    sessions = [week(0, "present"), week(1, cancelled=True), week(2, "present")]
    rates = attendance_rates(sessions, joined_at=JOINED, now=after(2))
    assert rates.scheduled == 2
    assert rates.toward_completion == 100.0
    assert rates.not_recorded == ()


def test_a_participant_who_joined_late_is_judged_on_the_sessions_after_joining():
    sessions = [week(0), week(1), week(2, "present"), week(3, "present")]
    rates = attendance_rates(sessions, joined_at=after(1), now=after(3))
    assert rates.scheduled == 2
    assert rates.toward_completion == 100.0
    assert rates.not_recorded == ()


def test_joining_during_a_session_counts_that_session():
    sessions = [week(0, "late"), week(1)]
    rates = attendance_rates(sessions, joined_at=MONDAY + timedelta(minutes=20), now=after(1))
    assert rates.scheduled == 2
    assert rates.toward_completion == 50.0


def test_sessions_after_leaving_do_not_count():
    sessions = [week(0, "present"), week(1, "present"), week(2), week(3)]
    rates = attendance_rates(sessions, joined_at=JOINED, left_at=after(1), now=after(3))
    assert rates.scheduled == 2
    assert rates.toward_completion == 100.0


def test_no_session_to_count_gives_no_rate():
    assert attendance_rates([], joined_at=JOINED, now=after(0)).toward_completion is None
    only_excused = attendance_rates([week(0, "excused")], joined_at=JOINED, now=after(0))
    assert (only_excused.toward_completion, only_excused.so_far) == (None, None)
    nothing_held = attendance_rates([week(2)], joined_at=JOINED, now=after(0))
    assert (nothing_held.toward_completion, nothing_held.so_far) == (0.0, None)
