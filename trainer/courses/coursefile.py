"""course.yml: text in, typed CourseSettings and located problems out."""

from __future__ import annotations

from trainer.languages import LANGUAGES

from .fields import Fields
from .messages import msg
from .spec import (
    CERTIFICATE_KINDS,
    MAX_ESTIMATED_HOURS,
    MAX_VALIDITY_MONTHS,
    CertificateSpec,
    CompletionSpec,
    CourseSettings,
    Problem,
    Signatory,
)
from .text import is_slug
from .yamlmap import YamlDocument, read_yaml

COURSE_KEYS = (
    "title",
    "summary",
    "language",
    "version",
    "estimated_hours",
    "owners",
    "co_authors",
    "audience",
    "self_enrolment",
    "translation_of",
    "completion",
    "certificate",
)
# The database keeps titles in 300 characters and version labels in 40.
MAX_TITLE_LENGTH = 300
MAX_VERSION_LENGTH = 40
REQUIRED_COURSE_KEYS = ("title", "summary", "language", "version", "owners")
COMPLETION_KEYS = ("modules", "quizzes", "attendance_percent", "survey")
CERTIFICATE_KEYS = ("kinds", "validity_months", "title", "signatories")
SIGNATORY_KEYS = ("name", "role")


def parse_course_settings(text: str, path: str) -> tuple[CourseSettings | None, list[Problem]]:
    """None only when the file is not a YAML mapping at all; otherwise defaults fill the gaps."""
    document, problems = read_yaml(text, path)
    if document is None:
        return None, problems
    if not isinstance(document.data, dict):
        problems.append(Problem(path, document.line(()) or 1, msg("course-yml-not-a-mapping")))
        return None, problems
    fields = Fields(document, path, problems)
    fields.check_keys(COURSE_KEYS, REQUIRED_COURSE_KEYS)
    owners = fields.strings("owners", what="e-mail", pattern="email")
    if fields.data.get("owners") == []:
        fields.report("owners", msg("owners-empty"))
    settings = CourseSettings(
        title=fields.text("title", max_length=MAX_TITLE_LENGTH),
        summary=fields.text("summary"),
        language=fields.choice("language", LANGUAGES, "en"),
        version=fields.text("version", max_length=MAX_VERSION_LENGTH),
        estimated_hours=fields.number(
            "estimated_hours",
            None,
            low=0,
            high=MAX_ESTIMATED_HOURS,
            above_low=True,
            nullable=True,
        ),
        owners=owners or (),
        co_authors=fields.strings("co_authors", what="e-mail", pattern="email") or (),
        audience=_audience(fields),
        self_enrolment=fields.flag("self_enrolment", True),
        translation_of=_translation_of(fields),
        completion=_completion(fields),
        certificate=_certificate(fields),
        setting_lines=_dotted(document),
    )
    return settings, problems


def _audience(fields: Fields) -> tuple[str, ...]:
    value = fields.data.get("audience", "open")
    if value == "open" or value is None:
        return ()
    if isinstance(value, list):
        slugs = fields.strings("audience", what="institution slug", pattern="slug") or ()
        if not value:
            fields.report("audience", msg("audience-empty"))
        return slugs
    fields.report("audience", msg("audience-invalid"))
    return ()


def _translation_of(fields: Fields) -> str | None:
    value = fields.data.get("translation_of")
    if value is None:
        return None
    if not is_slug(value):
        fields.report("translation_of", msg("translation-of-invalid"))
        return None
    return value


def _completion(parent: Fields) -> CompletionSpec:
    fields = parent.nested("completion")
    if fields is None:
        return CompletionSpec()
    fields.check_keys(COMPLETION_KEYS)
    return CompletionSpec(
        modules=_slugs_or(fields, "modules", ("all",)),
        quizzes=_slugs_or(fields, "quizzes", ("all", "none")),
        attendance_percent=float(
            fields.number("attendance_percent", 0, low=0, high=100, nullable=True)
        ),
        survey=fields.flag("survey", False),
    )


def _slugs_or(fields: Fields, key: str, words: tuple[str, ...]) -> str | tuple[str, ...]:
    value = fields.data.get(key, "all")
    if isinstance(value, str) and value in words:
        return value
    if isinstance(value, list):
        return fields.strings(key, what="module slug", pattern="slug") or ()
    code = "all-none-or-module-slugs" if "none" in words else "all-or-module-slugs"
    fields.report(key, msg(code, key=fields.where(key), value=value))
    return "all"


def _certificate(parent: Fields) -> CertificateSpec:
    fields = parent.nested("certificate")
    if fields is None:
        return CertificateSpec()
    fields.check_keys(CERTIFICATE_KEYS)
    kinds = CertificateSpec().kinds
    if "kinds" in fields.data:
        kinds = fields.strings("kinds", what="certificate kind") or ()
        for index, kind in enumerate(kinds):
            if kind not in CERTIFICATE_KINDS:
                fields.report_item("kinds", index, msg("certificate-kind-unknown", kind=kind))
        kinds = tuple(k for k in kinds if k in CERTIFICATE_KINDS)
    title = fields.text("title", optional=True) or None
    return CertificateSpec(
        kinds=kinds,
        validity_months=fields.number(
            "validity_months",
            None,
            low=1,
            high=MAX_VALIDITY_MONTHS,
            integer=True,
            nullable=True,
        ),
        title=title,
        signatories=_signatories(fields),
    )


def _signatories(fields: Fields) -> tuple[Signatory, ...]:
    value = fields.data.get("signatories")
    if value is None:
        return ()
    if not isinstance(value, list):
        fields.report("signatories", msg("signatories-not-a-list"))
        return ()
    people: list[Signatory] = []
    for index in range(len(value)):
        if not isinstance(value[index], dict):
            fields.report_item("signatories", index, msg("signatory-not-a-mapping"))
            continue
        person = Fields(
            fields.document, fields.path, fields.problems, (*fields.prefix, "signatories", index)
        )
        person.check_keys(SIGNATORY_KEYS, SIGNATORY_KEYS)
        people.append(Signatory(name=person.text("name"), role=person.text("role")))
    return tuple(people)


def _dotted(document: YamlDocument) -> dict[str, int]:
    return {
        ".".join(str(part) for part in key): line for key, line in document.lines.items() if key
    }
