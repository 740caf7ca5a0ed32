"""API tokens: created and revoked on the coordinators' page, shown once, stored hashed;
only a working token of an active coordinator opens the API, never a log-in cookie."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select, text

from tests.sessions import log_in
from trainer.api import tokens
from trainer.api.models import ApiToken
from trainer.auth.models import AuditEntry, Role
from trainer.dbtypes import utcnow

ENROLMENTS = "/api/v1/enrolments"


def test_a_token_is_kept_only_as_its_hash(db, make, token_for):
    coordinator = make.user(Role.COORDINATOR)
    secret = token_for(coordinator)
    assert re.fullmatch(r"trn_[A-Za-z0-9_-]{43}", secret)
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == coordinator.id))
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:12]
    row = db.session.execute(text("SELECT * FROM api_token WHERE id = :id"), {"id": stored.id})
    assert secret not in " ".join(str(value) for value in row.one())


def test_the_page_shows_a_new_token_once(app, db, make):
    coordinator = make.user(Role.COORDINATOR)
    client = log_in(app.test_client(), coordinator)
    created = client.post(
        "/account/api-tokens", data={"name": "Payroll", "csrf_token": client.csrf_token()}
    )
    assert created.status_code == 200
    secret = re.search(r'value="(trn_[^"]+)"', created.get_data(as_text=True)).group(1)
    assert created.headers["Cache-Control"] == "no-store"
    listed = client.get("/account/api-tokens").get_data(as_text=True)
    assert "Payroll" in listed
    assert secret[:12] in listed
    assert secret not in listed
    assert app.test_client().get(ENROLMENTS, headers=_bearer(secret)).status_code == 200


def test_a_token_needs_a_name(app, db, make):
    client = log_in(app.test_client(), make.user(Role.COORDINATOR))
    refused = client.post("/account/api-tokens", data={"csrf_token": client.csrf_token()})
    assert refused.status_code == 400
    assert "trn_" not in refused.get_data(as_text=True)


def test_revoked_tokens_stop_working(app, db, make, token_for):
    coordinator = make.user(Role.COORDINATOR)
    secret = token_for(coordinator)
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == coordinator.id))
    client = log_in(app.test_client(), coordinator)
    revoked = client.post(
        f"/account/api-tokens/{token_id}/revoke", data={"csrf_token": client.csrf_token()}
    )
    assert revoked.status_code == 302
    response = app.test_client().get(ENROLMENTS, headers=_bearer(secret))
    assert response.status_code == 401
    assert response.get_json()["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_or_demoted_coordinator_s_token_stops_working(app, db, make, token_for):
    deactivated = make.user(Role.COORDINATOR)
    demoted = make.user(Role.COORDINATOR)
    secrets = {token_for(deactivated), token_for(demoted)}
    deactivated.is_active = False
    demoted.role = Role.PARTICIPANT.value
    db.session.flush()
    for secret in secrets:
        assert app.test_client().get(ENROLMENTS, headers=_bearer(secret)).status_code == 401


def test_a_log_in_cookie_does_not_open_the_api(app, db, make):
    for user in (make.user(Role.COORDINATOR), make.user(Role.ADMIN)):
        client = log_in(app.test_client(), user)
        assert client.get("/account/password").status_code == 200  # the cookie works...
        response = client.get(ENROLMENTS)  # ...but not here
        assert response.status_code == 401
        assert response.is_json


def test_bad_authorization_headers_get_401_json(app, db, make, token_for):
    secret = token_for(make.user(Role.COORDINATOR))
    for header in (
        "",
        "Bearer",
        "Bearer ",
        f"Basic {secret}",
        f"Bearer {secret}x",
        f"Bearer {secret[:-1]}",
        "Bearer trn_" + "A" * 43,
        "Bearer \x00",
        "Bearer " + "x" * 5000,
        f"bearer {secret} extra",
    ):
        response = app.test_client().get(ENROLMENTS, headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.get_json()["error"]
    assert (
        app.test_client().get(ENROLMENTS, headers={"Authorization": f"bearer {secret}"}).status_code
        == 200
    )


def test_last_use_is_noted_every_few_minutes(app, db, make, token_for):
    coordinator = make.user(Role.COORDINATOR)
    secret = token_for(coordinator)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == coordinator.id))
    assert token.last_used_at is None
    app.test_client().get(ENROLMENTS, headers=_bearer(secret))
    db.session.expire_all()
    first = db.session.get(ApiToken, token.id).last_used_at
    assert first is not None
    app.test_client().get(ENROLMENTS, headers=_bearer(secret))
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == first
    assert tokens.used_long_ago(db.session.get(ApiToken, token.id), first + tokens.SEEN_EVERY)
    assert not tokens.used_long_ago(
        db.session.get(ApiToken, token.id), first + tokens.SEEN_EVERY - timedelta(seconds=1)
    )


def test_only_coordinators_hold_tokens(db, make):
    assert tokens.can_hold_tokens(make.user(Role.COORDINATOR))
    assert tokens.can_hold_tokens(make.user(Role.COORDINATOR, is_programme_wide=True))
    for role in (Role.PARTICIPANT, Role.TRAINER, Role.ADMIN):
        assert not tokens.can_hold_tokens(make.user(role))


def test_a_coordinator_revokes_only_their_own(db, make):
    owner, other = make.user(Role.COORDINATOR), make.user(Role.COORDINATOR)
    new = tokens.create(owner, "HR")
    assert tokens.revoke(other, new.token.id) is None
    assert new.token.revoked_at is None
    revoked = tokens.revoke(owner, new.token.id)
    first = revoked.revoked_at
    assert first is not None
    assert first <= utcnow()
    assert tokens.revoke(owner, new.token.id).revoked_at == first


def test_the_number_of_working_tokens_is_bounded(app, db, make):
    coordinator = make.user(Role.COORDINATOR)
    for n in range(tokens.MAX_TOKENS):
        tokens.create(coordinator, f"System {n}")
    db.session.flush()
    client = log_in(app.test_client(), coordinator)
    refused = client.post(
        "/account/api-tokens", data={"name": "One more", "csrf_token": client.csrf_token()}
    )
    assert refused.status_code == 400
    assert "revoke one first" in refused.get_data(as_text=True)


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_creating_and_revoking_a_token_are_audited_without_the_secret(app, db, make):
    coordinator = make.user(Role.COORDINATOR, institution=make.institution())
    new = tokens.create(coordinator, "Payroll")
    tokens.revoke(coordinator, new.token.id)
    tokens.revoke(coordinator, new.token.id)  # a second revocation changes nothing
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "api_token").order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["api_token.create", "api_token.revoke"]
    for entry in entries:
        assert entry.actor_id == coordinator.id
        assert entry.target_id == new.token.id
        assert entry.institution_id == coordinator.institution_id
        assert entry.after == {"name": "Payroll", "prefix": new.secret[:12]}
        assert new.secret not in f"{entry.summary} {entry.after}"
    admin = log_in(app.test_client(), make.user(Role.ADMIN))
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "API token created" in page
    assert "API token revoked" in page
    assert "Payroll" in page
