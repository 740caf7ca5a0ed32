"""Languages: negotiation and catalogue completeness."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "trainer" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
    "N_": None,
}


def _source_messages() -> set[tuple[str, str | None]]:
    """(message id, context) of every string the code marks for translation."""
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT / "trainer"), method_map=method_map, keywords=KEYWORDS
    ):
        found.add((message[0] if isinstance(message, tuple) else message, context))
    return found


@pytest.mark.parametrize("language", ["es", "fr"])
def test_catalogue_is_complete_and_not_fuzzy(language):
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    missing, fuzzy, empty = [], [], []
    for message_id, context in sorted(_source_messages(), key=lambda m: (m[0], m[1] or "")):
        entry = catalogue.get(message_id, context=context)
        if entry is None:
            missing.append(message_id)
        elif entry.fuzzy:
            fuzzy.append(message_id)
        elif not (entry.string if isinstance(entry.string, str) else all(entry.string)):
            empty.append(message_id)
    assert not missing, (
        f"{language}: {len(missing)} strings missing (run make messages): {missing[:5]}"
    )
    assert not fuzzy, f"{language}: fuzzy entries: {fuzzy[:5]}"
    assert not empty, f"{language}: untranslated entries: {empty[:5]}"


def test_accept_language_es_gives_spanish_pages(client):
    response = client.get("/login", headers={"Accept-Language": "es-EC,es;q=0.9,en;q=0.5"})
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html


def test_accept_language_fr_gives_french_pages(client):
    html = client.get("/login", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Se connecter" in html


def test_unknown_language_falls_back_to_english(client):
    html = client.get("/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log in" in html


def test_picker_choice_beats_the_browser(client):
    client.post("/language", data={"language": "fr", "next": "/login"})
    html = client.get("/login", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_user_choice_beats_the_picker(client, make, login_as):
    user = make.user(language="es")
    login_as(user)
    with client.session_transaction() as session:
        session["language"] = "fr"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="es">' in html


@pytest.mark.parametrize(
    ("language", "plural_forms"),
    [("es", "nplurals=2; plural=(n != 1);"), ("fr", "nplurals=2; plural=(n > 1);")],
)
def test_catalogue_headers_are_filled_in(language, plural_forms):
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    headers = dict(catalogue.mime_headers)
    assert headers["Project-Id-Version"].startswith("trainer ")
    assert headers["Language"] == language
    assert "LL@li.org" not in headers["Language-Team"]
    assert "FULL NAME" not in headers["Last-Translator"]
    assert headers["Plural-Forms"] == plural_forms
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "PROJECT" not in catalogue.header_comment


# Words GLOSSARY.md settles; the left-hand ones must not come back (case-insensitive).
AVOIDED_SPANISH = [
    r"evaluaci[oó]n (inicial|final)",  # prueba de entrada / prueba de salida
    r"\bpuntaje",  # calificación
    r"\bformador",  # capacitador
    r"\bmatr[ií]cul",  # inscripción
    r"desglos",  # desagregado
    r"\w/as?\b",  # "/a" endings: neutral wording instead
]


def _translations(language):
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        for entry in read_po(handle):
            if entry.id:
                yield from (entry.string if isinstance(entry.string, tuple) else (entry.string,))


@pytest.mark.parametrize("pattern", AVOIDED_SPANISH)
def test_spanish_catalogue_follows_the_glossary(pattern):
    found = [s for s in _translations("es") if re.search(pattern, s, re.IGNORECASE)]
    assert not found, found[:3]


@pytest.mark.parametrize("language", ["es", "fr"])
def test_percent_signs_follow_a_non_breaking_space(language):
    found = [s for s in _translations(language) if re.search(r"[^\u00a0]%%", s)]
    assert not found, found[:3]


def test_french_punctuation_has_non_breaking_spaces():
    # Course syntax in `code` (`key: value`) is written as the file needs it.
    found = [
        s
        for s in _translations("fr")
        if re.search(
            r"[^\u00a0\u202f][;?!»]|«[^\u00a0\u202f]|[^\u00a0\u202f]:(\s|$)",
            re.sub(r"`[^`]*`", "", s),
        )
    ]
    assert not found, found[:3]


def test_make_messages_keeps_the_headers_and_changes_no_entry(tmp_path):
    """The Makefile's `messages` recipe, run on a copy: the catalogues are up to date."""
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nmessages:", 1)[1]
    commands = [line.strip() for line in recipe.splitlines()[1:3]]
    assert all(c.startswith("$(BIN)/pybabel ") for c in commands), commands
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    pybabel = str(Path(sys.executable).parent / "pybabel")
    for command in commands:
        argv = shlex.split(command.replace("$(BIN)/pybabel", pybabel))
        argv = [a.replace("trainer/translations", str(copy)) for a in argv]
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    for language in ("es", "fr"):
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            before = read_po(handle)
        with (copy / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            after = read_po(handle)
        changed = {
            name: value
            for name, value in after.mime_headers
            if name != "POT-Creation-Date" and value != dict(before.mime_headers).get(name)
        }
        assert changed == {}, language
        assert after.header_comment == before.header_comment
        untranslated = [
            m.id
            for m in after
            if m.id and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))
        ]
        assert untranslated == [], language
