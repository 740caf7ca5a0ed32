"""The dashboard on the hand-computed programme (tests/reports/conftest.py), plus four
workshop sessions of the March cohort in March 2026:

| session  | Ana     | Ben       | Carla   | Eva          | attendance            |
| -------- | ------- | --------- | ------- | ------------ | --------------------- |
| 3 March  | present | present   | present | not recorded | 3 / 4 = 75 %          |
| 10 March | present | excused   | present | not recorded | 2 / (4 - 1) = 66.67 % |
| 17 March | late    | absent    | present | not recorded | 2 / 4 = 50 %          |
| 24 March | absent  | -         | present | not recorded | 1 / 4 = 25 %          |

Per participant (so far): Ana 3 / 4 = 75 %; Ben 1 / (4 - 1) = 33.33 %; Carla 4 / 4 = 100 %;
Eva 0 / 4 = 0 %; Dario is in no cohort. Ana and Ben complete the lesson, so they complete the
course (pre-test sent, lesson, post-test passed): completion 2 / 5 = 40 %.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, time, timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import update

from trainer.cohorts import sessions as cohort_sessions
from trainer.cohorts.models import CohortMember
from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.learning import services
from trainer.reports import dashboard
from trainer.reports.scope import ReportFilter

from .test_exports import SHEET

FAMILY = ReportFilter("gain-course")
MARKS = {
    "ana": ["present", "present", "late", "absent"],
    "ben": ["present", "excused", "absent", None],
    "carla": ["present", "present", "present", "present"],
    "eva": [None, None, None, None],
}


@pytest.fixture
def workshops(programme, db):
    from datetime import date

    p = programme
    db.session.execute(
        update(CohortMember)
        .where(CohortMember.cohort_id == p.march.id)
        .values(joined_at=datetime(2026, 2, 1, tzinfo=UTC))
    )
    sessions = [
        cohort_sessions.schedule_session(
            p.admin, p.march, day=date(2026, 3, day), start=time(9), end=time(12), place="Sala 1"
        )
        for day in (3, 10, 17, 24)
    ]
    for name, marks in MARKS.items():
        for session, status in zip(sessions, marks, strict=True):
            if status:
                cohort_sessions.record_attendance(p.admin, session, {getattr(p, name): status})
    lesson = next(m for m in current_modules(p.english) if m.slug == "lesson")
    for name in ("ana", "ben"):
        person = getattr(p, name)
        services.mark_complete(person, services.find_enrolment(person, "gain-course"), lesson)
    db.session.flush()
    db.session.expire_all()
    return sessions


def build(actor, report=FAMILY, **kwargs):
    kwargs.setdefault("now", utcnow())
    kwargs.setdefault("inactive_after_days", 14)
    return dashboard.build(actor, report, **kwargs)


def test_the_figures_are_the_hand_computed_ones(programme, workshops):
    p = programme
    data = build(p.admin)
    assert data.summary == dashboard.Summary(
        enrolled=5, active=5, completed=2, withdrawn=0, completion_rate=40.0
    )
    assert [
        (s.day.day, s.expected, s.present, s.late, s.excused, s.absent) for s in data.sessions
    ] == [
        (3, 4, 3, 0, 0, 1),
        (10, 4, 2, 0, 1, 1),
        (17, 4, 1, 1, 0, 2),
        (24, 4, 1, 0, 0, 3),
    ]
    assert [s.attendance for s in data.sessions] == [75.0, 66.67, 50.0, 25.0]
    assert [s.not_recorded for s in data.sessions] == [1, 1, 1, 2]
    people = {line.name: line for line in data.participants}
    assert {name: line.attendance for name, line in people.items()} == {
        "Ana": 75.0,
        "Ben": 33.33,
        "Carla": 100.0,
        "Dario": None,
        "Eva": 0.0,
    }
    assert (people["Ben"].attended, people["Ben"].counted, people["Ben"].not_recorded) == (1, 3, 1)
    assert {name: line.status for name, line in people.items()} == {
        "Ana": "completed",
        "Ben": "completed",
        "Carla": "active",
        "Dario": "active",
        "Eva": "active",
    }
    # Carla and Dario: pre-test sent and post-test passed, lesson not done: 2 of 3 (66 %);
    # Eva: the pre-test only, 1 of 3 (33 %).
    assert {name: line.progress for name, line in people.items()} == {
        "Ana": 100,
        "Ben": 100,
        "Carla": 66,
        "Dario": 66,
        "Eva": 33,
    }
    assert {b.key: b.count for b in data.progress} == {
        "0": 0,
        "1-24": 0,
        "25-49": 1,
        "50-74": 2,
        "75-99": 0,
        "completed": 2,
        "withdrawn": 0,
    }
    # Pre-test: (37.5 + 0 + 100 + 75 + 25) / 5 = 47.5; best post-tests: (100 + 75 + 75 + 50)
    # / 4 = 75, all four passed (pass mark 50).
    assert [(q.kind, q.attempted, q.mean_best, q.passed, q.pass_rate) for q in data.quizzes] == [
        ("pre-test", 5, 47.5, None, None),
        ("post-test", 4, 75.0, 4, 100.0),
    ]
    institutions = {g.name: g for g in data.institutions}
    # Quito: Ana and Ben, both complete; attendance (75 + 33.33) / 2.
    assert (institutions["Quito"].completed, institutions["Quito"].completion_rate) == (2, 100.0)
    assert institutions["Quito"].mean_attendance == pytest.approx(54.17, abs=0.01)
    assert (institutions["Cuenca"].enrolled, institutions["Cuenca"].mean_attendance) == (3, 50.0)
    assert [(g.name, g.n, g.mean_gain, g.mean_normalised_gain) for g in data.cohort_gains] == [
        # Ana 62.5, Ben 75, Carla -25: 112.5 / 3 = 37.5; normalised (1 + 0.75) / 2.
        ("March", 3, 37.5, 0.875),
        (None, 1, -25.0, -1.0),
    ]
    assert data.at_risk == []


def test_at_risk_are_the_unfinished_without_activity_for_the_programme_s_days(programme, workshops):
    p = programme
    later = build(p.admin, now=utcnow() + timedelta(days=20), inactive_after_days=14)
    assert [(r.name, r.reasons, r.days_inactive) for r in later.at_risk] == [
        ("Carla", ("inactive",), 20),
        ("Dario", ("inactive",), 20),
        ("Eva", ("inactive",), 20),
    ]
    assert build(p.admin, now=utcnow() + timedelta(days=20), inactive_after_days=21).at_risk == []
    # Not active either, after 30 days.
    assert build(p.admin, now=utcnow() + timedelta(days=31)).summary.active == 0


def test_attendance_below_the_course_threshold_puts_a_participant_at_risk(programme):
    from trainer.reports.facts import Person

    now = utcnow()
    person = Person(
        1, "Ana", "a@example.org", 1, "Quito", 1, "March", now, 1, 1, "active", now, None, now
    )
    line = dashboard.at_risk_line(person, 50.0, 75.0, now, now=now, inactive_after_days=14)
    assert line.reasons == ("attendance",)
    assert dashboard.at_risk_line(person, 75.0, 75.0, now, now=now, inactive_after_days=14) is None
    # No attendance requirement, or no session held yet: attendance puts nobody at risk.
    assert dashboard.at_risk_line(person, 10.0, None, now, now=now, inactive_after_days=14) is None
    assert dashboard.at_risk_line(person, None, 75.0, now, now=now, inactive_after_days=14) is None
    both = dashboard.at_risk_line(
        person, 50.0, 75.0, now - timedelta(days=15), now=now, inactive_after_days=14
    )
    assert both.reasons == ("attendance", "inactive")
    # Never active: counted from enrolling.
    fresh = dashboard.at_risk_line(person, None, None, None, now=now, inactive_after_days=14)
    assert fresh is None


def _csv_rows(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _xlsx_rows(data: bytes, sheet: int = 1) -> list[list]:
    """Rows of a sheet: shared strings as str, numbers as float, empty cells as None."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        strings = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314
        xml = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{sheet}.xml"))  # noqa: S314
    shared = [
        "".join(t.text or "" for t in si.iter(f"{SHEET}t")) for si in strings.iter(f"{SHEET}si")
    ]
    rows = []
    for row in xml.iter(f"{SHEET}row"):
        cells: dict[int, object] = {}
        for cell in row.iter(f"{SHEET}c"):
            assert cell.find(f"{SHEET}f") is None  # never a formula
            column = ord(cell.get("r")[0]) - ord("A")
            value = cell.find(f"{SHEET}v").text
            cells[column] = shared[int(value)] if cell.get("t") == "s" else float(value)
        rows.append([cells.get(i) for i in range(max(cells) + 1)] if cells else [])
    return rows


