"""Signals other domains subscribe to; learning never imports them.

``enrolment_completed`` is sent once per enrolment, the first time the course's completion
rules are met, by the action that met them (a module completed, an attempt submitted, the
language switched, a new course version: see trainer.learning.judging), never by a page.
The request whose conditional UPDATE set ``Enrolment.completed_at`` sends it (two requests
completing the course at once announce it once). It is sent *inside* the
transaction, before the view commits: a subscriber (certificates) adds its rows to the same
session, so the certificate and the completion are committed, or rolled back, together.
Subscribers receive the enrolment as sender and ``completion=`` the
``trainer.completion.Completion`` verdict; they must flush, never commit, and send no e-mail
before the commit.

    from trainer.learning.signals import enrolment_completed

    @enrolment_completed.connect
    def issue_certificate(enrolment, completion, **extra): ...
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

enrolment_completed = _signals.signal("enrolment-completed")
