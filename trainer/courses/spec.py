"""What a course folder says, as frozen plain data.

The parser produces these; the import service turns them into database rows. Nothing here
knows about files, Flask or SQLAlchemy, so every other layer can rely on them unchanged.
Sequences are tuples so that a spec can never be edited after it was validated.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from .messages import Msg


class ModuleKind(StrEnum):
    """What a module is for; a plain ``str``, so ``module.kind == ModuleKind.SURVEY`` holds."""

    LESSON = "lesson"
    PRE_TEST = "pre-test"
    POST_TEST = "post-test"
    SURVEY = "survey"


MODULE_KINDS = tuple(kind.value for kind in ModuleKind)
# A course has at most one module of each of these kinds, and they make no sense without
# questions.
SPECIAL_KINDS = (ModuleKind.PRE_TEST, ModuleKind.POST_TEST, ModuleKind.SURVEY)
KINDS_NEEDING_QUIZ = SPECIAL_KINDS
# Graded quizzes that `quizzes: all` requires to be passed: the pre-test measures what was
# known before the course and is never "passed"; the survey has no pass mark.
PASSABLE_KINDS = (ModuleKind.LESSON, ModuleKind.POST_TEST)
# Kinds that take exactly one attempt whatever the quiz says: a second pre-test would
# measure the course, not prior knowledge, and a survey is answered once.
ONE_ATTEMPT_KINDS = (ModuleKind.PRE_TEST, ModuleKind.SURVEY)

GRADED_TYPES = ("single", "multiple", "true_false", "short_text", "numeric")
SURVEY_TYPES = ("scale", "free_text")
QUESTION_TYPES = GRADED_TYPES + SURVEY_TYPES

LATE_POLICIES = ("refuse", "score-answered")
REVEAL_POLICIES = ("never", "after-pass", "after-last-attempt", "always")
CERTIFICATE_KINDS = ("completion", "attendance")

# An explicit table rather than `mimetypes`, whose answers depend on the host's
# /etc/mime.types; it doubles as the list of allowed asset extensions.
ASSET_CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# Assets that are text and so must be UTF-8 like every other text file of a course.
TEXT_ASSET_EXTENSIONS = ("svg", "txt", "csv")

KIB = 1024
MAX_COURSE_YML_BYTES = 64 * KIB
MAX_MODULE_BYTES = 512 * KIB
MAX_ASSET_BYTES = 10 * KIB * KIB
# The largest value of the database's INTEGER columns; every whole number of the format is
# checked against it, or against a tighter limit of its own (below).
MAX_INTEGER = 2**31 - 1
MAX_MODULE_MINUTES = 10_000  # as in the editor's "new module" form
MAX_ESTIMATED_HOURS = 1000  # as in the editor's "new course" form
MAX_VALIDITY_MONTHS = 1200  # 100 years: expiry dates stay far inside what dates can hold
MAX_ATTEMPTS = 1000
MAX_TIME_LIMIT_MINUTES = 10_000  # about a week
MAX_POINTS = 1000
MAX_SCALE_POINTS = 101  # e.g. 0-100
MAX_ANSWER_NUMBER = 10**15  # numeric answers, tolerances and range ends, either sign


@dataclass(frozen=True)
class Problem:
    """One thing a trainer must fix, located as precisely as we can.

    `what` is a message id with its values (messages.py), so that the web can say it in
    the reader's language; `message` is the English text that `courses check` prints.
    """

    path: str
    line: int | None
    what: Msg

    @property
    def code(self) -> str:
        return self.what.code

    @property
    def message(self) -> str:
        return self.what.render()

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"

    @property
    def sort_key(self) -> tuple[str, int, str]:
        # Problems without a line concern the whole file, so they come first.
        return (self.path, self.line or 0, self.message)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Sort by path then line, dropping exact duplicates."""
    return sorted(set(problems), key=lambda p: p.sort_key)


@dataclass(frozen=True)
class ChoiceSpec:
    key: str  # "a", "b", ... by position: stable while choices are only reworded
    text_markdown: str
    is_correct: bool
    feedback_markdown: str = ""
    line: int = 0


@dataclass(frozen=True)
class NumericAnswer:
    """An accepted numeric answer: any number in [low, high] is right.

    `= 42 +- 0.5` gives value=42, tolerance=0.5, low=41.5, high=42.5;
    `= 40..44` gives value=None, low=40, high=44.
    """

    low: float
    high: float
    value: float | None = None
    tolerance: float = 0.0

    def accepts(self, number: float) -> bool:
        return self.low <= number <= self.high


@dataclass(frozen=True)
class ScaleSpec:
    low: int
    high: int
    low_label: str | None = None
    high_label: str | None = None


