"""Words the administration screens show for stored codes, in the reader's language."""

from __future__ import annotations

from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l

from trainer.api import labels as api_tokens
from trainer.auth.institutions import country_codes
from trainer.certificates import labels as certificates
from trainer.languages import LANGUAGE_NAMES


def kind_names() -> dict[str, str]:
    return {
        "ministry": _l("Ministry"),
        "municipality": _l("Municipality"),
        "agency": _l("Agency"),
        "ngo": _l("NGO"),
        "other": _l("Other"),
    }


def country_names() -> dict[str, str]:
    """ISO code -> country name in the current language, sorted by name."""
    territories = get_locale().territories if get_locale() else {}
    names = {code: territories.get(code, code) for code in country_codes()}
    return dict(sorted(names.items(), key=lambda item: item[1]))


def language_choices() -> dict[str, str]:
    return {"": str(_l("As the browser asks")), **LANGUAGE_NAMES}


def action_names() -> dict[str, str]:
    return {
        "institution.create": _l("Institution created"),
        "institution.update": _l("Institution changed"),
        "institution.deactivate": _l("Institution deactivated"),
        "institution.reactivate": _l("Institution reactivated"),
        "user.create": _l("Account created"),
        "user.update": _l("Account changed"),
        "user.deactivate": _l("Account deactivated"),
        "user.reactivate": _l("Account reactivated"),
        "user.password_link": _l("Set-password link made"),
        "users.import": _l("People imported"),
        "settings.update": _l("Programme settings changed"),
        **certificates.action_names(),
        **api_tokens.action_names(),
    }


def field_names() -> dict[str, str]:
    """Labels of the fields the audit log records."""
    return {
        "email": _l("E-mail"),
        "full_name": _l("Full name"),
        "role": _l("Role"),
        "institution": _l("Institution"),
        "is_programme_wide": _l("Programme-wide"),
        "language": _l("Language"),
        "is_active": lazy_pgettext("audit log field", "Active"),
        "name": _l("Name"),
        "slug": _l("Short name"),
        "country": _l("Country"),
        "kind": _l("Kind"),
        "programme_name": _l("Programme name"),
        "default_timezone": _l("Default time zone"),
        "signatories": _l("Signatories"),
        "logo": _l("Logo"),
        "expires_at": _l("Valid until"),
        "count": _l("People"),
        "file": _l("File"),
        "institutions": _l("Institutions"),
        "links": _l("Set-password links"),
        **certificates.field_names(),
        **api_tokens.field_names(),
    }


def trigger_names() -> dict[str, str]:
    return certificates.trigger_names()
