"""Adding a CSV file of people to a cohort: all or nothing, each bad line named."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from trainer.auth.models import Role, User
from trainer.cohorts import services
from trainer.cohorts.models import CohortMember
from trainer.extensions import db
from trainer.learning.models import Enrolment


def upload(client, cohort, text: str | bytes, **fields):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        f"/cohorts/{cohort.id}/members/import",
        data={"file": (io.BytesIO(data), "people.csv"), **fields},
        content_type="multipart/form-data",
    )


def members_of(cohort) -> list[str]:
    return sorted(
        db.session.scalars(
            select(User.full_name)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id, CohortMember.left_at.is_(None))
        )
    )


def problems(response) -> list[tuple[str, str]]:
    """(line, message) of each row of the problems table."""
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    table = page.split('id="problems-caption"', 1)[1].split("</table>", 1)[0]
    return [
        (line, re.sub(r"\s+", " ", message).strip())
        for line, message in re.findall(
            r'<th scope="row">([^<]*)</th>\s*<td>(.*?)</td>', table, re.S
        )
    ]


def test_a_coordinator_adds_their_participants_from_a_file(client, login_as, people, new_cohort):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.zoe)
    slug = people.quito.slug
    login_as(people.quito_coordinator)
    page = client.get(f"/cohorts/{cohort.id}/members/import").get_data(as_text=True)
    assert "email, full_name, role, institution, language" in page
    response = upload(
        client,
        cohort,
        f"email;full_name;institution\n{people.ana.email.upper()};Ana;{slug}\n"
        f"{people.zoe.email};Zoë;{slug}\n",
    )
    assert response.status_code == 302
    assert members_of(cohort) == ["Ana Núñez", "Zoë Éluard"]


def test_one_bad_line_and_nothing_is_written_every_problem_named(
    client, login_as, make, people, new_cohort
):
    cohort, evening = new_cohort(), new_cohort(name="Quito, evening")
    services.add_member(people.admin, evening, people.zoe)
    slug, cuenca = people.quito.slug, people.cuenca.slug
    other_role = make.user(Role.COORDINATOR, institution=people.quito, email="coord@example.org")
    login_as(people.quito_coordinator)
    response = upload(
        client,
        cohort,
        "email,full_name,institution\n"
        f"{people.ana.email},Ana,{slug}\n"  # line 2: fine
        f"{people.luis.email},Luis,{cuenca}\n"  # 3: another institution's
        f"nobody@example.org,Nadie,{slug}\n"  # 4: no account, none to be created
        f"{people.zoe.email},Zoë,{slug}\n"  # 5: in another cohort of the course
        f"{other_role.email},C,{slug}\n"  # 6: not a participant
        "not-an-email,X,\n",  # 7: the people import's own checks
    )
    assert response.status_code == 200
    found = problems(response)
    assert [line for line, _message in found] == ["3", "4", "5", "6", "7", "7"]
    messages = [message for _line, message in found]
    assert messages[0].startswith("You can only import people into")
    assert messages[1].startswith("nobody@example.org has no account.")
    assert "already a member of the cohort Quito, evening" in messages[2]
    assert messages[3] == "coord@example.org is not an active participant account."
    assert messages[4] == "“not-an-email” is not a valid e-mail address."
    assert messages[5].startswith("The institution is missing")
    assert members_of(cohort) == []
    assert db.session.scalar(select(User).where(User.email == "nobody@example.org")) is None


def test_an_account_of_another_institution_than_the_file_says_is_refused(
    client, login_as, people, new_cohort
):
    cohort = new_cohort()
    login_as(people.admin)
    response = upload(
        client,
        cohort,
        f"email,full_name,institution\n{people.luis.email},Luis,{people.quito.slug}\n",
    )
    [(line, message)] = problems(response)
    assert line == "2"
    assert "belongs to another institution than" in message


def test_missing_accounts_are_created_with_set_password_links(client, login_as, people, new_cohort):
    cohort = new_cohort()
    slug = people.quito.slug
    login_as(people.quito_coordinator)
    response = upload(
        client,
        cohort,
        f"email,full_name,institution\n{people.ana.email},Ana,{slug}\n"
        f"new.person@example.org,Nueva Persona,{slug}\n",
        create_missing="y",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 participants added to the cohort." in page
    assert "1 account was created." in page
    assert 'download="set-password-links.csv"' in page
    created = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert (created.role, created.institution_id) == ("participant", people.quito.id)
    assert members_of(cohort) == ["Ana Núñez", "Nueva Persona"]
    assert db.session.scalar(select(Enrolment.id).where(Enrolment.user_id == created.id))


def test_rows_of_people_already_in_the_cohort_are_no_problem(client, login_as, people, new_cohort):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana)
    login_as(people.admin)
    response = upload(
        client,
        cohort,
        f"email,full_name,institution\n{people.ana.email},Ana,{people.quito.slug}\n",
    )
    assert response.status_code == 302
    assert members_of(cohort) == ["Ana Núñez"]


def test_files_that_are_not_csv_get_a_message(client, login_as, people, new_cohort):
    cohort = new_cohort()
    login_as(people.admin)
    for data, message in (
        (b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary", "The file is not UTF-8 text"),
        (b"email,full_name,institution\na@b.org,\x00A,x\n", "holds an invisible control"),
        (b"", "The file is empty."),
        (b"name;what\nx;y\n", "Unknown column"),
        (b'email,full_name,institution\n"a@b.org,A,x\n', "cannot be read as CSV"),
    ):
        response = upload(client, cohort, data)
        assert response.status_code == 200, message
        assert message in response.get_data(as_text=True), message
    assert members_of(cohort) == []


def test_a_file_over_the_limit_is_refused_unread(client, login_as, people, new_cohort, monkeypatch):
    # A smaller limit: a real 5 MB body would be spooled to a temporary file by the client.
    monkeypatch.setattr("trainer.cohorts.views.imports.MAX_IMPORT_BYTES", 1000)
    cohort = new_cohort()
    login_as(people.admin)
    response = upload(client, cohort, b"x" * 1001)
    assert response.status_code == 200
    assert "The file is larger than 5 MB." in response.get_data(as_text=True)


def test_a_closed_cohort_refuses_an_import(client, login_as, people, new_cohort):
    cohort = new_cohort()
    services.close_cohort(people.admin, cohort)
    login_as(people.admin)
    response = upload(
        client, cohort, f"email,full_name,institution\n{people.ana.email},Ana,{people.quito.slug}\n"
    )
    assert "is closed" in response.get_data(as_text=True)
    assert members_of(cohort) == []


def test_only_those_who_may_pick_people_import(client, login_as, people, new_cohort):
    cohort = new_cohort(institutions=[people.quito])
    for who in (people.owner, people.trainer, people.cuenca_coordinator, people.ana):
        login_as(who)
        assert client.get(f"/cohorts/{cohort.id}/members/import").status_code == 403
