"""The holder downloads the credential from "My certificates", the public page links to it,
the issuer profile and keys are published; the administration page says whether credentials
are signed; the commands make a key and sign what was issued before it; keys rotate."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import jwt
from sqlalchemy import func, select

from tests.certificates.conftest import complete
from tests.certificates.test_manage import certificate_of
from tests.credentials.conftest import credentials_of, jwks_of, payload
from tests.sessions import log_in
from trainer.credentials import verify
from trainer.credentials.models import Credential

ROOT = Path(__file__).resolve().parents[2]
# Split so that this file does not itself look like a key.
PEM_PRIVATE_KEY = re.compile(rb"-----BEGIN [A-Z ]*PRIVATE" + rb" KEY-----")


def test_the_holder_downloads_it_from_my_certificates(app, db, world, signing):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    (credential,) = credentials_of(db, certificate)
    client = log_in(app.test_client(), world.nusta)
    page = client.get("/certificates").get_data(as_text=True)
    link = f"/certificates/{certificate.id}/credential"
    assert link in page
    assert "Download the signed credential (Open Badges 3.0)" in page
    response = client.get(link)
    assert response.get_data(as_text=True) == credential.jwt
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.code}.jwt"'
    )
    # Nobody else gets it, not even who manages the certificate.
    for other in (world.luis, world.quito_coordinator, world.admin):
        assert log_in(app.test_client(), other).get(link).status_code == 404


def test_the_verification_page_links_to_it_and_to_the_keys(app, db, world, signing):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    page = app.test_client().get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert f"/certificates/{certificate.id}/credential" in page
    assert "/credentials/jwks.json" in page
    assert "/credentials/issuer" in page


def test_without_a_key_the_pages_show_no_credential(app, db, world):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    client = log_in(app.test_client(), world.nusta)
    assert "/credential" not in client.get("/certificates").get_data(as_text=True)
    assert client.get(f"/certificates/{certificate.id}/credential").status_code == 404
    page = app.test_client().get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Signed credential" not in page
    assert jwks_of(app.test_client()) == {"keys": []}


def test_a_revoked_certificate_offers_no_credential(app, db, world, signing):
    from trainer.certificates import services as certificates

    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    certificates.revoke(world.admin, certificate, "Fraud")
    client = log_in(app.test_client(), world.nusta)
    assert client.get(f"/certificates/{certificate.id}/credential").status_code == 404


def test_the_issuer_profile_and_the_keys_are_public(app, db, signing):
    client = app.test_client()
    profile = client.get("/credentials/issuer").get_json()
    assert profile["id"] == "http://localhost/credentials/issuer"
    assert profile["type"] == ["Profile"]
    assert profile["name"]
    response = client.get("/credentials/jwks.json")
    assert response.mimetype == "application/jwk-set+json"
    (key,) = response.get_json()["keys"]
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert key["iss"] == profile["id"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)  # never the private parts
    assert client.get("/.well-known/jwks.json").get_json() == response.get_json()


def test_the_administration_page_says_whether_credentials_are_signed(app, db, world, signing):
    client = log_in(app.test_client(), world.admin)
    assert "Certificates are also issued as signed credentials (RS256)" in client.get(
        "/admin/"
    ).get_data(as_text=True)
    app.config["CREDENTIALS_KEY"] = None
    page = client.get("/admin/").get_data(as_text=True)
    assert "No signing key is configured" in page
    app.config["CREDENTIALS_KEY_FILE"] = "/nonexistent/key.pem"
    try:
        page = client.get("/admin/").get_data(as_text=True)
    finally:
        app.config["CREDENTIALS_KEY_FILE"] = None
    assert "A configured key cannot be used (signing key: cannot read /nonexistent/key.pem" in page


def test_generate_key_writes_a_private_key_outside_the_repository(app, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "key.pem"
    result = runner.invoke(args=["credentials", "generate-key", str(path)])
    assert result.exit_code == 0, result.output
    assert PEM_PRIVATE_KEY.match(path.read_bytes())
    assert path.stat().st_mode & 0o777 == 0o600
    again = runner.invoke(args=["credentials", "generate-key", str(path)])
    assert again.exit_code != 0
    assert "never overwritten" in again.output
    inside = runner.invoke(args=["credentials", "generate-key", str(ROOT / "key.pem")])
    assert inside.exit_code != 0
    assert "inside the repository" in inside.output
    assert not (ROOT / "key.pem").exists()
    ec = runner.invoke(
        args=["credentials", "generate-key", "--type", "ec", str(tmp_path / "e.pem")]
    )
    assert ec.exit_code == 0


def test_sign_catches_up_with_certificates_issued_without_a_key(
    app, db, world, rsa_pem, monkeypatch
):
    complete(world, world.nusta)
    complete(world, world.luis)
    db.session.flush()  # both issued (and committed, in real life) before the key
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["credentials", "sign"])
    assert refused.exit_code != 0
    assert "No signing key is configured" in refused.output
    monkeypatch.setitem(app.config, "CREDENTIALS_KEY", rsa_pem)
    first = runner.invoke(args=["credentials", "sign"])
    assert first.exit_code == 0, first.output
    assert "Signed 2 credential(s)" in first.output
    second = runner.invoke(args=["credentials", "sign"])
    assert "Signed 0 credential(s)" in second.output
    assert db.session.scalar(select(func.count(Credential.id))) == 2


def test_a_rotated_key_stays_published_and_its_credentials_still_verify(
    app, db, world, signing, other_pem, tmp_path, monkeypatch
):
    complete(world, world.nusta)
    (old,) = credentials_of(db, certificate_of(db, world.nusta))
    retired = tmp_path / "retired.pem"
    retired.write_text(signing)
    monkeypatch.setitem(app.config, "CREDENTIALS_KEY", other_pem)
    monkeypatch.setitem(app.config, "CREDENTIALS_RETIRED_KEYS", str(retired))
    complete(world, world.luis)
    (new,) = credentials_of(db, certificate_of(db, world.luis))
    assert jwt.get_unverified_header(new.jwt)["alg"] == "ES256"
    keys = jwks_of(app.test_client())["keys"]
    assert [k["kty"] for k in keys] == ["EC", "RSA"]
    for credential in (old, new):
        report = verify.verify(credential.jwt, keys, offline=True)
        assert report.valid, report.text()
    assert payload(old.jwt)["iss"] == payload(new.jwt)["iss"]


def test_no_private_key_is_in_the_repository():
    """Every file git tracks or would add (untracked, not ignored) is free of PEM private
    keys; keys live where CREDENTIALS_KEY_FILE points, outside the repository."""
    listed = subprocess.run(  # noqa: S603
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    assert len(listed) > 100
    found = [
        name.decode()
        for name in filter(None, listed)
        if (ROOT / name.decode()).is_file()
        and PEM_PRIVATE_KEY.search((ROOT / name.decode()).read_bytes())
    ]
    assert found == []
