"""What the course checker says: message ids with named values, never finished sentences.

The parser stays pure and knows no language. A problem records a message id and its
values; `courses check` prints the English text, and the web renders the same id in the
reader's language. `N_` only marks a text for extraction (one of babel's default
keywords); translation happens when the message is rendered, in the web layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["MESSAGES", "Msg", "msg", "N_"]


def N_(text: str) -> str:
    """Mark `text` for the catalogue without translating it."""
    return text


def _english(text: str) -> str:
    return text


@dataclass(frozen=True)
class Msg:
    """One message of the catalogue below and its values.

    A value may itself be a Msg (a hint such as "did you mean ...?"), rendered in the
    same language.
    """

    code: str
    params: tuple[tuple[str, object], ...] = ()

    def render(self, translate: Callable[[str], str] = _english) -> str:
        template = translate(MESSAGES[self.code])
        if not self.params:
            return template
        return template % {
            name: value.render(translate) if isinstance(value, Msg) else value
            for name, value in self.params
        }


def msg(code: str, /, **params: object) -> Msg:
    if code not in MESSAGES:
        raise KeyError(f"no checker message {code!r}")
    return Msg(code, tuple(sorted(params.items())))


# Values written `like this` are course syntax (keys, file names, words of the format) and
# stay as they are in every language.
MESSAGES: dict[str, str] = {
    # Fragments that other messages take as values.
    "hint-did-you-mean": N_(" (did you mean `%(word)s`?)"),
    "hint-use-one-of": N_("; use one of: %(options)s"),
    "hint-in-group": N_(" in `%(group)s`"),
    "hint-automatic-id": N_(" (it is question %(position)s, so its automatic id is `%(id)s`)"),
    "detail-missing": N_("missing %(items)s"),
    "detail-extra": N_("not in the original: %(items)s"),
    "detail-missing-and-extra": N_("missing %(missing)s; not in the original: %(extra)s"),
    "detail-order": N_("in another order"),
    "kind-whole-number": N_("a whole number"),
    "kind-number": N_("a number"),
    "span-greater-than-at-most": N_("greater than %(low)s and at most %(high)s"),
    "span-from-to": N_("from %(low)s to %(high)s"),
    "or-null": N_(" or null"),
    "things-emails": N_("e-mails"),
    "thing-email": N_("e-mail"),
    "things-institution-slugs": N_("institution slugs"),
    "thing-institution-slug": N_("institution slug"),
    "things-module-slugs": N_("module slugs"),
    "thing-module-slug": N_("module slug"),
    "things-certificate-kinds": N_("certificate kinds"),
    "thing-certificate-kind": N_("certificate kind"),
    "shrink-module": N_("split the module into several modules"),
    "shrink-course-yml": N_("course.yml holds only settings; move long texts into modules"),
    "shrink-asset": N_(
        "make it smaller (compress images, export PDFs for screen) or link to it online"
    ),
    "yaml-hint-tabs": N_("indent with spaces, not tabs"),
    "yaml-hint-colon": N_("put text that contains `: ` in quotes, or check the indentation"),
    "yaml-hint-other": N_("check the indentation, and put text with special characters in quotes"),
    # Folders and files.
    "folder-not-found": N_("folder not found"),
    "course-folder-not-found": N_("course folder not found"),
    "no-course-folders": N_(
        "no course folders here: each course is a folder with a course.yml and NN-slug.md "
        "module files"
    ),
    "folder-name-not-slug": N_(
        "the folder name `%(slug)s` is the course slug: use 3 to 80 lowercase letters, digits "
        "and `-`, e.g. `%(example)s`"
    ),
    "no-modules": N_("this course has no modules: add a module file such as 01-introduction.md"),
    "unexpected-file": N_(
        "unexpected file: a course folder holds course.yml, NN-slug.md module files and an "
        "assets/ folder; move images and downloads into assets/"
    ),
    "unexpected-folder": N_(
        "unexpected folder: a course folder holds course.yml, NN-slug.md module files and an "
        "assets/ folder; move images and downloads into assets/"
    ),
    "settings-only-in-course-yml": N_(
        "unexpected file: the settings are read from course.yml only; delete this one"
    ),
    "course-yml-missing-rename": N_("course.yml is missing: rename `%(name)s` to `course.yml`"),
    "course-yml-missing": N_(
        "course.yml is missing: create it with title, summary, language, version and owners"
    ),
    "module-file-name": N_(
        "module files are named NN-slug.md, where NN is the order and the slug has 3 to 80 "
        "lowercase letters, digits and `-`: rename it to `%(name)s`"
    ),
    "module-file-name-example": N_(
        "module files are named NN-slug.md, where NN is the order and the slug has 3 to 80 "
        "lowercase letters, digits and `-`: rename it to e.g. `%(name)s`"
    ),
    "module-slug-taken": N_(
        "module slug `%(slug)s` is already used by %(file)s: every module needs its own slug, "
        "so rename one of the two files"
    ),
    "module-number-taken": N_(
        "%(file)s has the same number, so the order of the two is unclear: renumber one of them"
    ),
    "link-to-outside-file": N_(
        "this is a link to a file outside the course folder: replace it with a copy of the file"
    ),
    "link-to-outside-folder": N_(
        "this is a link to a folder outside the course folder: copy the files instead"
    ),
    "file-too-large": N_("the file is %(size)s, over the limit of %(limit)s: %(advice)s"),
    "file-unreadable": N_("cannot read the file (%(reason)s)"),
    "control-character": N_(
        "this line has an invisible control character (code %(code)s) that course files "
        "cannot hold: delete it"
    ),
    "markdown-too-costly": N_(
        "this paragraph has %(count)s `[`, `](`, `<` and backquotes, too many of them closing "
        "late or never: Markdown would take too long to read it. Close each link and code "
        "span, or write a `[` that is only text as `\\[`, and a `<` as `&lt;`"
    ),
    "file-not-utf8": N_(
        "the file is not UTF-8 (the first bad character is on this line): save it as UTF-8 in "
        "your editor"
    ),
    "assets-not-a-folder": N_("assets must be a folder inside the course folder"),
    "asset-type-not-allowed": N_(
        "`.%(extension)s` files are not allowed as assets (allowed: %(allowed)s): convert the "
        "file or remove it"
    ),
    "asset-content-mismatch": N_(
        "the content is not a .%(extension)s file: save or export it again in that format, or "
        "give it the extension of its real type"
    ),
    "asset-without-extension": N_(
        "files without an extension are not allowed as assets (allowed: %(allowed)s): convert "
        "the file or remove it"
    ),
    # YAML (course.yml and front matter).
    "yaml-bad-character": N_(
        "this line has a character that YAML does not allow (code %(code)s): delete it"
    ),
    "yaml-invalid": N_("this is not valid YAML: %(error)s"),
    "yaml-alias": N_(
        "`*%(name)s` is a YAML alias, which course files do not use: write the value itself, "
        "or put text that starts with `*` in quotes"
    ),
    "yaml-anchor": N_(
        "`&%(name)s` is a YAML anchor, which course files do not use: remove it, or put text "
        "that starts with `&` in quotes"
    ),
    "yaml-tag": N_(
        "`%(tag)s` is a YAML tag, which course files do not use: remove it, or put text that "
        "starts with `!` in quotes"
    ),
    "yaml-too-deep": N_(
        "the settings are nested more than %(limit)s levels deep here: course files need at "
        "most 3, so check the brackets and the indentation"
    ),
    "yaml-too-many-values": N_(
        "the settings hold more than %(limit)s values: course files need far fewer, so shorten "
        "the lists"
    ),
    "yaml-too-long": N_(
        "these settings are %(length)s characters long, over the limit of %(limit)s: settings "
        "are short, so move long texts into modules"
    ),
    "yaml-number-too-long": N_(
        "this number has %(length)s characters: no setting needs more than %(limit)s, so check it"
    ),
    "yaml-bad-date": N_(
        "`%(value)s` looks like a date but is not one: correct it, or put it in quotes"
    ),
    "yaml-syntax": N_("this is not valid YAML (%(problem)s): %(hint)s"),
    "yaml-key-twice": N_("`%(key)s` is set twice (first on line %(line)s); keep only one"),
    "unknown-key": N_("unknown key `%(word)s`%(where)s%(hint)s"),
    "key-missing": N_("`%(key)s` is missing%(where)s: add a line `%(key)s: ...`"),
    "not-a-group": N_("`%(key)s` must be a group of settings (key: value lines indented under it)"),
    "text-needs-quotes": N_('`%(key)s` must be text; put it in quotes: %(name)s: "%(value)s"'),
    "text-empty": N_("`%(key)s` must be non-empty text"),
    "text-too-long": N_("`%(key)s` is %(length)s characters long; shorten it to at most %(limit)s"),
    "not-one-of": N_("`%(key)s` must be one of %(options)s (got `%(value)s`)%(hint)s"),
    "not-true-or-false": N_("`%(key)s` must be true or false"),
    "number-out-of-range": N_("`%(key)s` must be %(kind)s %(span)s%(null)s (got `%(value)s`)"),
    "not-a-list": N_("`%(key)s` must be a list of %(things)s, e.g. %(name)s: [%(example)s]"),
    "list-item-invalid": N_(
        "`%(item)s` in `%(key)s` is not a valid %(thing)s; write it like %(example)s"
    ),
    "list-item-twice": N_("`%(item)s` is listed twice in `%(key)s`; remove one"),
    # course.yml
    "course-yml-not-a-mapping": N_(
        "course.yml must be a list of `key: value` settings, starting with `title:`"
    ),
    "owners-empty": N_("`owners` needs at least one e-mail: the trainers who may edit this course"),
    "audience-empty": N_(
        "`audience` lists no institution: write `audience: open` or name at least one "
        "institution slug"
    ),
    "audience-invalid": N_(
        "`audience` must be `open` or a list of institution slugs, e.g. audience: [min-labour, "
        "quito-municipality]"
    ),
    "translation-of-invalid": N_(
        "`translation_of` must be the folder name (slug) of the original course, or null for "
        "an original"
    ),
    "all-or-module-slugs": N_(
        "`%(key)s` must be `all`, or a list of module slugs such as [intro, post-test] "
        "(got `%(value)s`)"
    ),
    "all-none-or-module-slugs": N_(
        "`%(key)s` must be `all` or `none`, or a list of module slugs such as [intro, "
        "post-test] (got `%(value)s`)"
    ),
    "certificate-kind-unknown": N_(
        "unknown certificate kind `%(kind)s`; use completion and/or attendance, or [] for none"
    ),
    "signatories-not-a-list": N_(
        "`certificate.signatories` must be a list of people, each with `- name: ...` and "
        "`role: ...`"
    ),
    "signatory-not-a-mapping": N_(
        "each signatory needs `name:` and `role:`, e.g. `- name: María Pérez` then "
        "`  role: Programme director`"
    ),
    # Rules about the whole course.
    "special-kind-twice": N_(
        "a course has only one %(kind)s, and %(file)s already is it: change this module's `kind`"
    ),
    "completion-module-unknown": N_(
        "`completion.modules` names `%(slug)s`, which is not a module of this course%(hint)s: "
        "use module slugs (the file name without NN- and .md)"
    ),
    "completion-quiz-unknown": N_(
        "`completion.quizzes` names `%(slug)s`, which is not a module of this course%(hint)s"
    ),
    "completion-quiz-missing": N_(
        "`completion.quizzes` names `%(slug)s`, but that module has no quiz: remove it from "
        "the list or add a quiz block to the module"
    ),
    "completion-quiz-pre-test": N_(
        "`%(slug)s` is the pre-test, which measures what participants knew before the course "
        "and so cannot be required to pass: remove it from `completion.quizzes`"
    ),
    "completion-quiz-survey": N_(
        "`%(slug)s` is the survey, which has no pass mark: require it with "
        "`completion.survey: true` instead"
    ),
    "completion-survey-missing": N_(
        "`completion.survey` is true but the course has no survey module: add one "
        "(`kind: survey`) or set `survey: false`"
    ),
    # Translations of a course.
    "translation-twin": N_(
        "`%(twin)s` already is the `%(language)s` translation of `%(original)s`: a course has "
        "one translation per language"
    ),
    "translation-of-itself": N_(
        "a course cannot be a translation of itself: set `translation_of: null`"
    ),
    "translation-original-unknown": N_(
        "`translation_of` names `%(target)s`, but there is no course folder `%(target)s`"
        "%(hint)s: use the original's folder name, or null if this course is an original"
    ),
    "translation-of-a-translation": N_(
        "`%(target)s` is itself a translation (of `%(original)s`): set "
        "`translation_of: %(original)s`, the original course"
    ),
    "translation-same-language": N_(
        "this course and its original `%(target)s` are both in `%(language)s`: a translation "
        "is in another language, so fix `language` or set `translation_of: null`"
    ),
    "translation-modules-differ": N_(
        "the modules differ from the original `%(original)s` (%(detail)s): a translation has "
        "the same module slugs (file names) as its original"
    ),
    "translation-modules-order": N_(
        "the modules are in another order than in the original `%(original)s` (%(order)s): "
        "number the files in the same order"
    ),
    "translation-kind-differs": N_(
        "this module is a %(kind)s but in the original `%(course)s` it is a "
        "%(original_kind)s: use the same `kind`"
    ),
    "translation-quiz-missing": N_(
        "this module has no quiz but its original in `%(course)s` does: translate the quiz "
        "too, or remove it"
    ),
    "translation-quiz-extra": N_(
        "this module has a quiz but its original in `%(course)s` does not: translate the quiz "
        "too, or remove it"
    ),
    "translation-question-ids": N_(
        "the question ids differ from the original's %(file)s in `%(course)s` (%(detail)s): "
        "translated questions keep the original's ids, so write the same {id=...} on each"
    ),
    # A module file.
    "front-matter-missing": N_(
        "the module has no front matter: start the file with a line `---`, then "
        "`title: ...` and `minutes: ...`, then a line `---`"
    ),
    "front-matter-not-closed": N_(
        "the front matter that opens here is never closed: add a line `---` after its last setting"
    ),
    "front-matter-not-a-mapping": N_(
        "the front matter must be `key: value` lines: `title: ...`, `minutes: ...` and "
        "optionally `kind: ...`"
    ),
    "quiz-needed": N_(
        "a %(kind)s needs its questions: add a quiz block (a line `::: quiz`, the questions, "
        "then a line `:::`)"
    ),
    "link-local-file": N_(
        "`%(target)s` points to a file on your own computer, which participants cannot open: "
        "copy the file into assets/ and link `assets/<name>`"
    ),
    "link-scheme": N_(
        "`%(scheme)s:` links are not allowed: link to web pages with https://, to e-mail "
        "addresses with mailto:, and to course files with `assets/<name>`"
    ),
    "link-no-scheme": N_("write the full address: `https:%(target)s`"),
    "link-absolute-path": N_(
        "`%(target)s` is an absolute path, outside the course: copy the file into assets/ and "
        "link `assets/<name>`"
    ),
    "link-backslash": N_("use `/` rather than `\\` in links: `%(fixed)s`"),
    "link-leaves-course": N_(
        "`%(target)s` leaves the course folder: copy the file into assets/ and link `assets/<name>`"
    ),
    "link-not-in-assets": N_(
        "`%(target)s` is not in assets/: a course links only to web pages (https://...) and to "
        "its own files as `assets/<name>`"
    ),
    "link-asset-missing": N_(
        "`%(target)s` does not exist: add the file to the course's assets/ folder or fix the "
        "name%(hint)s"
    ),
    # The quiz block and its settings.
    "quiz-not-closed": N_(
        "this quiz block is never closed: add a line `:::` after its last question"
    ),
    "quiz-block-twice": N_(
        "second quiz block (the first opens on line %(line)s): a module has at most one quiz, "
        "so move these questions into the first block"
    ),
    "unknown-quiz-setting": N_("unknown quiz setting `%(word)s`%(hint)s"),
    "quiz-setting-twice": N_(
        "quiz setting `%(key)s` is set twice (first on line %(line)s); keep one"
    ),
    "pass-invalid": N_(
        "`pass` must be a percentage from 0 to 100, like `pass: 70` (got `%(value)s`)"
    ),
    "attempts-invalid": N_(
        "`attempts` must be a number of attempts (a whole number from 1 to %(most)s) or "
        "`unlimited` (got `%(value)s`)"
    ),
    "time-limit-invalid": N_(
        "`time-limit` must be a number of minutes (a whole number from 1 to %(most)s) or "
        "`none` (got `%(value)s`)"
    ),
    "yes-or-no": N_("`%(key)s` must be `yes` or `no` (got `%(value)s`)"),
    "quiz-setting-value-unknown": N_("quiz setting `%(key)s`: unknown value `%(word)s`%(hint)s"),
    "quiz-no-questions": N_(
        "this quiz has no questions: start each question with a line `? question text`"
    ),
    "settings-after-blank-line": N_(
        "quiz settings must come right after the `::: quiz` line, with no blank line before them"
    ),
    "neither-setting-nor-question": N_(
        "`%(text)s` is neither a quiz setting (`key: value`) nor a question: start each "
        "question with `? `"
    ),
    # Questions.
    "code-below-answers": N_("code blocks belong in the question text, above the answers"),
    "choice-feedback-misplaced": N_(
        "choice feedback (`  > ...`) must sit directly under its choice"
    ),
    "answer-after-feedback": N_(
        "answer line after the question's feedback: put the feedback (`> ...`) below the last "
        "answer"
    ),
    "choice-without-marker": N_(
        "choice without a marker: write `- (x) right` / `- ( ) wrong` for one right answer, "
        "or `- [x]` / `- [ ]` for several"
    ),
    "unexpected-indented-line": N_(
        "unexpected indented line: a choice is a single line; put explanations in its "
        "feedback (`  > ...`) or in the question text"
    ),
    "unexpected-line": N_(
        "unexpected line after the answers: answers are `- ( )`, `- [ ]`, `= ...` or `~ ...` "
        "lines, feedback starts with `> `, and a new question with `? `"
    ),
    "unknown-question-attribute": N_(
        "unknown question attribute `%(word)s`%(hint)s; write attributes as {id=my-id points=2}"
    ),
    "attribute-without-value": N_("question attribute `%(key)s` has no value: write `%(key)s=...`"),
    "attribute-twice": N_("question attribute `%(key)s` is set twice"),
    "question-id-invalid": N_(
        "question id `%(id)s` may use only lowercase letters, digits and `-`"
    ),
    "points-invalid": N_(
        "`points` must be a number above 0 and at most %(most)s (got `%(value)s`)"
    ),
    "choice-brackets-mixed": N_(
        "choice marker `%(marker)s` mixes brackets: write `(x)`, `( )`, `[x]` or `[ ]`"
    ),
    "choice-markers-mixed": N_(
        "this question mixes `( )` (one right answer) and `[ ]` (several right answers): use "
        "the same kind of marker on every choice"
    ),
    "question-id-taken": N_(
        "question id `%(id)s` is already used on line %(line)s%(how)s: give this question its "
        "own {id=...}"
    ),
    "question-without-text": N_("question has no text: write it after `? `"),
    "question-without-answers": N_(
        "question has no answers: add choices (`- (x) ...`), accepted answers (`= ...`), or "
        "`~ scale 1-5` / `~ text` in a survey"
    ),
    "question-answers-mixed": N_(
        "question mixes choices (`- ( )`), `= ` answers and `~ ` lines: a question has one "
        "kind of answer"
    ),
    "choices-too-few": N_("a choice question needs at least two choices"),
    "no-correct-choice": N_("question has no correct choice; mark one with %(mark)s"),
    "single-choice-several-correct": N_(
        "single-choice question has %(count)s correct choices (lines %(lines)s): keep exactly "
        "one (x), or write every choice as `- [x]` / `- [ ]` to allow several right answers"
    ),
    "choice-without-text": N_("choice has no text"),
    "answer-empty": N_("empty answer: write the accepted answer after `= `"),
    "true-false-twice": N_("a true/false question has exactly one `= true` or `= false` line"),
    "number-invalid": N_(
        "`%(value)s` is not a valid number, tolerance (`42 +- 0.5`) or range (`40..44`, "
        "lowest first)"
    ),
    "answer-number-too-large": N_(
        "`%(value)s` holds a number beyond ±%(limit)s: numbers in answers must stay within that"
    ),
    "tilde-twice": N_("a question has one `~` line"),
    "scale-invalid": N_(
        "write a scale as `~ scale 1-5`, optionally followed by `: low label | high label`"
    ),
    "scale-too-long": N_(
        "a scale has at most %(most)s points, each shown as a button: write it like "
        "`~ scale 1-5` or `~ scale 0-10`"
    ),
    "unknown-question-type": N_("unknown question type `%(word)s`%(hint)s"),
    "survey-graded-question": N_(
        "a survey asks only scale (`~ scale 1-5`) and free-text (`~ text`) questions: move "
        "this graded question to a lesson or the post-test"
    ),
    "scale-outside-survey": N_(
        "scale questions belong in the survey module (`kind: survey`): move this question "
        "there, or ask a free-text question (`~ text`), which any quiz may ask ungraded"
    ),
    "anonymous-outside-survey": N_("`anonymous` applies only to surveys: remove it from this quiz"),
    "pre-test-attempts": N_(
        "a pre-test allows exactly one attempt (it measures what participants knew before the "
        "course): remove `attempts`"
    ),
}
