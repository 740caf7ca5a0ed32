"""Words for the statuses the reports show, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def session_statuses() -> dict[str, str]:
    return {
        "present": _l("Present"),
        "late": _l("Late"),
        "excused": _l("Excused"),
        "absent": _l("Absent"),
        "not-recorded": _l("not recorded (counts as absent)"),
        "upcoming": _l("still to come"),
        "cancelled": _l("cancelled"),
    }


def certificate_kinds() -> dict[str, str]:
    return {"completion": _l("of completion"), "attendance": _l("of attendance")}
