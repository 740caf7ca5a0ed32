"""Signals other domains subscribe to; auth never imports them.

- ``password_reset_requested``: sender the ``User`` who asked for a set-password link by
  "forgot password" (an active account, within the throttle). Sent inside the transaction,
  before the view commits; the subscriber (notifications) writes the mail to its outbox,
  and the link is made when the mail is sent. Subscribers must flush, never commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

password_reset_requested = _signals.signal("password-reset-requested")
