"""Signed credentials: each certificate also as an Open Badges 3.0 ``OpenBadgeCredential``
(a VC-JWT), revoked through a W3C Bitstring Status List, verifiable without the app
(``python -m trainer.credentials.verify``).

Stands on certificates and hears from them through ``trainer.certificates.signals``;
certificates never import it. ``init_app`` (called from create_app's register_signals)
connects the handlers and adds the credential's lines to the certificate pages.

Nothing at import time needs Flask: the standalone verifier lives in this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from trainer.certificates import extras
    from trainer.certificates.signals import (
        certificate_reissued,
        certificate_revoked,
        certificates_issued,
    )
    from trainer.credentials import pages, services

    certificates_issued.connect(services.on_certificates_issued)
    certificate_revoked.connect(services.on_certificate_revoked)
    certificate_reissued.connect(services.on_certificate_reissued)
    extras.register(app, pages.certificate_lines)
