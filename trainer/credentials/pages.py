"""The credential's lines on the certificate pages (``trainer.certificates.extras``)."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from trainer.credentials import services


def certificate_lines(certificate, place: str) -> Markup | str:
    if certificate.is_revoked:
        return ""
    credential = services.current_credential(certificate.id)
    if credential is None:
        return ""
    html = render_template(f"credentials/_{place}.html", certificate=certificate)
    return Markup(html)  # noqa: S704  (a template's output, escaped by Jinja)
