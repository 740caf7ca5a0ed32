"""The audit log (admins): newest first, filterable by action and by who acted."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from trainer.admin import keyset, labels
from trainer.admin.common import actor, valid_filters
from trainer.admin.forms import AuditFilterForm
from trainer.admin.keyset import SortKey
from trainer.auth.audit import changes
from trainer.auth.models import AuditEntry, Role, User
from trainer.auth.policy import can_read_audit_log, check, roles_required, scope_people
from trainer.extensions import db

SYSTEM = "system"  # the actor filter's value for entries made on the command line
PER_PAGE = 50
NEWEST_FIRST = SortKey((AuditEntry.created_at, AuditEntry.id), descending=True)


@roles_required(Role.ADMIN)
def audit_log():
    check(can_read_audit_log(actor()))
    form = AuditFilterForm(formdata=request.args)
    actors = db.session.execute(
        scope_people(
            actor(),
            select(User.id, User.full_name, User.email)
            .where(User.id.in_(_actor_ids()))
            .order_by(User.full_name, User.id),
        )
    ).all()
    form.actor.choices = {
        "": _("Anyone"),
        SYSTEM: _("The command line"),
        **{str(row.id): f"{row.full_name} <{row.email}>" for row in actors},
    }
    filters = valid_filters(form)
    statement = select(AuditEntry)
    if "action" in filters:
        statement = statement.where(AuditEntry.action == filters["action"])
    if filters.get("actor") == SYSTEM:
        statement = statement.where(AuditEntry.actor_id.is_(None))
    elif "actor" in filters:
        statement = statement.where(AuditEntry.actor_id == int(filters["actor"]))
    return render_template(
        "admin/audit.html",
        form=form,
        page=keyset.paginate(statement, NEWEST_FIRST, PER_PAGE),
        filters=filters,
        changes=changes,
        actions=labels.action_names(),
        fields=labels.field_names(),
        triggers=labels.trigger_names(),
    )


def _actor_ids() -> Select:
    """The ids of everyone with an entry, read from the index on audit_entry (actor_id, ...)
    one actor at a time (a loose index scan): each step asks for the smallest actor id
    above the last, so it costs one index probe per actor however long the log is, where
    DISTINCT reads every entry."""
    actors = select(func.min(AuditEntry.actor_id).label("id")).cte("actors", recursive=True)
    following = (
        select(func.min(AuditEntry.actor_id)).where(AuditEntry.actor_id > actors.c.id)
    ).scalar_subquery()
    actors = actors.union_all(select(following).where(actors.c.id.is_not(None)))
    return select(actors.c.id).where(actors.c.id.is_not(None))
