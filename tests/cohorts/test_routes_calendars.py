"""Sessions and cohorts as .ics files, read back with icalendar."""

from __future__ import annotations

from icalendar import Calendar

from trainer.cohorts import services, sessions

from .conftest import at


def events(response) -> list:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return list(Calendar.from_ical(response.data).walk("VEVENT"))


def test_a_member_downloads_a_session_and_the_cohort_calendar(
    client, login_as, people, new_cohort, new_session
):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana)
    first, second = new_session(cohort, day=2), new_session(cohort, day=9)
    sessions.cancel_session(people.admin, second)
    login_as(people.ana)

    response = client.get(f"/cohorts/{cohort.id}/sessions/{first.id}.ics")
    [event] = events(response)
    assert f'filename="session-{first.id}.ics"' in response.headers["Content-Disposition"]
    assert event.decoded("dtstart") == at(2, 14)
    assert str(event["location"]) == "Sala 3"
    assert str(event["status"]) == "CONFIRMED"

    [cancelled] = events(client.get(f"/cohorts/{cohort.id}/sessions/{second.id}.ics"))
    assert str(cancelled["status"]) == "CANCELLED"

    calendar = events(client.get(f"/cohorts/{cohort.id}/calendar.ics"))
    assert [str(e["uid"]).split("@")[0] for e in calendar] == [
        f"session-{first.id}",
        f"session-{second.id}",
    ]
    assert [str(e["status"]) for e in calendar] == ["CONFIRMED", "CANCELLED"]


def test_staff_who_see_the_cohort_download_its_calendar(
    client, login_as, people, new_cohort, new_session
):
    cohort = new_cohort(institutions=[people.quito])
    new_session(cohort)
    for who in (people.trainer, people.quito_coordinator, people.owner):
        login_as(who)
        assert len(events(client.get(f"/cohorts/{cohort.id}/calendar.ics"))) == 1


def test_people_outside_the_cohort_are_refused(client, login_as, people, new_cohort, new_session):
    cohort = new_cohort(institutions=[people.quito])
    session = new_session(cohort)
    services.add_member(people.admin, cohort, people.ana)
    services.remove_member(people.admin, cohort, people.ana)
    # A former member, another institution's coordinator, another cohort's trainer.
    for who in (people.ana, people.cuenca_coordinator, people.other_trainer, people.luis):
        login_as(who)
        assert client.get(f"/cohorts/{cohort.id}/calendar.ics").status_code == 403
        assert client.get(f"/cohorts/{cohort.id}/sessions/{session.id}.ics").status_code == 403


def test_a_session_of_another_cohort_is_not_found(client, login_as, people, new_cohort):
    first, second = new_cohort(name="First"), new_cohort(name="Second")
    session = sessions.schedule_session(
        people.admin,
        second,
        day=at(2, 0).date(),
        start=at(2, 9).time(),
        end=at(2, 12).time(),
        place="Sala 1",
    )
    login_as(people.admin)
    assert client.get(f"/cohorts/{first.id}/sessions/{session.id}.ics").status_code == 404
    assert client.get(f"/cohorts/{second.id}/sessions/{session.id}.ics").status_code == 200
    assert client.get("/cohorts/999999/calendar.ics").status_code == 404
