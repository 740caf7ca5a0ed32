"""Forms for logging in and managing one's own password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from trainer.auth.passwords import MIN_PASSWORD_LENGTH
from trainer.forms import Form


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class LogoutForm(Form):
    submit = SubmitField(_l("Log out"))


def _new_password_fields():
    return (
        PasswordField(
            _l("New password"),
            validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
            description=lazy_ngettext(
                "At least %(num)d character.", "At least %(num)d characters.", MIN_PASSWORD_LENGTH
            ),
        ),
        PasswordField(
            _l("Repeat the new password"),
            validators=[DataRequired(), EqualTo("password", _l("The two passwords do not match."))],
        ),
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change password"))


class SetPasswordForm(Form):
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Set password"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))
