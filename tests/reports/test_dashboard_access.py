"""Who the dashboard counts for whom, and its filters: a coordinator sees their institution,
a cohort's trainer their cohort; bad filter values get a message, never a 500."""

from __future__ import annotations

from datetime import date, time

import pytest

from trainer.auth.models import Role
from trainer.cohorts import services as cohorts
from trainer.cohorts import sessions as cohort_sessions
from trainer.dbtypes import utcnow
from trainer.reports import dashboard
from trainer.reports.scope import ReportFilter

FAMILY = ReportFilter("gain-course")


def names(actor, report=FAMILY) -> list[str]:
    data = dashboard.build(actor, report, now=utcnow(), inactive_after_days=14)
    return [line.name for line in data.participants]


def test_each_actor_counts_only_the_people_they_follow(programme, make, db):
    p = programme
    assert names(p.admin) == ["Ana", "Ben", "Carla", "Dario", "Eva"]
    assert names(p.programme) == ["Ana", "Ben", "Carla", "Dario", "Eva"]
    assert names(p.quito_coordinator) == ["Ana", "Ben"]
    assert names(p.cuenca_coordinator) == ["Carla", "Dario", "Eva"]
    # A trainer of March sees March's members, whatever their institution, not Dario.
    trainer = make.user(Role.TRAINER)
    cohorts.assign_trainers(p.admin, p.march, [trainer])
    db.session.flush()
    assert names(trainer) == ["Ana", "Ben", "Carla", "Eva"]
    assert names(p.trainer) == []
    assert names(make.user(Role.PARTICIPANT, institution=p.quito)) == []


def test_filters_narrow_by_cohort_institution_and_enrolment_dates(programme):
    p = programme
    assert names(p.admin, ReportFilter("gain-course", cohort_id=p.march.id)) == [
        "Ana",
        "Ben",
        "Carla",
        "Eva",
    ]
    assert names(p.admin, ReportFilter("gain-course", institution_id=p.quito.id)) == [
        "Ana",
        "Ben",
    ]
    today = utcnow().date()
    assert len(names(p.admin, ReportFilter("gain-course", enrolled_from=today))) == 5
    assert names(p.admin, ReportFilter("gain-course", enrolled_to=today.replace(year=2000))) == []
    # Another institution's filter gives a coordinator nobody, never its people.
    assert names(p.quito_coordinator, ReportFilter("gain-course", institution_id=p.cuenca.id)) == []


def test_sessions_of_another_institutions_cohort_are_not_shown(programme, make, db):
    """A cohort open only to Cuenca, with Cuenca's Dario in it: Quito's coordinator sees
    neither its sessions nor its name; Cuenca's coordinator and the admin do."""
    p = programme
    april = cohorts.create_cohort(
        p.admin,
        p.english,
        name="April in Cuenca",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 30),
        timezone="America/Guayaquil",
        institutions=[p.cuenca],
    )
    cohorts.add_member(p.admin, april, p.dario)
    cohort_sessions.schedule_session(
        p.admin, april, day=date(2026, 4, 7), start=time(9), end=time(12), place="Sala 2"
    )
    cohort_sessions.schedule_session(
        p.admin, p.march, day=date(2026, 3, 3), start=time(9), end=time(12), place="Sala 1"
    )
    db.session.flush()

    def shown(actor) -> set[str]:
        data = dashboard.build(actor, FAMILY, now=utcnow(), inactive_after_days=14)
        return {line.cohort for line in data.sessions}

    assert shown(p.quito_coordinator) == {"March"}
    assert shown(p.cuenca_coordinator) == {"March", "April in Cuenca"}
    assert shown(p.admin) == {"March", "April in Cuenca"}
    assert shown(make.user(Role.COORDINATOR, institution=make.institution())) == set()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("enrolled_from=2026-13-01", "Write the date as year-month-day"),
        ("enrolled_from=yesterday", "Write the date as year-month-day"),
        ("enrolled_to=1900-01-01", "Give a date between 2000-01-01 and 2100-12-31."),
        ("enrolled_from=2026-03-02&enrolled_to=2026-03-01", "The end date comes before"),
        ("cohort=first", "Pick a cohort from the list."),
        ("cohort=99999999999999999999", "Pick a cohort from the list."),
        ("institution=-1", "Pick an institution."),
        ("family=no-such-course", "Pick a course from the list."),
    ],
)
def test_bad_filter_values_get_a_clear_message(programme, client, login_as, query, message):
    login_as(programme.admin)
    for path in ("/reports", "/reports/items", "/reports/tables/summary.csv"):
        response = client.get(
            f"{path}?{query}" if "family" in query else f"{path}?family=gain-course&{query}"
        )
        assert response.status_code == 400, (path, query)
        assert message in response.get_data(as_text=True)


def test_another_institution_or_cohort_is_refused(programme, client, login_as, make):
    p = programme
    login_as(p.quito_coordinator)
    assert client.get(f"/reports?family=gain-course&institution={p.quito.id}").status_code == 200
    for query in (f"institution={p.cuenca.id}", "cohort=999999"):
        assert client.get(f"/reports?family=gain-course&{query}").status_code == 403
        assert client.get(f"/reports/tables/gain.csv?family=gain-course&{query}").status_code == 403
    page = client.get("/reports?family=gain-course").get_data(as_text=True)
    assert "Ana" in page
    assert "Carla" not in page
    assert "Dario" not in page


def test_the_drill_down_shows_a_timeline_only_to_those_who_follow_the_person(
    programme, client, login_as
):
    p = programme
    path = f"/reports/participants/{p.ana.id}?family=gain-course"
    login_as(p.cuenca_coordinator)
    assert client.get(path).status_code == 404
    login_as(p.quito_coordinator)
    page = client.get(path).get_data(as_text=True)
    assert "Ana" in page
    for event in ("Enrolled in", "Joined the cohort March", "Attempt 1 at", "Attempt 2 at"):
        assert event in page, event
