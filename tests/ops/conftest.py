"""Databases of their own for backups and restores: new SQLite files, or new PostgreSQL
databases next to TEST_DATABASE_URL, dropped after the test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """fresh_database(name) -> the URL of a new, empty database."""
    url = os.environ.get("TEST_DATABASE_URL")
    made: list[str] = []

    def make(name: str) -> str:
        if not url:
            return f"sqlite:///{tmp_path / f'{name}.db'}"
        base, _, test_name = url.rpartition("/")
        fresh = f"{test_name}_{name}"
        _admin(url, f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)', f'CREATE DATABASE "{fresh}"')
        made.append(fresh)
        return f"{base}/{fresh}".replace("postgresql://", "postgresql+psycopg://")

    yield make
    for fresh in made:
        _admin(url, f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def _admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        for statement in statements:
            c.execute(statement)


@pytest.fixture
def empty_app(make_app, fresh_database) -> Callable[[str], Flask]:
    """empty_app(name) -> an app on a new, empty database (no tables)."""
    return lambda name: make_app(SQLALCHEMY_DATABASE_URI=fresh_database(name))


@pytest.fixture
def migrated_app(empty_app) -> Callable[[str], Flask]:
    """migrated_app(name) -> an app on a new database at the current schema revision."""

    def build(name: str) -> Flask:
        app = empty_app(name)
        with app.app_context():
            upgrade()
        return app

    return build
