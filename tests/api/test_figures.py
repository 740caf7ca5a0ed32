"""The hand-computed programme of tests/reports, as the API gives it.

On top of tests/reports/conftest.py's table, the March cohort (Ana, Ben, Carla, Eva; all
joined on 1 February) held four sessions in March, marked so:

| who   | 2 March | 9 March | 16 March | 23 March | attended / (held - excused) |
| ----- | ------- | ------- | -------- | -------- | --------------------------- |
| Ana   | present | present | late     | absent   | 3 / 4 = 75 %                |
| Ben   | present | excused | absent   | absent   | 1 / 3 = 33.33 %             |
| Carla | present | present | present  | present  | 4 / 4 = 100 %               |
| Eva   | -       | -       | -        | -        | 0 / 4 = 0 % (not recorded)  |

Learning gain (post - pre, and / (100 - pre)): Ana 37.5 -> 100: 62.5 and 1.0; Ben 0 -> 75:
75 and 0.75; Carla 100 -> 75: -25 and none; Dario 75 -> 50: -25 and -1.0; Eva 25, no post.
"""

from __future__ import annotations

from tests.api.conftest import MARKS

EXPECTED = {
    # name: (pre, post, gain, normalised gain, attendance so far, attended, excused)
    "ana": (37.5, 100.0, 62.5, 1.0, 75.0, 3, 0),
    "ben": (0.0, 75.0, 75.0, 0.75, 33.33, 1, 1),
    "carla": (100.0, 75.0, -25.0, None, 100.0, 4, 0),
    "dario": (75.0, 50.0, -25.0, -1.0, None, None, None),
    "eva": (25.0, None, None, None, 0.0, 0, 0),
}


def _by_participant(items: list[dict], programme) -> dict[str, dict]:
    names = {programme.ids[name]: name for name in EXPECTED}
    return {
        names[item["participant_id"]]: item for item in items if item["participant_id"] in names
    }


def test_progress_matches_the_hand_computed_figures(programme, api, token_for):
    token = token_for(programme.programme)
    response = api("/api/v1/progress", token, family="gain-course")
    assert response.status_code == 200
    found = _by_participant(response.get_json()["items"], programme)
    assert set(found) == set(EXPECTED)
    for name, (pre, post, gain, normalised, rate, attended, excused) in EXPECTED.items():
        item = found[name]
        assert (item["pre_score"], item["post_score"]) == (pre, post), name
        assert (item["learning_gain"], item["normalised_gain"]) == (gain, normalised), name
        attendance = item["attendance"]
        if rate is None:
            assert attendance is None, name
            continue
        assert attendance["cohort_id"] == programme.march_id
        assert attendance["rate_so_far"] == rate, name
        assert (attendance["attended"], attendance["excused"]) == (attended, excused), name
        assert (attendance["scheduled"], attendance["held"]) == (4, 4), name
        assert item["completed_at"] is None  # the lesson is left undone by everybody


def test_attendance_lists_each_mark_once(programme, api, token_for):
    token = token_for(programme.programme)
    items = api("/api/v1/attendance", token, cohort_id=programme.march_id).get_json()["items"]
    marks: dict[int, list[str]] = {}
    for item in sorted(items, key=lambda i: i["session"]["starts_at"]):
        marks.setdefault(item["participant_id"], []).append(item["status"])
    assert marks == {programme.ids[name]: list(s) for name, s in MARKS.items()}


def test_a_coordinator_gets_their_institution_only(programme, api, token_for):
    token = token_for(programme.quito_coordinator)
    items = api("/api/v1/progress", token, family="gain-course").get_json()["items"]
    assert {item["participant_id"] for item in items} == {
        programme.ids["ana"],
        programme.ids["ben"],
    }
    enrolments = api("/api/v1/enrolments", token).get_json()["items"]
    assert {item["participant"]["id"] for item in enrolments} == {
        programme.ids["ana"],
        programme.ids["ben"],
    }
    assert {item["participant"]["institution"]["name"] for item in enrolments} == {"Quito"}
    attendance = api("/api/v1/attendance", token).get_json()["items"]
    assert {item["participant_id"] for item in attendance} == {
        programme.ids["ana"],
        programme.ids["ben"],
    }
    # Cuenca, asked for by name, is not found rather than empty.
    refused = api("/api/v1/progress", token, institution_id=programme.ids["cuenca"])
    assert refused.status_code == 404
    assert refused.get_json()["status"] == 404


def test_cohort_and_institution_filters(programme, api, token_for):
    token = token_for(programme.programme)
    in_march = api("/api/v1/enrolments", token, cohort_id=programme.march_id).get_json()["items"]
    assert {item["participant"]["id"] for item in in_march} == {
        programme.ids[name] for name in ("ana", "ben", "carla", "eva")
    }
    assert {item["cohort_id"] for item in in_march} == {programme.march_id}
    in_cuenca = api(
        "/api/v1/progress", token, institution_id=programme.ids["cuenca"], family="gain-course"
    ).get_json()["items"]
    assert {item["participant_id"] for item in in_cuenca} == {
        programme.ids["carla"],
        programme.ids["dario"],
        programme.ids["eva"],
    }
    assert api("/api/v1/progress", token, family="no-such-family").get_json()["items"] == []
