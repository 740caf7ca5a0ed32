"""Lines other domains add to a certificate's pages, without certificates importing them.

A domain standing on certificates (the signed credentials) registers a function in its
``init_app``; the pages call ``certificate_extras(certificate, place)`` and show what the
registered functions return (markup, or an empty string), in the order registered.
``place`` says which page asks: "mine" (My certificates) or "verify" (the public page).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from markupsafe import Markup, escape

KEY = "certificate_extras"


def register(app: Flask, provider: Callable[[object, str], str]) -> None:
    app.extensions.setdefault(KEY, []).append(provider)


def render(certificate, place: str) -> Markup:
    parts = [provider(certificate, place) for provider in current_app.extensions.get(KEY, [])]
    # Plain strings are escaped: only a template's own markup goes through as is.
    return Markup("").join(escape(part) for part in parts if part)
