"""The evaluation report on the hand-computed programme (tests/reports/conftest.py), with
workshops, completions and survey responses added; the page and the PDF say the same.

Added here:
- the cohort is renamed "Cohorte Ñusta, Cañar" and Cuenca "GAD Municipal de Cuenca (Azuay)";
- Ana and Ben complete the lesson, which completes their enrolments (pre-test sent, post-test
  passed); Eva withdraws;
- two sessions of the cohort (2 and 9 March), its members having joined on 1 March: Ana
  present twice, Ben present then absent, Carla late then excused, Eva never marked.

| institution | enrolled | withdrawn | completed | rate  |
| ----------- | -------- | --------- | --------- | ----- |
| Cuenca      | 3        | 1 (Eva)   | 0         | 0 %   |
| Quito       | 2        | 0         | 2         | 100 % |
| all         | 5        | 1         | 2         | 40 %  |

Attendance so far, pooled over the cohort's members: Ana 2 of 2, Ben 1 of 2, Carla 1 of 1
(her excused session is not expected), Eva 0 of 2 (unmarked past sessions count as absent):
4 of 7 = 57.1 %. For Quito's coordinator: Ana and Ben, 3 of 4 = 75 %.

Survey (anonymous, "overall" 1-5): Quito and the cohort, 5 responses 5, 4, 4, 3, 5 (mean
4.2); Cuenca and the cohort, 2 responses (1, 2), under 5 even as "other": left out.

The five weakest questions (first attempts, test_items.py): pre-test "rights" 20 %, pre-test
"sdg" 40 %, post-test "capital" 50 %, pre-test "capital" 60 % and pre-test "gcm" 60 % (five
answers each but the post-test's four; a tie goes by module then question id).
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from uuid import uuid4

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from tests.reports.bulk import add_participants
from tests.sessions import log_in
from trainer.cohorts import sessions
from trainer.cohorts.models import CohortMember
from trainer.courses.services import current_modules
from trainer.learning import services as learning
from trainer.learning.models import SurveyAnswer, SurveyResponse
from trainer.reports.evaluation import evaluation_report
from trainer.reports.scope import ReportFilter

FAMILY = ReportFilter("gain-course")
COHORT = "Cohorte Ñusta, Cañar"
CUENCA = "GAD Municipal de Cuenca (Azuay)"


def respond(db, p, institution, overall: int, text: str | None = None) -> None:
    module = current_modules(p.english)[0]
    response = SurveyResponse(
        id=uuid4().hex,
        family="gain-course",
        module_slug="survey",
        course_id=p.english.id,
        module_version_id=module.id,
        submitted_on=date(2026, 3, 20),
        institution_id=institution.id,
        cohort_id=p.march.id,
        answers={},
    )
    db.session.add(response)
    db.session.flush()
    db.session.add(
        SurveyAnswer(
            response_id=response.id,
            question_id="overall",
            question_type="scale",
            value=str(overall),
            number=float(overall),
        )
    )
    if text:
        db.session.add(
            SurveyAnswer(
                response_id=response.id,
                question_id="comments",
                question_type="free_text",
                value=text,
            )
        )
    db.session.flush()


@pytest.fixture
def evaluated(db, programme):
    p = programme
    p.march.name = COHORT
    p.cuenca.name = CUENCA
    lesson = next(m for m in current_modules(p.english) if m.slug == "lesson")
    for person in (p.ana, p.ben):
        learning.mark_complete(person, learning.find_enrolment(person, "gain-course"), lesson)
    learning.withdraw(learning.find_enrolment(p.eva, "gain-course"))
    db.session.execute(
        update(CohortMember)
        .where(CohortMember.cohort_id == p.march.id)
        .values(joined_at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    )
    db.session.expire_all()
    first, second = (
        sessions.schedule_session(
            p.admin, p.march, day=date(2026, 3, day), start=time(9), end=time(12), place="Sala"
        )
        for day in (2, 9)
    )
    for session, marks in (
        (first, {p.ana: "present", p.ben: "present", p.carla: "late"}),
        (second, {p.ana: "present", p.ben: "absent", p.carla: "excused"}),
    ):
        sessions.record_attendance(p.admin, session, marks, now=session.ends_at)
    for value, text in ((5, "Muy útil, gracias"), (4, None), (4, None), (3, None), (5, None)):
        respond(db, p, p.quito, value, text)
    for value in (1, 2):
        respond(db, p, p.cuenca, value, "Secreto de Cuenca")
    db.session.flush()
    return p


def test_the_figures_match_the_hand_computed_ones(evaluated):
    p = evaluated
    report = evaluation_report(p.admin, FAMILY, language="en")
    assert [(r.name, r.enrolled, r.withdrawn, r.completed) for r in report.completion] == [
        (CUENCA, 3, 1, 0),
        ("Quito", 2, 0, 2),
    ]
    assert [r.completion_rate for r in report.completion] == [0.0, 100.0]
    assert (report.total.enrolled, report.total.completed, report.total.completion_rate) == (
        5,
        2,
        40.0,
    )
    (march,) = report.attendance
    assert (march.name, march.members, march.attended, march.expected) == (COHORT, 4, 4, 7)
    assert march.rate == 57.1
    assert march.threshold is None
    # Learning gain: test_gain.py's figures.
    assert [(g.name, g.n, g.mean_gain) for g in report.gain_by_institution] == [
        (CUENCA, 2, -25.0),
        ("Quito", 2, 68.75),
    ]
    assert [(g.name, g.n, g.mean_gain) for g in report.gain_by_cohort] == [
        (COHORT, 3, 37.5),
        (None, 1, -25.0),
    ]
    results = report.satisfaction
    assert [(g.institution, g.responses, g.scale("overall").mean) for g in results.groups] == [
        ("Quito", 5, 4.2)
    ]
    assert results.responses_left_out == 2
    assert results.overall.answers("comments") == ("Muy útil, gracias",)
    assert [(w.question, w.module_title, w.n, w.percent_correct) for w in report.weakest] == [
        ("Rights at work apply to everyone.", "The quiz", 5, 20.0),
        ("Which two?", "The quiz", 5, 40.0),
        ("Which one?", "Final test", 4, 50.0),
        ("Which one?", "The quiz", 5, 60.0),
        ("How many objectives?", "The quiz", 5, 60.0),
    ]


def test_an_institution_coordinator_gets_their_institution_only(evaluated):
    p = evaluated
    report = evaluation_report(p.quito_coordinator, FAMILY, language="en")
    assert [(r.name, r.enrolled, r.completed) for r in report.completion] == [("Quito", 2, 2)]
    (march,) = report.attendance
    assert (march.members, march.attended, march.expected, march.rate) == (2, 3, 4, 75.0)
    assert [g.name for g in report.gain_by_institution] == ["Quito"]
    assert [g.responses for g in report.satisfaction.groups] == [5]
    nothing = evaluation_report(p.cuenca_coordinator, FAMILY, language="en")
    assert nothing.satisfaction.groups == ()  # Cuenca's 2 responses stay hidden
    assert [r.name for r in nothing.completion] == [CUENCA]


def page_text(html: str) -> str:
    return " ".join(html.split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_page_and_the_pdf_show_the_same_figures(app, evaluated):
    p = evaluated
    client = log_in(app.test_client(), p.admin)
    page = client.get("/reports/evaluation/gain-course")
    assert page.status_code == 200
    html = page_text(page.get_data(as_text=True))
    response = client.get("/reports/evaluation/gain-course.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = pdf_text(response.data)
    for expected in (
        "Evaluation report: Quiz course",
        COHORT,
        CUENCA,
        "40 %",  # completion, all institutions
        "57.1 %",  # attendance so far
        "4 / 7",
        "68.75",  # Quito's mean gain
        "-25",  # a negative gain stays a number
        "4.2",  # Quito's mean satisfaction
        "Muy útil, gracias",
        "Rights at work apply to everyone.",
        "20 %",
    ):
        assert expected in html, expected
        assert expected in text, expected
    for hidden in ("Secreto de Cuenca",):
        assert hidden not in html
        assert hidden not in text


def test_the_cohort_report_is_the_cohorts_and_its_trainers(app, db, evaluated):
    from trainer.cohorts import services as cohorts

    p = evaluated
    cohorts.assign_trainers(p.admin, p.march, [p.trainer])
    db.session.flush()
    client = log_in(app.test_client(), p.trainer)
    page = client.get(f"/cohorts/{p.march.id}/evaluation")
    assert page.status_code == 200
    html = page_text(page.get_data(as_text=True))
    assert "Cohort Cohorte Ñusta, Cañar" in html
    # Dario is in no cohort: the cohort's report counts the other four.
    text = pdf_text(client.get(f"/cohorts/{p.march.id}/evaluation.pdf").data)
    assert "57.1 %" in text
    assert client.get("/reports/evaluation/gain-course").status_code == 403


def test_b_coordinator_is_refused_a_data(app, evaluated):
    p = evaluated
    client = log_in(app.test_client(), p.cuenca_coordinator)
    url = f"/reports/evaluation/gain-course?institution={p.quito.id}"
    assert client.get(url).status_code == 404
    assert client.get(url.replace("course?", "course.pdf?")).status_code == 404
    own = client.get("/reports/evaluation/gain-course").get_data(as_text=True)
    assert "Quito" not in own
    assert "Ana" not in own


def test_a_fixed_number_of_queries(evaluated, db, count_queries):
    p = evaluated
    modules = [m for m in current_modules(p.english) if m.quiz]
    counts = []
    for extra in (0, 60):
        if extra:
            add_participants(
                db.session, p.english, modules, [p.quito.id, p.cuenca.id], p.march.id, extra
            )
        db.session.refresh(p.quito_coordinator)
        with count_queries() as statements:
            evaluation_report(p.quito_coordinator, FAMILY, language="en")
        counts.append(len(statements))
        assert all(s.lstrip().upper().startswith(("SELECT", "WITH")) for s in statements)
    assert counts[0] == counts[1] == 13


def test_the_cohort_overview_links_to_the_reports(app, db, evaluated):
    from trainer.cohorts import services as cohorts

    p = evaluated
    cohorts.assign_trainers(p.admin, p.march, [p.trainer])
    db.session.flush()
    cohort_link = f'href="/cohorts/{p.march.id}/evaluation"'
    course_link = 'href="/reports/evaluation/gain-course"'
    admin = log_in(app.test_client(), p.admin).get(f"/cohorts/{p.march.id}").get_data(True)
    assert cohort_link in admin
    assert course_link in admin
    trainer = log_in(app.test_client(), p.trainer).get(f"/cohorts/{p.march.id}").get_data(True)
    assert cohort_link in trainer
    assert course_link not in trainer
