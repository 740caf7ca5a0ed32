"""The cohort pages: the list, a new cohort, its overview, editing, starting and closing."""

from __future__ import annotations

from sqlalchemy import select

from trainer.auth import programme
from trainer.auth.models import Role
from trainer.cohorts import services, sessions
from trainer.cohorts.models import Cohort, CohortState
from trainer.extensions import db

from .conftest import MARCH_1, MARCH_31, ZONE


def fresh(cohort: Cohort) -> Cohort:
    """The cohort as the database has it now (requests use sessions of their own)."""
    db.session.expire_all()
    return db.session.get(Cohort, cohort.id)


def fields(people, **changes) -> dict:
    return {
        "name": "Quito, April",
        "starts_on": "2026-04-01",
        "ends_on": "2026-04-30",
        "timezone": ZONE,
        "institutions": [str(people.quito.id)],
        "trainers": [str(people.trainer.id)],
        **changes,
    }


def test_the_list_shows_each_person_the_cohorts_they_may_see(
    client, login_as, make, people, new_cohort
):
    quito_only = new_cohort(name="Quito only", institutions=[people.quito])
    new_cohort(name="For all", institutions=[], open_to_all=True, trainers=[people.other_trainer])
    for who, expected in (
        (people.admin, ["For all", "Quito only"]),
        (people.owner, ["For all", "Quito only"]),
        (people.trainer, ["Quito only"]),
        (people.other_trainer, ["For all"]),
        (people.quito_coordinator, ["For all", "Quito only"]),
        (people.cuenca_coordinator, ["For all"]),
        (make.user(Role.TRAINER), []),
    ):
        login_as(who)
        page = client.get("/cohorts").get_data(as_text=True)
        shown = sorted(name for name in ("For all", "Quito only") if f">{name}</a>" in page)
        assert shown == expected, who.full_name
    login_as(people.owner)
    page = client.get("/cohorts").get_data(as_text=True)
    assert f"/courses/{people.course.slug}/cohorts/new" in page
    assert f"/cohorts/{quito_only.id}" in page
    login_as(people.ana)
    assert client.get("/cohorts").status_code == 403


def test_the_main_menu_links_cohorts_for_staff(client, login_as, people):
    for who, shown in (
        (people.trainer, True),
        (people.quito_coordinator, True),
        (people.ana, False),
    ):
        login_as(who)
        assert ('href="/cohorts"' in client.get("/").get_data(as_text=True)) is shown


def test_the_list_takes_a_fixed_number_of_queries(
    client, login_as, people, new_cohort, count_queries
):
    new_cohort(name="First")
    login_as(people.admin)
    client.get("/cohorts")
    with count_queries() as few:
        client.get("/cohorts")
    for n in range(5):
        new_cohort(name=f"More {n}", trainers=[people.trainer, people.other_trainer])
    with count_queries() as many:
        assert client.get("/cohorts").status_code == 200
    assert len(many) == len(few)


def test_a_course_owner_creates_a_cohort_in_the_programmes_time_zone(client, login_as, people):
    programme.update_programme_settings(
        people.admin, programme_name="P", default_timezone="America/Lima", signatories=[]
    )
    login_as(people.owner)
    page = client.get(f"/courses/{people.course.slug}/cohorts/new").get_data(as_text=True)
    assert 'value="America/Lima"' in page
    assert "Tomás Trainer" in page
    response = client.post(f"/courses/{people.course.slug}/cohorts/new", data=fields(people))
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Quito, April"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cohorts/{cohort.id}")
    assert [i.id for i in cohort.institutions] == [people.quito.id]
    assert [t.id for t in cohort.trainers] == [people.trainer.id]
    assert cohort.created_by_id == people.owner.id


def test_a_cohort_open_to_all_keeps_no_list_of_institutions(client, login_as, people):
    login_as(people.programme)
    client.post(f"/courses/{people.course.slug}/cohorts/new", data=fields(people, open_to_all="y"))
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Quito, April"))
    assert cohort.is_open_to_all
    assert cohort.institutions == []


def test_the_services_refusals_are_shown_on_the_form(client, login_as, people):
    login_as(people.admin)
    url = f"/courses/{people.course.slug}/cohorts/new"
    for changes, message in (
        ({"ends_on": "2026-03-01"}, "The cohort cannot end before it starts."),
        ({"timezone": "Mars/Olympus"}, "Unknown time zone Mars/Olympus"),
        ({"starts_on": "1066-10-14"}, "Enter a date between the years 2000 and 2100."),
        ({"trainers": ["999999"]}, "is not a valid choice"),
    ):
        response = client.post(url, data=fields(people, **changes))
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Cohort).where(Cohort.name == "Quito, April")) is None


def test_people_who_cannot_create_cohorts_are_refused(client, login_as, people):
    for who in (people.trainer, people.quito_coordinator, people.ana):
        login_as(who)
        assert client.get(f"/courses/{people.course.slug}/cohorts/new").status_code == 403
    login_as(people.admin)
    assert client.get("/courses/no-such-course/cohorts/new").status_code == 404


