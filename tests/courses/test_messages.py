"""The checker speaks through message ids: English for the CLI, the reader's language on the web."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from trainer.courses.messages import MESSAGES, msg
from trainer.courses.spec import Problem

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "trainer" / "translations"
COURSES = ROOT / "trainer" / "courses"
# The pure core: it reads files and returns problems, and knows nothing of Flask.
PURE = [
    "checks",
    "coursefile",
    "fields",
    "files",
    "links",
    "markdowncost",
    "messages",
    "module",
    "parser",
    "questions",
    "quizblock",
    "quizsyntax",
    "rules",
    "spec",
    "text",
    "yamlmap",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_checker_message_has_a_translation(language):
    catalogue = _catalogue(language)
    missing, wrong = [], []
    for code, english in MESSAGES.items():
        entry = catalogue.get(english)
        if entry is None or not entry.string or entry.fuzzy or entry.string == english:
            missing.append(code)
        elif set(PLACEHOLDER.findall(entry.string)) != set(PLACEHOLDER.findall(english)):
            wrong.append(code)
    assert not missing, f"{language}: untranslated checker messages: {missing}"
    assert not wrong, f"{language}: placeholders differ from the English: {wrong}"


def test_every_message_id_is_used_by_the_checker():
    source = "\n".join(
        (COURSES / f"{name}.py").read_text(encoding="utf-8") for name in PURE if name != "messages"
    )
    source += (ROOT / "trainer" / "authoring" / "validate.py").read_text(encoding="utf-8")
    unused = [code for code in MESSAGES if f'"{code}"' not in source]
    assert not unused


@pytest.mark.parametrize("name", PURE)
def test_the_parser_imports_no_flask(name):
    tree = ast.parse((COURSES / f"{name}.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module)
    # trainer.languages is plain data that imports nothing: the one list of languages.
    roots = {name.split(".")[0] for name in imported - {"trainer.languages"}}
    assert not roots & {"flask", "flask_babel", "sqlalchemy", "trainer"}, imported


def test_an_unknown_message_id_is_refused():
    with pytest.raises(KeyError):
        msg("no-such-message")


def test_a_problem_prints_english_and_renders_in_the_readers_language():
    hint = msg("hint-did-you-mean", word="attempts")
    problem = Problem("course.yml", 4, msg("unknown-quiz-setting", word="atempts", hint=hint))
    assert problem.code == "unknown-quiz-setting"
    assert str(problem) == "course.yml:4: unknown quiz setting `atempts` (did you mean `attempts`?)"
    spanish = Translations.load(str(TRANSLATIONS), ["es"])
    french = Translations.load(str(TRANSLATIONS), ["fr"])
    assert problem.what.render(spanish.gettext) == (
        "ajuste de cuestionario desconocido `atempts` (¿quiso decir `attempts`?)"
    )
    assert problem.what.render(french.gettext) == (
        "paramètre de quiz inconnu `atempts` (vouliez-vous dire `attempts`\u00a0?)"
    )


def test_a_value_may_be_called_code():
    assert msg("yaml-bad-character", code="0x7").render() == (
        "this line has a character that YAML does not allow (code 0x7): delete it"
    )
