"""``python -m trainer.credentials.verify``: a downloaded credential verifies with only the
file and the JWKS, without the app; a changed name, date or signature fails and says why;
a revoked or reissued certificate's old credential is reported revoked when the status list
can be fetched (here from a local HTTP server, as the issuer's site would serve it)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.certificates.conftest import complete
from tests.certificates.test_manage import certificate_of
from tests.sessions import log_in
from trainer.certificates import services as certificates
from trainer.credentials import verify

ROOT = Path(__file__).resolve().parents[2]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def site(tmp_path):
    """A static web server standing in for the issuer's site: files under ``root``."""
    root = tmp_path / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def issuer(app, signing, site, monkeypatch):
    """The app signs as the site's issuer; ``publish()`` copies the JWKS and status list
    there, as the issuer's server would serve them."""
    root, url = site
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", url)

    def publish() -> None:
        client = app.test_client()
        (root / "credentials" / "status").mkdir(parents=True, exist_ok=True)
        (root / "credentials" / "jwks.json").write_bytes(client.get("/credentials/jwks.json").data)
        listed = client.get("/credentials/status/1")
        assert listed.status_code == 200
        (root / "credentials" / "status" / "1").write_bytes(listed.data)

    return publish


def download(app, person, certificate) -> str:
    client = log_in(app.test_client(), person)
    response = client.get(f"/certificates/{certificate.id}/credential")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data(as_text=True)


def keep(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="ascii")
    return str(path)


def changed(token: str, change) -> str:
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    change(claims)
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{head}.{body}.{signature}"


def jwks_file(app, tmp_path) -> str:
    return keep(
        tmp_path, "jwks.json", app.test_client().get("/credentials/jwks.json").data.decode()
    )


def published_keys(app) -> list[dict]:
    return json.loads(app.test_client().get("/credentials/jwks.json").data)["keys"]


def test_a_downloaded_credential_verifies_offline_with_the_file_and_the_jwks(
    app, db, world, signing, tmp_path, capsys
):
    complete(world, world.nusta)
    token = download(app, world.nusta, certificate_of(db, world.nusta))
    code = verify.main(
        [keep(tmp_path, "c.jwt", token), "--jwks", jwks_file(app, tmp_path), "--offline"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[-1] == "VALID"
    assert "issuer: trainer (http://localhost/credentials/issuer)" in out
    assert "revocation not checked (offline)" in out


def test_the_command_reads_no_app_configuration_nor_database(app, db, world, signing, tmp_path):
    """Run as a user would, in a fresh interpreter with no settings at all; it must not
    even import Flask, the app's configuration or SQLAlchemy."""
    complete(world, world.nusta)
    token = download(app, world.nusta, certificate_of(db, world.nusta))
    credential, jwks = keep(tmp_path, "c.jwt", token), jwks_file(app, tmp_path)
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['verify', {credential!r}, '--jwks', {jwks!r}, '--offline']\n"
        "try:\n"
        "    runpy.run_module('trainer.credentials.verify', run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    code = end.code\n"
        "loaded = sorted(m for m in ('flask', 'config', 'sqlalchemy', 'trainer.extensions')"
        " if m in sys.modules)\n"
        "print('LOADED', loaded, 'CODE', code)\n"
    )
    environment = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
        check=False,
    )
    assert "LOADED [] CODE 0" in result.stdout, result.stdout + result.stderr
    assert "VALID" in result.stdout
    # And as documented: python -m, exit status 0.
    plain = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "trainer.credentials.verify",
            credential,
            "--jwks",
            jwks,
            "--offline",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
        check=False,
    )
    assert plain.returncode == 0, plain.stdout + plain.stderr


@pytest.mark.parametrize(
    ("what", "change"),
    [
        (
            "name",
            lambda c: c["credentialSubject"]["identifier"][1].update(identityHash="Someone Else"),
        ),
        ("date", lambda c: c.update(validFrom="2020-01-01T05:00:00Z")),
        ("hours", lambda c: c["credentialSubject"].update(creditsEarned=120.0)),
    ],
)
def test_a_changed_credential_fails_on_its_signature(
    app, db, world, signing, tmp_path, what, change
):
    complete(world, world.nusta)
    token = download(app, world.nusta, certificate_of(db, world.nusta))
    report = verify.verify(
        changed(token, change),
        published_keys(app),
        offline=True,
    )
    assert not report.valid, what
    assert report.failures == [
        "credential signature: the signature does not match: the credential was changed "
        "after it was signed, or signed with another key"
    ]


