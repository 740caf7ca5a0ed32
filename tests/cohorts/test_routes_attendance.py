"""The roster, the sign-in sheet and typing in a paper sheet, through their pages."""

from __future__ import annotations

import io
import re
from datetime import date, time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.learning.conftest import import_folder, lesson
from trainer.cohorts import services, sessions
from trainer.cohorts.models import AttendanceRecord, Cohort, TrainingSession
from trainer.cohorts.views import attendance
from trainer.courses.services import current_modules
from trainer.extensions import db
from trainer.learning import services as learning
from trainer.learning.models import Enrolment
from trainer.learning.signals import enrolment_completed

from .conftest import MARCH_1, MARCH_31, ZONE, at

DURING = at(2, 15)  # the day-2 session runs from 14:00 to 17:00 UTC


@pytest.fixture
def clock(monkeypatch):
    """The pages' "now": during the day-2 session unless a test moves it."""

    class Clock:
        now = DURING

        def set(self, moment):
            self.now = moment

    found = Clock()
    monkeypatch.setattr(attendance, "utcnow", lambda: found.now)
    return found


@pytest.fixture
def workshop(people, new_cohort, new_session, clock):
    """A cohort of Quito and Cuenca with Ana and Zoë (Quito) and Luis (Cuenca), and its
    day-2 session."""
    cohort = new_cohort()
    for person in (people.ana, people.zoe, people.luis):
        services.add_member(people.admin, cohort, person, now=at(1, 12))
    return cohort, new_session(cohort)


def url(session, page: str = "attendance") -> str:
    return f"/cohorts/{session.cohort_id}/sessions/{session.id}/{page}"


def records(session) -> dict[str, tuple[str, str]]:
    found = db.session.scalars(
        select(AttendanceRecord).where(AttendanceRecord.session_id == session.id)
    )
    return {record.user.full_name: (record.status, record.method) for record in found}


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def status(person, value: str) -> dict:
    return {f"status-{person.id}": value}


# The roster page.


def test_a_trainer_sees_every_member_as_a_radio_group(client, login_as, people, workshop):
    _cohort, session = workshop
    login_as(people.trainer)
    response = client.get(url(session))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('<fieldset class="mark') == 3
    for person in (people.ana, people.zoe, people.luis):
        assert f"<legend>{person.full_name}</legend>" in html
        for value in ("present", "late", "excused", "absent"):
            assert f'id="member-{person.id}-{value}"' in html
            assert f'for="member-{person.id}-{value}"' in html
    assert "No mark yet." in text_of(response)
    assert 'name="mark_all"' in html


def test_a_coordinator_reads_only_their_institutions_members(client, login_as, people, workshop):
    _cohort, session = workshop
    sessions.record_attendance(people.trainer, session, {people.luis: "late"}, now=DURING)
    login_as(people.cuenca_coordinator)
    response = client.get(url(session))
    assert response.status_code == 200
    page = text_of(response)
    assert "Luis Peña" in page
    assert "Ana Núñez" not in page
    assert "Zoë Éluard" not in page
    assert "Late, recorded by Tomás Trainer on the roster" in page
    assert '<form method="post" class="roster"' not in response.get_data(as_text=True)
    assert client.post(url(session), data=status(people.luis, "present")).status_code == 403
    assert records(session) == {"Luis Peña": ("late", "roster")}


def test_another_cohorts_trainer_and_session_are_refused(client, login_as, people, workshop):
    cohort, session = workshop
    other = services.create_cohort(
        people.admin,
        people.course,
        name="Elsewhere",
        starts_on=MARCH_1,
        ends_on=MARCH_31,
        timezone=ZONE,
        open_to_all=True,
        trainers=[people.other_trainer],
    )
    login_as(people.other_trainer)
    assert client.get(url(session)).status_code == 403
    assert client.post(url(session), data=status(people.ana, "present")).status_code == 403
    assert client.get(url(session, "sheet.pdf")).status_code == 403
    assert client.get(url(session, "sheet")).status_code == 403
    login_as(people.trainer)
    elsewhere = f"/cohorts/{other.id}/sessions/{session.id}"
    assert client.get(f"{elsewhere}/attendance").status_code == 404
    assert client.get(f"{elsewhere}/sheet.pdf").status_code == 404
    assert client.get(f"/cohorts/{cohort.id}/sessions/999999/attendance").status_code == 404
    assert records(session) == {}


