"""W3C Bitstring Status List v1.0: the list's bits, encoded and decoded. Pure, and free of
Flask and of the app, so the standalone verifier uses it too.

Index 0 is the left-most bit of the first byte. ``encodedList`` is the Multibase base64url
(prefix "u", no padding) of the GZIP-compressed bitstring, which is at least 131,072 bits.
"""

from __future__ import annotations

import base64
import gzip
import io
from collections.abc import Iterable

MIN_BITS = 131_072


class BitstringError(ValueError):
    pass


def encode(set_indexes: Iterable[int], size: int = MIN_BITS) -> str:
    if size < MIN_BITS or size % 8:
        raise BitstringError(f"a status list has at least {MIN_BITS} bits, in whole bytes")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise BitstringError(f"index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same text.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded_list: str, *, max_bytes: int = 16 * 1024 * 1024) -> bytes:
    """The uncompressed bitstring; refuses what is not Multibase base64url GZIP, or what
    inflates past ``max_bytes`` (a list from the network is not trusted)."""
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise BitstringError("encodedList is not Multibase base64url (it must start with 'u')")
    text = encoded_list[1:]
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise BitstringError("encodedList is not base64url") from None
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as file:
            data = file.read(max_bytes + 1)
    except (OSError, EOFError):
        raise BitstringError("encodedList is not GZIP-compressed") from None
    if len(data) > max_bytes:
        raise BitstringError("encodedList is too large")
    if len(data) * 8 < MIN_BITS:
        raise BitstringError(f"the status list is shorter than {MIN_BITS} bits")
    return data


def is_set(bitstring: bytes, index: int) -> bool:
    if not 0 <= index < len(bitstring) * 8:
        raise BitstringError(f"index {index} is outside the list")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))
