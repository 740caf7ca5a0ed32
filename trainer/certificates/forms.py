"""Forms: looking a code up, finding people, and the reason every coordinator action needs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from trainer.forms import Form

MAX_CODE_INPUT = 64


class VerifyForm(Form):
    """A GET form: anybody may look a code up, with no session and so no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Certificate code"),
        description=_l("As printed on the certificate, e.g. 7KQM-T2XW-9HPD-C4RN."),
        validators=[DataRequired(), Length(max=MAX_CODE_INPUT)],
    )
    submit = SubmitField(_l("Verify"))


class FindForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Search"))


class ReasonForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Kept in the audit log with your name and the date."),
        validators=[DataRequired(), Length(max=1000)],
    )


class IssueForm(ReasonForm):
    submit = SubmitField(_l("Issue the certificate"))


class RevokeForm(ReasonForm):
    submit = SubmitField(_l("Revoke the certificate"))


class ReissueForm(ReasonForm):
    submit = SubmitField(_l("Reissue with the current name"))
