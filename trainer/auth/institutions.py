"""Institutions: create, edit, deactivate; every change audited."""

from __future__ import annotations

import functools
import re

from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import select

from trainer.auth import audit
from trainer.auth.models import (
    Institution,
    InstitutionKind,
    User,
)
from trainer.auth.services import (
    AccountError,
    _require_admin,
)
from trainer.extensions import db

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Babel's territories include groupings and reserved codes that are not ISO 3166-1 countries;
# Kosovo's user-assigned XK stays, as governments and donors use it.
_NOT_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB"}


@functools.cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes."""
    territories = Locale("en").territories
    codes = {code for code in territories if len(code) == 2 and code.isalpha()}
    return frozenset(codes - _NOT_COUNTRIES - {"ZZ"})


def create_institution(
    actor: User | None, *, name: str, slug: str, country: str, kind: str
) -> Institution:
    """Add an institution and its audit entry (flushed, not committed)."""
    _require_admin(actor)
    institution = Institution(is_active=True)
    _apply_institution(institution, name, slug, country, kind)
    db.session.add(institution)
    db.session.flush()
    after = audit.institution_snapshot(institution)
    audit.record(actor, "institution.create", institution, None, after, institution.name)
    return institution


def update_institution(
    actor: User | None, institution: Institution, *, name: str, slug: str, country: str, kind: str
) -> bool:
    """Change an institution; audited when anything changed. Returns whether it did."""
    _require_admin(actor)
    before = audit.institution_snapshot(institution)
    _apply_institution(institution, name, slug, country, kind)
    db.session.flush()
    old, new = audit.changed(before, audit.institution_snapshot(institution))
    if new:
        audit.record(actor, "institution.update", institution, old, new, institution.name)
    return bool(new)


def set_institution_active(actor: User | None, institution: Institution, active: bool) -> None:
    """Deactivate or reactivate: a deactivated institution keeps its people but is no longer
    offered for new accounts or imports. Idempotent."""
    _require_admin(actor)
    if institution.is_active == active:
        return
    institution.is_active = active
    db.session.flush()
    action = "institution.reactivate" if active else "institution.deactivate"
    before, after = {"is_active": not active}, {"is_active": active}
    audit.record(actor, action, institution, before, after, institution.name)


def _apply_institution(
    institution: Institution, name: str, slug: str, country: str, kind: str
) -> None:
    name, slug, country = name.strip(), slug.strip().lower(), country.strip().upper()
    if not name or len(name) > 200:
        raise AccountError(_("Give the institution's name (at most 200 characters)."), "name")
    if not SLUG_PATTERN.fullmatch(slug) or len(slug) > 80:
        raise AccountError(
            _(
                "Use only lower-case letters, digits and single hyphens (at most 80), "
                "for example ministerio-trabajo."
            ),
            "slug",
        )
    taken = db.session.scalar(
        select(Institution.id).where(Institution.slug == slug, Institution.id != institution.id)
    )
    if taken is not None:
        raise AccountError(
            _("Another institution already uses the short name %(slug)s.", slug=slug), "slug"
        )
    if country not in country_codes():
        raise AccountError(
            _("%(code)s is not an ISO 3166 two-letter country code.", code=country), "country"
        )
    if kind not in {member.value for member in InstitutionKind}:
        raise AccountError(_("Choose what kind of institution this is."), "kind")
    institution.name, institution.slug = name, slug
    institution.country, institution.kind = country, kind
