"""The CSV check on its own: bytes and lookups in, records or problems out; no database."""

from __future__ import annotations

import codecs

from trainer.auth.csv_import import MAX_ROWS, Lookups, Scope, check_users_csv

INSTITUTIONS = ("ministerio-trabajo", "gad-quito", "gad-cuenca")


def _check(text: str | bytes, *, registered=(), scope=None, inactive=()):
    data = text.encode() if isinstance(text, str) else text
    lookups = Lookups(
        institutions=INSTITUTIONS,
        inactive_institutions=inactive,
        registered=lambda emails: {email for email in emails if email in registered},
    )
    return check_users_csv(data, lookups, scope)


def _lines(result) -> list[int | None]:
    return [problem.line for problem in result.problems]


def test_a_good_file_gives_one_record_per_person_with_defaults():
    result = _check(
        "email,full_name,role,institution,language\n"
        "Ana.Ruiz@Example.org , Ana Ruiz,,ministerio-trabajo,\n"
        "tomas@example.org,Tomás Pérez,trainer,,es\n"
    )
    assert result.ok
    ana, tomas = result.records
    assert (ana.line, ana.email, ana.full_name) == (2, "ana.ruiz@example.org", "Ana Ruiz")
    assert (ana.role, ana.institution, ana.language) == ("participant", "ministerio-trabajo", None)
    assert (tomas.role, tomas.institution, tomas.language) == ("trainer", None, "es")


def test_three_bad_rows_give_no_record_and_name_exactly_those_lines():
    result = _check(
        "email,full_name,institution\n"
        "good@example.org,Good Person,gad-quito\n"
        "not-an-email,Bad Email,gad-quito\n"
        "nameless@example.org,,gad-quito\n"
        "also-good@example.org,Also Good,gad-quito\n"
        "lost@example.org,Lost Person,nowhere\n"
    )
    assert result.records == []
    assert _lines(result) == [3, 4, 6]
    messages = [problem.message for problem in result.problems]
    assert "“not-an-email” is not a valid e-mail address." in messages[0]
    assert "full name is missing" in messages[1]
    assert "no institution with the short name “nowhere”" in messages[2]


def test_bom_and_semicolons_and_any_column_order_work():
    data = (
        codecs.BOM_UTF8
        + "institution;full_name;email\r\ngad-cuenca;Íñigo Núñez;i@example.org\r\n".encode()
    )
    result = _check(data)
    assert result.ok
    assert result.records[0].full_name == "Íñigo Núñez"
    assert result.records[0].institution == "gad-cuenca"


def test_a_duplicate_in_the_file_names_both_lines():
    result = _check(
        "email,full_name,institution\n"
        "same@example.org,First,gad-quito\n"
        "other@example.org,Other,gad-quito\n"
        "SAME@example.org,Second,gad-quito\n"
    )
    assert _lines(result) == [4]
    assert "appears twice in the file, on lines 2 and 4" in result.problems[0].message


def test_an_e_mail_already_registered_is_refused():
    result = _check(
        "email,full_name,institution\nknown@example.org,Known,gad-quito\n",
        registered={"known@example.org"},
    )
    assert _lines(result) == [2]
    assert result.problems[0].message == "known@example.org already has an account."


def test_unknown_institution_suggests_a_close_slug():
    result = _check("email,full_name,institution\na@example.org,A,gad-quitto\n")
    assert "Did you mean “gad-quito”?" in result.problems[0].message


def test_a_deactivated_institution_is_refused():
    result = _check(
        "email,full_name,institution\na@example.org,A,gad-quito\n", inactive={"gad-quito"}
    )
    assert "has been deactivated" in result.problems[0].message


def test_unknown_role_and_language_are_explained():
    result = _check(
        "email,full_name,institution,role,language\na@example.org,A,gad-quito,boss,de\n"
    )
    messages = [problem.message for problem in result.problems]
    assert _lines(result) == [2, 2]
    assert "Unknown role “boss”" in messages[0]
    assert "Unknown language “de”" in messages[1]


def test_a_participant_needs_an_institution():
    result = _check("email,full_name,institution\na@example.org,A,\n")
    assert "The institution is missing" in result.problems[0].message


