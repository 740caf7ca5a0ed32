"""On PostgreSQL, two transactions signing at once never share a status index, and two
revocations at once both end up in the signed status list."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tests.certificates.test_concurrency import race
from tests.credentials.conftest import payload
from tests.factories import Factories
from trainer.certificates import services as certificates
from trainer.credentials import bitstring, status
from trainer.credentials import services as credentials
from trainer.credentials.models import Credential, StatusList
from trainer.dbtypes import utcnow
from trainer.extensions import db as _db
from trainer.learning import services as learning

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def three_certificates(app, committing_db, tmp_path, rsa_pem, monkeypatch):
    """Three committed certificates; the first signed (so the status list exists), the
    other two not yet. Returns their ids."""
    if committing_db.engine.dialect.name != "postgresql":
        pytest.skip(
            "needs PostgreSQL (TEST_DATABASE_URL): SQLite lets one writer at a time hold the "
            "whole database; the unique index and the retry are tested on SQLite by "
            "test_status.py::test_a_taken_index_is_drawn_again"
        )
    make = Factories(committing_db, tmp_path)
    course = make.course(modules=1)
    ids = []
    for _ in range(3):
        enrolment = learning.enrol(make.user(), course)
        enrolment.completed_at = utcnow()
        committing_db.session.flush()
        ids.append(certificates.issue_completion(enrolment).id)
    committing_db.session.commit()
    monkeypatch.setitem(app.config, "CREDENTIALS_KEY", rsa_pem)
    credentials.sign_certificates(ids[:1])
    committing_db.session.commit()
    return ids


def in_own_transaction(app, work):
    def run():
        with app.app_context():
            try:
                result = work()
                _db.session.commit()
                return result
            finally:
                _db.session.remove()

    return run


def test_two_transactions_drawing_the_same_index_both_get_a_place(
    app, three_certificates, monkeypatch
):
    _first, *pending = three_certificates
    common = 4242
    original = status.draw
    barrier = threading.Barrier(2, timeout=10)
    seen = threading.local()

    def same_draw(list_id, size, count):
        if getattr(seen, "drawn", False):
            return original(list_id, size, count)
        seen.drawn = True
        barrier.wait()  # both have drawn the same index before either inserts
        return [common]

    monkeypatch.setattr(status, "draw", same_draw)
    queue = list(pending)
    lock = threading.Lock()

    def sign_one():
        with lock:
            certificate_id = queue.pop()
        return credentials.sign_certificates([certificate_id])

    assert race(in_own_transaction(app, sign_one)) == [1, 1]
    with app.app_context():
        rows = _db.session.scalars(
            select(Credential).where(Credential.certificate_id.in_(pending))
        ).all()
        indexes = sorted(row.status_index for row in rows)
        assert len(indexes) == 2
        assert common in indexes
        assert len(set(indexes)) == 2
        for row in rows:  # each JWT names the index its row holds
            assert payload(row.jwt)["credentialStatus"]["statusListIndex"] == str(row.status_index)
        _db.session.remove()


def test_two_revocations_at_once_are_both_in_the_signed_list(app, three_certificates, monkeypatch):
    with app.app_context():
        credentials.sign_certificates(three_certificates[1:])
        _db.session.commit()
        _db.session.remove()
    barrier = threading.Barrier(2, timeout=10)
    original = status.resign

    def meeting(*args, **kwargs):
        barrier.wait()  # both have revoked their row before either signs the list
        return original(*args, **kwargs)

    monkeypatch.setattr(status, "resign", meeting)
    queue = list(three_certificates[1:])
    lock = threading.Lock()

    def revoke_one():
        with lock:
            certificate_id = queue.pop()
        return credentials.revoke_credentials(certificate_id, "revoked")

    assert race(in_own_transaction(app, revoke_one)) == [1, 1]
    with app.app_context():
        revoked = _db.session.scalars(
            select(Credential.status_index).where(Credential.revoked_at.is_not(None))
        ).all()
        listed = _db.session.get(StatusList, 1)
        bits = bitstring.decode(payload(listed.jwt)["credentialSubject"]["encodedList"])
        assert len(revoked) == 2
        assert all(bitstring.is_set(bits, index) for index in revoked)
        _db.session.remove()
