"""Programme settings (admins) and the programme's logo (public)."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import undefer

from trainer.admin.common import actor, show_error
from trainer.admin.forms import SettingsForm
from trainer.auth import programme, services
from trainer.auth.models import Role
from trainer.auth.policy import can_edit_programme_settings, check, roles_required
from trainer.extensions import db
from trainer.storage.models import StoredFile


@roles_required(Role.ADMIN)
def programme_settings():
    settings = services.programme_settings()
    check(can_edit_programme_settings(actor()))
    signatories = list(settings.signatories or [])
    form = SettingsForm(
        data={
            "programme_name": settings.programme_name,
            "default_timezone": settings.default_timezone,
            "inactive_after_days": settings.inactive_after_days,
            "signatories": signatories + [{}] * (programme.MAX_SIGNATORIES - len(signatories)),
        }
    )
    if form.validate_on_submit():
        try:
            programme.update_programme_settings(
                actor(),
                programme_name=form.programme_name.data,
                default_timezone=form.default_timezone.data,
                signatories=form.signatories.data,
                inactive_after_days=form.inactive_after_days.data,
                logo=_uploaded_logo(form),
                remove_logo=form.remove_logo.data,
            )
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Programme settings saved."), "success")
            return redirect(url_for("admin.programme_settings"))
    return render_template("admin/settings.html", form=form, settings=settings)


def _uploaded_logo(form: SettingsForm) -> programme.Logo | None:
    upload = form.logo.data
    if not upload:
        return None
    # One byte more than allowed is enough to tell that the file is too large.
    data = upload.read(programme.MAX_LOGO_BYTES + 1)
    return programme.Logo(upload.filename or "", data)


def logo():
    """The logo, for the page header. Its address carries the file's id, so a new logo gets a
    new address and the old one can be cached for long."""
    settings = services.programme_settings()
    if settings.logo_file_id is None:
        abort(404)
    stored = db.session.scalar(
        select(StoredFile)
        .options(undefer(StoredFile.data))
        .where(StoredFile.id == settings.logo_file_id)
    )
    if stored is None or programme.logo_content_type(stored.data) is None:
        abort(404)
    response = make_response(stored.data)
    response.headers["Content-Type"] = stored.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.set_etag(stored.sha256)
    if request.args.get("v") == str(stored.id):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response.make_conditional(request)
