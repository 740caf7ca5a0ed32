"""Plain-text rules shared by routes, forms and parsers (no Flask, no database)."""

from __future__ import annotations

import re

# C0 controls, DEL and the C1 controls: never part of a name, a slug, an address or a
# redirect, and PostgreSQL refuses NUL in any text column.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None