def test_a_changed_signature_fails_and_says_so(app, db, world, signing, tmp_path, capsys):
    complete(world, world.nusta)
    token = download(app, world.nusta, certificate_of(db, world.nusta))
    head, body, signature = token.split(".")
    forged = f"{head}.{body}.{signature[::-1]}"
    code = verify.main(
        [keep(tmp_path, "c.jwt", forged), "--jwks", jwks_file(app, tmp_path), "--offline"]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "NOT VALID: credential signature: the signature does not match" in out


def test_an_expired_or_not_yet_valid_credential_fails_on_its_dates(
    app, db, world, signing, tmp_path
):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    token = download(app, world.nusta, certificate)
    keys = published_keys(app)
    later = datetime(certificate.expires_on.year + 1, 1, 1, tzinfo=UTC)
    report = verify.verify(token, keys, now=later, offline=True)
    assert [f.split(" on ")[0] for f in report.failures] == ["dates: expired"]
    earlier = datetime(2000, 1, 1, tzinfo=UTC)
    assert (
        verify.verify(token, keys, now=earlier, offline=True)
        .failures[0]
        .startswith("dates: not valid before")
    )


def test_another_issuers_keys_do_not_verify_it(
    app, db, world, signing, other_pem, tmp_path, monkeypatch
):
    complete(world, world.nusta)
    token = download(app, world.nusta, certificate_of(db, world.nusta))
    monkeypatch.setitem(app.config, "CREDENTIALS_KEY", other_pem)
    keys = json.loads(app.test_client().get("/credentials/jwks.json").data)["keys"]
    report = verify.verify(token, keys, offline=True)
    assert report.failures[0].startswith(
        "credential key: the key http://localhost/credentials/jwks.json#"
    )
    assert report.failures[0].endswith("is not in the JWKS")


def test_a_revoked_certificates_credential_is_reported_revoked(
    app, db, world, issuer, tmp_path, capsys
):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    token = download(app, world.nusta, certificate)
    issuer()
    path = keep(tmp_path, "c.jwt", token)
    # Online, with the JWKS the credential's kid points to: valid, status checked.
    assert verify.main([path]) == 0
    assert "ok     status: not revoked" in capsys.readouterr().out
    certificates.revoke(world.admin, certificate_of(db, world.nusta), "Fraud")
    db.session.flush()
    issuer()
    assert verify.main([path]) == 1
    out = capsys.readouterr().out
    assert "NOT VALID: status: revoked by its issuer" in out


def test_a_reissued_certificates_old_credential_is_reported_revoked(
    app, db, world, issuer, tmp_path, capsys
):
    complete(world, world.nusta)
    certificate = certificate_of(db, world.nusta)
    old = download(app, world.nusta, certificate)
    world.nusta.full_name = "Ñusta Quishpe"
    db.session.flush()
    certificate = certificate_of(db, world.nusta)
    certificates.reissue(world.admin, certificate, "Name corrected")
    issuer()
    new = download(app, world.nusta, certificate)
    assert verify.main([keep(tmp_path, "old.jwt", old)]) == 1
    assert "status: revoked by its issuer" in capsys.readouterr().out
    assert verify.main([keep(tmp_path, "new.jwt", new)]) == 0


def test_an_unreachable_status_list_is_reported_not_checked(
    app, db, world, issuer, site, tmp_path, capsys
):
    complete(world, world.nusta)
    token = download(app, world.nusta, certificate_of(db, world.nusta))
    issuer()
    root, _url = site
    jwks = str(root / "credentials" / "jwks.json")
    (root / "credentials" / "status" / "1").unlink()
    assert verify.main([keep(tmp_path, "c.jwt", token), "--jwks", jwks]) == 0
    assert "note   revocation not checked: cannot fetch" in capsys.readouterr().out


def test_unreadable_files_are_named(tmp_path, capsys):
    assert verify.main([str(tmp_path / "missing.jwt"), "--offline"]) == 2
    assert "cannot read" in capsys.readouterr().err
    not_a_token = keep(tmp_path, "c.jwt", "hello")
    jwks = keep(tmp_path, "jwks.json", '{"keys": []}')
    assert verify.main([not_a_token, "--jwks", jwks]) == 1
    assert "credential format: not a compact JWS" in capsys.readouterr().out
