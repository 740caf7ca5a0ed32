"""Fixtures for the administration screens: an admin, and clients logged in as anyone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from trainer.auth.models import Role


@pytest.fixture
def admin(make):
    return make.user(Role.ADMIN, full_name="Ada Admin")


@pytest.fixture
def client_for(app, db) -> Callable:
    """A new test client logged in as ``user`` (several can be open at once)."""

    def build(user):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return build
