"""Exports: CSV with a BOM and XLSX, where no text ever runs as a formula and numbers stay
numbers."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest

from trainer.reports.exports import Table, csv_bytes, neutralised, sheet_name, table, xlsx_bytes
from trainer.reports.gain import ParticipantGain

EVIL = '=HYPERLINK("http://evil","x")'
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

COLUMNS = [
    ("name", "Participant"),
    ("institution", "Institution"),
    ("pre", "Pre"),
    ("post", "Post"),
    ("gain", "Gain"),
    ("normalised_gain", "Normalised gain"),
]


def gains() -> list[ParticipantGain]:
    return [
        ParticipantGain(1, EVIL, "e@example.org", "+Quito", None, 75.0, 50.0, -25.0, -1.0),
        ParticipantGain(2, "Ana Núñez", "a@example.org", "Quito", "March", 37.5, 100.0, 62.5, 1.0),
        ParticipantGain(3, "Eva", "v@example.org", "@Cuenca", None, 25.0, None, None, None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EVIL, "'" + EVIL),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ana = Ana", "Ana = Ana"),
        ("", ""),
    ],
)
def test_formula_starts_are_neutralised(text, expected):
    assert neutralised(text) == expected


def test_csv_is_utf8_with_a_bom_and_keeps_numbers_numeric():
    data = csv_bytes(table("Learning gain", gains(), COLUMNS))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Participant,Institution,Pre,Post,Gain,Normalised gain"
    # The name is inert text; the negative gain and normalised gain stay numbers.
    assert lines[1] == '"\'=HYPERLINK(""http://evil"",""x"")",\'+Quito,75,50,-25,-1'
    assert lines[2] == "Ana Núñez,Quito,37.5,100,62.5,1"
    assert lines[3] == "Eva,'@Cuenca,25,,,"


def _xlsx_cells(data: bytes) -> dict[str, tuple]:
    """{cell reference: (type, value or shared string, formula, style)} of the first sheet,
    read from the XML (no spreadsheet library needed)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        # Our own output, so the standard library's XML parser is safe here.
        strings = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))  # noqa: S314
    shared = [
        "".join(t.text or "" for t in si.iter(f"{SHEET}t")) for si in strings.iter(f"{SHEET}si")
    ]
    cells = {}
    for cell in sheet.iter(f"{SHEET}c"):
        value = cell.find(f"{SHEET}v")
        formula = cell.find(f"{SHEET}f")
        text = value.text if value is not None else None
        if cell.get("t") == "s" and text is not None:
            text = shared[int(text)]
        cells[cell.get("r")] = (
            cell.get("t"),
            text,
            formula.text if formula is not None else None,
            cell.get("s"),
        )
    return cells


def test_xlsx_writes_text_as_text_and_numbers_as_numbers():
    data = xlsx_bytes(table("Learning gain", gains(), COLUMNS))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert 'quotePrefix="1"' in book.read("xl/styles.xml").decode()
    cells = _xlsx_cells(data)
    assert not any(formula for _t, _v, formula, _s in cells.values())
    name_type, name, _, name_style = cells["A2"]
    assert (name_type, name) == ("s", EVIL)  # a shared string, never a formula
    quoted = name_style
    assert cells["B2"] == ("s", "+Quito", None, quoted)
    assert cells["B3"][:2] == ("s", "Quito")
    assert cells["B3"][3] != quoted
    # Numbers: no t attribute (numeric cells), negative values kept.
    assert cells["E2"][:2] == (None, "-25")
    assert cells["F2"][:2] == (None, "-1")
    assert cells["C3"][:2] == (None, "37.5")
    assert cells["A3"][:2] == ("s", "Ana Núñez")
    assert "E4" not in cells  # no gain: an empty cell
    assert cells["A1"][:2] == ("s", "Participant")


def test_xlsx_dates_booleans_and_sheet_names():
    report = Table(
        title="Gain: March/April [2026]?",
        header=("Day", "When", "Flag"),
        rows=((date(2026, 3, 2), datetime(2026, 3, 2, 14, 30, tzinfo=UTC), True),),
    )
    cells = _xlsx_cells(xlsx_bytes(report))
    assert cells["A2"][:2] == (None, "46083")  # 2026-03-02 as an Excel serial day
    assert float(cells["B2"][1]) == pytest.approx(46083 + 14.5 / 24, abs=1e-9)  # 14:30 UTC
    assert cells["C2"][:2] == ("b", "1")
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(report))) as book:
        workbook = book.read("xl/workbook.xml").decode()
    assert '<sheet name="Gain  March April  2026"' in workbook
    assert sheet_name("=" * 40) == "=" * 31
    assert sheet_name("[]") == "Report"
    assert csv_bytes(report).decode("utf-8-sig").splitlines()[1] == (
        "2026-03-02,2026-03-02T14:30:00+00:00,true"
    )


def test_item_statistics_export_from_the_same_records(programme):
    from trainer.reports.items import item_statistics
    from trainer.reports.scope import ReportFilter

    records = item_statistics(programme.admin, ReportFilter("gain-course"))
    columns = [
        ("module_slug", "Module"),
        ("question_id", "Question"),
        ("n", "Answers"),
        ("percent_correct", "% correct"),
        ("mean_points", "Mean points"),
        ("choice_picks", "Choices picked"),
        ("is_mostly_missed", "Mostly missed"),
    ]
    lines = csv_bytes(table("Items", records, columns)).decode("utf-8-sig").splitlines()
    assert lines[1] == "post-test,capital,4,50,0.5,a: 2; b: 2,false"
    assert lines[-1] == "pre-test,sdg,5,40,0.5,a: 3; b: 2; c: 1,true"
