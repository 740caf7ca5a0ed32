"""Fixtures for the administration screens: an admin, and clients logged in as anyone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.sessions import log_in
from trainer.auth.models import Role


@pytest.fixture
def admin(make):
    return make.user(Role.ADMIN, full_name="Ada Admin")


@pytest.fixture
def client_for(app, db) -> Callable:
    """A new test client logged in as ``user`` (several can be open at once)."""

    return lambda user: log_in(app.test_client(), user)
