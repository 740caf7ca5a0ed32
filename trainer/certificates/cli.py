"""``flask --app wsgi certificates backfill``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from trainer.certificates import services
from trainer.certificates.attendance import backfill_attendance
from trainer.extensions import db

certificates_cli = AppGroup("certificates", help="Issue and manage certificates.")


@certificates_cli.command("backfill")
def backfill_command() -> None:
    """Issue the certificates earned before certificates existed: of completion for completed
    enrolments, of attendance for closed cohorts. Safe to run again: what has a certificate
    is skipped."""
    completion = services.backfill()
    attendance = backfill_attendance()
    db.session.commit()
    click.echo(f"Issued {completion} certificate(s) of completion and {attendance} of attendance.")
