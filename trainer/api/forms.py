"""The form that names a new API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from trainer.forms import Form


class NewTokenForm(Form):
    name = StringField(
        _l("What the token is for"),
        description=_l("For example the HR system that will use it. Up to 100 characters."),
        validators=[DataRequired(), Length(max=100)],
    )
    submit = SubmitField(_l("Create a token"))
