"""Signals other domains subscribe to; cohorts never imports its subscribers.

Each is sent *inside* the transaction, after the change is flushed and before the caller
commits: a subscriber (learning creating the enrolment, re-judging completion; certificates
issuing attendance certificates) adds its rows to the same session, so both are committed,
or rolled back, together. Subscribers must flush, never commit, and send no e-mail before
the commit.

- ``member_added``: sender the ``Cohort``; ``member=`` the new ``CohortMember``, ``actor=``,
  and ``moved_from=`` the membership it replaces when the participant moved (else None).
- ``member_left``: sender the ``Cohort``; ``member=`` the closed membership, ``actor=``, and
  ``moved_to=`` the new membership when the participant moved (else None).
- ``attendance_recorded``: sender the ``TrainingSession``; ``records=`` the records created
  or changed (one call per service call, however many participants), ``actor=``.
- ``session_changed``: sender the ``TrainingSession``; ``change=`` ``"rescheduled"`` (sent by
  every reschedule: its times, place or link may have changed) or ``"cancelled"`` (sent once,
  by the call that cancelled it), ``actor=``. Every member's rate may change: a cancelled
  session counts for nobody, and a moved one may now fall before or after someone joined.
- ``cohort_closed``: sender the ``Cohort``, ``actor=``; sent once, when the cohort closes.

    from trainer.cohorts.signals import member_added

    @member_added.connect
    def enrol_member(cohort, member, actor, moved_from, **extra): ...
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

member_added = _signals.signal("cohort-member-added")
member_left = _signals.signal("cohort-member-left")
attendance_recorded = _signals.signal("attendance-recorded")
session_changed = _signals.signal("training-session-changed")
cohort_closed = _signals.signal("cohort-closed")
