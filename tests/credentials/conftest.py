"""A signing key for the tests that sign (the suite's app has none, as a deployment without
one), the blended course's world, and helpers to read what was signed."""

from __future__ import annotations

import json

import jwt
import pytest
from sqlalchemy import select

from tests.certificates.conftest import world  # noqa: F401  (the fixture, shared)
from trainer.credentials.keys import generate_private_key_pem
from trainer.credentials.models import Credential


@pytest.fixture(scope="session")
def rsa_pem() -> str:
    return generate_private_key_pem("rsa").decode("ascii")


@pytest.fixture(scope="session")
def other_pem() -> str:
    return generate_private_key_pem("ec").decode("ascii")


@pytest.fixture
def signing(app, rsa_pem, monkeypatch):
    """The app signs with ``rsa_pem`` for the test."""
    monkeypatch.setitem(app.config, "CREDENTIALS_KEY", rsa_pem)
    return rsa_pem


def credentials_of(db, certificate) -> list[Credential]:
    """Oldest first, as stored now."""
    return list(
        db.session.scalars(
            select(Credential)
            .where(Credential.certificate_id == certificate.id)
            .order_by(Credential.id)
            .execution_options(populate_existing=True)
        )
    )


def payload(token: str) -> dict:
    """The JWT's claims, unverified (what a wallet displays)."""
    return jwt.decode(token, options={"verify_signature": False})


def header(token: str) -> dict:
    return jwt.get_unverified_header(token)


def jwks_of(client) -> dict:
    return json.loads(client.get("/credentials/jwks.json").get_data(as_text=True))
