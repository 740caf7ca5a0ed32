"""Command-line tools: ``flask --app wsgi <command>``. Commands call services and commit."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from trainer.auth import people_import
from trainer.auth import services as accounts
from trainer.auth.models import Institution, Role
from trainer.authoring.cli import import_gift_command
from trainer.bench.cli import bench_seed_command
from trainer.certificates.cli import certificates_cli
from trainer.courses.cli import courses_cli
from trainer.credentials.cli import credentials_cli
from trainer.extensions import db
from trainer.languages import LANGUAGES
from trainer.notifications.cli import worker_command
from trainer.ops.cli import backup_command, restore_command


def init_cli(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(cleanup_command)
    app.cli.add_command(import_users_command)
    courses_cli.add_command(import_gift_command)
    app.cli.add_command(courses_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(credentials_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(bench_seed_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="participant")
@click.option("--institution", "institution_slug", help="Slug of the user's institution.")
@click.option("--programme-wide", is_flag=True, help="A coordinator who sees every institution.")
@click.option("--password", help="Initial password; without it a one-time link is printed.")
@click.option("--language", type=click.Choice(LANGUAGES))
def create_user_command(email, name, role, institution_slug, programme_wide, password, language):
    """Create a user account."""
    institution = None
    if institution_slug:
        institution = db.session.scalar(
            select(Institution).where(Institution.slug == institution_slug)
        )
        if institution is None:
            raise click.ClickException(f"No institution with slug {institution_slug!r}.")
    try:
        user = accounts.create_user(
            email,
            name,
            role,
            institution=institution,
            password=password,
            language=language,
            is_programme_wide=programme_wide,
        )
        token = None if password else accounts.create_password_token(user, created_by=None)
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")
    if token:
        base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
        click.echo(f"Set-password link (valid once): {base}/set-password/{token}")


@click.command("import-users")
@with_appcontext
@click.argument("csv_file", type=click.File("rb"))
@click.option(
    "--links",
    "links_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Write a one-time set-password link per new account to this CSV file (email,link).",
)
def import_users_command(csv_file, links_file):
    """Create accounts from a CSV file: email,full_name,role,institution,language.

    All or nothing: on any problem nothing is created and every problem is listed.
    """
    try:
        # English messages: the interface language is chosen per request, and there is none.
        with force_locale("en"):
            outcome = people_import.import_users(
                None, csv_file.read(), filename=csv_file.name, links=bool(links_file)
            )
    except accounts.ImportRefused as refused:
        db.session.rollback()
        for problem in refused.problems:
            where = f"line {problem.line}" if problem.line else "file"
            click.echo(f"{csv_file.name}: {where}: {problem.message}", err=True)
        raise click.ClickException(str(refused)) from None
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    count = len(outcome.users)
    click.echo(f"Created {count} account{'' if count == 1 else 's'}.")
    if links_file:
        with open(links_file, "w", newline="", encoding="utf-8", opener=_private) as handle:
            people_import.write_links_csv(handle, outcome.links)
        click.echo(f"Set-password links (each valid once) written to {links_file}.")
    else:
        click.echo("They have no password yet: give them set-password links from the People page.")


def _private(path: str, flags: int) -> int:
    # The links let anyone set a password: only the file's owner may read them.
    return os.open(path, flags, 0o600)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Add demo institutions, one user per role and, once the demo course is imported, a demo
    cohort with sessions and attendance (idempotent; never in production)."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException(
            "seed-demo refuses to run in production: it creates accounts with known passwords."
        )
    from trainer.cohorts.services import CohortError
    from trainer.demo import COURSE, seed_demo

    try:
        with force_locale("en"):
            seeded = seed_demo()
    except CohortError as error:
        db.session.rollback()
        raise click.ClickException(f"The demo cohort could not be created: {error}") from None
    db.session.commit()
    click.echo("Demo accounts (e-mail / password):")
    for email, password, role, is_new in seeded.accounts:
        note = "" if is_new else "  (already present; password unchanged)"
        click.echo(f"  {role:<22} {email:<34} {password}{note}")
    if seeded.cohort is None:
        click.echo(
            f"No demo cohort yet: the demo course {COURSE} is not imported. Run "
            "`flask --app wsgi courses import courses/`, then seed-demo again."
        )
    else:
        note = "" if seeded.cohort_created else "  (already present)"
        click.echo(f"Demo cohort: {seeded.cohort.name}, of {seeded.cohort.course.title}{note}")


@click.command("cleanup")
@with_appcontext
@click.option(
    "--days",
    default=30,
    show_default=True,
    help="Keep used or expired set-password links this many days.",
)
def cleanup_command(days: int) -> None:
    """Delete finished log-in counters, old set-password links and expired log-ins, and
    store as closed the quiz attempts whose time is up. The worker started with
    --scheduler runs it daily; this runs it now."""
    from trainer import cleanup

    cleaned = cleanup.run(days)
    db.session.commit()
    click.echo(
        f"Deleted {cleaned.counters} log-in counter(s) and {cleaned.links} set-password link(s)."
    )
    click.echo(f"Deleted {cleaned.logins} expired log-in(s).")
    click.echo(f"Closed {cleaned.attempts} quiz attempt(s) whose time was up.")
