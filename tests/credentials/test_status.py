"""Revocation: each credential has its own bit in a W3C Bitstring Status List; revoking or
reissuing a certificate sets its credential's bit in the same transaction and the list is
signed again; the list is published, signed, at a stable address."""

from __future__ import annotations

import base64
import gzip

import pytest
from sqlalchemy import select

from tests.certificates.conftest import complete
from tests.certificates.test_manage import certificate_of
from tests.credentials.conftest import credentials_of, header, payload
from tests.sessions import log_in
from trainer.certificates import services as certificates
from trainer.credentials import bitstring, status
from trainer.credentials.models import Credential, StatusList


def published_bits(client, list_id: int = 1) -> tuple[dict, bytes]:
    response = client.get(f"/credentials/status/{list_id}")
    assert response.status_code == 200
    assert response.mimetype == "application/vc+jwt"
    claims = payload(response.get_data(as_text=True))
    return claims, bitstring.decode(claims["credentialSubject"]["encodedList"])


def test_the_bitstring_follows_the_specification():
    encoded = bitstring.encode([0, 9, 131_071])
    assert encoded.startswith("u")
    assert "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 == 131_072
    # Index 0 is the left-most bit of the first byte.
    assert raw[0] == 0x80
    assert raw[1] == 0x40
    assert raw[-1] == 0x01
    decoded = bitstring.decode(encoded)
    assert [i for i in (0, 1, 8, 9, 131_071) if bitstring.is_set(decoded, i)] == [0, 9, 131_071]
    with pytest.raises(bitstring.BitstringError):
        bitstring.encode([], size=1024)
    with pytest.raises(bitstring.BitstringError):
        bitstring.decode("u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * 16)).decode())
    with pytest.raises(bitstring.BitstringError):
        bitstring.decode("zNotBase64url")


def test_the_status_list_is_a_signed_bitstring_status_list_credential(app, db, world, signing):
    complete(world, world.nusta)
    claims, bits = published_bits(app.test_client())
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["id"] == "http://localhost/credentials/status/1"
    assert claims["issuer"] == "http://localhost/credentials/issuer"
    assert claims["credentialSubject"]["statusPurpose"] == "revocation"
    assert claims["credentialSubject"]["type"] == "BitstringStatusList"
    assert not any(bits)


def test_revoking_sets_the_bit_and_signs_the_list_again(app, db, world, signing):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    (credential,) = credentials_of(db, certificate)
    before = db.session.get(StatusList, credential.status_list_id).jwt
    client = log_in(app.test_client(), world.quito_coordinator)
    response = client.post(
        f"/certificates/{certificate.id}/revoke", data={"revoke-reason": "Fraud"}
    )
    assert response.status_code == 302
    (credential,) = credentials_of(db, certificate)
    assert credential.revoked_reason == "revoked"
    listed = db.session.scalar(
        select(StatusList)
        .where(StatusList.id == credential.status_list_id)
        .execution_options(populate_existing=True)
    )
    assert listed.jwt != before
    _claims, bits = published_bits(app.test_client())
    assert bitstring.is_set(bits, credential.status_index)
    assert sum(bin(byte).count("1") for byte in bits) == 1


def test_reissuing_revokes_the_old_credential_and_signs_a_new_one(app, db, world, signing):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    world.nusta.full_name = "Ñusta Quishpe"
    db.session.flush()
    certificates.reissue(world.admin, certificate, "Name corrected")
    old, new = credentials_of(db, certificate)
    assert (old.revoked_reason, new.revoked_at) == ("reissued", None)
    assert new.status_index != old.status_index
    names = [
        payload(c.jwt)["credentialSubject"]["identifier"][1]["identityHash"] for c in (old, new)
    ]
    assert names == ["Ñusta Quishpe Andrés", "Ñusta Quishpe"]
    _claims, bits = published_bits(app.test_client())
    assert bitstring.is_set(bits, old.status_index)
    assert not bitstring.is_set(bits, new.status_index)


def test_a_taken_index_is_drawn_again(db, world, signing, monkeypatch):
    """Another transaction took the index between the draw and the INSERT: the unique
    (list, index) refuses it and a fresh draw is signed instead."""
    complete(world, world.nusta)
    (taken,) = db.session.scalars(select(Credential)).all()
    draws = iter([[taken.status_index], [taken.status_index + 1]])
    monkeypatch.setattr(status, "draw", lambda *_args: next(draws))
    complete(world, world.luis)
    luis = credentials_of(db, certificate_of(db, world.luis))
    assert [c.status_index for c in luis] == [taken.status_index + 1]
    assert payload(luis[0].jwt)["credentialStatus"]["statusListIndex"] == str(
        taken.status_index + 1
    )


def test_a_list_half_used_gives_way_to_a_new_one(db, world, signing, monkeypatch):
    complete(world, world.nusta)
    original = status.open_list
    # As if the first list already held half its size in credentials.
    monkeypatch.setattr(
        status, "open_list", lambda needed: original(needed + status.STATUS_LIST_BITS // 2)
    )
    complete(world, world.luis)
    (luis,) = credentials_of(db, certificate_of(db, world.luis))
    assert luis.status_list_id == 2
    assert header(db.session.get(StatusList, 2).jwt)["alg"] == "RS256"


def test_lists_that_do_not_exist_are_not_found(app, db):
    assert app.test_client().get("/credentials/status/1").status_code == 404
    assert app.test_client().get("/credentials/status/99").status_code == 404