def test_the_page_the_csv_and_the_xlsx_show_the_same_figures(
    programme, workshops, client, login_as
):
    login_as(programme.admin)
    page = client.get("/reports?family=gain-course").get_data(as_text=True)
    for shown in ("66.67%", "33.33%", "40%", "0.875", "-25", "47.5%", "54.17%"):
        assert shown in page, shown
    sessions = _csv_rows(client.get("/reports/tables/sessions.csv?family=gain-course"))
    assert sessions[0][-1] == "Attendance (%)"
    assert [row[-1] for row in sessions[1:]] == ["75", "66.67", "50", "25"]
    people = _csv_rows(client.get("/reports/tables/participants.csv?family=gain-course"))
    header = people[0]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in people[1:]}
    assert by_name["Ben"]["Attendance so far (%)"] == "33.33"
    assert by_name["Dario"]["Attendance so far (%)"] == ""
    assert by_name["Ana"]["Status"] == "Completed"
    summary = _csv_rows(client.get("/reports/tables/summary.csv?family=gain-course"))
    assert summary[-1] == ["Completion rate (%)", "40"]
    xlsx = client.get("/reports/tables/gain-cohorts.xlsx?family=gain-course")
    assert (
        xlsx.headers["Content-Disposition"]
        == 'attachment; filename="gain-cohorts-gain-course.xlsx"'
    )
    rows = _xlsx_rows(xlsx.get_data())
    assert rows[1] == ["March", 3.0, 45.83, 83.33, 37.5, 2.0, 0.875]
    assert rows[2] == ["In no cohort", 1.0, 75.0, 50.0, -25.0, 1.0, -1.0]
    # The workbook: every table, one sheet each, the sessions' sheet as on the page.
    book = client.get("/reports/dashboard.xlsx?family=gain-course").get_data()
    with zipfile.ZipFile(io.BytesIO(book)) as opened:
        names = [n for n in opened.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(names) == 12
    assert [row[-1] for row in _xlsx_rows(book, 4)[1:]] == [75.0, 66.67, 50.0, 25.0]


def test_a_formula_as_a_name_exports_as_text_and_negative_gains_as_numbers(
    programme, workshops, client, login_as, db
):
    programme.dario.full_name = '=HYPERLINK("http://evil","x")'
    db.session.flush()
    login_as(programme.admin)
    rows = _csv_rows(client.get("/reports/tables/gain.csv?family=gain-course"))
    evil = next(row for row in rows if "HYPERLINK" in row[0])
    assert evil[0] == '\'=HYPERLINK("http://evil","x")'
    assert evil[5:] == ["-25", "-1"]
    xlsx = _xlsx_rows(client.get("/reports/tables/gain.xlsx?family=gain-course").get_data())
    evil = next(row for row in xlsx if row and "HYPERLINK" in str(row[0]))
    assert evil[0] == '=HYPERLINK("http://evil","x")'  # a string cell, not a formula
    assert evil[5:] == [-25.0, -1.0]


def test_the_item_page_its_csv_and_xlsx_show_the_hand_computed_statistics(
    programme, client, login_as
):
    """tests/reports/test_items.py: the pre-test's "rights" is right 1 time of 5 (20 %),
    "sdg" 2 of 5 (40 %, mean 0.5 points); pre against post: capital 60 -> 50 (-10)."""
    login_as(programme.admin)
    page = client.get("/reports/items?family=gain-course").get_data(as_text=True)
    missed = page[page.index('id="missed-title"') : page.index('id="questions-title"')]
    assert "Rights at work apply to everyone." in missed
    assert "Which two?" in missed
    assert "1 of 5 right" in missed
    assert "Which one?" not in missed
    rows = _csv_rows(client.get("/reports/items/items.csv?family=gain-course"))
    header = rows[0]
    found = {(r[1], r[2]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    sdg = found[("Pre-test", "sdg")]
    assert (sdg["Answers (n)"], sdg["Correct (%)"], sdg["Mean score (points)"]) == (
        "5",
        "40",
        "0.5",
    )
    assert sdg["Choices picked"] == "a: 3; b: 2; c: 1"
    assert sdg["Most people miss it"] == "Yes"
    assert found[("Post-test", "capital")]["Most people miss it"] == "No"
    pairs = _xlsx_rows(client.get("/reports/items/pre-post.xlsx?family=gain-course").get_data())
    assert [(r[0], r[3], r[5], r[6]) for r in pairs[1:]] == [
        ("capital", 60.0, 50.0, -10.0),
        ("gcm", 60.0, 75.0, 15.0),
        ("rights", 20.0, 75.0, 55.0),
        ("sdg", 40.0, 75.0, 35.0),
    ]
    assert "-10" in page
    assert "55" in page


def test_the_timeline_holds_modules_attempts_attendance_and_certificates(
    programme, workshops, client, login_as
):
    p = programme
    login_as(p.quito_coordinator)
    page = client.get(f"/reports/participants/{p.ana.id}?family=gain-course").get_data(as_text=True)
    timeline = page[page.index('class="timeline"') :]
    for event in (
        "Enrolled in Quiz course",
        "Joined the cohort March",
        "Attempt 1 at The quiz",  # the pre-test
        "Attempt 2 at Final test",
        "Completed A lesson",
        "Session of March (Sala 1):\n",
        "Completed the course",
    ):
        assert event.strip() in timeline, event
    assert timeline.count("Session of March") == 4
    for status in ("Present", "Late", "Absent"):
        assert status in timeline
    # Completing the course issued her certificate of completion.
    assert "Certificate issued: Quiz course (of completion," in timeline
    # Pre 37.5, best post 100: a gain of 62.5 points, normalised 1.
    facts = page[page.index("participant-facts") : page.index('class="timeline"')]
    for shown in ("37.5%", "100%", "62.5", "1.00", "75%"):
        assert shown in facts, shown


def test_group_gains_from_the_participants_agree_with_the_sql_means(programme, db):
    """The dashboard's cohort and institution means, computed from the per-participant
    figures, equal reports.gain's SQL means, over 200 people."""
    from tests.reports.bulk import add_participants
    from trainer.reports import gain

    p = programme
    modules = [m for m in current_modules(p.english) if m.quiz]
    add_participants(db.session, p.english, modules, [p.quito.id, p.cuenca.id], p.march.id, 195)
    for actor in (p.admin, p.quito_coordinator):
        data = build(actor)
        for mine, theirs in (
            (data.cohort_gains, gain.cohort_gains(actor, FAMILY)),
            (data.institution_gains, gain.institution_gains(actor, FAMILY)),
        ):
            assert [(g.id, g.name, g.n, g.n_normalised) for g in mine] == [
                (g.id, g.name, g.n, g.n_normalised) for g in theirs
            ]
            for a, b in zip(mine, theirs, strict=True):
                assert a.mean_pre == pytest.approx(b.mean_pre, abs=0.011)
                assert a.mean_post == pytest.approx(b.mean_post, abs=0.011)
                assert a.mean_gain == pytest.approx(b.mean_gain, abs=0.011)
                assert a.mean_normalised_gain == pytest.approx(b.mean_normalised_gain, abs=0.00011)
