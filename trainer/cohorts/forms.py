"""Forms of the cohorts pages.

The roster's radio groups are built from the roster itself, one ``status-<user id>`` per
member, and read by ``read_marks`` (like a quiz's answers); the form class carries the
anti-forgery token and the two buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from trainer.cohorts.models import AttendanceStatus
from trainer.forms import Form

STATUSES = frozenset(status.value for status in AttendanceStatus)
# Room for every member of a large cohort, one line each, with long names.
MAX_SHEET_TEXT = 100_000


class RosterForm(Form):
    save = SubmitField(_l("Save attendance"))
    mark_all = SubmitField(_l("Mark all present"))


class CheckInForm(Form):
    # The signed ticket the scanned code was exchanged for; checked by the service.
    ticket = HiddenField()
    submit = SubmitField(_l("Check in"))


class PaperSheetForm(Form):
    results = TextAreaField(
        _l("Results from the paper sheet"),
        validators=[
            DataRequired(_l("Type at least one line: who, then their status.")),
            Length(max=MAX_SHEET_TEXT),
        ],
        render_kw={"rows": 12, "autocomplete": "off", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Check and record"))


def status_field(user_id: int) -> str:
    return f"status-{user_id}"


def shown_field(user_id: int) -> str:
    return f"shown-{user_id}"


@dataclass
class PostedMarks:
    """What a roster form sent: the status chosen for each member and the one the page
    showed them with (both only when valid), and a message per member whose value is not a
    status."""

    chosen: dict[int, str] = field(default_factory=dict)
    shown: dict[int, str] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


def read_marks(formdata: MultiDict, user_ids: list[int]) -> PostedMarks:
    """The roster's radio groups of ``user_ids``; fields of anyone else are ignored."""
    posted = PostedMarks()
    for user_id in user_ids:
        chosen = formdata.get(status_field(user_id), "")
        if chosen in STATUSES:
            posted.chosen[user_id] = chosen
        elif chosen:
            posted.errors[user_id] = _("Choose present, late, excused or absent.")
        # A hidden field the page wrote; anything else in it was not written by the page.
        shown = formdata.get(shown_field(user_id), "")
        if shown in STATUSES:
            posted.shown[user_id] = shown
    return posted
