"""Adding a CSV file of people to a cohort (the people import's file and checks)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_login import login_required

from trainer.auth import people_import
from trainer.auth.csv_import import COLUMNS, MAX_ROWS
from trainer.auth.policy import check
from trainer.auth.services import AccountError, ImportRefused
from trainer.cohorts import imports, policy
from trainer.cohorts.forms import ImportMembersForm
from trainer.cohorts.services import CohortError
from trainer.cohorts.views.common import actor, load_cohort
from trainer.extensions import db

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@login_required
def import_members(cohort_id: int):
    me = actor()
    cohort = load_cohort(cohort_id)
    check(policy.can_pick_members(me, cohort))
    form = ImportMembersForm()
    problems = None
    if form.validate_on_submit():
        upload = form.file.data
        # A large upload is spooled to a temporary file: close it now, not at collection.
        data = upload.read(MAX_IMPORT_BYTES + 1)
        try:
            if len(data) > MAX_IMPORT_BYTES:
                raise CohortError(_("The file is larger than 5 MB."))
            outcome = imports.import_members(
                me,
                cohort,
                data,
                filename=upload.filename or "",
                create_missing=bool(form.create_missing.data),
            )
        except ImportRefused as refused:
            db.session.rollback()
            problems = refused.problems
        except (CohortError, AccountError) as error:
            db.session.rollback()
            form.file.errors = [*form.file.errors, str(error)]
        else:
            db.session.commit()
            message = ngettext(
                "%(num)d participant added to the cohort.",
                "%(num)d participants added to the cohort.",
                len(outcome.added),
            )
            if not outcome.links:
                flash(message, "success")
                return redirect(url_for("cohorts.members", cohort_id=cohort.id))
            # Rendered, not redirected: this response is the one chance to hand the links over.
            return render_template(
                "cohorts/import_done.html",
                cohort=cohort,
                message=message,
                count=len(outcome.created),
                links_href=people_import.links_data_uri(outcome.links),
            )
    return render_template(
        "cohorts/import.html",
        cohort=cohort,
        form=form,
        problems=problems,
        columns=COLUMNS,
        max_rows=format_number(MAX_ROWS),
        scope=imports.import_scope(me, cohort),
    )
