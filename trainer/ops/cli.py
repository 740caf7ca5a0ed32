"""``flask --app wsgi backup PATH`` and ``flask --app wsgi restore PATH [--force]``."""

from __future__ import annotations

from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

from trainer.extensions import db
from trainer.ops import backup
from trainer.ops.errors import BackupError

_PATH = click.Path(dir_okay=False, path_type=Path)


@click.command("backup")
@with_appcontext
@click.argument("path", type=_PATH)
def backup_command(path: Path) -> None:
    """Back up the database into PATH, a new file, while the app runs.

    SQLite: a copy made with SQLite's online backup API, consistent whatever is written
    meanwhile. PostgreSQL: a pg_dump archive (custom format, without owners or privileges);
    pg_dump must be on PATH, of the server's major version or newer.

    The file holds personal data and password hashes; it is made readable by its owner only.
    The credential signing key and the configuration are not in the database: keep them
    too (docs/deployment.md).
    """
    try:
        backup.backup(db.engine, path)
        revision = backup.schema_revision(db.engine)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    size = path.stat().st_size
    kind = backup.NAMES[db.engine.dialect.name]
    click.echo(
        f"Backed up the {kind} database (schema revision {revision}) to {path}: {size:,} bytes."
    )


@click.command("restore")
@with_appcontext
@click.argument("path", type=_PATH)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that is not empty: a SQLite file is overwritten as a whole; "
    "on PostgreSQL the public schema is dropped with everything in it and made again, then "
    "the backup is restored (if that fails, the database is left empty).",
)
def restore_command(path: Path, force: bool) -> None:
    """Restore a backup made by `backup` into the configured database.

    The database must be empty (a new SQLite file, or a PostgreSQL database just made with
    createdb) unless --force is given. Stop the app servers and workers first. A PostgreSQL
    restore is all or nothing; pg_restore must be on PATH.
    """
    try:
        revision = backup.restore(db.engine, path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {path} (schema revision {revision}).")
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    head = script.get_current_head()
    if revision == head:
        return
    known = {found.revision for found in script.walk_revisions()}
    if revision in known:
        click.echo(f"This release's schema is revision {head}: run `flask --app wsgi db upgrade`.")
    else:
        click.echo(
            f"Revision {revision} is unknown to this release (whose schema is {head}): the "
            "backup was made by a newer release; run that release's code on it.",
            err=True,
        )
