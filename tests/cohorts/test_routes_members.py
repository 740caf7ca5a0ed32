"""The members page: scoped lists, picking participants, moving and removing them."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.sessions import log_in
from tests.test_permissions import build_scenario
from trainer.auth.models import Role, User
from trainer.cohorts import services, sessions
from trainer.cohorts.models import CohortMember
from trainer.extensions import db
from trainer.learning.models import Enrolment

from .conftest import at


def members_of(cohort) -> list[str]:
    """Names of the cohort's active members, read from the database."""
    return sorted(
        db.session.scalars(
            select(User.full_name)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id, CohortMember.left_at.is_(None))
        )
    )


def listed(page: str) -> list[str]:
    """The names in the members table."""
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row">([^<]+)</th>', table)


def test_a_coordinator_sees_only_their_institutions_members_of_a_mixed_cohort(app, make):
    scenario = build_scenario(make)
    users = scenario.users
    url = f"/cohorts/{scenario.objects['cohort_id']}/members"
    for actor, sees, does_not_see in (
        ("coordinator_a", users["participant_a"], users["participant_b"]),
        ("coordinator_b", users["participant_b"], users["participant_a"]),
    ):
        client = log_in(app.test_client(), users[actor])
        page = client.get(url).get_data(as_text=True)
        assert listed(page) == [sees.full_name]
        assert does_not_see.full_name not in page
        assert does_not_see.email not in page
    client = log_in(app.test_client(), users["cohort_trainer"])
    page = client.get(url).get_data(as_text=True)
    assert sorted(listed(page)) == sorted(
        [users["participant_a"].full_name, users["participant_b"].full_name]
    )


def test_the_members_page_shows_when_each_joined_and_their_attendance_so_far(
    client, login_as, people, new_cohort, new_session
):
    cohort = new_cohort()
    for person in (people.ana, people.zoe):
        services.add_member(people.admin, cohort, person, now=at(1, 12))
    held = [new_session(cohort, day=day) for day in (2, 3, 4, 5)]
    new_session(cohort, day=30)  # not held yet: no part of the rate so far
    sessions.record_attendance(
        people.trainer,
        held[0],
        {people.ana: "present", people.zoe: "absent"},
        now=at(2, 15),
    )
    sessions.record_attendance(people.trainer, held[1], {people.ana: "late"}, now=at(3, 15))
    sessions.record_attendance(people.trainer, held[2], {people.ana: "excused"}, now=at(4, 15))
    login_as(people.trainer)
    # Held: 2, 3, 4 (excused) and 5 (not recorded, absent): Ana 2 / (4 - 1), Zoë 0 / 4.
    from unittest import mock

    with mock.patch("trainer.cohorts.views.members.utcnow", return_value=at(10, 0)):
        page = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    assert "Ana Núñez" in rows[0]
    assert "67%" in rows[0]
    assert "Mar 1, 2026" in rows[0]
    assert "Zoë Éluard" in rows[1]
    assert "0%" in rows[1]


def test_the_members_page_takes_a_fixed_number_of_queries(
    client, login_as, make, people, new_cohort, new_session, count_queries
):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    new_session(cohort, day=2)
    login_as(people.quito_coordinator)
    url = f"/cohorts/{cohort.id}/members"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(6):
        person = make.user(institution=people.quito, full_name=f"Quito {n}")
        services.add_member(people.admin, cohort, person, now=at(1, 12))
        make.user(institution=people.quito, full_name=f"Candidate {n}")
    other = new_cohort(name="Other")
    services.add_member(people.admin, other, make.user(institution=people.quito))
    for day in range(3, 9):
        new_session(cohort, day=day)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_coordinator_picks_their_participants_who_are_enrolled_at_once(
    client, login_as, make, people, new_cohort
):
    cohort = new_cohort()
    inactive = make.user(institution=people.quito, full_name="Inés Inactiva")
    inactive.is_active = False
    login_as(people.quito_coordinator)
    page = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
    assert "Ana Núñez" in page
    assert "Zoë Éluard" in page
    assert "Luis Peña" not in page  # another institution's
    assert inactive.full_name not in page
    response = client.post(
        f"/cohorts/{cohort.id}/members/add", data={"people": [people.ana.id, people.zoe.id]}
    )
    assert response.status_code == 302
    assert members_of(cohort) == ["Ana Núñez", "Zoë Éluard"]
    enrolled = db.session.scalars(select(Enrolment.user_id)).all()
    assert {people.ana.id, people.zoe.id} <= set(enrolled)
    # Members are no longer offered.
    page = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
    assert 'name="people"' not in page


