"""Importing people from a CSV file (admins: anyone; coordinators: their participants)."""

from __future__ import annotations

from flask import render_template
from flask_babel import format_number
from flask_babel import gettext as _

from trainer.admin.common import actor, visible_institutions
from trainer.admin.forms import ImportForm
from trainer.auth import people_import, policy, services
from trainer.auth.csv_import import COLUMNS, MAX_ROWS
from trainer.auth.models import Role
from trainer.auth.policy import check, roles_required
from trainer.extensions import db

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@roles_required(Role.COORDINATOR, Role.ADMIN)
def import_people():
    me = actor()
    check(policy.can_list_people(me))
    form = ImportForm()
    problems = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_IMPORT_BYTES + 1)
        try:
            if len(data) > MAX_IMPORT_BYTES:
                raise services.AccountError(_("The file is larger than 5 MB."), "file")
            outcome = people_import.import_users(me, data, filename=upload.filename or "")
        except services.ImportRefused as refused:
            problems = refused.problems
        except services.AccountError as error:
            form.file.errors = [*form.file.errors, str(error)]
        else:
            db.session.commit()
            # Rendered, not redirected: only hashes of the links are kept, so this response is
            # the one chance to hand them over, and thousands do not fit in a session cookie.
            return render_template(
                "admin/import_done.html",
                count=len(outcome.users),
                links_href=people_import.links_data_uri(outcome.links),
            )
    return render_template(
        "admin/import.html",
        form=form,
        problems=problems,
        columns=COLUMNS,
        max_rows=format_number(MAX_ROWS),
        scope=people_import.import_scope(me),
        institutions=visible_institutions(me, active_only=True),
    )
