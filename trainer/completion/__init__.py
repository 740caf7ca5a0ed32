"""Why a participant is, or is not yet, done with a course.

Pure: course rules and a participant's facts in, a verdict and the unmet requirements out.
Nothing here imports a domain, Flask or SQLAlchemy, so every page, the certificates and the
reports judge completion with the very same function (``evaluate``).
"""

from trainer.completion.attendance import AttendanceRates, SessionFacts, attendance_rates
from trainer.completion.rules import (
    Completion,
    Facts,
    ModuleOutline,
    Requirement,
    Rules,
    evaluate,
    rules_from_settings,
)

__all__ = [
    "AttendanceRates",
    "Completion",
    "Facts",
    "ModuleOutline",
    "Requirement",
    "Rules",
    "SessionFacts",
    "attendance_rates",
    "evaluate",
    "rules_from_settings",
]
