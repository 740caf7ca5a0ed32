"""Certificate codes: random, short enough to read aloud, hard to guess.

16 characters from a 32-letter alphabet without 0, O, 1 and I (which people mix up when
reading or typing), so 80 bits from ``secrets``, shown in four groups of four:
``7KQM-T2XW-9HPD-C4RN``. People may type them in lower case, with spaces or without dashes.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
GROUPS, GROUP_SIZE = 4, 4
LENGTH = GROUPS * GROUP_SIZE
BITS = LENGTH * (len(ALPHABET).bit_length() - 1)  # 80
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.]+")


def new_code() -> str:
    """A fresh random code, grouped: XXXX-XXXX-XXXX-XXXX."""
    return group("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def group(characters: str) -> str:
    return "-".join(characters[i : i + GROUP_SIZE] for i in range(0, len(characters), GROUP_SIZE))


def normalise(text: str | None) -> str | None:
    """The code as stored, from what someone typed; None when it cannot be a code.

    Case, spaces and dashes do not matter. A string of the wrong length or with a character
    outside the alphabet is no code, and is answered without touching the database.
    """
    if not text or len(text) > 64:
        return None
    characters = _SEPARATORS.sub("", text).upper()
    if len(characters) != LENGTH or any(c not in ALPHABET for c in characters):
        return None
    return group(characters)
