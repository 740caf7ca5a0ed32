"""Importing people from a CSV file through the page and the command line."""

from __future__ import annotations

import base64
import codecs
import csv
import io
import re

from sqlalchemy import func, select

from trainer.auth.models import AuditEntry, Role, User
from trainer.auth.people_import import write_links_csv


def _upload(client, text: str | bytes, filename: str = "people.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/admin/people/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _links(html: str) -> list[dict]:
    href = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html).group(1)
    text = base64.b64decode(href).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_three_bad_rows_write_nothing_and_name_the_three_lines(client_for, admin, make, db):
    make.institution("gad-quito")
    before = _count(db)
    response = _upload(
        client_for(admin),
        "email,full_name,institution\n"
        "good@example.org,Good Person,gad-quito\n"
        "broken-address,Bad Email,gad-quito\n"
        "also-good@example.org,Also Good,gad-quito\n"
        "nameless@example.org,,gad-quito\n"
        "lost@example.org,Lost,gad-quitto\n",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was imported: the file has 3 problems." in html
    lines = re.findall(r'<th scope="row">(\d+)</th>', html)
    assert lines == ["3", "5", "6"]
    assert "“broken-address” is not a valid e-mail address." in html
    assert "The full name is missing." in html
    assert "Did you mean “gad-quito”?" in html
    assert _count(db) == before
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_good_file_creates_everyone_and_offers_working_links_once(
    app, client_for, admin, make, db
):
    make.institution("gad-quito")
    data = (
        codecs.BOM_UTF8
        + (
            "full_name;email;institution;language\r\n"
            "Ana Ruiz;ana@example.org;gad-quito;es\r\n"
            "Íñigo Núñez;inigo@example.org;gad-quito;\r\n"
        ).encode()
    )
    response = _upload(client_for(admin), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 people imported" in html
    links = _links(html)
    assert [row["email"] for row in links] == ["ana@example.org", "inigo@example.org"]
    ana = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert ana.password_hash is None
    assert ana.language == "es"
    assert ana.role == "participant"
    # The link sets the password; the account can then log in.
    path = links[0]["link"].removeprefix("http://localhost")
    visitor = app.test_client()
    response = visitor.post(path, data={"password": "a new password", "confirm": "a new password"})
    assert response.status_code == 302
    response = visitor.post(
        "/login", data={"email": "ana@example.org", "password": "a new password"}
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "users.import"))
    assert entry.after["count"] == 2
    assert entry.after["institutions"] == ["gad-quito"]
    assert entry.actor_id == admin.id


def test_already_registered_and_duplicates_are_caught(client_for, admin, make, db):
    quito = make.institution("gad-quito")
    make.user(email="known@example.org", institution=quito)
    html = _upload(
        client_for(admin),
        "email,full_name,institution\n"
        "known@example.org,Known,gad-quito\n"
        "twice@example.org,Twice,gad-quito\n"
        "twice@example.org,Twice Again,gad-quito\n",
    ).get_data(as_text=True)
    assert "known@example.org already has an account." in html
    assert "appears twice in the file, on lines 3 and 4" in html
    assert db.session.scalar(select(User).where(User.email == "twice@example.org")) is None


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(client_for, admin, make):
    make.institution("gad-quito")
    data = "email,full_name,institution\na@example.org,Peña,gad-quito\n".encode("cp1252")
    html = _upload(client_for(admin), data).get_data(as_text=True)
    assert "not UTF-8" in html
    assert "CSV UTF-8" in html


def test_a_coordinator_imports_participants_of_their_own_institution_only(client_for, make, db):
    a = make.institution("institution-a")
    make.institution("institution-b")
    coordinator = make.user(Role.COORDINATOR, institution=a)
    client = client_for(coordinator)
    html = _upload(
        client,
        "email,full_name,institution,role\n"
        "into-b@example.org,Into B,institution-b,\n"
        "trainer@example.org,A Trainer,institution-a,trainer\n",
    ).get_data(as_text=True)
    assert "You can only import people into institution-a, not into “institution-b”." in html
    assert "You can only import participant, not trainer." in html
    assert db.session.scalar(select(User).where(User.email == "into-b@example.org")) is None

    response = _upload(client, "email,full_name,institution\nmine@example.org,Mine,institution-a\n")
    assert "1 person imported" in response.get_data(as_text=True)
    mine = db.session.scalar(select(User).where(User.email == "mine@example.org"))
    assert mine.institution_id == a.id


def test_a_programme_coordinator_imports_into_any_institution(client_for, make, db):
    make.institution("institution-a")
    b = make.institution("institution-b")
    programme = make.user(Role.COORDINATOR, is_programme_wide=True)
    response = _upload(
        client_for(programme), "email,full_name,institution\ninto-b@example.org,B,institution-b\n"
    )
    assert "1 person imported" in response.get_data(as_text=True)
    person = db.session.scalar(select(User).where(User.email == "into-b@example.org"))
    assert person.institution_id == b.id


def test_the_upload_needs_a_file(client_for, admin):
    response = client_for(admin).post("/admin/people/import", data={})
    assert "Choose a CSV file to upload." in response.get_data(as_text=True)


def test_the_command_line_imports_with_the_same_rules(app, make, db, tmp_path):
    make.institution("gad-quito")
    db.session.commit()  # the command rolls back on problems; keep the institution
    bad = tmp_path / "bad.csv"
    bad.write_text("email,full_name,institution\nx,Bad,gad-quito\nok@example.org,,gad-quito\n")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-users", str(bad)])
    assert result.exit_code != 0
    assert "line 2: “x” is not a valid e-mail address." in result.output
    assert "line 3: The full name is missing." in result.output

    good = tmp_path / "good.csv"
    good.write_text("email,full_name,institution\ncli@example.org,Cli Person,gad-quito\n")
    links = tmp_path / "links.csv"
    result = runner.invoke(args=["import-users", str(good), "--links", str(links)])
    assert result.exit_code == 0, result.output
    assert "Created 1 account." in result.output
    rows = list(csv.DictReader(io.StringIO(links.read_text())))
    assert rows[0]["email"] == "cli@example.org"
    assert rows[0]["link"].startswith("http://localhost/set-password/")
    assert db.session.scalar(select(User).where(User.email == "cli@example.org")) is not None


def test_the_command_line_link_file_neutralises_formula_cells(app, make, db, tmp_path):
    """Cells a spreadsheet would run as formulas are written as text, as on the web page."""
    make.institution("gad-quito")
    db.session.commit()
    people = tmp_path / "people.csv"
    people.write_text(
        "email,full_name,institution\n"
        "=cmd@example.org,Equals,gad-quito\n"
        "+plus@example.org,Plus,gad-quito\n"
        "-minus@example.org,Minus,gad-quito\n"
        "plain@example.org,Plain,gad-quito\n"
    )
    links = tmp_path / "links.csv"
    result = app.test_cli_runner().invoke(args=["import-users", str(people), "--links", str(links)])
    assert result.exit_code == 0, result.output
    emails = [line.split(",")[0] for line in links.read_text().splitlines()[1:]]
    assert emails == [
        "'=cmd@example.org",
        "'+plus@example.org",
        "'-minus@example.org",
        "plain@example.org",
    ]


def test_one_helper_writes_the_link_file_for_the_web_and_the_command_line():
    buffer = io.StringIO()
    write_links_csv(
        buffer, [("@sum@example.org", "http://x/set-password/a"), ("\tx@example.org", "l")]
    )
    assert re.findall(r"^[^,]*", buffer.getvalue(), re.M)[1:3] == [
        "'@sum@example.org",
        "'\tx@example.org",
    ]
