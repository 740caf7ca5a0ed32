"""Survey results: distributions, means and free text by institution and cohort, small groups
merged into "other" and "other" left out while still small, scoped like every report.

Responses of the anonymous survey of ``survey-course`` (overall: scale 1-5; most-useful:
free text), stored as the survey stores them:

| institution | cohort | overall answers  | n | mean | free text                   |
| ----------- | ------ | ---------------- | - | ---- | --------------------------- |
| Quito       | March  | 5, 5, 4, 4, 3, 5 | 6 | 4.33 | "Los talleres", "ejemplos"  |
| Cuenca      | March  | 2, 3, 3, 4, 4    | 5 | 3.2  | "Más práctica"              |
| Cuenca      | none   | 1, 1, 2          | 3 |      | "Secreto de Cuenca"         |
| Loja        | April  | 5, 4             | 2 |      | "Secreto de Loja"           |

For an admin: Quito/March and Cuenca/March are shown; the last two (3 + 2 = 5) make
"other": 1, 1, 2, 5, 4, mean 13 / 5 = 2.6. Overall: 16 responses, sum 26 + 16 + 13 = 55,
mean 3.44.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from uuid import uuid4

import pytest

from tests.learning.conftest import import_folder, lesson, quiz_module, write_course
from trainer.auth.models import Role
from trainer.cohorts import services as cohorts
from trainer.courses.services import current_modules
from trainer.learning import attempts, services
from trainer.learning.models import SurveyAnswer, SurveyResponse
from trainer.reports.scope import ReportFilter
from trainer.reports.surveys import survey_results

SURVEY = """\
? Overall, how satisfied are you? {id=overall}
~ scale 1-5: Very dissatisfied | Very satisfied

