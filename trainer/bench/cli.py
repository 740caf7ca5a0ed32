"""``flask --app wsgi bench-seed --participants N``: a large programme for benchmarks."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from trainer.bench.seed import DOMAIN, PASSWORD, Seeded, SeedRefused, seed


@click.command("bench-seed")
@with_appcontext
@click.option(
    "--participants",
    type=click.IntRange(1, 1_000_000),
    default=20_000,
    show_default=True,
    help="How many participants, spread over up to 50 institutions.",
)
@click.option("--seed", "rng_seed", type=int, default=2026, show_default=True)
def bench_seed_command(participants: int, rng_seed: int) -> None:
    """Fill an EMPTY database with a large, skewed programme for benchmarks."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException(
            "bench-seed refuses to run in production: every account it makes shares one "
            "known password."
        )
    started = time.perf_counter()
    try:
        seeded = seed(participants, rng_seed=rng_seed)
    except SeedRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    slug, largest = seeded.largest
    click.echo(
        f"Seeded {participants} participants in {len(seeded.institutions)} institutions "
        f"(the largest, {slug}, with {largest}) in {time.perf_counter() - started:.1f} s:"
    )
    for table, count in sorted(seeded.rows.items()):
        click.echo(f"  {table}: {count}")
    click.echo(
        f"Every account's password is {PASSWORD!r}: admin@{DOMAIN}, programme@{DOMAIN}, "
        f"coordinator-{slug}@{DOMAIN}, participant-000001@{DOMAIN}, ..."
    )
    for line in what_to_measure(seeded):
        click.echo(line)
    if not current_app.config.get("CREDENTIALS_KEY") and not current_app.config.get(
        "CREDENTIALS_KEY_FILE"
    ):
        click.echo(
            "No signing key is configured: the certificates are unsigned "
            "(`flask --app wsgi credentials sign` signs them once one is)."
        )


def what_to_measure(seeded: Seeded) -> list[str]:
    """What a benchmark needs to find in the programme, one "name: value" a line (the
    benchmark harness reads these lines)."""
    slug, size = seeded.largest
    nearest, nearest_size = seeded.nearest(2_000)
    lines = [
        f"largest institution: {slug} ({size} participants), "
        f"coordinator coordinator-{slug}@{DOMAIN}",
        f"institution nearest 2,000 participants: {nearest} ({nearest_size} participants), "
        f"coordinator coordinator-{nearest}@{DOMAIN}",
        f"programme coordinator: programme@{DOMAIN}",
    ]
    if seeded.large_cohort_id is not None:
        lines.append(
            f"largest certificates zip: cohort {seeded.large_cohort_id} "
            f"({seeded.large_cohort_certificates} certificates), "
            f"/cohorts/{seeded.large_cohort_id}/certificates.zip"
        )
    if seeded.learner is not None:
        lines.append(f"participant with a lesson: {seeded.learner} {seeded.lesson_url}")
    if seeded.codes:
        lines.append(f"verification codes: {' '.join(seeded.codes)}")
    return lines
