"""The audit log (admins): newest first, filterable by action and by who acted."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from trainer.admin import labels
from trainer.admin.common import actor, paginate, valid_filters
from trainer.admin.forms import AuditFilterForm
from trainer.auth.audit import changes
from trainer.auth.models import AuditEntry, Role, User
from trainer.auth.policy import can_read_audit_log, check, roles_required, scope_people
from trainer.extensions import db

SYSTEM = "system"  # the actor filter's value for entries made on the command line


@roles_required(Role.ADMIN)
def audit_log():
    check(can_read_audit_log(actor()))
    form = AuditFilterForm(formdata=request.args)
    actors = db.session.execute(
        scope_people(
            actor(),
            select(User.id, User.full_name, User.email)
            .where(User.id.in_(select(AuditEntry.actor_id).distinct()))
            .order_by(User.full_name),
        )
    ).all()
    form.actor.choices = {
        "": _("Anyone"),
        SYSTEM: _("The command line"),
        **{str(row.id): f"{row.full_name} <{row.email}>" for row in actors},
    }
    filters = valid_filters(form)
    statement = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if "action" in filters:
        statement = statement.where(AuditEntry.action == filters["action"])
    if filters.get("actor") == SYSTEM:
        statement = statement.where(AuditEntry.actor_id.is_(None))
    elif "actor" in filters:
        statement = statement.where(AuditEntry.actor_id == int(filters["actor"]))
    return render_template(
        "admin/audit.html",
        form=form,
        page=paginate(statement, per_page=50),
        filters=filters,
        changes=changes,
        actions=labels.action_names(),
        fields=labels.field_names(),
        triggers=labels.trigger_names(),
    )
