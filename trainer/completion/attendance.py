"""A participant's attendance rates in one cohort, from plain facts (PRODUCT.md's definitions).

- **Toward completion**: (present + late) / (every scheduled, not cancelled session − excused).
  It counts the sessions still to come, so attending the first of four sessions is 25 %,
  never the 100 % that would meet a 75 % rule.
- **So far** (dashboards, progress): the same over the sessions already held.

Both count only the sessions of the participant's membership: those that end after they
joined and, once they left or moved, those that started before they left. A session that
ended without a mark counts as absent and is reported in ``not_recorded``, so trainers see
it as "not recorded" until they mark it. A session in progress counts as held once marked.

A rate is ``None`` when no session counts yet (no sessions, or all of them excused); an
attendance requirement is not met by it (``trainer.completion.rules``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

PRESENT = "present"
LATE = "late"
EXCUSED = "excused"
ABSENT = "absent"
ATTENDED = frozenset({PRESENT, LATE})


@dataclass(frozen=True)
class SessionFacts:
    """One session of the cohort and the participant's mark at it, if any."""

    starts_at: datetime
    ends_at: datetime
    cancelled: bool = False
    status: str | None = None  # present, late, excused, absent; None when unmarked
    key: Hashable = None  # how the caller names the session (its id), echoed in not_recorded


@dataclass(frozen=True)
class AttendanceRates:
    toward_completion: float | None  # percent
    so_far: float | None  # percent
    attended: int  # present or late, over the counted sessions
    excused: int
    scheduled: int  # counted sessions: not cancelled, within the membership
    held: int  # counted sessions already held (ended, or marked while in progress)
    not_recorded: tuple[Hashable, ...]  # keys of ended sessions left unmarked

    @property
    def expected(self) -> int:
        """The sessions the rate toward completion is over: scheduled, less the excused."""
        return self.scheduled - self.excused


def _percent(attended: int, denominator: int) -> float | None:
    return None if denominator <= 0 else 100.0 * attended / denominator


def attendance_rates(
    sessions: Iterable[SessionFacts],
    *,
    joined_at: datetime,
    left_at: datetime | None = None,
    now: datetime,
) -> AttendanceRates:
    """The participant's rates over the sessions of one membership, as of ``now``."""
    scheduled = held = attended = excused = 0
    not_recorded: list[Hashable] = []
    for session in sorted(sessions, key=lambda s: s.starts_at):
        if session.cancelled or session.ends_at <= joined_at:
            continue
        if left_at is not None and session.starts_at >= left_at:
            continue
        scheduled += 1
        is_held = session.ends_at <= now or session.status is not None
        if is_held:
            held += 1
        if session.status in ATTENDED:
            attended += 1
        elif session.status == EXCUSED:
            excused += 1  # marked, so held too
        elif session.status is None and session.ends_at <= now:
            not_recorded.append(session.key)
    return AttendanceRates(
        toward_completion=_percent(attended, scheduled - excused),
        so_far=_percent(attended, held - excused),
        attended=attended,
        excused=excused,
        scheduled=scheduled,
        held=held,
        not_recorded=tuple(not_recorded),
    )
