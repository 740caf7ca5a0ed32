"""Words for what the audit log records about certificates, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def action_names() -> dict[str, str]:
    return {
        "certificate.issue": _l("Certificate issued by hand"),
        "certificate.revoke": _l("Certificate revoked"),
        "certificate.reissue": _l("Certificate reissued"),
    }


def field_names() -> dict[str, str]:
    return {
        "code": _l("Code"),
        "course": _l("Course"),
        "reason": _l("Reason"),
        "holder_name": _l("Name on the certificate"),
        "institution_name": _l("Institution on the certificate"),
    }


def status_names() -> dict[str, str]:
    return {
        "valid": _l("Valid"),
        "expired": _l("Expired"),
        "revoked": _l("Revoked"),
    }


def kind_names() -> dict[str, str]:
    return {
        "completion": _l("Certificate of completion"),
        "attendance": _l("Certificate of attendance"),
    }