def test_the_search_narrows_the_participants_offered(client, login_as, people, new_cohort):
    cohort = new_cohort()
    login_as(people.admin)
    page = client.get(f"/cohorts/{cohort.id}/members?q=n%C3%BA%C3%B1ez").get_data(as_text=True)
    assert f'value="{people.ana.id}"' in page
    assert f'value="{people.zoe.id}"' not in page
    assert "1 participant can join" in page


def test_picking_is_all_or_nothing_and_names_who_cannot_join(client, login_as, people, new_cohort):
    cohort, other = new_cohort(), new_cohort(name="Quito, evening")
    services.add_member(people.admin, other, people.zoe)
    login_as(people.quito_coordinator)
    response = client.post(
        f"/cohorts/{cohort.id}/members/add", data={"people": [people.ana.id, people.zoe.id]}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Zoë Éluard is already a member of the cohort Quito, evening" in page
    assert members_of(cohort) == []
    # Someone of another institution, or no choice at all, is refused too.
    response = client.post(f"/cohorts/{cohort.id}/members/add", data={"people": [people.luis.id]})
    assert "not participants you can add" in response.get_data(as_text=True)
    response = client.post(f"/cohorts/{cohort.id}/members/add", data={})
    assert "Tick the participants to add." in response.get_data(as_text=True)
    assert members_of(cohort) == []


def test_a_participant_in_another_cohort_is_offered_a_move(client, login_as, people, new_cohort):
    cohort, other = new_cohort(), new_cohort(name="Quito, evening")
    services.add_member(people.admin, other, people.zoe)
    login_as(people.quito_coordinator)
    page = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
    move = f"/cohorts/{cohort.id}/members/{people.zoe.id}/move"
    assert f'formaction="{move}"' in page
    assert "in the cohort Quito, evening" in page
    assert client.post(move).status_code == 302
    assert members_of(cohort) == ["Zoë Éluard"]
    assert members_of(other) == []


def test_removing_a_member(client, login_as, people, new_cohort):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana)
    services.add_member(people.admin, cohort, people.luis)
    login_as(people.trainer)
    page = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
    assert "/remove" not in page  # trainers mark attendance; they do not change members
    assert client.post(f"/cohorts/{cohort.id}/members/{people.ana.id}/remove").status_code == 403
    login_as(people.quito_coordinator)
    # Another institution's member is not found; their own is removed.
    assert client.post(f"/cohorts/{cohort.id}/members/{people.luis.id}/remove").status_code == 404
    assert client.post(f"/cohorts/{cohort.id}/members/{people.ana.id}/remove").status_code == 302
    assert members_of(cohort) == ["Luis Peña"]


def test_a_closed_cohort_takes_no_new_members(client, login_as, people, new_cohort):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana)
    services.close_cohort(people.admin, cohort)
    login_as(people.admin)
    page = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
    assert 'name="people"' not in page
    assert "/remove" not in page
    assert "This cohort is closed" in page
    response = client.post(f"/cohorts/{cohort.id}/members/add", data={"people": [people.zoe.id]})
    assert "is closed" in response.get_data(as_text=True)
    response = client.post(f"/cohorts/{cohort.id}/members/{people.ana.id}/remove")
    assert response.status_code == 302
    assert members_of(cohort) == ["Ana Núñez"]


def test_trainers_who_own_the_course_do_not_pick_people(client, login_as, make, people, new_cohort):
    cohort = new_cohort()
    login_as(people.owner)
    page = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
    assert 'name="people"' not in page
    response = client.post(f"/cohorts/{cohort.id}/members/add", data={"people": [people.ana.id]})
    assert response.status_code == 403


def offered(page: str) -> set[str]:
    return {name.strip() for name in re.findall(r'<label for="people-\d+">([^<]+)', page)}


def test_the_participants_offered_are_exactly_those_each_viewer_may_add(
    client, login_as, make, people, new_cohort
):
    """Written out by hand: active participants of the cohort's institutions, within the
    people the viewer may list (auth.policy.scope_people), not members yet."""
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.zoe)
    make.user(institution=make.institution(name="Elsewhere"), full_name="Otto Otro")
    make.user(institution=people.quito, full_name="Inés Inactiva").is_active = False
    make.user(Role.TRAINER, full_name="Teo Trainer")
    everyone = {"Ana Núñez", "Luis Peña"}
    for who, expected in (
        (people.admin, everyone),
        (people.programme, everyone),
        (people.quito_coordinator, {"Ana Núñez"}),
        (people.cuenca_coordinator, {"Luis Peña"}),
        (people.owner, set()),
        (people.trainer, set()),
    ):
        login_as(who)
        page = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
        assert offered(page) == expected, who.email