def test_the_overview_shows_sessions_in_the_cohorts_time_zone(
    client, login_as, people, new_cohort, new_session
):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana)
    services.add_member(people.admin, cohort, people.luis)
    new_session(cohort, day=2)
    cancelled = new_session(cohort, day=9)
    sessions.cancel_session(people.admin, cancelled)
    login_as(people.trainer)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    # 14:00 UTC is 09:00 in Quito, whatever the programme's time zone.
    assert "Monday, March 2, 2026, 9:00\u202fAM to 12:00\u202fPM" in page
    assert "<del>Monday, March 9, 2026" in page
    assert "Cancelled" in page
    assert "Sala 3" in page
    assert "2 members" in page
    assert "Edit the cohort" not in page  # trainers run sessions, not the cohort
    login_as(people.quito_coordinator)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "1 member of your institution" in page
    login_as(people.owner)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Edit the cohort" in page
    assert "Start the cohort" in page


def test_the_overview_takes_a_fixed_number_of_queries(
    client, login_as, people, new_cohort, new_session, count_queries
):
    cohort = new_cohort()
    new_session(cohort, day=2)
    login_as(people.owner)
    client.get(f"/cohorts/{cohort.id}")
    with count_queries() as few:
        client.get(f"/cohorts/{cohort.id}")
    for day in range(3, 20):
        new_session(cohort, day=day)
    for person in (people.ana, people.zoe, people.luis):
        services.add_member(people.admin, cohort, person)
    services.assign_trainers(people.admin, cohort, [people.trainer, people.other_trainer])
    with count_queries() as many:
        assert client.get(f"/cohorts/{cohort.id}").status_code == 200
    assert len(many) == len(few)


def test_editing_a_cohort_saves_it_and_refuses_what_would_break_it(
    client, login_as, people, new_cohort, new_session
):
    cohort = new_cohort()
    new_session(cohort, day=10)
    services.add_member(people.admin, cohort, people.luis)  # of Cuenca
    login_as(people.owner)
    url = f"/cohorts/{cohort.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Quito, March"' in page
    march = {"starts_on": MARCH_1.isoformat(), "ends_on": MARCH_31.isoformat()}
    both = [str(people.quito.id), str(people.cuenca.id)]
    response = client.post(url, data=fields(people, **march, institutions=both))
    assert response.status_code == 302
    assert fresh(cohort).name == "Quito, April"
    response = client.post(url, data=fields(people, starts_on="2026-03-15", institutions=both))
    assert "The session of 2026-03-10 would fall outside the new dates" in response.get_data(
        as_text=True
    )
    response = client.post(url, data=fields(people, **march))
    assert "Members of Cuenca are in this cohort" in response.get_data(as_text=True)
    assert {i.id for i in fresh(cohort).institutions} == {people.quito.id, people.cuenca.id}


def test_starting_and_closing_with_a_confirmation(client, login_as, people, new_cohort, received):
    cohort = new_cohort()
    login_as(people.owner)
    assert client.post(f"/cohorts/{cohort.id}/start").status_code == 302
    assert fresh(cohort).state == CohortState.RUNNING.value
    page = client.post(f"/cohorts/{cohort.id}/close")
    assert page.status_code == 200
    assert "freezes the cohort's attendance" in page.get_data(as_text=True)
    assert "cannot be undone" in page.get_data(as_text=True)
    assert not fresh(cohort).is_closed
    assert client.post(f"/cohorts/{cohort.id}/close", data={"confirm": "y"}).status_code == 302
    assert fresh(cohort).is_closed
    assert len(received["cohort-closed"]) == 1
    # Closed: editing and scheduling refuse, the overview says why, no second signal.
    client.post(f"/cohorts/{cohort.id}/close", data={"confirm": "y"})
    assert len(received["cohort-closed"]) == 1
    response = client.get(f"/cohorts/{cohort.id}/edit", follow_redirects=True)
    assert "is closed; its members and attendance can no longer change" in response.get_data(
        as_text=True
    )
    response = client.post(f"/cohorts/{cohort.id}/edit", data=fields(people))
    assert response.status_code == 302
    assert fresh(cohort).name == "Quito, March"
    assert client.post(f"/cohorts/{cohort.id}/start").status_code == 302
    assert fresh(cohort).is_closed


def test_only_those_who_run_the_cohort_change_it(client, login_as, people, new_cohort):
    cohort = new_cohort()
    for who in (people.trainer, people.quito_coordinator, people.other_trainer):
        login_as(who)
        assert client.get(f"/cohorts/{cohort.id}/edit").status_code == 403
        assert client.post(f"/cohorts/{cohort.id}/close", data={"confirm": "y"}).status_code == 403
    assert not fresh(cohort).is_closed
    login_as(people.cuenca_coordinator)
    other = new_cohort(name="Quito only", institutions=[people.quito])
    assert client.get(f"/cohorts/{other.id}").status_code == 403
