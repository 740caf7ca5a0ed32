"""The reports' filters, read from the query string: course family, cohort, institution and
enrolment dates, each checked against what the actor may see.

A value that does not read (a date that is not one, a cohort that is not a number, a course
not in the list) gives the form back with a message on its field and status 400; a cohort or
institution the actor may not report on is refused (403), so B's coordinator never sees A's
figures by editing the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, StringField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import DateInput

from trainer.auth.models import Institution, User
from trainer.auth.policy import (
    is_admin,
    is_coordinator,
    is_programme_coordinator,
    is_trainer,
    scope_institutions,
    sees_every_institution,
)
from trainer.cohorts.models import Cohort
from trainer.cohorts.policy import trained_cohort_ids
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.forms import Form
from trainer.reports.scope import ReportFilter

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def can_see_reports(actor: User) -> bool:
    """The dashboard and item analysis: coordinators and admins for the people they see,
    trainers for the cohorts they train."""
    return is_admin(actor) or is_coordinator(actor) or is_trainer(actor)


def _iso_date(form, field) -> None:
    try:
        day = date.fromisoformat(field.data.strip())
    except ValueError:
        raise ValidationError(_("Write the date as year-month-day, e.g. 2026-03-01.")) from None
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _(
                "Give a date between %(first)s and %(last)s.",
                first=EARLIEST.isoformat(),
                last=LATEST.isoformat(),
            )
        )


class ReportForm(Form):
    class Meta:
        csrf = False

    family = SelectField(_l("Course"), validate_choice=False)
    cohort = SelectField(_l("Cohort"), validate_choice=False)
    institution = SelectField(_l("Institution"), validate_choice=False)
    enrolled_from = StringField(
        _l("Enrolled from"), widget=DateInput(), validators=[Optional(), _iso_date]
    )
    enrolled_to = StringField(
        _l("Enrolled until"), widget=DateInput(), validators=[Optional(), _iso_date]
    )


@dataclass
class Filters:
    form: ReportForm
    report: ReportFilter | None  # None when a value did not read: the page shows why
    families: dict[str, str]
    cohorts: dict[int, str]
    institutions: dict[int, str]

    @property
    def has_errors(self) -> bool:
        return any(field.errors for field in self.form)

    @property
    def picks_institution(self) -> bool:
        return len(self.institutions) > 1

    def args(self) -> dict[str, str]:
        """The filter as query-string arguments, for links to exports and other pages."""
        report = self.report
        if report is None:
            return {}
        found = {"family": report.family}
        for name, value in (
            ("cohort", report.cohort_id),
            ("institution", report.institution_id),
            ("enrolled_from", report.enrolled_from),
            ("enrolled_to", report.enrolled_to),
        ):
            if value is not None:
                found[name] = str(value)
        return found


def read(actor: User, args: MultiDict) -> Filters:
    form = ReportForm(formdata=args)
    families = family_choices(actor)
    form.family.choices = list(families.items())
    family = (args.get("family") or "").strip() or next(iter(families), "")
    form.family.data = family
    cohorts = cohort_choices(actor, family) if family in families else {}
    form.cohort.choices = [("", _("All cohorts")), *((str(k), v) for k, v in cohorts.items())]
    institutions = institution_choices(actor)
    everyone = _("All institutions") if sees_every_institution(actor) else _("All")
    form.institution.choices = [("", everyone), *((str(k), v) for k, v in institutions.items())]
    filters = Filters(form, None, families, cohorts, institutions)
    valid = form.validate()
    if not families and not args.get("family"):
        return filters  # nothing to report on: no error, no report
    if family not in families:
        form.family.errors = [
            *form.family.errors,
            _("Pick a course from the list.") if families else _("No course to report on yet."),
        ]
        valid = False
    cohort_id = _chosen(form.cohort, cohorts, _("Pick a cohort from the list."))
    institution_id = _chosen(form.institution, institutions, _("Pick an institution."))
    if None in (cohort_id, institution_id):
        valid = False
    start, end = _day(form.enrolled_from.data), _day(form.enrolled_to.data)
    if valid and start and end and end < start:
        form.enrolled_to.errors = [_("The end date comes before the start date.")]
        valid = False
    if valid:
        filters.report = ReportFilter(
            family=family,
            cohort_id=cohort_id or None,
            institution_id=institution_id or None,
            enrolled_from=start,
            enrolled_to=end,
        )
    return filters


def _chosen(field, choices: dict[int, str], message: str) -> int | None:
    """The id picked (0 for "all"); None, with a message, when it does not read; 403 for one
    the actor may not report on."""
    raw = (field.data or "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or len(raw) > 10:
        field.errors = [*field.errors, message]
        return None
    if int(raw) not in choices:
        abort(403)
    return int(raw)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None


def family_choices(actor: User) -> dict[str, str]:
    """{family: course title} the actor may report on: every course with a version for
    coordinators and admins; the courses of the cohorts a trainer trains. One query."""
    statement = (
        select(Course.family, Course.title)
        .where(Course.current_version_id.is_not(None))
        .order_by(Course.title, Course.family, Course.language)
    )
    if is_trainer(actor):
        statement = statement.where(
            Course.family.in_(select(Cohort.family).where(Cohort.id.in_(trained_cohort_ids(actor))))
        )
    elif not (is_admin(actor) or is_coordinator(actor)):
        return {}
    found: dict[str, str] = {}
    for family, title in db.session.execute(statement):
        found.setdefault(family, title)
    return found


def cohort_choices(actor: User, family: str) -> dict[int, str]:
    """{cohort id: name} of the family's cohorts the actor may report on (one query)."""
    statement = (
        select(Cohort.id, Cohort.name)
        .where(Cohort.family == family)
        .order_by(Cohort.starts_on.desc(), Cohort.name, Cohort.id)
    )
    if is_admin(actor) or is_programme_coordinator(actor):
        pass
    elif is_coordinator(actor) and actor.institution_id is not None:
        statement = statement.where(
            Cohort.is_open_to_all | Cohort.institutions.any(Institution.id == actor.institution_id)
        )
    elif is_trainer(actor):
        statement = statement.where(Cohort.id.in_(trained_cohort_ids(actor)))
    else:
        return {}
    return {row[0]: row[1] for row in db.session.execute(statement)}


def institution_choices(actor: User) -> dict[int, str]:
    """{institution id: name} the actor sees (``auth.policy.scope_institutions``); none for
    trainers, who follow cohorts. One query."""
    if is_trainer(actor):
        return {}
    statement = scope_institutions(
        actor, select(Institution.id, Institution.name).order_by(Institution.name, Institution.id)
    )
    return {row[0]: row[1] for row in db.session.execute(statement)}
