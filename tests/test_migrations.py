"""The Alembic revisions build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from trainer.extensions import db as _db


def test_models_and_migrations_agree(app, db):
    # The session fixture built the schema with `flask db upgrade`; compare it to the models.
    # The test's own connection: SQLite lets no second one in while it holds the write lock.
    context = MigrationContext.configure(
        db.session.connection(), opts={"compare_type": True, "compare_server_default": False}
    )
    differences = compare_metadata(context, _db.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"