def test_saving_records_the_changed_marks_in_one_signal(
    client, login_as, people, workshop, received
):
    _cohort, session = workshop
    login_as(people.trainer)
    response = client.post(
        url(session),
        data={**status(people.ana, "late"), **status(people.luis, "excused"), "save": "1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(session))
    assert records(session) == {
        "Ana Núñez": ("late", "roster"),
        "Luis Peña": ("excused", "roster"),
    }
    [(sender, kwargs)] = received["attendance-recorded"]
    assert sender.id == session.id
    assert {record.user_id for record in kwargs["records"]} == {people.ana.id, people.luis.id}
    page = text_of(client.get(url(session)))
    assert "2 marks saved." in page
    assert "Late, recorded by Tomás Trainer on the roster on" in page


def test_only_what_the_page_changed_is_recorded(client, login_as, people, workshop, received):
    """A mark recorded meanwhile (here by QR) is kept when the page still showed the old one."""
    _cohort, session = workshop
    sessions.record_attendance(people.trainer, session, {people.ana: "absent"}, now=DURING)
    login_as(people.trainer)
    page = client.get(url(session)).get_data(as_text=True)
    assert f'name="shown-{people.ana.id}" value="absent"' in page
    sessions.save_marks(people.ana, session, {people.ana: "present"}, "qr", DURING)
    db.session.commit()
    received.clear()
    form = {
        **status(people.ana, "absent"),
        f"shown-{people.ana.id}": "absent",
        **status(people.zoe, "late"),
        f"shown-{people.zoe.id}": "",
    }
    client.post(url(session), data=form)
    assert records(session) == {"Ana Núñez": ("present", "qr"), "Zoë Éluard": ("late", "roster")}
    [(_sender, kwargs)] = received["attendance-recorded"]
    assert [record.user_id for record in kwargs["records"]] == [people.zoe.id]
    received.clear()
    response = client.post(url(session), data=form | {f"shown-{people.zoe.id}": "late"})
    assert response.status_code == 302
    assert received["attendance-recorded"] == []
    assert "Nothing to save" in text_of(client.get(url(session)))


def test_mark_all_present_fills_only_members_without_a_mark(
    client, login_as, people, workshop, received
):
    _cohort, session = workshop
    sessions.record_attendance(people.trainer, session, {people.ana: "excused"}, now=DURING)
    received.clear()
    login_as(people.trainer)
    response = client.post(
        url(session),
        data={
            **status(people.ana, "excused"),
            f"shown-{people.ana.id}": "excused",
            **status(people.zoe, "late"),
            "mark_all": "1",
        },
    )
    assert response.status_code == 302
    assert records(session) == {
        "Ana Núñez": ("excused", "roster"),
        "Zoë Éluard": ("late", "roster"),
        "Luis Peña": ("present", "roster"),
    }
    assert len(received["attendance-recorded"]) == 1


def test_a_value_that_is_no_status_is_named_and_nothing_is_recorded(
    client, login_as, people, workshop
):
    _cohort, session = workshop
    login_as(people.trainer)
    response = client.post(
        url(session), data={**status(people.ana, "here"), **status(people.zoe, "present")}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Ana Núñez: Choose present, late, excused or absent." in page
    described = f"member-{people.ana.id}-state member-{people.ana.id}-error"
    assert f'aria-describedby="{described}"' in response.get_data(as_text=True)
    assert records(session) == {}


def test_refusals_come_back_as_messages(client, login_as, people, workshop, new_session, clock):
    cohort, session = workshop
    login_as(people.trainer)
    # Before the session starts only "excused" may be recorded.
    later = new_session(cohort, day=9)
    response = client.post(url(later), data=status(people.ana, "present"))
    assert response.status_code == 200
    assert "only excused absences can be recorded ahead" in text_of(response)
    assert "The session has not started yet" in text_of(response)
    response = client.post(url(later), data={"mark_all": "1"})
    assert "only excused absences can be recorded ahead" in text_of(response)
    assert records(later) == {}
    assert client.post(url(later), data=status(people.ana, "excused")).status_code == 302
    assert records(later) == {"Ana Núñez": ("excused", "roster")}
    # A cancelled session takes no attendance. (Objects a request used are loaded again.)
    later = db.session.get(TrainingSession, later.id)
    sessions.cancel_session(people.admin, later)
    response = client.get(url(later))
    assert "This session was cancelled" in text_of(response)
    assert 'class="roster"' not in response.get_data(as_text=True)
    response = client.post(url(later), data=status(people.zoe, "excused"))
    assert response.status_code == 200
    assert "it takes no attendance" in text_of(response)
    # A closed cohort's attendance is frozen.
    services.close_cohort(people.admin, db.session.get(Cohort, cohort.id))
    response = client.post(url(session), data=status(people.ana, "present"))
    assert response.status_code == 200
    assert "is closed; its members and attendance can no longer change" in text_of(response)
    assert records(session) == {}


def test_an_ended_session_shows_who_was_not_recorded(client, login_as, people, workshop, clock):
    _cohort, session = workshop
    sessions.record_attendance(people.trainer, session, {people.ana: "present"}, now=DURING)
    clock.set(at(3, 12))
    login_as(people.trainer)
    page = text_of(client.get(url(session)))
    assert page.count("Not recorded: counts as absent until someone marks it.") == 2
    assert "Not recorded: 2" in page


COURSE_YML = """\
title: Blended course
summary: A course with workshops.
language: en
version: "1"
owners: [owner@example.org]
audience: open
completion:
  modules: all
  attendance_percent: 75
"""


def test_the_roster_post_that_crosses_the_threshold_completes_the_enrolment(
    client, login_as, people, tmp_path, clock
):
    folder = tmp_path / "blended"
    folder.mkdir()
    (folder / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    (folder / "01-lesson.md").write_text(lesson("Only lesson"), encoding="utf-8")
    course = import_folder(folder)
    cohort = services.create_cohort(
        people.admin,
        course,
        name="Blended, March",
        starts_on=MARCH_1,
        ends_on=MARCH_31,
        timezone=ZONE,
        institutions=[people.quito],
        trainers=[people.trainer],
    )
    four = [
        sessions.schedule_session(
            people.admin, cohort, day=date(2026, 3, d), start=time(9), end=time(12), place="Sala"
        )
        for d in (2, 3, 4, 5)
    ]
    services.add_member(people.admin, cohort, people.ana, now=at(1, 0))
    enrolment = learning.find_enrolment(people.ana, cohort.family)
    learning.mark_complete(people.ana, enrolment, current_modules(course)[0])
    for session in four[:2]:
        sessions.record_attendance(
            people.trainer, session, {people.ana: "present"}, now=session.ends_at
        )
    assert enrolment.completed_at is None  # 2 of 4 sessions: 50 %
    login_as(people.trainer)
    heard = []
    clock.set(at(4, 15))
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.id)):
        response = client.post(url(four[2]), data=status(people.ana, "late"))
        assert response.status_code == 302
        assert heard == [enrolment.id]  # 3 of 4: 75 %, in that request
        assert db.session.get(Enrolment, enrolment.id).completed_at is not None
        client.post(url(four[2]), data=status(people.ana, "late"))
        client.post(url(four[2]), data={**status(people.ana, "late"), "mark_all": "1"})
    assert heard == [enrolment.id]


def test_the_roster_takes_the_same_queries_for_few_or_many_members(
    client, login_as, people, new_cohort, new_session, make, count_queries, clock
):
    def build(size: int):
        cohort = new_cohort(name=f"Cohort of {size}")
        session = new_session(cohort)
        members = [make.user(institution=people.quito) for _ in range(size)]
        for person in members:
            services.add_member(people.admin, cohort, person, now=at(1, 12))
        half = {person: "late" for person in members[: size // 2]}
        sessions.record_attendance(people.trainer, session, half, now=DURING)
        return session

    def reads(statements: list[str]) -> list[str]:
        return [s for s in statements if s.lstrip().upper().startswith("SELECT")]

    sizes = {"small": 2, "large": 12}
    built = {name: build(size) for name, size in sizes.items()}
    login_as(people.trainer)
    counted = {}
    for name, session in built.items():
        client.get(url(session))  # the log-in's first use writes its last-seen time
        with count_queries() as get:
            assert client.get(url(session)).status_code == 200
        with count_queries() as post:
            assert client.post(url(session), data={"mark_all": "1"}).status_code == 302
        with count_queries() as pdf:
            assert client.get(url(session, "sheet.pdf")).status_code == 200
        counted[name] = tuple(len(reads(found)) for found in (get, post, pdf))
        # Writes: one row for each member marked present (batched where the driver can).
        assert len(post) - len(reads(post)) <= sizes[name] - sizes[name] // 2
    assert counted["small"] == counted["large"], counted


# The sign-in sheet.


def test_the_sign_in_sheet_lists_the_members_with_their_accents(
    client, login_as, people, make, workshop
):
    cohort, session = workshop
    for name in ("José Núñez", "Łukasz Wójcik", "Françoise Lefèvre"):
        services.add_member(
            people.admin, cohort, make.user(institution=people.cuenca, full_name=name), now=at(1, 0)
        )
    login_as(people.trainer)
    response = client.get(url(session, "sheet.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    text = pdf_text(response.data)
    for name in ("José Núñez", "Łukasz Wójcik", "Françoise Lefèvre", "Ana Núñez", "Luis Peña"):
        assert name in text
    login_as(people.quito_coordinator)
    text = pdf_text(client.get(url(session, "sheet.pdf")).data)
    assert "Ana Núñez" in text
    assert "Zoë Éluard" in text
    for name in ("Luis Peña", "José Núñez", "Łukasz Wójcik", "Françoise Lefèvre"):
        assert name not in text


def test_the_sheet_shows_times_in_the_cohorts_time_zone(client, login_as, people, make):
    cohort = services.create_cohort(
        people.admin,
        people.course,
        name="Madrid",
        starts_on=MARCH_1,
        ends_on=MARCH_31,
        timezone="Europe/Madrid",
        open_to_all=True,
        trainers=[people.trainer],
    )
    session = sessions.schedule_session(
        people.admin, cohort, day=date(2026, 3, 2), start=time(9), end=time(12), place="Sala"
    )
    login_as(people.trainer)
    text = pdf_text(client.get(url(session, "sheet.pdf")).data)
    assert "9:00" in text
    assert "12:00" in text
    assert "9:00" in text_of(client.get(url(session)))


# Typing in a paper sheet.


def test_a_paper_sheet_is_recorded_by_number_email_or_name(
    client, login_as, people, workshop, received
):
    _cohort, session = workshop
    sessions.record_attendance(people.trainer, session, {people.zoe: "late"}, now=DURING)
    received.clear()
    login_as(people.trainer)
    page = client.get(url(session, "sheet"))
    assert page.status_code == 200
    assert re.search(r"<li>\s*<span class=\"roster-name\">Ana Núñez", page.get_data(as_text=True))
    text = f"1 present\n\n{people.luis.email.upper()}, ausente\nzoe eluard: en retard\n"
    response = client.post(url(session, "sheet"), data={"results": text})
    assert response.status_code == 302
    assert records(session) == {
        "Ana Núñez": ("present", "sheet"),
        "Luis Peña": ("absent", "sheet"),
        "Zoë Éluard": ("late", "roster"),  # unchanged, so not recorded again
    }
    [(_sender, kwargs)] = received["attendance-recorded"]
    assert len(kwargs["records"]) == 2
    assert "2 marks recorded from the paper sheet." in text_of(client.get(url(session)))


def test_a_paper_sheet_with_bad_lines_records_nothing_and_names_each(
    client, login_as, people, workshop
):
    _cohort, session = workshop
    login_as(people.trainer)
    text = "\n".join(
        [
            "1 present",
            "7 present",
            "Nadie Nunca late",
            "ana nuñez here",
            "nobody@example.org excused",
            "Ana Núñez absent",
        ]
    )
    response = client.post(url(session, "sheet"), data={"results": text})
    assert response.status_code == 200
    page = text_of(response)
    assert "Nothing was recorded: 5 lines have a problem." in page
    assert "Line 1" not in page
    assert "Line 2 : There is no number 7 on the sheet: its numbers go from 1 to 3." in page
    assert "Line 3 : Nobody on this roster is called Nadie Nunca." in page
    assert "Line 4 : End the line with a status: present, late, excused, absent." in page
    assert "Line 5 : Nobody on this roster has the e-mail nobody@example.org." in page
    assert "Line 6 : Ana Núñez is already on line 1; give each person once." in page
    assert records(session) == {}
    assert "1 present\n7 present\nNadie Nunca late" in response.get_data(as_text=True)  # kept


def test_a_paper_sheet_names_people_given_twice(client, login_as, people, workshop):
    _cohort, session = workshop
    login_as(people.trainer)
    response = client.post(url(session, "sheet"), data={"results": "1 present\nAna Núñez late"})
    assert "Line 2 : Ana Núñez is already on line 1; give each person once." in text_of(response)
    assert records(session) == {}


def test_a_paper_sheet_before_the_session_names_each_refused_line(
    client, login_as, people, workshop, new_session
):
    cohort, _session = workshop
    later = new_session(cohort, day=9)
    login_as(people.trainer)
    response = client.post(url(later, "sheet"), data={"results": "1 excused\n2 present"})
    page = text_of(response)
    assert "Line 2 : This session has not started yet" in page
    assert "Line 1" not in page
    assert records(later) == {}


def test_a_paper_sheet_of_a_closed_cohort_is_refused_once(client, login_as, people, workshop):
    cohort, session = workshop
    services.close_cohort(people.admin, cohort)
    login_as(people.trainer)
    response = client.post(url(session, "sheet"), data={"results": "1 present\n2 present"})
    page = text_of(response)
    assert page.count("is closed; its members and attendance can no longer change") == 1
    assert records(session) == {}


def test_coordinators_cannot_type_in_a_sheet(client, login_as, people, workshop):
    _cohort, session = workshop
    login_as(people.quito_coordinator)
    assert client.get(url(session, "sheet")).status_code == 403
    response = client.post(url(session, "sheet"), data={"results": "1 present"})
    assert response.status_code == 403
    assert records(session) == {}


# The permission table's mixed cohort (tests/test_permissions.py), read as each coordinator.


@pytest.mark.parametrize(
    ("coordinator", "sees", "hidden"),
    [
        ("coordinator_a", "José Núñez", "Łukasz Wójcik"),
        ("coordinator_b", "Łukasz Wójcik", "José Núñez"),
    ],
)
def test_in_a_mixed_cohort_each_coordinator_reads_only_their_own_people(
    app, make, coordinator, sees, hidden
):
    from tests.sessions import log_in
    from tests.test_permissions import build_scenario

    scenario = build_scenario(make)
    scenario.users["participant_a"].full_name = "José Núñez"
    scenario.users["participant_b"].full_name = "Łukasz Wójcik"
    db.session.flush()
    path = f"/cohorts/{scenario.objects['cohort_id']}/sessions/{scenario.objects['session_id']}"
    client = log_in(app.test_client(), scenario.users[coordinator])
    page = text_of(client.get(f"{path}/attendance"))
    assert sees in page
    assert hidden not in page
    text = pdf_text(client.get(f"{path}/sheet.pdf").data)
    assert sees in text
    assert hidden not in text
    changed = client.post(
        f"{path}/attendance", data={f"status-{scenario.users['participant_a'].id}": "absent"}
    )
    assert changed.status_code == 403
    trainer = log_in(app.test_client(), scenario.users["cohort_trainer"])
    both = text_of(trainer.get(f"{path}/attendance"))
    assert sees in both
    assert hidden in both
    assert both.count("No mark yet.") == 2  # the refused change recorded nothing