def test_a_coordinator_of_one_institution_imports_only_its_participants():
    scope = Scope(roles=("participant",), institutions=("gad-quito",))
    result = _check(
        "email,full_name,institution,role\n"
        "a@example.org,A,gad-quito,\n"
        "b@example.org,B,gad-cuenca,\n"
        "c@example.org,C,gad-quito,trainer\n",
        scope=scope,
    )
    assert _lines(result) == [3, 4]
    assert "only import people into gad-quito, not into “gad-cuenca”" in result.problems[0].message
    assert "only import participant, not trainer" in result.problems[1].message


def test_unknown_and_missing_columns_are_reported_on_the_header():
    result = _check("e-mail,full_name,institution,phone\na@example.org,A,gad-quito,123\n")
    assert _lines(result) == [1, 1, 1]
    messages = " ".join(problem.message for problem in result.problems)
    assert "Unknown column “e-mail”" in messages
    assert "Did you mean “email”?" in messages
    assert "Unknown column “phone”" in messages
    assert "no “email” column" in messages


def test_a_file_that_is_not_utf8_says_so():
    data = "email,full_name,institution\na@example.org,Peña,gad-quito\n".encode("latin-1")
    result = _check(data)
    assert _lines(result) == [None]
    assert "not UTF-8" in result.problems[0].message
    assert "line 2" in result.problems[0].message


def test_an_empty_file_and_a_header_alone_are_refused():
    assert _check(b"").problems[0].message == "The file is empty."
    assert _check(b"  \n\n").problems[0].message == "The file is empty."
    assert "no people" in _check("email,full_name,institution\n").problems[0].message


def test_too_many_rows_are_refused_before_checking_them():
    rows = "".join(f"p{n}@example.org,P {n},gad-quito\n" for n in range(MAX_ROWS + 1))
    result = _check("email,full_name,institution\n" + rows)
    assert len(result.problems) == 1
    assert f"{MAX_ROWS + 1} people" in result.problems[0].message


def test_rows_past_the_limit_are_counted_but_not_kept_in_memory():
    from trainer.auth import csv_import

    # A 5 MB upload of "a" lines is 2.6 million rows: keeping them all took ~500 MB.
    text = "email,full_name,institution\n" + "a\n" * (MAX_ROWS * 3)
    header, rows, count = csv_import._read(text)
    assert header == ["email", "full_name", "institution"]
    assert count == MAX_ROWS * 3
    assert len(rows) == MAX_ROWS
    assert f"{MAX_ROWS * 3} people" in _check(text).problems[0].message


def test_line_numbers_are_physical_lines_with_blank_and_multi_line_rows():
    result = _check(
        'email,full_name,institution\n\na@example.org,"Ana\nRuiz",gad-quito\nbad,Bad,gad-quito\n'
    )
    assert _lines(result) == [5]


def test_extra_values_are_reported_but_trailing_empty_ones_are_not():
    result = _check(
        "email;full_name;institution\n"
        "a@example.org;Ruiz; Ana;gad-quito\n"
        "b@example.org;Bea;gad-quito;;\n"
    )
    assert _lines(result) == [2]
    assert "4 values but the header has 3 columns" in result.problems[0].message


def test_a_broken_quote_is_reported_with_its_line():
    result = _check('email,full_name,institution\na@example.org,"Ana" Ruiz,gad-quito\n')
    assert _lines(result) == [2]
    assert "quotation mark" in result.problems[0].message


def test_control_characters_in_a_value_are_refused_with_its_column():
    result = _check(
        "email,full_name,institution\n"
        "ana@example.org,Ana\x00Ruiz,gad-quito\n"
        "beto@example.org,Beto,gad-\x1bquito\n"
        'ciro@example.org,"Ciro\nRuiz",gad-quito\n'
    )
    assert _lines(result) == [2, 3]
    assert "“full_name” holds an invisible control character" in result.problems[0].message
    assert "“institution”" in result.problems[1].message
    # The line without a problem is kept aside, for callers that check more.
    assert [record.email for record in result.sound] == ["ciro@example.org"]
    assert result.records == []
