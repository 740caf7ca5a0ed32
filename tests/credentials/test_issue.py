"""A certificate is signed once, at issue, as an Open Badges 3.0 credential, and stored;
without a key nothing is signed and nothing else changes."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import func, select

from tests.certificates.conftest import HOLDER, complete
from tests.certificates.test_manage import certificate_of
from tests.credentials.conftest import credentials_of, header, payload
from trainer.credentials.models import Credential


def test_without_a_key_certificates_are_issued_unsigned(db, world):
    complete(world, world.nusta)
    assert certificate_of(db, world.nusta) is not None
    assert db.session.scalar(select(func.count(Credential.id))) == 0


def test_issuing_signs_a_vc_jwt_with_the_header_open_badges_allows(db, world, signing):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    (credential,) = credentials_of(db, certificate)
    assert set(header(credential.jwt)) == {"alg", "kid", "typ"}
    assert header(credential.jwt)["alg"] == "RS256"
    assert header(credential.jwt)["typ"] == "JWT"
    assert header(credential.jwt)["kid"].startswith("http://localhost/credentials/jwks.json#")
    claims = payload(credential.jwt)
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert claims["iss"] == claims["issuer"]["id"] == "http://localhost/credentials/issuer"
    assert claims["jti"] == claims["id"] == f"urn:uuid:{credential.uuid}"
    assert claims["sub"] == claims["credentialSubject"]["id"]
    # From midnight in Quito (UTC-5) of the issue date, through the last valid day.
    assert claims["validFrom"] == f"{certificate.issued_on.isoformat()}T05:00:00Z"
    last_day = certificate.expires_on
    assert claims["validUntil"] == f"{(last_day + timedelta(days=1)).isoformat()}T05:00:00Z"
    assert claims["exp"] - claims["nbf"] == ((last_day - certificate.issued_on).days + 1) * 86400
    achievement = claims["credentialSubject"]["achievement"]
    assert achievement["name"] == "Certificado en gestión municipal de la movilidad humana"
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["inLanguage"] == "es"
    assert "Gestión municipal de la movilidad humana" in achievement["criteria"]["narrative"]
    assert claims["credentialSubject"]["creditsEarned"] == 12.0
    status = claims["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(credential.status_index)
    assert status["statusListCredential"] == "http://localhost/credentials/status/1"


def test_the_email_appears_only_salted_and_hashed(db, world, signing):
    complete(world, world.nusta)
    (credential,) = credentials_of(db, certificate_of(db, world.nusta))
    claims = payload(credential.jwt)
    email, name = claims["credentialSubject"]["identifier"]
    assert email["identityType"] == "emailAddress"
    assert email["hashed"] is True
    digest = hashlib.sha256((world.nusta.email + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${digest}"
    assert (name["identityType"], name["identityHash"]) == ("name", HOLDER)
    assert world.nusta.email not in str(claims)
    assert world.nusta.email.split("@")[0] not in str(claims)


def test_attendance_certificates_are_signed_too(db, world, signing):
    from trainer.certificates.models import Certificate, CertificateKind
    from trainer.cohorts import services as cohorts

    complete(world, world.nusta)
    cohorts.close_cohort(world.admin, world.cohort)
    attendance = db.session.scalar(
        select(Certificate).where(Certificate.kind == CertificateKind.ATTENDANCE.value)
    )
    (credential,) = credentials_of(db, attendance)
    achievement = payload(credential.jwt)["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certificate"


def test_each_credential_has_its_own_status_index(db, world, signing):
    complete(world, world.nusta)
    complete(world, world.luis)
    indexes = db.session.scalars(select(Credential.status_index)).all()
    assert len(set(indexes)) == 2
