"""The audit log: who changed which account, institution or setting, and how.

``record`` adds an entry to the caller's transaction, so the entry and the change it
describes are committed, or rolled back, together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from sqlalchemy import insert

from trainer.auth.models import AuditEntry, Institution, ProgrammeSettings, User
from trainer.dbtypes import utcnow
from trainer.extensions import db

# Every action the log knows, in the order the filter offers them.
ACTIONS = (
    "institution.create",
    "institution.update",
    "institution.deactivate",
    "institution.reactivate",
    "user.create",
    "user.update",
    "user.deactivate",
    "user.reactivate",
    "user.password_link",
    "users.import",
    "settings.update",
    "certificate.issue",
    "certificate.issue_automatic",
    "certificate.revoke",
    "certificate.reissue",
    "api_token.create",
    "api_token.revoke",
)

# Never written to the log, whatever a caller passes.
SECRET_FIELDS = frozenset({"password", "password_hash", "token", "token_hash"})

USER_FIELDS = (
    "email",
    "full_name",
    "role",
    "institution",
    "is_programme_wide",
    "language",
    "is_active",
)
INSTITUTION_FIELDS = ("name", "slug", "country", "kind", "is_active")


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def user_snapshot(user: User) -> dict:
    """The fields of an account worth auditing; the institution by its slug."""
    values = {name: getattr(user, name) for name in USER_FIELDS if name != "institution"}
    values["institution"] = user.institution.slug if user.institution else None
    return values


def institution_snapshot(institution: Institution) -> dict:
    return {name: getattr(institution, name) for name in INSTITUTION_FIELDS}


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the fields whose value differs, on both sides."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    keys += [key for key in before if key not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    actor: User | None,
    action: str,
    target: User | Institution | ProgrammeSettings | None,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    *,
    institution_id: int | None = None,
) -> AuditEntry:
    """Add one entry (flushed, not committed). ``actor`` None means the command line."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if institution_id is None:
        institution_id = _institution_of(target)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=_target_type(target, action),
        target_id=getattr(target, "id", None),
        institution_id=institution_id,
        before=_clean(before),
        after=_clean(after),
        remote_addr=request.remote_addr if has_request_context() else None,
        summary=summary,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def record_many(actor: User | None, action: str, target_type: str, entries: Iterable[dict]) -> None:
    """Add many entries of one action in one INSERT, not flushed one by one: for actions that
    happen in bulk (certificates issued to a whole cohort or course version at once). Each
    of ``entries`` gives ``target_id``, ``institution_id``, ``after`` and ``summary``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    address = request.remote_addr if has_request_context() else None
    rows = [
        {
            "created_at": utcnow(),
            "actor_id": actor.id if actor is not None else None,
            "action": action,
            "target_type": target_type,
            "target_id": entry["target_id"],
            "institution_id": entry.get("institution_id"),
            "before": None,
            "after": _clean(entry.get("after")),
            "remote_addr": address,
            "summary": entry.get("summary", ""),
        }
        for entry in entries
    ]
    if rows:
        db.session.execute(insert(AuditEntry.__table__), rows)


def changes(entry: AuditEntry) -> list[Change]:
    """The entry's changed fields, in a stable order, for display."""
    before, after = entry.before or {}, entry.after or {}
    fields: Iterable[str] = dict.fromkeys([*before, *after])
    return [Change(name, before.get(name), after.get(name)) for name in fields]


def _clean(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {key: value for key, value in values.items() if key not in SECRET_FIELDS}


def _target_type(target: object | None, action: str) -> str:
    if target is None:
        return action.partition(".")[0]
    return target.__tablename__  # type: ignore[attr-defined]


def _institution_of(target: object | None) -> int | None:
    if isinstance(target, Institution):
        return target.id
    if isinstance(target, User):
        return target.institution_id
    return None
