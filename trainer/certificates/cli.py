"""``flask --app wsgi certificates backfill``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from trainer.certificates import services
from trainer.extensions import db

certificates_cli = AppGroup("certificates", help="Issue and manage certificates.")


@certificates_cli.command("backfill")
def backfill_command() -> None:
    """Issue the certificates of completion of enrolments completed before certificates
    existed. Safe to run again: enrolments that have one are skipped."""
    issued = services.backfill()
    db.session.commit()
    click.echo(f"Issued {issued} certificate(s) of completion.")
