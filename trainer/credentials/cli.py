"""``flask --app wsgi credentials generate-key FILE`` and ``credentials sign``."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from trainer.credentials import keys, services
from trainer.extensions import db

credentials_cli = AppGroup("credentials", help="Sign certificates as Open Badges 3.0 credentials.")


@credentials_cli.command("generate-key")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "kind",
    type=click.Choice(["rsa", "ec"]),
    default="rsa",
    show_default=True,
    help="rsa: RS256, which every Open Badges verifier supports; ec: ES256 (P-256).",
)
def generate_key_command(path: Path, kind: str) -> None:
    """Write a new private signing key to PATH (readable by its owner only). Keep it out of
    the repository and out of backups anyone can read; then set CREDENTIALS_KEY_FILE=PATH."""
    repository = Path(current_app.root_path).parent.resolve()
    if path.resolve().is_relative_to(repository):
        raise click.ClickException(
            f"{path} is inside the repository ({repository}); keep the private key elsewhere, "
            "e.g. /etc/trainer/credentials-key.pem."
        )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; a key is never overwritten.") from None
    except OSError as error:
        raise click.ClickException(f"Cannot write {path}: {error.strerror}.") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(keys.generate_private_key_pem(kind))
    click.echo(f"Wrote a new {kind.upper()} private key to {path}.")
    click.echo(f"Set CREDENTIALS_KEY_FILE={path} and restart the app to sign credentials.")
    click.echo(
        "Rotating? Add the previous key file to CREDENTIALS_RETIRED_KEYS so what it signed "
        "still verifies."
    )


@credentials_cli.command("sign")
def sign_command() -> None:
    """Sign the certificates issued while no key was configured (and re-sign status lists
    revoked from meanwhile). Safe to run again: what is signed is skipped."""
    state = keys.state()
    if state.signing is None:
        raise click.ClickException(
            f"The key cannot be used ({state.problem})."
            if state.problem
            else "No signing key is configured: set CREDENTIALS_KEY_FILE."
        )
    signed, lists = services.sign_backlog()
    db.session.commit()
    click.echo(f"Signed {signed} credential(s); signed {lists} status list(s) again.")
