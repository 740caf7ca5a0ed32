"""Log-ins recorded per device: logging out is final, and people see and end their log-ins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.factories import DEFAULT_PASSWORD
from tests.sessions import log_in
from trainer.auth import logins, services
from trainer.auth.models import LoginSession, Role, User
from trainer.dbtypes import utcnow

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def _login(client, user, user_agent=FIREFOX_ANDROID, **extra):
    response = client.post(
        "/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD, **extra},
        headers={"User-Agent": user_agent},
    )
    assert response.status_code == 302
    return client


def _with_cookie(app, name: str, value: str):
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def _set(db, login: LoginSession, **values) -> None:
    db.session.execute(update(LoginSession).where(LoginSession.id == login.id).values(**values))
    db.session.commit()


def _logins(db, user) -> list[LoginSession]:
    return list(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)))


def test_a_copied_session_cookie_stops_working_at_logout(app, client, make):
    user = make.user()
    _login(client, user)
    copied = client.get_cookie("trainer_session").value
    assert _with_cookie(app, "trainer_session", copied).get("/").status_code == 200

    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302
    assert _with_cookie(app, "trainer_session", copied).get("/").status_code == 302


def test_a_copied_remember_me_cookie_stops_working_at_logout(app, client, make):
    user = make.user()
    _login(client, user, remember="y")
    copied = client.get_cookie("trainer_remember").value
    assert _with_cookie(app, "trainer_remember", copied).get("/").status_code == 200

    assert client.post("/logout").status_code == 302
    assert _with_cookie(app, "trainer_remember", copied).get("/").status_code == 302


def test_logging_out_ends_only_that_device(app, make, db):
    user = make.user()
    phone = _login(app.test_client(), user, FIREFOX_ANDROID)
    laptop = _login(app.test_client(), user, CHROME_WINDOWS)
    assert len(_logins(db, user)) == 2
    phone.post("/logout")
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    assert [login.device for login in _logins(db, user)] == ["Chrome · Windows"]


def test_a_password_set_through_a_link_ends_every_log_in(app, make, db):
    user = make.user()
    remembered = _login(app.test_client(), user, remember="y")
    copied = remembered.get_cookie("trainer_remember").value
    token = services.create_password_token(user, None)
    link = app.test_client()
    data = {"password": "a new password here", "confirm": "a new password here"}
    assert link.post(f"/set-password/{token}", data=data).status_code == 302
    assert remembered.get("/").status_code == 302
    assert _with_cookie(app, "trainer_remember", copied).get("/").status_code == 302
    assert _logins(db, user) == []


def test_a_new_role_ends_every_log_in(app, make, db, client_for_admin):
    person = make.user(email="promoted@example.org")
    theirs = _login(app.test_client(), person)
    response = client_for_admin.post(
        f"/admin/users/{person.id}",
        data={
            "email": person.email,
            "full_name": person.full_name,
            "role": Role.TRAINER.value,
            "institution": str(person.institution_id),
            "language": "",
        },
    )
    assert response.status_code == 302
    assert theirs.get("/").status_code == 302


def test_deactivation_ends_every_log_in(app, make, db, client_for_admin):
    person = make.user()
    theirs = _login(app.test_client(), person, remember="y")
    copied = theirs.get_cookie("trainer_remember").value
    assert client_for_admin.post(f"/admin/users/{person.id}/deactivate").status_code == 302
    assert theirs.get("/").status_code == 302
    assert _with_cookie(app, "trainer_remember", copied).get("/").status_code == 302
    assert _logins(db, person) == []


@pytest.fixture
def client_for_admin(app, make):
    return log_in(app.test_client(), make.user(Role.ADMIN))


def test_the_page_lists_each_device_and_marks_this_one(app, make, db):
    user = make.user()
    _login(app.test_client(), user, FIREFOX_ANDROID)
    laptop = _login(app.test_client(), user, CHROME_WINDOWS)
    page = laptop.get("/account/sessions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Firefox · Android" in html
    assert "Chrome · Windows" in html
    assert html.count("This device") == 1
    assert html.index("This device") > html.index("Chrome · Windows")
    assert page.headers["Cache-Control"] == "no-store"


def test_ending_one_other_device(app, make, db):
    user = make.user()
    phone = _login(app.test_client(), user, FIREFOX_ANDROID)
    laptop = _login(app.test_client(), user, CHROME_WINDOWS)
    (phone_login,) = [row for row in _logins(db, user) if row.device.startswith("Firefox")]
    response = laptop.post(f"/account/sessions/{phone_login.id}/end")
    assert response.status_code == 302
    assert "That device has been logged out." in laptop.get("/account/sessions").get_data(
        as_text=True
    )
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200


def test_ending_every_other_device(app, make, db):
    user = make.user()
    others = [_login(app.test_client(), user) for _ in range(3)]
    laptop = _login(app.test_client(), user, CHROME_WINDOWS)
    assert laptop.post("/account/sessions/end-others").status_code == 302
    assert [other.get("/").status_code for other in others] == [302, 302, 302]
    assert laptop.get("/").status_code == 200
    assert len(_logins(db, user)) == 1


def test_nobody_ends_someone_elses_log_in(app, make, db):
    victim, intruder = make.user(), make.user()
    theirs = _login(app.test_client(), victim)
    (login,) = _logins(db, victim)
    mine = _login(app.test_client(), intruder)
    assert mine.post(f"/account/sessions/{login.id}/end").status_code == 404
    assert mine.post("/account/sessions/end-others").status_code == 302
    assert theirs.get("/").status_code == 200


def test_ending_this_device_from_the_list_logs_out(app, make, db):
    user = make.user()
    client = _login(app.test_client(), user)
    (login,) = _logins(db, user)
    assert client.post(f"/account/sessions/{login.id}/end").status_code == 302
    assert client.get("/").status_code == 302


def test_pages_write_last_seen_only_every_few_minutes(app, client, make, db, count_queries):
    user = make.user()
    _login(client, user)
    (login,) = _logins(db, user)
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]

    stale = utcnow() - timedelta(minutes=10)
    _set(db, login, last_seen_at=stale)
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    writes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 1
    assert "login_session" in writes[0]
    db.session.expire_all()
    assert db.session.get(LoginSession, login.id).last_seen_at > stale


def test_the_user_loader_checks_the_log_in_in_its_one_query(app, client, make, count_queries):
    user = make.user()
    _login(client, user)
    with count_queries() as statements:
        assert client.get("/account/password").status_code == 200
    loads = [s for s in statements if "user_account" in s and "login_session" in s]
    assert len(loads) == 1
    assert "JOIN" in loads[0].upper()
    assert len(statements) == 2  # the user, and the programme settings for the layout


@pytest.mark.parametrize(
    "value",
    ["1.1", "", "x" * 43, "../../etc", "1\x00", "a" * 5000],
)
def test_a_forged_or_old_style_session_opens_nothing(app, make, value):
    make.user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = value
    assert client.get("/").status_code == 302


def test_an_expired_log_in_opens_nothing_and_cleanup_deletes_it(app, client, make, db):
    user = make.user()
    _login(client, user)
    (login,) = _logins(db, user)
    _set(db, login, expires_at=utcnow() - timedelta(minutes=1))
    assert client.get("/").status_code == 302
    result = app.test_cli_runner().invoke(args=["cleanup"])
    assert "Deleted 1 expired log-in(s)." in result.output
    assert _logins(db, user) == []


def test_a_remembered_log_in_lasts_as_long_as_its_cookie(app, make, db):
    user = make.user()
    _login(app.test_client(), user, remember="y")
    _login(app.test_client(), user, CHROME_WINDOWS)
    by_device = {row.device: row for row in _logins(db, user)}
    remembered, plain = by_device["Firefox · Android"], by_device["Chrome · Windows"]
    days = (remembered.expires_at - remembered.created_at).days
    hours = (plain.expires_at - plain.created_at).total_seconds() / 3600
    assert days == app.config["REMEMBER_COOKIE_DURATION"].days
    assert hours == app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() / 3600


@pytest.mark.parametrize(
    ("agent", "shown"),
    [
        (FIREFOX_ANDROID, "Firefox · Android"),
        (CHROME_WINDOWS, "Chrome · Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari · iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge · Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari · macOS",
        ),
        ("curl/8.5.0", ""),
        (None, ""),
    ],
)
def test_devices_are_named_briefly(agent, shown):
    assert logins.describe_device(agent) == shown


def test_a_user_without_a_recorded_log_in_has_no_cookie_id(make):
    with pytest.raises(RuntimeError, match="log-in"):
        User(email="x@example.org", full_name="X").get_id()
