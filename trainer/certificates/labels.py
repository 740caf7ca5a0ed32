"""Words for what the audit log records about certificates, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def action_names() -> dict[str, str]:
    return {
        "certificate.issue": _l("Certificate issued by hand"),
        "certificate.issue_automatic": _l("Certificate issued automatically"),
        "certificate.revoke": _l("Certificate revoked"),
        "certificate.reissue": _l("Certificate reissued"),
    }


def field_names() -> dict[str, str]:
    return {
        "code": _l("Code"),
        "course": _l("Course"),
        "reason": _l("Reason"),
        "trigger": _l("Why"),
        "holder_name": _l("Name on the certificate"),
        "institution_name": _l("Institution on the certificate"),
    }


def trigger_names() -> dict[str, str]:
    """Why a certificate was issued automatically (the audit log's ``trigger``)."""
    return {
        "rules_met": _l("The completion rules were met"),
        "cohort_closed": _l("The cohort was closed with the attendance required"),
        "backfill": _l("Issued for a completion from before certificates existed"),
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
