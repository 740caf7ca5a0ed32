"""Password hashing with argon2id; the cost comes from the configuration."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# A hash to verify against when the account does not exist, so that the response time
# does not tell whether an e-mail address is registered.
_DUMMY_HASHES: dict[tuple[int, int], str] = {}


def burn_time(password: str) -> None:
    config = current_app.config
    key = (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"])
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hash_password("not-a-real-password")
    verify_password(_DUMMY_HASHES[key], password)
