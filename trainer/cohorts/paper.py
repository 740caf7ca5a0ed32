"""Reading a paper sign-in sheet typed in after the session: one line per person.

A line names someone by their number on the sheet (the sign-in sheet numbers the roster in
the order the roster page lists it), their e-mail or their full name, and ends with a status
word in English, Spanish or French ("3 present", "ana@example.org, atrasado",
"José Núñez: excusé"). Names and words are compared without case or accents, so "jose nunez"
finds "José Núñez". ``read_sheet`` is pure: text in, marks or every problem (by line) out;
nothing is recorded unless every line is right.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from trainer.cohorts.labels import status_names
from trainer.languages import LANGUAGES

# More lines than any roster has: past this the text is refused as a whole.
MAX_LINES = 2000
_SEPARATORS = re.compile(r"[\s,;:]+")
_NUMBER = re.compile(r"#?\s*(\d{1,12})[.)]?")


@dataclass(frozen=True)
class Person:
    """Someone on the session's roster, with their number on the sign-in sheet."""

    number: int
    user_id: int
    name: str
    email: str


@dataclass(frozen=True)
class Problem:
    line: int  # from 1; 0 for the text as a whole
    message: str


@dataclass
class Reading:
    # user id -> (line, status), in the order of the lines
    marks: dict[int, tuple[int, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# Letters Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})


def normalise(text: str) -> str:
    """Lower case, accents dropped, spaces collapsed: how names and words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.split())


def status_words(languages: Iterable[str] = LANGUAGES) -> dict[str, str]:
    """{normalised word: status}: each status's stored value and its name in every language."""
    words = {status: status for status in status_names()}
    for language in languages:
        with force_locale(language):
            for status, name in status_names().items():
                words.setdefault(normalise(str(name)), status)
    return {normalise(word): status for word, status in words.items()}


def read_sheet(text: str, people: Sequence[Person], words: Mapping[str, str]) -> Reading:
    """The marks ``text`` gives, one per person, or the problem of every line that is wrong."""
    reading = Reading()
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        reading.problems.append(
            Problem(0, _("Enter at most %(max)d lines at a time.", max=MAX_LINES))
        )
        return reading
    # Longest first, so "en retard" is not read as "retard".
    phrases = sorted(
        ((tuple(word.split()), status) for word, status in words.items()),
        key=lambda item: -len(item[0]),
    )
    first_line: dict[int, int] = {}
    for number, line in enumerate(lines, start=1):
        tokens = [token for token in _SEPARATORS.split(line.strip()) if token]
        if not tokens:
            continue
        found = _status(tokens, phrases)
        if found is None:
            reading.problems.append(Problem(number, _missing_status()))
            continue
        status, who = found
        person, problem = _person(" ".join(who), people)
        if problem:
            reading.problems.append(Problem(number, problem))
            continue
        if person.user_id in first_line:
            reading.problems.append(
                Problem(
                    number,
                    _(
                        "%(name)s is already on line %(line)d; give each person once.",
                        name=person.name,
                        line=first_line[person.user_id],
                    ),
                )
            )
            continue
        first_line[person.user_id] = number
        reading.marks[person.user_id] = (number, status)
    if not reading.marks and not reading.problems:
        reading.problems.append(Problem(0, _("Type at least one line: who, then their status.")))
    return reading


def _status(
    tokens: list[str], phrases: list[tuple[tuple[str, ...], str]]
) -> tuple[str, list[str]] | None:
    folded = [normalise(token) for token in tokens]
    for phrase, status in phrases:
        if len(phrase) <= len(folded) and tuple(folded[-len(phrase) :]) == phrase:
            return status, tokens[: -len(phrase)]
    return None


def _missing_status() -> str:
    names = list(status_names().values())
    return _(
        "End the line with a status: %(statuses)s.",
        statuses=", ".join(str(name).lower() for name in names),
    )


def _person(who: str, people: Sequence[Person]) -> tuple[Person | None, str]:
    """The person ``who`` names, or why nobody (a message)."""
    if not who:
        return None, _("Start the line with the person's number on the sheet, e-mail or name.")
    number = _NUMBER.fullmatch(who)
    if number:
        wanted = int(number.group(1))
        for person in people:
            if person.number == wanted:
                return person, ""
        if not people:
            return None, _("Nobody is on this session's roster.")
        return None, _(
            "There is no number %(number)d on the sheet: its numbers go from 1 to %(last)d.",
            number=wanted,
            last=len(people),
        )
    if "@" in who:
        matches = [person for person in people if person.email.casefold() == who.casefold()]
        if not matches:
            return None, _("Nobody on this roster has the e-mail %(email)s.", email=who)
        return matches[0], ""
    wanted_name = normalise(who)
    matches = [person for person in people if normalise(person.name) == wanted_name]
    if not matches:
        return None, _("Nobody on this roster is called %(name)s.", name=who)
    if len(matches) > 1:
        return None, _(
            "Several people on this roster are called %(name)s: give their number on the sheet "
            "or their e-mail instead.",
            name=who,
        )
    return matches[0], ""
