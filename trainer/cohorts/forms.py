"""Forms of the cohorts pages.

Choices (institutions, trainers, participants) are set by the view for each request; ids are
coerced to integers an id column can hold, so a forged value is a form error, never a 500.

The roster's radio groups are built from the roster itself, one ``status-<user id>`` per
member, and read by ``read_marks`` (like a quiz's answers); the form class carries the
anti-forgery token and the two buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SearchField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.cohorts.models import AttendanceStatus
from trainer.forms import Form
from trainer.urls import MAX_ID

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


# Cohorts are planned a few years ahead at most; the bound keeps times within what a
# datetime can hold in every time zone.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def an_id(value) -> int:
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError("not an id")
    return number


def reasonable_date(form, field) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l(
                "Enter a date between the years %(first)d and %(last)d.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (no JavaScript, easy on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CohortForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired(), reasonable_date])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired(), reasonable_date])
    timezone = StringField(
        _l("Time zone"),
        validators=[DataRequired(), Length(max=64)],
        description=_l(
            "Sessions are entered and shown in it. A name from the time zone database, "
            "e.g. America/Guayaquil."
        ),
    )
    open_to_all = BooleanField(_l("Open to every institution"))
    institutions = CheckboxesField(_l("Open to these institutions"), coerce=an_id)
    trainers = CheckboxesField(_l("Trainers"), coerce=an_id)
    submit = SubmitField(_l("Save cohort"))


class SessionForm(Form):
    day = DateField(_l("Day"), validators=[InputRequired(), reasonable_date])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    place = StringField(
        _l("Place"),
        validators=[Optional(), Length(max=300)],
        description=_l("Building and room, or leave it empty for an online session."),
    )
    online_url = URLField(
        _l("Online link"),
        validators=[Optional(), Length(max=500)],
        description=_l("The address of the video call, starting with https://."),
    )
    submit = SubmitField(_l("Save session"))


class ConfirmForm(Form):
    """A state change that cannot be undone: the first POST shows what it means, the second
    (with ``confirm``) does it."""

    confirm = BooleanField()


class MemberSearchForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Search"))


class AddMembersForm(Form):
    # Which ids may be added is the service's to decide; choices only draw the list.
    people = CheckboxesField(_l("Participants"), coerce=an_id, validate_choice=False)
    submit = SubmitField(_l("Add the chosen participants"))


class ImportMembersForm(Form):
    file = FileField(
        _l("CSV file"),
        validators=[DataRequired(_l("Choose a CSV file to upload."))],
        description=_l("UTF-8, separated by commas or semicolons, at most 5,000 people."),
    )
    create_missing = BooleanField(
        _l("Create an account, with a set-password link, for each person who has none")
    )
    submit = SubmitField(_l("Check and import"))
