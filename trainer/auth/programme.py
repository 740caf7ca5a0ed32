"""Programme settings: name, time zone, signatories and logo; audited."""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from trainer.auth import audit, policy
from trainer.auth.models import (
    MAX_INACTIVE_AFTER_DAYS,
    ProgrammeSettings,
    User,
)
from trainer.auth.services import (
    AccountError,
    programme_settings,
)
from trainer.extensions import db
from trainer.storage.models import StoredFile
from trainer.storage.services import store_file

MAX_LOGO_BYTES = 1024 * 1024
MAX_SIGNATORIES = 3
LOGO_EXTENSIONS = {"png", "jpg", "jpeg", "webp"}


@dataclass(frozen=True)
class Logo:
    filename: str
    data: bytes


def logo_content_type(data: bytes) -> str | None:
    """The image type the bytes really are (PNG, JPEG or WebP), whatever the file is called."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def update_programme_settings(
    actor: User,
    *,
    programme_name: str,
    default_timezone: str,
    signatories: list[dict],
    logo: Logo | None = None,
    remove_logo: bool = False,
    inactive_after_days: int | None = None,
) -> ProgrammeSettings:
    """Save the programme's settings (the row is created on first save); audited when changed.

    A new logo replaces the old one, which is deleted. ``inactive_after_days`` (when given)
    is how many days without activity put a participant at risk.
    """
    if not policy.can_edit_programme_settings(actor):
        raise AccountError(_("Only administrators can change the programme settings."))
    name = programme_name.strip()
    if not name or len(name) > 200:
        message = _("Give the programme's name (at most 200 characters).")
        raise AccountError(message, "programme_name")
    timezone = _check_timezone(default_timezone.strip())
    signatories = _check_signatories(signatories)
    if inactive_after_days is not None and not 1 <= inactive_after_days <= MAX_INACTIVE_AFTER_DAYS:
        raise AccountError(
            _(
                "Give a number of days from 1 to %(max)d.",
                max=MAX_INACTIVE_AFTER_DAYS,
            ),
            "inactive_after_days",
        )
    content_type = _check_logo(logo) if logo is not None else None
    settings = programme_settings()
    db.session.add(settings)
    before = _settings_snapshot(settings)
    settings.programme_name, settings.default_timezone = name, timezone
    settings.signatories = signatories
    if inactive_after_days is not None:
        settings.inactive_after_days = inactive_after_days
    old_logo_id = settings.logo_file_id
    if logo is not None and content_type is not None:
        stored = store_file(_safe_filename(logo.filename), content_type, logo.data)
        settings.logo_file_id = stored.id
    elif remove_logo:
        settings.logo_file_id = None
    if old_logo_id is not None and settings.logo_file_id != old_logo_id:
        try:
            with db.session.begin_nested():
                db.session.execute(delete(StoredFile).where(StoredFile.id == old_logo_id))
        except IntegrityError:
            pass  # identical bytes are stored once: a course asset still uses them
    db.session.flush()
    old, new = audit.changed(before, _settings_snapshot(settings))
    if new:
        audit.record(actor, "settings.update", settings, old, new, settings.programme_name)
    return settings


@functools.cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _check_timezone(name: str) -> str:
    if name in _timezones():
        return name
    close = difflib.get_close_matches(name, sorted(_timezones()), n=1, cutoff=0.6)
    hint = " " + _("Did you mean %(name)s?", name=close[0]) if close else ""
    raise AccountError(
        _(
            "Unknown time zone %(name)s. Use a name such as America/Guayaquil or Europe/Madrid.",
            name=name or "-",
        )
        + hint,
        "default_timezone",
    )


def _check_signatories(signatories: list[dict]) -> list[dict]:
    clean = []
    for entry in signatories:
        name, role = (entry.get("name") or "").strip(), (entry.get("role") or "").strip()
        if bool(name) != bool(role):
            raise AccountError(
                _("Give both the name and the role of each signatory, or leave both empty."),
                "signatories",
            )
        if len(name) > 200 or len(role) > 200:
            raise AccountError(
                _("A signatory's name or role is longer than 200 characters."), "signatories"
            )
        if name:
            clean.append({"name": name, "role": role})
    if len(clean) > MAX_SIGNATORIES:
        raise AccountError(
            ngettext(
                "At most %(num)d signatory can be printed.",
                "At most %(num)d signatories can be printed.",
                MAX_SIGNATORIES,
            ),
            "signatories",
        )
    return clean


def _check_logo(logo: Logo) -> str:
    extension = logo.filename.rsplit(".", 1)[-1].lower() if "." in logo.filename else ""
    content_type = logo_content_type(logo.data)
    if extension not in LOGO_EXTENSIONS or content_type is None:
        raise AccountError(
            _("The logo must be a PNG, JPEG or WebP image; this file is not one."), "logo"
        )
    if len(logo.data) > MAX_LOGO_BYTES:
        raise AccountError(_("The logo must be at most 1 MB; make it smaller."), "logo")
    return content_type


def _safe_filename(filename: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    return name.strip(".-")[:120] or "logo"


def _settings_snapshot(settings: ProgrammeSettings) -> dict:
    logo = db.session.get(StoredFile, settings.logo_file_id) if settings.logo_file_id else None
    return {
        "programme_name": settings.programme_name,
        "default_timezone": settings.default_timezone,
        "signatories": list(settings.signatories or []),
        "inactive_after_days": settings.inactive_after_days,
        "logo": f"{logo.filename} ({logo.size} bytes)" if logo else None,
    }