@dataclass(frozen=True)
class QuestionSpec:
    id: str
    type: str  # one of QUESTION_TYPES
    text_markdown: str
    line: int  # line of the `? ` line in the module file
    points: float = 1.0
    choices: tuple[ChoiceSpec, ...] = ()
    accepted: tuple[str, ...] = ()  # short text, as written; compare with normalise_answer
    true_false: bool | None = None
    numeric: tuple[NumericAnswer, ...] = ()
    scale: ScaleSpec | None = None
    feedback_markdown: str = ""
    has_explicit_id: bool = False

    @property
    def is_graded(self) -> bool:
        return self.type in GRADED_TYPES


@dataclass(frozen=True)
class QuizSettings:
    pass_percent: float = 70.0
    attempts: int | None = None  # None = unlimited
    shuffle: bool = False
    time_limit_minutes: int | None = None
    late: str = "refuse"
    reveal: str = "after-pass"
    anonymous: bool = False


def quiz_settings(quiz: dict | None) -> dict:
    """A stored quiz's settings, each one it lacks at QuizSettings' default.

    Versions store every setting, so the defaults only fill what an older row left out; the
    defaults themselves are defined once, on QuizSettings.
    """
    stored = (quiz or {}).get("settings") or {}
    return {**asdict(QuizSettings()), **stored}


@dataclass(frozen=True)
class QuizSpec:
    settings: QuizSettings
    questions: tuple[QuestionSpec, ...]
    line: int  # line of `::: quiz`

    @property
    def is_graded(self) -> bool:
        return any(q.is_graded for q in self.questions)

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.questions if q.is_graded)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)


@dataclass(frozen=True)
class ModuleSpec:
    slug: str
    position: int  # 1, 2, ... in course order
    number: int  # the NN of the file name, which only decides the order
    title: str
    minutes: int
    kind: str  # one of MODULE_KINDS
    body_markdown: str  # the Markdown without front matter and without the quiz block
    quiz: QuizSpec | None
    source_path: str  # the file as given to the parser, e.g. "courses/x/01-intro.md"
    # Line N of body_markdown is line N + source_line_offset of the file, for every line
    # before the quiz block (after it, lines shift by the block's length).
    source_line_offset: int
    content_hash: str  # sha256 of the file's bytes
    # Line of each front matter key, to point problems found later at the right line.
    front_matter_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def file_name(self) -> str:
        return self.source_path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class AssetSpec:
    name: str  # relative to assets/, with "/" separators; Markdown links to "assets/" + name
    path: Path  # the file on disk, to copy on import
    size: int
    sha256: str
    content_type: str

    @property
    def link(self) -> str:
        return f"assets/{self.name}"


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str


@dataclass(frozen=True)
class CompletionSpec:
    modules: str | tuple[str, ...] = "all"  # "all" or module slugs
    quizzes: str | tuple[str, ...] = "all"  # "all", "none" or module slugs
    attendance_percent: float = 0.0  # 0 = attendance not required
    survey: bool = False


@dataclass(frozen=True)
class CertificateSpec:
    kinds: tuple[str, ...] = ("completion",)
    validity_months: int | None = None  # None = never expires
    title: str | None = None  # None = the application's translated default
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CourseSettings:
    """course.yml, typed, with defaults applied."""

    title: str = ""
    summary: str = ""
    language: str = "en"
    version: str = ""
    estimated_hours: float | None = None
    owners: tuple[str, ...] = ()
    co_authors: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()  # institution slugs; empty = "open" to everybody
    self_enrolment: bool = True
    translation_of: str | None = None
    completion: CompletionSpec = field(default_factory=CompletionSpec)
    certificate: CertificateSpec = field(default_factory=CertificateSpec)
    # Line of each course.yml key, dotted ("completion.modules.0"), for later problems.
    setting_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_open(self) -> bool:
        return not self.audience


@dataclass(frozen=True, kw_only=True)
class CourseSpec(CourseSettings):
    """A whole course folder.

    When load_course also returns problems, this is a best-effort view for showing the
    trainer what was understood; never import it.
    """

    slug: str
    path: str  # the folder as given, e.g. "courses/x"
    modules: tuple[ModuleSpec, ...] = ()
    assets: tuple[AssetSpec, ...] = ()
    content_hash: str = ""

    def module(self, slug: str) -> ModuleSpec | None:
        return next((m for m in self.modules if m.slug == slug), None)

    def module_of_kind(self, kind: str) -> ModuleSpec | None:
        return next((m for m in self.modules if m.kind == kind), None)

    @property
    def required_module_slugs(self) -> tuple[str, ...]:
        if self.completion.modules == "all":
            return tuple(m.slug for m in self.modules)
        return tuple(self.completion.modules)

    @property
    def required_quiz_slugs(self) -> tuple[str, ...]:
        """Modules whose quiz must be passed: "all" means lessons' and the post-test's."""
        quizzes = self.completion.quizzes
        if quizzes == "none":
            return ()
        if quizzes == "all":
            return tuple(
                m.slug
                for m in self.modules
                if m.quiz is not None and m.quiz.is_graded and m.kind in PASSABLE_KINDS
            )
        return tuple(quizzes)
