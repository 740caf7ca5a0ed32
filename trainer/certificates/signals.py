"""Signals other domains subscribe to; certificates never import their subscribers.

Each is sent *inside* the transaction that changed the certificates, after the rows are
flushed: a subscriber (the signed credentials) writes its own rows in the same session, so
they are committed, or rolled back, with the certificate. Subscribers flush, never commit.

- ``certificates_issued``: sender None, ``ids=`` the ids of the certificates just issued
  (one or a thousand at once: the bulk issue of ``take_snapshots`` sends them together).
  It may be sent from a ``before_flush`` hook: subscribers use plain SQL statements, never
  pending ORM objects.
- ``certificate_revoked``: sender the certificate, just revoked.
- ``certificate_reissued``: sender the certificate, just reissued with the holder's name
  and institution as they stand now.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

certificates_issued = _signals.signal("certificates-issued")
certificate_revoked = _signals.signal("certificate-revoked")
certificate_reissued = _signals.signal("certificate-reissued")
