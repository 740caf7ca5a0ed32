"""What attendance statuses and methods are called on screens, defined once (GLOSSARY.md)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainer.cohorts.models import AttendanceMethod, AttendanceStatus


def status_names() -> dict[str, str]:
    """Each status, in the order a roster offers them."""
    return {
        AttendanceStatus.PRESENT.value: _l("Present"),
        AttendanceStatus.LATE.value: _l("Late"),
        AttendanceStatus.EXCUSED.value: _l("Excused"),
        AttendanceStatus.ABSENT.value: _l("Absent"),
    }


def method_names() -> dict[str, str]:
    """How a mark was taken, as a short phrase ("Present, on the roster")."""
    return {
        AttendanceMethod.ROSTER.value: _l("on the roster"),
        AttendanceMethod.QR.value: _l("by QR check-in"),
        AttendanceMethod.SHEET.value: _l("from the paper sheet"),
    }
