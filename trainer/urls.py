"""URL helpers shared by blueprints."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site: an open redirect helps phishing."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return None
    return target
