"""Signing with PyJWT (on the cryptography library): never JOSE by hand.

The JOSE header is the one Open Badges 3.0's JSON Web Token proof allows, and nothing
more: ``alg`` (RS256, or ES256 for a P-256 key), ``kid`` (a URI that dereferences to the
public JWK in our JWKS) and ``typ`` "JWT".
"""

from __future__ import annotations

import jwt

from trainer.credentials.keys import SigningKey


def sign(claims: dict, key: SigningKey) -> str:
    return jwt.encode(
        claims, key.private_key, algorithm=key.alg, headers={"kid": key.kid, "typ": "JWT"}
    )
