"""Forms of the course editor. CSRF tokens are checked by every form as usual."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from trainer.forms import Form
from trainer.i18n import module_kind_names
from trainer.languages import LANGUAGE_NAMES


def _languages() -> dict[str, str]:
    return dict(LANGUAGE_NAMES)


def _kinds() -> dict[str, str]:
    # Plain strings, translated when the form is made: WTForms wants str labels.
    return {kind: str(label) for kind, label in module_kind_names().items()}


class NewCourseForm(Form):
    slug = StringField(
        _l("Slug"),
        validators=[DataRequired(), Length(max=80)],
        description=_l(
            "Part of the course's address, never changed later: lowercase letters, digits "
            "and “-”, e.g. migration-and-employment."
        ),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("One or two sentences shown in the catalogue."),
        render_kw={"rows": 3},
    )
    language = SelectField(_l("Language"), choices=_languages())
    version = StringField(
        _l("Version label"),
        default="1",
        validators=[DataRequired(), Length(max=40)],
        description=_l("Shown to participants, e.g. 2026.1."),
    )
    estimated_hours = DecimalField(
        _l("Estimated hours"), validators=[Optional(), NumberRange(min=0.1, max=1000)]
    )
    submit = SubmitField(_l("Create the course"))


class SettingsForm(Form):
    course_yml = TextAreaField(
        _l("course.yml"), validators=[DataRequired()], render_kw={"rows": 24, "spellcheck": "false"}
    )
    base_hash = HiddenField()
    save = SubmitField(_l("Save draft"))
    check = SubmitField(_l("Check without saving"))


class ModuleForm(Form):
    source = TextAreaField(
        _l("Module file"),
        validators=[DataRequired()],
        description=_l(
            "The whole file: front matter between “---” lines, the Markdown text, and the "
            "optional quiz block, as in a module file of a course folder."
        ),
        render_kw={"rows": 28, "spellcheck": "true"},
    )
    base_hash = HiddenField()
    gift = FileField(
        _l("Moodle GIFT file"),
        description=_l(
            "Its questions are added at the end of this module's quiz, together with your "
            "text above."
        ),
    )
    save = SubmitField(_l("Save draft"))
    preview = SubmitField(_l("Preview"))
    add_gift = SubmitField(_l("Add the GIFT questions"))


class NewModuleForm(Form):
    module_slug = StringField(
        _l("Slug"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lowercase letters, digits and “-”; it names the file NN-slug.md."),
    )
    module_title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=_kinds)
    minutes = IntegerField(
        _l("Minutes"), default=20, validators=[DataRequired(), NumberRange(min=1, max=10000)]
    )
    add_module = SubmitField(_l("Add the module"))


class MoveForm(Form):
    direction = HiddenField(validators=[DataRequired()])


class AssetDeleteForm(Form):
    name = HiddenField(validators=[DataRequired()])


class AssetForm(Form):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file to upload."))],
        description=_l(
            "Images, PDF and office documents up to 10 MiB. Link to it as assets/<name> "
            "in a module."
        ),
    )
    upload = SubmitField(_l("Upload"))


class ZipForm(Form):
    zip_file = FileField(
        _l("Zip of a course folder"),
        validators=[FileRequired(_l("Choose a zip file."))],
        description=_l(
            "course.yml, the NN-slug.md module files and assets/, at the top of the zip or in "
            "one folder, as an export makes them."
        ),
    )
    import_zip = SubmitField(_l("Import"))


class PublishForm(Form):
    note = TextAreaField(
        _l("What changed (optional)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    replace_newer = BooleanField(_l("Replace the newer version with this draft"))
    publish = SubmitField(_l("Publish"))


class DiscardForm(Form):
    confirm = BooleanField(_l("Yes, lose every change of the draft"), validators=[DataRequired()])
    discard = SubmitField(_l("Discard the draft"))


class DiffForm(Form):
    class Meta:
        csrf = False  # a GET form that only reads

    old = SelectField(_l("From"), validate_choice=False)
    new = SelectField(_l("To"), validate_choice=False)
