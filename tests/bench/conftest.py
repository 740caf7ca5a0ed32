"""A small bench-seed programme, committed (the command commits as it goes) and emptied
after each test."""

from __future__ import annotations

import pytest

PARTICIPANTS = 120


@pytest.fixture
def seeding(app, committing_db):
    """The command's result (its output says what a benchmark needs)."""
    result = app.test_cli_runner().invoke(
        args=["bench-seed", "--participants", str(PARTICIPANTS), "--seed", "7"]
    )
    assert result.exit_code == 0, result.output
    assert f"Seeded {PARTICIPANTS} participants" in result.output
    return result


@pytest.fixture
def seeded(seeding, committing_db):
    return committing_db.session
