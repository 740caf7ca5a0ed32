"""Who may do what: small policy functions, and decorators that apply them.

Views load the object, then ask a ``can_*`` function, then act. Every function takes the
actor explicitly so services, the CLI and tests share them. Lists go through one scope
helper per kind of list (``scope_people``, ``scope_institutions``), which agree with the
per-record checks (``can_see_person``, ``can_see_institution``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false

from trainer.auth.models import Institution, Role, User


def is_admin(actor: User) -> bool:
    return actor.is_authenticated and actor.role == Role.ADMIN.value


def is_coordinator(actor: User) -> bool:
    return actor.is_authenticated and actor.role == Role.COORDINATOR.value


def is_programme_coordinator(actor: User) -> bool:
    return is_coordinator(actor) and actor.is_programme_wide


def is_trainer(actor: User) -> bool:
    return actor.is_authenticated and actor.role == Role.TRAINER.value


def sees_every_institution(actor: User) -> bool:
    """Admins and programme coordinators."""
    return is_admin(actor) or is_programme_coordinator(actor)


def can_see_institution(actor: User, institution_id: int | None) -> bool:
    """Admins and programme coordinators see every institution; a coordinator sees theirs."""
    if sees_every_institution(actor):
        return True
    return (
        is_coordinator(actor)
        and institution_id is not None
        and actor.institution_id == institution_id
    )


def can_manage_accounts(actor: User) -> bool:
    """Create, edit and deactivate any user or institution: admins only."""
    return is_admin(actor)


def can_manage_participant(actor: User, person: User) -> bool:
    """Admins manage anyone; coordinators manage participants of institutions they see."""
    if is_admin(actor):
        return True
    return (
        is_coordinator(actor)
        and person.role == Role.PARTICIPANT.value
        and can_see_institution(actor, person.institution_id)
    )


def can_see_person(actor: User, person: User) -> bool:
    """Admins see everyone; coordinators see the people of institutions they see."""
    if is_admin(actor):
        return True
    return person.institution_id is not None and can_see_institution(actor, person.institution_id)


def can_list_people(actor: User) -> bool:
    return is_admin(actor) or is_coordinator(actor)


def scope_people(actor: User, statement: Select) -> Select:
    """``statement`` (over ``User``) narrowed to the people ``actor`` may see: the one rule
    behind every list, search and export of people.

    Admins see everyone; a programme coordinator the people of every institution; a
    coordinator the people of their own institution; anyone else nobody. It agrees with
    ``can_see_person``, which stays for single records. Narrower scopes (a trainer's cohorts)
    live in their own domain and compose with this one by adding their own conditions.
    """
    if is_admin(actor):
        return statement
    if is_programme_coordinator(actor):
        return statement.where(User.institution_id.is_not(None))
    if is_coordinator(actor) and actor.institution_id is not None:
        return statement.where(User.institution_id == actor.institution_id)
    return statement.where(false())


def scope_institutions(actor: User, statement: Select) -> Select:
    """``statement`` (over ``Institution``) narrowed to the institutions whose people
    ``actor`` sees; agrees with ``can_see_institution``."""
    if sees_every_institution(actor):
        return statement
    if is_coordinator(actor) and actor.institution_id is not None:
        return statement.where(Institution.id == actor.institution_id)
    return statement.where(false())


def can_create_account(actor: User | None, role: str, institution_id: int | None) -> bool:
    """Admins (and the command line, actor None) create anyone; coordinators create
    participants of institutions they see."""
    if actor is None or is_admin(actor):
        return True
    return role == Role.PARTICIPANT.value and can_see_institution(actor, institution_id)


def can_issue_password_link(actor: User, person: User) -> bool:
    return person.id != actor.id and can_manage_participant(actor, person)


def can_read_audit_log(actor: User) -> bool:
    return is_admin(actor)


def can_edit_programme_settings(actor: User) -> bool:
    return is_admin(actor)


def roles_required(*roles: Role) -> Callable:
    """Anonymous visitors go to the log-in page; other roles get 403."""
    allowed = {role.value for role in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from trainer.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def check(allowed: bool) -> None:
    """Abort with 403 unless ``allowed``: the one line between loading and acting."""
    if not allowed:
        abort(403)
