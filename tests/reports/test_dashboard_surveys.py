"""The dashboard's survey results (tests/reports/test_surveys.py's responses): groups of
fewer than five responses are never shown on their own, on the page, in the CSV or in the
XLSX; they are merged into "other", which is left out while it is still under five."""

from __future__ import annotations

from tests.reports.test_dashboard import _csv_rows, _xlsx_rows
from tests.reports.test_surveys import surveyed  # noqa: F401  (the responses)

PAGE = "/reports?family=survey-course"
SHOWN = {"Cuenca, March", "Quito, March", "Other (small groups together)", "Every group shown"}


def test_programme_staff_see_the_small_groups_only_merged(surveyed, client, login_as):  # noqa: F811
    login_as(surveyed.admin)
    page = client.get(PAGE).get_data(as_text=True)
    survey = page[page.index('id="survey-title"') :]
    for group in SHOWN:
        assert group in survey, group
    for hidden in ("Cuenca, In no cohort", "Loja, April"):
        assert hidden not in page
    rows = _csv_rows(client.get("/reports/tables/survey.csv?family=survey-course"))
    assert rows[0] == [
        "Group",
        "Responses",
        "Question",
        "Answers (n)",
        "Mean",
        "Answers per point",
    ]
    by_group = {row[0]: row for row in rows[1:]}
    assert set(by_group) == SHOWN
    # Cuenca's 3 and Loja's 2 responses together: 1, 1, 2, 5, 4.
    other = by_group["Other (small groups together)"]
    assert other[1] == "5"
    assert other[4:] == ["2.6", "1: 2; 2: 1; 3: 0; 4: 1; 5: 1"]
    assert by_group["Every group shown"][1] == "16"
    comments = _xlsx_rows(
        client.get("/reports/tables/survey-comments.xlsx?family=survey-course").get_data()
    )
    assert {row[0] for row in comments[1:]} == SHOWN - {"Every group shown"}
    secret = [row for row in comments if row and "Secreto" in str(row[2])]
    assert {row[0] for row in secret} == {"Other (small groups together)"}


def test_a_coordinator_s_small_group_is_left_out(surveyed, client, login_as):  # noqa: F811
    login_as(surveyed.cuenca_coordinator)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Cuenca, March" in page
    assert "Other (small groups together)" not in page
    assert "Secreto de Cuenca" not in page
    assert "3 responses are left out" in page
    rows = _csv_rows(client.get("/reports/tables/survey-comments.csv?family=survey-course"))
    assert all("Secreto" not in row[2] for row in rows[1:])
