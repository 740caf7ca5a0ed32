"""The base of every form: rules for what any text or number field may hold.

Each rule is one a person can act on, and each keeps a value out that the database would
refuse with an error instead of a message (PostgreSQL refuses NUL in text, and integers past
its column range).
"""

from __future__ import annotations

import math
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms import Form as PlainForm
from wtforms.validators import NumberRange, StopValidation

from trainer.text import has_control_characters

# The range of an INTEGER column on PostgreSQL (and what SQLite stores without surprise).
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1


def _first_control_character(text: str, multiline: bool) -> tuple[int, int] | None:
    """Line and column (from 1) of the first character the field may not hold."""
    allowed = "\t\r\n" if multiline else ""
    if not has_control_characters(text.translate(str.maketrans("", "", allowed))):
        return None
    line, column = 1, 0
    for char in text:
        column += 1
        if multiline and char == "\n":
            line, column = line + 1, 0
        elif char not in allowed and has_control_characters(char):
            return line, column
    return None


def refuse_control_characters(form, field) -> None:
    value = field.data
    if not isinstance(value, str):
        return
    multiline = isinstance(field, TextAreaField)
    where = _first_control_character(value, multiline)
    if where is None:
        return
    if multiline:
        raise StopValidation(
            _l(
                "Line %(line)d, column %(column)d holds an invisible control character "
                "(such as NUL) that text cannot contain; delete it and save again.",
                line=where[0],
                column=where[1],
            )
        )
    raise StopValidation(
        _l(
            "This field holds an invisible control character (such as NUL or a line break); "
            "type the value again."
        )
    )


def refuse_non_finite_numbers(form, field) -> None:
    # NaN and infinities are no amount, and Decimal("sNaN") makes even a range check raise.
    value = field.data
    if isinstance(value, Decimal):
        finite = value.is_finite()
    elif isinstance(value, float):
        finite = math.isfinite(value)
    else:
        return
    if not finite:
        raise StopValidation(_l("Enter an ordinary number, such as 2.5."))


def _blank_if_control_characters(value):
    # Hidden fields carry what the app itself wrote (a return address, a hash): one with a
    # control character was forged, and is ignored rather than reported.
    if isinstance(value, str) and has_control_characters(value):
        return ""
    return value


class InputRules:
    """WTForms meta: adds the rules above to every field of a form as it is bound."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, HiddenField):
            field.filters = (*field.filters, _blank_if_control_characters)
        elif isinstance(field, StringField):
            field.validators = [refuse_control_characters, *field.validators]
        elif isinstance(field, DecimalField | FloatField):
            field.validators = [refuse_non_finite_numbers, *field.validators]
        elif isinstance(field, IntegerField) and not any(
            isinstance(v, NumberRange) for v in field.validators
        ):
            field.validators = [*field.validators, NumberRange(INTEGER_MIN, INTEGER_MAX)]
        return field


class Form(FlaskForm):
    """Every page form: CSRF (from Flask-WTF) and the input rules."""

    class Meta(InputRules):
        pass


class SubForm(PlainForm):
    """A form nested in another (FormField): the input rules without a CSRF token of its own."""

    class Meta(InputRules):
        pass
