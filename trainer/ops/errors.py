"""What the operations commands raise when they cannot do their work."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why and what to do."""
