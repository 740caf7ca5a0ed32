"""The signing key and the published public keys.

The private key comes from configuration, never from the repository: a PEM file named by
``CREDENTIALS_KEY_FILE``, or the PEM text itself in ``CREDENTIALS_KEY``. Without either,
no credential is signed and everything else works as before. ``flask --app wsgi
credentials generate-key FILE`` writes a new one.

RSA keys (2048 bits or more) sign with RS256, the algorithm Open Badges 3.0 requires every
verifier to support; P-256 keys sign with ES256. Each key is named by its RFC 7638
thumbprint, within the JWKS address: ``<PUBLIC_BASE_URL>/credentials/jwks.json#<thumbprint>``
is the ``kid`` of every JWS it signs.

Rotation: configure the new key, and list the old key's file (private or public PEM) in
``CREDENTIALS_RETIRED_KEYS`` (several separated by the system's path separator, ":" on
Linux); the JWKS keeps publishing them, so everything signed before still verifies.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import current_app
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

log = logging.getLogger(__name__)

MIN_RSA_BITS = 2048
CACHE = "credentials.keys"


class KeyProblem(ValueError):
    """A configured key that cannot be used; the message says why."""


@dataclass(frozen=True)
class SigningKey:
    private_key: object
    alg: str
    kid: str
    public_jwk: dict = field(hash=False)


@dataclass(frozen=True)
class KeyState:
    """What configuration gives: the signing key (or None, and why), and every public key
    to publish (the signing key's first)."""

    signing: SigningKey | None
    problem: str | None
    published: list[dict]


def generate_private_key_pem(kind: str = "rsa") -> bytes:
    """A new private key in PKCS#8 PEM: RSA 3072 bits, or "ec" for P-256."""
    key = (
        ec.generate_private_key(ec.SECP256R1())
        if kind == "ec"
        else rsa.generate_private_key(public_exponent=65537, key_size=3072)
    )
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def thumbprint(jwk: dict) -> str:
    """RFC 7638: SHA-256 over the key's required members, sorted, without spaces."""
    members = ("e", "kty", "n") if jwk["kty"] == "RSA" else ("crv", "kty", "x", "y")
    canonical = json.dumps({m: jwk[m] for m in members}, sort_keys=True, separators=(",", ":"))
    return _b64(hashlib.sha256(canonical.encode("utf-8")).digest())


def jwks_url() -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/credentials/jwks.json"


def issuer_id() -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/credentials/issuer"


def _public_jwk(public_key) -> tuple[dict, str]:
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < MIN_RSA_BITS:
            raise KeyProblem(f"an RSA key needs {MIN_RSA_BITS} bits or more")
        jwk, alg = RSAAlgorithm.to_jwk(public_key, as_dict=True), "RS256"
    elif isinstance(public_key, ec.EllipticCurvePublicKey) and isinstance(
        public_key.curve, ec.SECP256R1
    ):
        jwk, alg = ECAlgorithm.to_jwk(public_key, as_dict=True), "ES256"
    else:
        raise KeyProblem("only RSA (RS256) and P-256 (ES256) keys are supported")
    jwk = {k: v for k, v in dict(jwk).items() if k in ("kty", "n", "e", "crv", "x", "y")}
    jwk.update(kid=f"{jwks_url()}#{thumbprint(jwk)}", alg=alg, use="sig", iss=issuer_id())
    return jwk, alg


def _load_pem(data: bytes):
    """A private key, or else a public one, from PEM."""
    try:
        return serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        pass
    try:
        return serialization.load_pem_public_key(data)
    except ValueError:
        raise KeyProblem("not a PEM key (or an encrypted one)") from None


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise KeyProblem(f"cannot read {path}: {error.strerror}") from None


def _signing_key(config) -> SigningKey | None:
    if config.get("CREDENTIALS_KEY"):
        data = str(config["CREDENTIALS_KEY"]).encode("utf-8")
    elif config.get("CREDENTIALS_KEY_FILE"):
        data = _read(config["CREDENTIALS_KEY_FILE"])
    else:
        return None
    key = _load_pem(data)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyProblem("the signing key must be a private key")
    jwk, alg = _public_jwk(key.public_key())
    return SigningKey(private_key=key, alg=alg, kid=jwk["kid"], public_jwk=jwk)


def _retired(config) -> list[dict]:
    value = config.get("CREDENTIALS_RETIRED_KEYS") or ""
    paths = value if isinstance(value, list | tuple) else value.split(os.pathsep)
    found = []
    for path in (p.strip() for p in paths):
        if not path:
            continue
        key = _load_pem(_read(path))
        public = key.public_key() if hasattr(key, "private_bytes") else key
        found.append(_public_jwk(public)[0])
    return found


def state() -> KeyState:
    """The keys as configured, read once per application and configuration (a test or an
    operator changing the settings gets them read again)."""
    config = current_app.config
    settings = (
        config.get("CREDENTIALS_KEY"),
        config.get("CREDENTIALS_KEY_FILE"),
        str(config.get("CREDENTIALS_RETIRED_KEYS")),
        config.get("PUBLIC_BASE_URL"),
    )
    cached = current_app.extensions.get(CACHE)
    if cached is not None and cached[0] == settings:
        return cached[1]
    signing, problem, published = None, None, []
    try:
        signing = _signing_key(config)
    except KeyProblem as error:
        problem = f"signing key: {error}"
        log.error("Credentials are not signed: %s", problem)
    if signing is not None:
        published.append(signing.public_jwk)
    try:
        for jwk in _retired(config):
            if all(jwk["kid"] != known["kid"] for known in published):
                published.append(jwk)
    except KeyProblem as error:
        problem = problem or f"retired key: {error}"
        log.error("A key is not published: %s", problem)
    result = KeyState(signing, problem, published)
    current_app.extensions[CACHE] = (settings, result)
    return result


def signing_key() -> SigningKey | None:
    return state().signing
