"""Forms of the administration screens.

Choices whose labels are translated are given as callables, so they are built per request in
the reader's language. Search forms are sent by GET and change nothing, so they carry no
CSRF token (it would end up in the address bar).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from trainer.admin import labels
from trainer.auth.models import MAX_INACTIVE_AFTER_DAYS
from trainer.forms import Form, SubForm
from trainer.i18n import role_names


def _translated(names):
    """Choices for a SelectField from a function returning {value: lazy label}."""
    return lambda: {value: str(label) for value, label in names().items()}


def _with_any(names, label):
    return lambda: {"": str(label), **{value: str(text) for value, text in names().items()}}


class ActionForm(Form):
    """A button that changes state (deactivate, make a link): POST with a CSRF token."""

    next = HiddenField()


class InstitutionForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Short name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l(
            "Lower-case letters, digits and hyphens, e.g. ministerio-trabajo. "
            "CSV imports name the institution by it."
        ),
    )
    country = SelectField(_l("Country"), choices=labels.country_names, default="EC")
    kind = SelectField(_l("Kind"), choices=_translated(labels.kind_names), default="other")
    submit = SubmitField(_l("Save institution"))


class _AccountFields:
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(
        _l("Language"), choices=labels.language_choices, validators=[Optional()], default=""
    )


class UserForm(_AccountFields, Form):
    """An admin's form for anyone's account. Set ``institution.choices`` before use."""

    role = SelectField(_l("Role"), choices=_translated(role_names), default="participant")
    institution = SelectField(
        _l("Institution"),
        validators=[Optional()],
        description=_l("Participants and coordinators belong to one."),
    )
    is_programme_wide = BooleanField(
        _l("Programme-wide coordinator: sees the people of every institution")
    )
    submit = SubmitField(_l("Save account"))


class ParticipantForm(_AccountFields, Form):
    """A coordinator's form for a new participant. A coordinator of one institution has no
    choice of institution: the view removes the field."""

    institution = SelectField(
        _l("Institution"), validators=[DataRequired(_l("Choose the institution."))]
    )
    submit = SubmitField(_l("Create participant"))


class ImportForm(Form):
    file = FileField(
        _l("CSV file"),
        validators=[DataRequired(_l("Choose a CSV file to upload."))],
        description=_l("UTF-8, separated by commas or semicolons, at most 5,000 people."),
    )
    submit = SubmitField(_l("Check and import"))


class SignatoryForm(SubForm):
    # Checked by the service: errors inside a FieldList would not reach the error summary.
    name = StringField(_l("Name"), render_kw={"maxlength": 200})
    role = StringField(_l("Role or title"), render_kw={"maxlength": 200})


class SettingsForm(Form):
    programme_name = StringField(_l("Programme name"), validators=[DataRequired(), Length(max=200)])
    default_timezone = StringField(
        _l("Default time zone"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("A name from the time zone database, e.g. America/Guayaquil."),
    )
    inactive_after_days = IntegerField(
        _l("Days without activity before a participant is at risk"),
        validators=[Optional(), NumberRange(min=1, max=MAX_INACTIVE_AFTER_DAYS)],
        description=_l(
            "No module viewed, quiz attempted or session attended for this many days puts an "
            "unfinished participant on the dashboard's at-risk list. Left empty, it stays as "
            "it is."
        ),
    )
    signatories = FieldList(FormField(SignatoryForm), min_entries=3, max_entries=3)
    logo = FileField(_l("New logo"), description=_l("PNG, JPEG or WebP, at most 1 MB."))
    remove_logo = BooleanField(_l("Remove the current logo"))
    submit = SubmitField(_l("Save settings"))


class UserFilterForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail"), validators=[Optional(), Length(max=200)])
    institution = SelectField(_l("Institution"), validators=[Optional()])
    role = SelectField(
        _l("Role"), choices=_with_any(role_names, _l("Any role")), validators=[Optional()]
    )
    status = SelectField(
        _l("Status"),
        choices=lambda: {
            "": str(lazy_pgettext("account status", "Active and deactivated")),
            "active": str(lazy_pgettext("account status", "Active")),
            "inactive": str(lazy_pgettext("account status", "Deactivated")),
        },
        validators=[Optional()],
    )
    submit = SubmitField(_l("Search"))


class PeopleFilterForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail"), validators=[Optional(), Length(max=200)])
    institution = SelectField(_l("Institution"), validators=[Optional()])
    submit = SubmitField(_l("Search"))


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    action = SelectField(
        _l("What"),
        choices=_with_any(labels.action_names, _l("Every action")),
        validators=[Optional()],
    )
    actor = SelectField(_l("Who"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))
