"""Set-password links: only the newest one a person was given works, and only once."""

from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD
from trainer.auth import people_import, services
from trainer.auth.models import Role, User
from trainer.auth.passwords import verify_password


def _token(url: str) -> str:
    return url.rsplit("/set-password/", 1)[1]


def _set(client, token: str, password: str):
    return client.post(f"/set-password/{token}", data={"password": password, "confirm": password})


def _imported_link(make, db) -> tuple[User, str]:
    """An account from a CSV import, with the link the import handed over."""
    make.institution("gad-quito")
    admin = make.user(Role.ADMIN)
    data = b"email,full_name,institution\nimported@example.org,Imported Person,gad-quito\n"
    outcome = people_import.import_users(admin, data, links=True)
    db.session.flush()
    ((email, url),) = outcome.links
    return outcome.users[0], _token(url)


def test_an_import_link_is_void_once_a_newer_link_was_used(client, make, db):
    person, old = _imported_link(make, db)
    newer = services.create_password_token(person, None)
    assert _set(client, newer, "the newer password").status_code == 302

    assert client.get(f"/set-password/{old}").status_code == 410
    assert _set(client, old, "an attacker's password").status_code == 410
    person = db.session.get(User, person.id)
    assert verify_password(person.password_hash, "the newer password")


def test_an_import_link_is_void_once_a_newer_link_was_made(client, make, db):
    person, old = _imported_link(make, db)
    newer = services.create_password_token(person, None)

    assert client.get(f"/set-password/{old}").status_code == 410
    assert _set(client, old, "an old link password").status_code == 410
    assert client.get(f"/set-password/{newer}").status_code == 200
    assert _set(client, newer, "the newer password").status_code == 302


def test_using_a_link_voids_the_others_given_before(app, make, db):
    """Two links alive at once (a forgotten-password mail racing an admin's link): the
    first one used voids the other."""
    person = make.user(password=None)
    first = services.create_password_token(person, None)
    second, row = services._new_password_token(person, None)
    db.session.add(row)
    db.session.flush()
    services.use_password_token(first, "the first password")
    assert services.find_password_token(second) is None


def test_a_link_from_the_people_page_voids_the_one_mailed_before(app, client, make, db):
    person = make.user(email="twice@example.org")
    mailed = services.create_password_token(person, None, hours=2)  # as the mail makes it
    handed = services.create_password_token(person, make.user(Role.ADMIN))
    assert client.get(f"/set-password/{mailed}").status_code == 410
    assert client.get(f"/set-password/{handed}").status_code == 200
    # The account still opens with its password: voiding links changes nothing else.
    response = client.post("/login", data={"email": person.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
