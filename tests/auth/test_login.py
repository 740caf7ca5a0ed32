"""Logging in and out, CSRF, throttling, passwords and sessions."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import DEFAULT_PASSWORD
from trainer.auth import services, throttle
from trainer.auth.models import LoginThrottle, User
from trainer.dbtypes import utcnow


def _login(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_login_with_the_right_password_opens_the_home_page(client, make):
    user = make.user(full_name="Ana Ruiz")
    response = _login(client, user.email)
    assert response.status_code == 302
    assert "Ana Ruiz" in client.get("/").get_data(as_text=True)


def test_login_is_case_insensitive_on_email(client, make):
    user = make.user(email="mixed@example.org")
    assert _login(client, "  MIXED@Example.org ").status_code == 302
    assert client.get("/").status_code == 200
    assert user.last_login_at is not None


def test_wrong_password_is_refused_with_a_message(client, make):
    user = make.user()
    response = _login(client, user.email, "wrong password")
    assert response.status_code == 401
    assert b"Wrong e-mail or password." in response.data
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_log_in(client, make):
    user = make.user()
    user.is_active = False
    assert _login(client, user.email).status_code == 401


def test_every_refused_login_costs_one_password_check(client, make, monkeypatch):
    """Unknown e-mail, account without a password yet, wrong password: the same argon2 work,
    so the response time does not tell which addresses have accounts."""
    from argon2 import PasswordHasher

    user = make.user()
    pending = make.user(password=None)
    checks = []
    real_verify = PasswordHasher.verify

    def counting_verify(self, *args, **kwargs):
        checks.append(1)
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    counts = []
    for email in ("nobody@example.org", pending.email, user.email):
        checks.clear()
        assert _login(client, email, "wrong password").status_code == 401
        counts.append(len(checks))
    assert counts == [1, 1, 1]


def test_post_without_csrf_token_is_refused_with_400(client, make):
    user = make.user()
    response = client.post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD}, csrf=False
    )
    assert response.status_code == 400
    assert b"reload the page" in response.data


def test_logout_needs_post(client, make, login_as):
    login_as(make.user())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_next_parameter_only_redirects_within_the_site(client, make):
    user = make.user()
    response = _login(client, user.email, next="https://evil.example/phish")
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = _login(client, user.email, next="/account/password")
    assert response.headers["Location"] == "/account/password"


def test_ten_wrong_passwords_lock_the_account_and_address(client, make, db):
    user = make.user()
    for _ in range(10):
        response = _login(client, user.email, "wrong password")
        assert response.status_code == 401
    assert b"locked until" in response.data
    # Even the right password is refused while locked, from that address.
    response = _login(client, user.email)
    assert response.status_code == 401
    assert b"locked until" in response.data
    # Another address is not locked out by someone else's guessing.
    other = client.application.test_client()
    response = other.post(
        "/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert response.status_code == 302


def test_failures_after_the_soft_limit_must_wait(client, make):
    user = make.user()
    for _ in range(5):
        _login(client, user.email, "wrong password")
    response = _login(client, user.email)
    assert response.status_code == 401
    assert b"seconds before" in response.data


def test_lock_expires(app, make, db):
    user = make.user()
    key = throttle.throttle_key(user.email, "127.0.0.1")
    for _ in range(10):
        throttle.record_failure(key)
    assert not throttle.check(key).allowed
    row = db.session.get(LoginThrottle, key)
    row.locked_until = utcnow() - timedelta(seconds=1)
    row.window_started_at = utcnow() - timedelta(hours=1)
    db.session.flush()
    assert throttle.check(key).allowed


def test_successful_login_resets_the_counter(client, make, db):
    user = make.user()
    for _ in range(3):
        _login(client, user.email, "wrong password")
    assert _login(client, user.email).status_code == 302
    key = throttle.throttle_key(user.email, "127.0.0.1")
    assert db.session.get(LoginThrottle, key) is None


def test_password_is_stored_as_argon2id(make):
    user = make.user()
    assert user.password_hash.startswith("$argon2id$")
    assert DEFAULT_PASSWORD not in user.password_hash


def test_password_change_ends_other_sessions(app, client, make):
    user = make.user()
    other_device = app.test_client()
    assert _login(other_device, user.email).status_code == 302
    assert other_device.get("/").status_code == 200

    assert _login(client, user.email).status_code == 302
    response = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
    )
    assert response.status_code == 302
    # This browser stays logged in; the other device is logged out.
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_password_change_ends_remember_me_cookies(app, client, make, db):
    user = make.user()
    remembered = app.test_client()
    _login(remembered, user.email, remember="y")
    cookie = remembered.get_cookie("trainer_remember")
    assert cookie is not None
    assert cookie.http_only
    fresh = app.test_client()
    fresh.set_cookie("trainer_remember", cookie.value)
    assert fresh.get("/").status_code == 200

    user = db.session.get(User, user.id)
    services.set_password(user, "another new password")
    stale = app.test_client()
    stale.set_cookie("trainer_remember", cookie.value)
    assert stale.get("/").status_code == 302


def test_password_change_needs_the_current_password(client, make, login_as):
    login_as(make.user())
    response = client.post(
        "/account/password",
        data={"current_password": "nope", "password": "x" * 12, "confirm": "x" * 12},
    )
    assert response.status_code == 200
    assert b"current password is not correct" in response.data


def test_deactivation_ends_sessions(client, make, login_as, db):
    user = make.user()
    login_as(user)
    assert client.get("/").status_code == 200
    user = db.session.get(User, user.id)
    user.is_active = False
    db.session.flush()
    assert client.get("/").status_code == 302


def test_one_time_link_sets_the_password_once(app, client, make, db):
    admin = make.user("admin")
    user = make.user(password=None)
    token = services.create_password_token(user, admin)
    response = client.get(f"/set-password/{token}")
    assert response.status_code == 200
    response = client.post(
        f"/set-password/{token}", data={"password": "my own password", "confirm": "my own password"}
    )
    assert response.status_code == 302
    assert _login(client, user.email, "my own password").status_code == 302
    assert client.get(f"/set-password/{token}").status_code == 410


def test_expired_link_is_refused(app, client, make, db):
    user = make.user()
    token = services.create_password_token(user, None, hours=1)
    row = services.find_password_token(token)
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert client.get(f"/set-password/{token}").status_code == 410


def test_forgot_password_is_hidden_without_mail(client):
    assert client.get("/forgot-password").status_code == 404
    assert b"Ask your coordinator" in client.get("/login").data


def test_two_first_failures_at_once_both_count(app, committing_db):
    import threading

    key = throttle.throttle_key("race@example.org", "198.51.100.7")
    barrier = threading.Barrier(2)
    errors = []

    def fail_once():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                throttle.record_failure(key)
                committing_db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
                committing_db.session.rollback()
            finally:
                committing_db.session.remove()

    threads = [threading.Thread(target=fail_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert committing_db.session.get(LoginThrottle, key).failures == 2


def _lock(client, user):
    for _ in range(10):
        response = _login(client, user.email, "wrong password")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    return html[html.index('role="alert"') : html.index("</p>", html.index('role="alert"'))]


def test_the_lock_message_points_to_forgot_password_only_with_mail(make_app, make, db):
    user = make.user()
    alert = _lock(make_app(MAIL_SERVER="smtp.example.org").test_client(), user)
    assert "locked until" in alert
    assert "“Forgot your password?”" in alert
    assert "&#34;" not in alert
    assert "&amp;" not in alert


def test_without_mail_the_lock_message_sends_people_to_their_coordinator(client, make):
    alert = _lock(client, make.user())
    assert "locked until" in alert
    assert "Forgot your password" not in alert
    assert "ask your coordinator" in alert
    assert "&#34;" not in alert
