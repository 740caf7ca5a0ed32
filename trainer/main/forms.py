"""The language picker."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired

from trainer.forms import Form
from trainer.languages import LANGUAGE_NAMES


class LanguageForm(Form):
    language = SelectField(
        _l("Language"),
        choices=dict(LANGUAGE_NAMES),
        validators=[DataRequired()],
    )
    next = HiddenField()
    submit = SubmitField(_l("Change"))