? What was most useful? {id=most-useful}
~ text
"""
FAMILY = ReportFilter("survey-course")


def survey_course(tmp_path, slug="survey-course", anonymous=True, **yml):
    settings = "anonymous: yes" if anonymous else ""
    files = {
        "01-lesson.md": lesson(),
        "02-survey.md": quiz_module(settings, SURVEY, kind="survey"),
    }
    return import_folder(write_course(tmp_path / slug, slug, files, **yml))


def respond(db, course, institution, cohort, overall, text=None):
    module = next(m for m in current_modules(course) if m.kind == "survey")
    response = SurveyResponse(
        id=uuid4().hex,
        family=course.family,
        module_slug=module.slug,
        course_id=course.id,
        module_version_id=module.id,
        submitted_on=date(2026, 3, 20),
        institution_id=institution.id if institution else None,
        cohort_id=cohort.id if cohort else None,
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
    db.session.add(
        SurveyAnswer(
            response_id=response.id,
            question_id="most-useful",
            question_type="free_text",
            value=text,
            number=None,
        )
    )
    db.session.flush()


@pytest.fixture
def surveyed(db, make, tmp_path):
    quito = make.institution(name="Quito")
    cuenca = make.institution(name="Cuenca")
    loja = make.institution(name="Loja")
    admin = make.user(Role.ADMIN)
    course = survey_course(tmp_path)

    def cohort(name, institutions):
        return cohorts.create_cohort(
            admin,
            course,
            name=name,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 31),
            timezone="America/Guayaquil",
            institutions=institutions,
        )

    march = cohort("March", [quito, cuenca])
    april = cohort("April", [loja])
    texts = {
        (quito, march): {0: "Los talleres", 3: "ejemplos"},
        (cuenca, march): {1: "Más práctica"},
        (cuenca, None): {0: "Secreto de Cuenca"},
        (loja, april): {1: "Secreto de Loja"},
    }
    answers = {
        (quito, march): [5, 5, 4, 4, 3, 5],
        (cuenca, march): [2, 3, 3, 4, 4],
        (cuenca, None): [1, 1, 2],
        (loja, april): [5, 4],
    }
    for (institution, group_cohort), values in answers.items():
        for n, value in enumerate(values):
            text = texts[(institution, group_cohort)].get(n)
            respond(db, course, institution, group_cohort, value, text)
    april_trainer = make.user(Role.TRAINER)
    cohorts.assign_trainers(admin, april, [april_trainer])
    db.session.flush()
    return SimpleNamespace(
        course=course,
        quito=quito,
        cuenca=cuenca,
        loja=loja,
        march=march,
        april=april,
        admin=admin,
        programme=make.user(Role.COORDINATOR, is_programme_wide=True),
        quito_coordinator=make.user(Role.COORDINATOR, institution=quito),
        cuenca_coordinator=make.user(Role.COORDINATOR, institution=cuenca),
        april_trainer=april_trainer,
        other_trainer=make.user(Role.TRAINER),
        participant=make.user(institution=quito),
    )


def shown(results):
    return [
        (g.institution, g.cohort, g.is_other, g.responses, g.scale("overall").mean)
        for g in results.groups
    ]


@pytest.mark.parametrize("who", ["admin", "programme"])
def test_programme_staff_see_every_group_with_the_small_ones_merged(surveyed, who):
    results = survey_results(getattr(surveyed, who), FAMILY)
    assert results.min_group == 5
    assert shown(results) == [
        ("Cuenca", "March", False, 5, 3.2),
        ("Quito", "March", False, 6, 4.33),
        (None, None, True, 5, 2.6),
    ]
    other = results.groups[-1].scale("overall")
    assert other.counts == ((1, 2), (2, 1), (3, 0), (4, 1), (5, 1))
    assert other.percent(2) == 40.0
    assert results.groups[-1].answers("most-useful") == ("Secreto de Cuenca", "Secreto de Loja")
    assert results.responses_left_out == 0
    assert results.overall.responses == 16
    assert results.overall.scale("overall").mean == 3.44
    assert results.overall.scale("overall").n == 16
    quito = results.groups[1]
    # Alphabetical, whatever the order of answering.
    assert quito.answers("most-useful") == ("ejemplos", "Los talleres")
    assert [q.id for q in results.scale_questions] == ["overall"]
    assert results.scale_questions[0].text == "Overall, how satisfied are you?"
    assert (results.scale_questions[0].low_label, results.scale_questions[0].high) == (
        "Very dissatisfied",
        5,
    )
    assert [q.id for q in results.text_questions] == ["most-useful"]


def test_an_institution_coordinator_sees_only_their_institution(surveyed):
    results = survey_results(surveyed.quito_coordinator, FAMILY)
    assert shown(results) == [("Quito", "March", False, 6, 4.33)]
    assert results.overall.responses == 6
    assert results.responses_left_out == 0


def test_a_group_under_five_is_never_shown_nor_derivable(surveyed):
    """Cuenca's coordinator: March (5) is shown; the 3 responses without a cohort stay a
    group of 3, merged into an "other" of 3, which is left out; the overall figures are
    March's alone, so nothing about the 3 can be subtracted out."""
    results = survey_results(surveyed.cuenca_coordinator, FAMILY)
    assert shown(results) == [("Cuenca", "March", False, 5, 3.2)]
    assert results.responses_left_out == 3
    assert results.overall.responses == 5
    assert results.overall.scale("overall").mean == 3.2
    everything = [a for g in (*results.groups, results.overall) for a in g.answers("most-useful")]
    assert "Secreto de Cuenca" not in everything


def test_a_trainer_sees_their_cohorts_responses_only(surveyed):
    results = survey_results(surveyed.april_trainer, FAMILY)
    # April has 2 responses: not shown, even as "other".
    assert results.groups == ()
    assert results.overall is None
    assert results.responses_left_out == 2
    nothing = survey_results(surveyed.other_trainer, FAMILY)
    assert (nothing.groups, nothing.responses_left_out) == ((), 0)


