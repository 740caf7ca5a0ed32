"""Every credential the app signs validates against 1EdTech's JSON Schema for
OpenBadgeCredential (vendored in tests/credentials/schemas, with its source), and its
signature verifies with an independent library (jwcrypto), not with our own code."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from jwcrypto import jwk, jws
from sqlalchemy import select

from tests.certificates.conftest import complete
from tests.certificates.test_manage import certificate_of
from tests.credentials.conftest import credentials_of, jwks_of, payload
from trainer.certificates.models import Certificate

SCHEMA = Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"


def validator() -> jsonschema.Draft201909Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )


def test_the_vendored_schema_is_1edtechs_and_refuses_what_it_should():
    check = validator()
    assert check.schema["$id"].startswith("https://purl.imsglobal.org/spec/ob/v3p0/schema/")
    assert not check.is_valid({"type": ["VerifiableCredential"]})


def test_completion_and_attendance_credentials_validate(db, world, signing):
    from trainer.cohorts import services as cohorts

    complete(world, world.nusta)
    cohorts.close_cohort(world.admin, world.cohort)
    check = validator()
    certificates = db.session.scalars(select(Certificate)).all()
    assert {c.kind for c in certificates} == {"completion", "attendance"}
    for certificate in certificates:
        (credential,) = credentials_of(db, certificate)
        errors = [error.message for error in check.iter_errors(payload(credential.jwt))]
        assert errors == [], certificate.kind


def test_an_independent_library_verifies_the_signature(app, db, world, signing):
    complete(world, world.nusta)
    (credential,) = credentials_of(db, certificate_of(db, world.nusta))
    published = jwks_of(app.test_client())
    keys = jwk.JWKSet.from_json(json.dumps(published))
    token = jws.JWS()
    token.deserialize(credential.jwt)
    token.verify(keys)  # jwcrypto picks the key by kid; raises when the signature fails
    assert json.loads(token.payload)["jti"] == f"urn:uuid:{credential.uuid}"
    changed = credential.jwt[:-4] + ("AAAA" if not credential.jwt.endswith("AAAA") else "BBBB")
    tampered = jws.JWS()
    tampered.deserialize(changed)
    with pytest.raises(jws.InvalidJWSSignature):
        tampered.verify(keys.get_key(token.jose_header["kid"]))
