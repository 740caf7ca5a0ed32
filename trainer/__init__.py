"""trainer: training and e-learning delivery for capacity-building programmes."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

# Imported by every module of the package, the standalone credential verifier included:
# Flask and the configuration are imported when an application is built, not before.
if TYPE_CHECKING:
    from flask import Flask

    from config import Config


def create_app(config: type[Config] | str | None = None, **overrides: object) -> Flask:
    """Build the application. Wiring only: no I/O, no schema changes."""
    from flask import Flask

    from config import ProductionConfig

    app = Flask(__name__)
    config_class = _pick_config(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    if issubclass(config_class, ProductionConfig):
        ProductionConfig.check(app.config)
        for warning in ProductionConfig.warnings(app.config):
            app.logger.warning(warning)

    register_logging(app)
    register_extensions(app)
    register_signals(app)
    register_blueprints(app)
    register_errors(app)
    register_security(app)
    register_templates(app)
    register_cli(app)
    return app


def _pick_config(config: type[Config] | str | None) -> type[Config]:
    from config import CONFIGS, ConfigurationError

    if isinstance(config, type):
        return config
    name = config or os.environ.get("TRAINER_CONFIG") or "production"
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigurationError(
            f"Unknown TRAINER_CONFIG {name!r}; use one of {', '.join(CONFIGS)}"
        ) from None


def register_logging(app: Flask) -> None:
    """First, so that a request's id and start time are set before any other step's hook."""
    from trainer.ops.requestlog import init_request_log

    init_request_log(app)


def register_extensions(app: Flask) -> None:
    from trainer import models  # noqa: F401  (every table known to Alembic)
    from trainer.auth.loader import init_login
    from trainer.compression import init_compression
    from trainer.extensions import csrf, db, limiter, migrate
    from trainer.i18n import init_babel
    from trainer.postgres import init_postgres
    from trainer.sqlite import init_sqlite

    db.init_app(app)
    init_sqlite()
    init_postgres()
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    _check_limits(app)
    limiter.init_app(app)
    init_login(app)
    init_babel(app)
    init_compression(app)


def _check_limits(app: Flask) -> None:
    """Rate limits count in Redis when REDIS_URL is set (shared by every app server), else in
    this process's memory; a limit that does not parse stops the start with a clear message."""
    from limits import parse_many

    from config import ConfigurationError

    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    for name in ("CERTIFICATE_LOOKUP_LIMIT", "API_RATE_LIMIT"):
        try:
            parse_many(app.config[name])
        except ValueError:
            raise ConfigurationError(
                f"{name}={app.config[name]!r} is not a rate limit; write it as e.g. "
                "'60 per minute' or '60/minute;1000/day'"
            ) from None


def register_signals(app: Flask) -> None:
    """Every reaction of one domain to another's signals, connected in one place."""
    from trainer import certificates, credentials, learning, notifications

    learning.init_app(app)
    certificates.init_app(app)
    credentials.init_app(app)
    notifications.init_app(app)


def register_blueprints(app: Flask) -> None:
    from trainer.admin.routes import bp as admin_bp
    from trainer.admin.routes import public_bp as programme_bp
    from trainer.api.routes import bp as api_bp
    from trainer.api.token_routes import bp as api_tokens_bp
    from trainer.auth.routes import bp as auth_bp
    from trainer.authoring.routes import bp as authoring_bp
    from trainer.authoring.versions import bp as versions_bp
    from trainer.certificates.routes import bp as certificates_bp
    from trainer.certificates.verify import bp as verify_bp
    from trainer.cohorts.routes import bp as cohorts_bp
    from trainer.credentials.routes import bp as credentials_bp
    from trainer.learning.routes import bp as learning_bp
    from trainer.main.routes import bp as main_bp
    from trainer.notifications.routes import bp as notifications_bp
    from trainer.reports.evaluation_views import bp as evaluation_bp
    from trainer.reports.routes import bp as reports_bp
    from trainer.urls import init_converters

    init_converters(app)  # before any rule is added: rules compile with the bounded converters
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(programme_bp)
    app.register_blueprint(authoring_bp)
    app.register_blueprint(versions_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(cohorts_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(evaluation_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_tokens_bp)


def register_errors(app: Flask) -> None:
    from trainer.errors import init_errors

    init_errors(app)


def register_security(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from trainer.security import init_security

    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    init_security(app)


def register_templates(app: Flask) -> None:
    from trainer.templating import init_templates

    init_templates(app)


def register_cli(app: Flask) -> None:
    from trainer.cli import init_cli

    init_cli(app)
