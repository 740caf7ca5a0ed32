"""Words for what the audit log records about API tokens, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def action_names() -> dict[str, str]:
    return {
        "api_token.create": _l("API token created"),
        "api_token.revoke": _l("API token revoked"),
    }


def field_names() -> dict[str, str]:
    return {"prefix": _l("Token begins with")}
