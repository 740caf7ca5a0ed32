"""Response headers every page gets."""

from __future__ import annotations

from flask import Flask, Response, g

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_security(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if response.mimetype == "text/html" and _for_someone_logged_in():
            # A page for a logged-in person is theirs alone: neither the browser (its back
            # button after logging out, a shared computer) nor a proxy keeps a copy. Files
            # that choose their own caching (course assets) keep it.
            headers.setdefault("Cache-Control", "no-store")
        if app.config.get("PRODUCTION"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def _for_someone_logged_in() -> bool:
    # The user Flask-Login loaded for this request, if any: asking `current_user` here could
    # run the loader's query again, even on the error page of a failed database.
    user = g.get("_login_user")
    return user is not None and user.is_authenticated
