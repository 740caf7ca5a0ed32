"""What authoring services raise when a change cannot be made; views show the message."""

from __future__ import annotations

from flask_babel import gettext as _


class AuthoringError(ValueError):
    """The change cannot be made; the message says why and what to do.

    `field` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class EditConflict(AuthoringError):
    """The text changed since the editor loaded it; `current` is what is saved now."""

    def __init__(self, current: str) -> None:
        super().__init__(
            _(
                "Somebody saved this text after you opened it, so your version was not saved. "
                "Compare the two below, merge your changes into the saved text, and save again."
            )
        )
        self.current = current
