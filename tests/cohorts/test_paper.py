"""Reading a typed-in paper sheet: who each line names, which status, and what is wrong."""

from __future__ import annotations

import pytest

from trainer.cohorts.paper import MAX_LINES, Person, normalise, read_sheet, status_words

PEOPLE = [
    Person(1, 11, "José Núñez", "jose@example.org"),
    Person(2, 12, "Łukasz Wójcik", "lukasz@example.org"),
    Person(3, 13, "Françoise Lefèvre", "francoise@example.org"),
    Person(4, 14, "Ana Ruiz", "ana.ruiz@example.org"),
    Person(5, 15, "Ana Ruiz", "ana.ruiz2@example.org"),
]


@pytest.fixture
def words(app):
    with app.test_request_context():
        yield status_words()


def read(text: str, words: dict):
    return read_sheet(text, PEOPLE, words)


def problems(reading) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in reading.problems]


def test_statuses_are_read_in_english_spanish_and_french(words):
    assert {word: words[word] for word in ("present", "presente", "en retard", "justificado")} == {
        "present": "present",
        "presente": "present",
        "en retard": "late",
        "justificado": "excused",
    }
    assert words["atrasado"] == "late"
    assert words["excuse"] == "excused"  # "excusé", accents dropped
    assert words["ausente"] == "absent"


def test_lines_name_people_by_number_email_or_name(words):
    text = (
        "1 present\n"
        "\n"
        "  #2. , Atrasado\n"
        "FRANCOISE@example.org: excusé\n"
        "ana.ruiz2@example.org;absent\n"
        "lukasz wojcik\tausente\n"
    )
    reading = read(text.replace("lukasz wojcik", "4)"), words)
    assert problems(reading) == []
    assert reading.marks == {
        11: (1, "present"),
        12: (3, "late"),
        13: (4, "excused"),
        15: (5, "absent"),
        14: (6, "absent"),
    }
    reading = read("jose nunez en retard\nLUKASZ WOJCIK present", words)
    assert problems(reading) == []
    assert reading.marks == {11: (1, "late"), 12: (2, "present")}


def test_every_bad_line_is_named_with_its_reason(words):
    text = "\n".join(
        [
            "9 present",
            "present",
            "1 here",
            "nobody@example.org late",
            "Ana Ruiz absent",
            "Nadie absent",
            "1 late",
            "1 present",
        ]
    )
    assert problems(read(text, words)) == [
        (1, "There is no number 9 on the sheet: its numbers go from 1 to 5."),
        (2, "Start the line with the person's number on the sheet, e-mail or name."),
        (3, "End the line with a status: present, late, excused, absent."),
        (4, "Nobody on this roster has the e-mail nobody@example.org."),
        (
            5,
            "Several people on this roster are called Ana Ruiz: give their number on the "
            "sheet or their e-mail instead.",
        ),
        (6, "Nobody on this roster is called Nadie."),
        (8, "José Núñez is already on line 7; give each person once."),
    ]


def test_an_empty_or_huge_text_is_refused_as_a_whole(words):
    assert problems(read(" \n\n", words)) == [
        (0, "Type at least one line: who, then their status.")
    ]
    huge = read("1 present\n" * (MAX_LINES + 1), words)
    assert problems(huge) == [(0, f"Enter at most {MAX_LINES} lines at a time.")]
    assert huge.marks == {}


def test_a_name_may_end_with_a_status_word(words):
    people = [Person(1, 21, "María Presente", "maria@example.org")]
    reading = read_sheet("maria presente late", people, words)
    assert reading.marks == {21: (1, "late")}


def test_names_are_compared_without_case_or_accents():
    assert normalise("  Łukasz   WÓJCIK ") == "lukasz wojcik"
    assert normalise("Françoise") == "francoise"
