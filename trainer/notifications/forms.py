"""Forms for choosing one's mails."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField

from trainer.forms import Form


class PreferencesForm(Form):
    reminders = BooleanField(
        _l("Session reminders and changes, cohort invitations and reminders to continue a course")
    )
    digests = BooleanField(_l("The weekly digest of my institution (coordinators)"))
    submit = SubmitField(_l("Save"))


class UnsubscribeForm(Form):
    submit = SubmitField(_l("Unsubscribe"))


class RetryForm(Form):
    submit = SubmitField(_l("Retry"))
