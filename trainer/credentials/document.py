"""The credential's JSON: an Open Badges 3.0 ``OpenBadgeCredential`` on the W3C Verifiable
Credentials Data Model 2.0, and the ``BitstringStatusListCredential`` that revokes it.
Pure: plain values in, a dict out (tests/credentials validates it against 1EdTech's JSON
Schema).

Fields, as Open Badges 3.0 (https://www.imsglobal.org/spec/ob/v3p0/) defines them:

- ``issuer``: the programme's Profile, whose ``id`` is /credentials/issuer (it serves the
  same profile);
- ``credentialSubject``: an AchievementSubject identified by a ``urn:uuid`` of its own (no
  personal data in ``sub``) and by two IdentityObjects: the holder's e-mail address, salted
  and hashed (``sha256$...``, as IdentityHash defines it), and the name printed on the
  certificate, in clear (it is printed on the certificate anyway); ``creditsEarned`` holds
  the certified hours;
- ``achievement``: the course's certificate, with its criteria narrative, its language and
  its type (CertificateOfCompletion, or Certificate for attendance);
- ``validFrom``: the start of the issue date where the programme is; ``validUntil``: the
  end of the last valid day, when the certificate expires;
- ``credentialStatus``: a BitstringStatusListEntry (W3C Bitstring Status List v1.0) for
  revocation; ``credentialSchema``: 1EdTech's JSON Schema.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


@dataclass(frozen=True)
class Facts:
    """What a credential says, read from the certificate's snapshot."""

    credential_uuid: str
    subject_uuid: str
    issuer_id: str
    issuer_name: str
    issuer_url: str
    achievement_id: str
    achievement_type: str
    title: str
    description: str
    criteria: str
    course_title: str
    language: str
    holder_name: str
    email: str
    salt: str
    hours: float | None
    issued_on: date
    expires_on: date | None
    timezone: str
    status_list_url: str
    status_index: int


def identity_hash(value: str, salt: str) -> str:
    """Open Badges' IdentityHash: "sha256$" and the hex SHA-256 of the value then the salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def start_of(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def valid_from(facts: Facts) -> datetime:
    return start_of(facts.issued_on, facts.timezone)


def valid_until(facts: Facts) -> datetime | None:
    """The certificate is valid through ``expires_on``: until the next day begins."""
    if facts.expires_on is None:
        return None
    return start_of(facts.expires_on + timedelta(days=1), facts.timezone)


def _language(code: str) -> str | None:
    """BCP 47 as the schema's pattern wants it (pt_BR -> pt-BR), else nothing."""
    parts = code.replace("_", "-").split("-")
    if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 4:
        return None
    tag = parts[0].lower()
    if len(parts) > 1 and len(parts[1]) == 2 and parts[1].isalpha():
        tag += "-" + parts[1].upper()
    return tag


def issuer_profile(issuer_id: str, name: str, url: str) -> dict:
    return {"id": issuer_id, "type": ["Profile"], "name": name, "url": url}


def open_badge_credential(facts: Facts) -> dict:
    achievement = {
        "id": facts.achievement_id,
        "type": ["Achievement"],
        "achievementType": facts.achievement_type,
        "name": facts.title,
        "description": facts.description,
        "criteria": {"narrative": facts.criteria},
    }
    language = _language(facts.language)
    if language:
        achievement["inLanguage"] = language
    subject: dict = {
        "id": f"urn:uuid:{facts.subject_uuid}",
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(facts.email, facts.salt),
                "salt": facts.salt,
            },
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": facts.holder_name,
            },
        ],
        "achievement": achievement,
    }
    if facts.hours is not None:
        subject["creditsEarned"] = float(facts.hours)
    credential: dict = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{facts.credential_uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.title,
        "description": facts.description,
        "issuer": issuer_profile(facts.issuer_id, facts.issuer_name, facts.issuer_url),
        "validFrom": stamp(valid_from(facts)),
        "awardedDate": stamp(valid_from(facts)),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{facts.status_list_url}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(facts.status_index),
            "statusListCredential": facts.status_list_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    until = valid_until(facts)
    if until is not None:
        credential["validUntil"] = stamp(until)
    return credential


def jwt_claims(credential: dict) -> dict:
    """The JWT payload of Open Badges 3.0's JSON Web Token proof: the credential itself,
    with ``iss``, ``jti``, ``nbf``, ``sub`` (and ``exp`` when it expires) restating it."""
    claims = dict(credential)
    claims.update(
        iss=credential["issuer"]["id"]
        if isinstance(credential["issuer"], dict)
        else credential["issuer"],
        jti=credential["id"],
        nbf=int(_parse(credential["validFrom"]).timestamp()),
        sub=credential["credentialSubject"]["id"],
    )
    if "validUntil" in credential:
        claims["exp"] = int(_parse(credential["validUntil"]).timestamp())
    return claims


def status_list_credential(
    *, url: str, issuer_id: str, encoded_list: str, signed_at: datetime
) -> dict:
    """A BitstringStatusListCredential (W3C Bitstring Status List v1.0) for revocation."""
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": stamp(signed_at),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def status_list_claims(credential: dict) -> dict:
    claims = dict(credential)
    claims.update(
        iss=credential["issuer"],
        jti=credential["id"],
        nbf=int(_parse(credential["validFrom"]).timestamp()),
        iat=int(_parse(credential["validFrom"]).timestamp()),
        sub=credential["credentialSubject"]["id"],
    )
    return claims


def _parse(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
