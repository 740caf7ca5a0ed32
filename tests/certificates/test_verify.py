"""Public verification: valid, expired or revoked, as a page and as JSON, for anybody; unknown
codes are 404; lookups are rate-limited per address."""

from __future__ import annotations

import os
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from config import ConfigurationError, TestingConfig
from tests.certificates.conftest import HOLDER, complete
from trainer import create_app
from trainer.certificates import codes, services
from trainer.certificates.models import Certificate

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def certificate(db, world):
    complete(world, world.nusta)
    return db.session.scalar(select(Certificate).where(Certificate.user_id == world.nusta.id))


def page(client, code: str) -> str:
    response = client.get(f"/verify/{code}")
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


def test_a_valid_certificate_shows_the_holder_course_hours_date_and_issuer(
    client, world, certificate
):
    html = page(client, certificate.code)
    assert "Valid certificate" in html
    assert f"valid until {certificate.expires_on:%B} {certificate.expires_on.day}" in html
    assert HOLDER in html
    assert "Gestión municipal de la movilidad humana" in html
    assert "<dd>12</dd>" in html
    assert certificate.programme_name in html
    # Nothing else personal: no e-mail, no institution, no signatories.
    assert world.nusta.email not in html
    assert "GAD Municipal de Quito" not in html
    assert "Laura Méndez" not in html
    assert '<meta name="robots" content="noindex">' in html
    data = client.get(f"/verify/{certificate.code}.json").get_json()
    assert data == {
        "code": certificate.code,
        "status": "valid",
        "valid": True,
        "kind": "completion",
        "holder": HOLDER,
        "course": "Gestión municipal de la movilidad humana",
        "title": "Certificado en gestión municipal de la movilidad humana",
        "hours": 12.0,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "revoked_on": None,
        "issuer": certificate.programme_name,
        "url": f"http://localhost/verify/{certificate.code}",
    }


def test_an_expired_certificate_says_so(client, db, certificate):
    certificate.issued_on = date(2020, 1, 10)
    certificate.expires_on = date(2022, 1, 9)
    db.session.flush()
    html = page(client, certificate.code)
    assert "Expired certificate" in html
    assert "This certificate expired on January 9, 2022." in html
    data = client.get(f"/verify/{certificate.code}.json").get_json()
    assert (data["status"], data["valid"], data["expires_on"]) == ("expired", False, "2022-01-09")


def test_a_revoked_certificate_says_so_with_the_date(client, world, certificate):
    services.revoke(world.admin, certificate, "Issued to the wrong person")
    html = page(client, certificate.code)
    assert "Revoked certificate" in html
    revoked_on = certificate.revoked_at - timedelta(hours=5)  # Quito
    assert f"revoked on {revoked_on:%B} {revoked_on.day}, {revoked_on.year}" in html
    assert "wrong person" not in html  # the reason is for the coordinators
    data = client.get(f"/verify/{certificate.code}.json").get_json()
    assert (data["status"], data["valid"]) == ("revoked", False)
    assert data["revoked_on"] == revoked_on.date().isoformat()


def test_an_unknown_code_is_404_as_a_page_and_as_json(client, db):
    unknown = codes.new_code()
    response = client.get(f"/verify/{unknown}")
    assert response.status_code == 404
    assert "No certificate has this code" in response.get_data(as_text=True)
    response = client.get(f"/verify/{unknown}.json")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found", "message": "No certificate has this code."}
    # Not even a code: 404 without a look-up, as JSON too.
    assert client.get("/verify/not-a-code.json").get_json()["error"] == "not_found"


def test_the_form_sends_a_typed_code_to_its_page(client, certificate):
    typed = certificate.code.lower().replace("-", " ")
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/verify/{certificate.code}"
    # A code typed in lower case on the address itself goes to its canonical address.
    response = client.get(f"/verify/{certificate.code.lower()}")
    assert response.headers["Location"] == f"/verify/{certificate.code}"


def test_the_form_explains_what_a_code_looks_like(client, db):
    response = client.get("/verify", query_string={"code": "O0I1-nope"})
    assert response.status_code == 200
    assert "a code has 16 letters and digits" in response.get_data(as_text=True)


def test_the_pages_are_in_the_readers_language(client, certificate):
    response = client.get(f"/verify/{certificate.code}", headers={"Accept-Language": "fr"})
    html = response.get_data(as_text=True)
    assert "Certificat valide" in html
    response = client.get(f"/verify/{certificate.code}", headers={"Accept-Language": "es"})
    assert "Certificado válido" in response.get_data(as_text=True)


def test_codes_carry_80_bits_in_an_alphabet_read_aloud():
    assert codes.BITS >= 80
    assert not set("0O1I") & set(codes.ALPHABET)
    seen = {codes.new_code() for _ in range(200)}
    assert len(seen) == 200
    for code in seen:
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}", code)
    code = seen.pop()
    assert codes.normalise(f"  {code.lower().replace('-', ' ')} ") == code
    assert codes.normalise(code.replace("-", "")) == code
    assert codes.normalise(code[:-1] + "0") is None
    assert codes.normalise(code + "A") is None
    assert codes.normalise("x" * 1000) is None


@pytest.fixture
def limited_app(make_app):
    return make_app(CERTIFICATE_LOOKUP_LIMIT="3 per minute")


def test_lookups_are_limited_per_address(limited_app, db):
    unknown = codes.new_code()
    client = limited_app.test_client()
    office = {"REMOTE_ADDR": "203.0.113.7"}
    statuses = [client.get(f"/verify/{unknown}", environ_base=office).status_code for _ in range(3)]
    assert statuses == [404, 404, 404]
    refused = client.get(f"/verify/{unknown}.json", environ_base=office)  # the same budget
    assert refused.status_code == 429
    assert refused.get_json()["status"] == 429
    assert int(refused.headers["Retry-After"]) > 0
    page_refused = client.get(f"/verify/{unknown}", environ_base=office)
    assert page_refused.status_code == 429
    assert "Too many attempts" in page_refused.get_data(as_text=True)
    # Another address has its own budget; the form without a code is no look-up.
    other = {"REMOTE_ADDR": "198.51.100.20"}
    assert client.get(f"/verify/{unknown}", environ_base=other).status_code == 404
    assert client.get("/verify", environ_base=office).status_code == 200


def test_the_default_limit_is_generous_and_configurable():
    assert TestingConfig.__mro__[1].CERTIFICATE_LOOKUP_LIMIT == "60 per minute"
    with pytest.raises(ConfigurationError, match="CERTIFICATE_LOOKUP_LIMIT"):
        create_app(TestingConfig, CERTIFICATE_LOOKUP_LIMIT="lots")


def test_with_redis_url_lookups_are_counted_in_redis(make_app, db):
    import redis
    from limits.storage import RedisStorage

    from trainer.extensions import limiter

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    app = make_app(REDIS_URL=REDIS_URL, CERTIFICATE_LOOKUP_LIMIT="2 per minute")
    assert isinstance(limiter.storage, RedisStorage)
    ip = f"192.0.2.{uuid.uuid4().int % 250 + 1}"
    address = {"REMOTE_ADDR": ip}
    test_client = app.test_client()
    unknown = codes.new_code()
    try:
        statuses = [
            test_client.get(f"/verify/{unknown}", environ_base=address).status_code
            for _ in range(3)
        ]
        assert statuses == [404, 404, 429]
        assert client.keys(f"*trainer/{ip}/certificate-lookup*")
    finally:
        for key in client.keys(f"*trainer/{ip}/*"):
            client.delete(key)
        client.close()