def test_participants_see_nothing(surveyed):
    results = survey_results(surveyed.participant, FAMILY)
    assert (results.groups, results.overall, results.responses_left_out) == ((), None, 0)


def test_filters_narrow_to_a_cohort_or_an_institution(surveyed):
    by_cohort = survey_results(
        surveyed.admin, ReportFilter("survey-course", cohort_id=surveyed.march.id)
    )
    assert shown(by_cohort) == [
        ("Cuenca", "March", False, 5, 3.2),
        ("Quito", "March", False, 6, 4.33),
    ]
    by_institution = survey_results(
        surveyed.quito_coordinator,
        ReportFilter("survey-course", institution_id=surveyed.cuenca.id),
    )
    assert by_institution.groups == ()
    assert by_institution.responses_left_out == 0


def test_the_minimum_is_a_setting(surveyed, app):
    app.config["SURVEY_MIN_GROUP"] = 3
    try:
        results = survey_results(surveyed.admin, FAMILY)
    finally:
        app.config["SURVEY_MIN_GROUP"] = 5
    assert shown(results) == [
        ("Cuenca", "March", False, 5, 3.2),
        ("Cuenca", None, False, 3, 1.33),
        ("Quito", "March", False, 6, 4.33),
    ]
    assert results.responses_left_out == 2


def test_a_date_range_keeps_the_responses_of_those_days(surveyed):
    assert survey_results(surveyed.admin, FAMILY, starts_on=date(2026, 3, 21)).groups == ()
    within = survey_results(
        surveyed.admin, FAMILY, starts_on=date(2026, 3, 20), ends_on=date(2026, 3, 20)
    )
    assert within.overall.responses == 16


def test_two_queries_whatever_the_number_of_responses(surveyed, db, count_queries):
    actor = surveyed.cuenca_coordinator
    db.session.refresh(actor)
    with count_queries() as before:
        survey_results(actor, FAMILY)
    for n in range(60):
        respond(db, surveyed.course, surveyed.cuenca, surveyed.march, 1 + n % 5, f"text {n}")
    db.session.refresh(actor)
    with count_queries() as after:
        results = survey_results(actor, FAMILY)
    assert len(before) == len(after) == 2
    assert all(s.lstrip().upper().startswith(("SELECT", "WITH")) for s in after)
    assert results.overall.responses == 65


def test_a_named_survey_counts_by_the_persons_institution_and_cohort(db, make, tmp_path):
    """A survey that is not anonymous keeps its answers with the attempt; they count like
    the anonymous ones, under the person's institution and cohort."""
    quito = make.institution(name="Quito")
    admin = make.user(Role.ADMIN)
    course = survey_course(tmp_path, "named-survey", anonymous=False)
    may = cohorts.create_cohort(
        admin,
        course,
        name="May",
        starts_on=date(2026, 5, 1),
        ends_on=date(2026, 5, 31),
        timezone="America/Guayaquil",
        institutions=[quito],
    )
    module = next(m for m in current_modules(course) if m.kind == "survey")
    for n, value in enumerate([4, 5, 3, 4, 4]):
        person = make.user(institution=quito, full_name=f"Persona {n}")
        cohorts.add_member(admin, may, person)
        enrolment = services.find_enrolment(person, course.family) or services.enrol(person, course)
        attempt = attempts.start_attempt(person, enrolment, course, module)
        answers = {"overall": [str(value)], "most-useful": [f"Respuesta {n}"] if n < 2 else []}
        attempts.submit_attempt(attempt, answers)
    db.session.flush()
    results = survey_results(admin, ReportFilter("named-survey"))
    assert shown(results) == [("Quito", "May", False, 5, 4.0)]
    assert results.groups[0].answers("most-useful") == ("Respuesta 0", "Respuesta 1")
    coordinator = make.user(Role.COORDINATOR, institution=make.institution(name="Loja"))
    assert survey_results(coordinator, ReportFilter("named-survey")).groups == ()
