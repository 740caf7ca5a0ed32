"""The dashboard's and the item analysis' tables, as the screen shows them and the exports
write them: one ``ReportTable`` per table, built from the query functions' dataclasses, so
the page, the CSV and the XLSX hold the very same cells.

Cells keep their types (numbers stay numbers, None stays empty); ``formats`` only tells the
page how to show a number (a percentage, a date...). Headers and words in cells are in the
reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from trainer.i18n import module_kind_names, question_type_names
from trainer.reports import dashboard, items
from trainer.reports.exports import Table

TEXT, NUMBER, PERCENT, RATIO, DATE, DATETIME = "text", "number", "percent", "ratio", "date", "dt"


@dataclass(frozen=True)
class ReportTable:
    key: str  # its address: /reports/tables/<key>.csv
    table: Table
    formats: tuple[str, ...]
    # The participant each row is about (the screen links their name), when there is one.
    people: tuple[int, ...] | None = None
    description: str = ""

    @property
    def title(self) -> str:
        return self.table.title


def _make(key, title, records, columns, *, people=None, description="") -> ReportTable:
    """``columns``: (header, format, cell function of a record)."""
    rows = tuple(tuple(cell(record) for _h, _f, cell in columns) for record in records)
    return ReportTable(
        key=key,
        table=Table(str(title), tuple(str(h) for h, _f, _c in columns), rows),
        formats=tuple(f for _h, f, _c in columns),
        people=tuple(people(record) for record in records) if people else None,
        description=str(description),
    )


def _get(name: str) -> Callable:
    return lambda record: getattr(record, name)


def status_labels() -> dict[str, str]:
    return {
        "active": _("In progress"),
        dashboard.COMPLETED: _("Completed"),
        dashboard.WITHDRAWN: _("Withdrawn"),
    }


def bucket_labels() -> dict[str, str]:
    labels = {"0": _("No requirement met yet")}
    for low, high in ((1, 24), (25, 49), (50, 74), (75, 99)):
        labels[f"{low}-{high}"] = _(
            "%(low)d–%(high)d %% of the requirements met", low=low, high=high
        )
    labels[dashboard.COMPLETED] = _("Completed")
    labels[dashboard.WITHDRAWN] = _("Withdrawn")
    return labels


def reason_text(line: dashboard.AtRiskLine) -> str:
    texts = []
    for reason in line.reasons:
        if reason == dashboard.LOW_ATTENDANCE:
            required = format_decimal(line.required_attendance)
            texts.append(
                _("Attendance below the %(required)s %% the course asks for", required=required)
            )
        else:
            texts.append(_("No activity for %(days)d days", days=line.days_inactive))
    return "; ".join(texts)


def dashboard_tables(data: dashboard.Dashboard) -> dict[str, ReportTable]:
    """Every table of the dashboard, by key, in the order the page shows them."""
    statuses, buckets = status_labels(), bucket_labels()
    kinds = {key: str(name) for key, name in module_kind_names().items()}
    summary = data.summary
    found = [
        _make(
            "summary",
            _l("Enrolment and completion"),
            [
                (_("Enrolled"), summary.enrolled),
                (_("Active in the last 30 days"), summary.active),
                (_("Completed"), summary.completed),
                (_("Withdrawn"), summary.withdrawn),
                (_("Completion rate (%)"), summary.completion_rate),
            ],
            [(_l("Figure"), TEXT, lambda r: r[0]), (_l("Value"), NUMBER, lambda r: r[1])],
        ),
        _make(
            "progress",
            _l("Progress distribution"),
            data.progress,
            [
                (_l("Progress"), TEXT, lambda b: buckets[b.key]),
                (_l("Participants"), NUMBER, _get("count")),
                (_l("Share of the enrolled (%)"), PERCENT, _get("percent")),
            ],
        ),
        _make(
            "quizzes",
            _l("Quiz averages"),
            data.quizzes,
            [
                (_l("Quiz"), TEXT, _get("title")),
                (_l("Kind"), TEXT, lambda q: kinds.get(q.kind, q.kind)),
                (_l("Participants who took it"), NUMBER, _get("attempted")),
                (_l("Mean best score (%)"), PERCENT, _get("mean_best")),
                (_l("Passed"), NUMBER, _get("passed")),
                (_l("Pass rate (%)"), PERCENT, _get("pass_rate")),
            ],
        ),
        _make(
            "sessions",
            _l("Attendance per session"),
            data.sessions,
            [
                (_l("Cohort"), TEXT, _get("cohort")),
                (_l("Date"), DATE, _get("day")),
                (_l("Time"), TEXT, _get("hours")),
                (_l("Place"), TEXT, lambda s: _("Cancelled") if s.is_cancelled else s.place),
                (_l("Members counted"), NUMBER, _get("expected")),
                (_l("Present"), NUMBER, _get("present")),
                (_l("Late"), NUMBER, _get("late")),
                (_l("Excused"), NUMBER, _get("excused")),
                (_l("Absent"), NUMBER, _get("absent")),
                (_l("Of whom not recorded"), NUMBER, _get("not_recorded")),
                (_l("Attendance (%)"), PERCENT, _get("attendance")),
            ],
            description=_l(
                "Attendance: present or late, over the members counted less the excused. A "
                "session that ended without a mark counts as absent (not recorded)."
            ),
        ),
        _make(
            "participants",
            _l("Participants"),
            data.participants,
            [
                (_l("Name"), TEXT, _get("name")),
                (_l("E-mail"), TEXT, _get("email")),
                (_l("Institution"), TEXT, _get("institution")),
                (_l("Cohort"), TEXT, _get("cohort")),
                (_l("Enrolled on"), DATE, _get("enrolled_on")),
                (_l("Status"), TEXT, lambda p: statuses[p.status]),
                (_l("Progress (%)"), PERCENT, _get("progress")),
                (_l("Completed on"), DATE, _get("completed_on")),
                (_l("Sessions attended"), NUMBER, _get("attended")),
                (_l("Sessions counted"), NUMBER, _get("counted")),
                (_l("Attendance so far (%)"), PERCENT, _get("attendance")),
                (_l("Last activity"), DATETIME, _get("last_activity")),
            ],
            people=_get("user_id"),
            description=_l(
                "Attendance so far: sessions attended (present or late) over the sessions held "
                "since the participant joined their cohort, excused absences left out."
            ),
        ),
        _make(
            "institutions",
            _l("Enrolment and completion by institution"),
            data.institutions,
            [
                (_l("Institution"), TEXT, lambda g: g.name or _("No institution")),
                (_l("Enrolled"), NUMBER, _get("enrolled")),
                (_l("Active"), NUMBER, _get("active")),
                (_l("Completed"), NUMBER, _get("completed")),
                (_l("Completion rate (%)"), PERCENT, _get("completion_rate")),
                (_l("Mean attendance so far (%)"), PERCENT, _get("mean_attendance")),
                (_l("Participants with an attendance rate"), NUMBER, _get("n_attendance")),
            ],
        ),
        *gain_tables(data),
        *survey_tables(data.surveys),
        _make(
            "at-risk",
            _l("At risk"),
            data.at_risk,
            [
                (_l("Name"), TEXT, _get("name")),
                (_l("Institution"), TEXT, _get("institution")),
                (_l("Cohort"), TEXT, _get("cohort")),
                (_l("Attendance so far (%)"), PERCENT, _get("attendance")),
                (_l("Last activity"), DATETIME, _get("last_activity")),
                (_l("Days without activity"), NUMBER, _get("days_inactive")),
                (_l("Why"), TEXT, reason_text),
            ],
            people=_get("user_id"),
            description=_(
                "Unfinished participants whose attendance so far is below what the course asks "
                "for, or with no activity (module viewed, quiz attempted, session attended) "
                "for %(days)d days or more.",
                days=data.inactive_after_days,
            ),
        ),
    ]
    return {t.key: t for t in found}


def gain_tables(data: dashboard.Dashboard) -> list[ReportTable]:
    group_columns = [
        (_l("Participants with both scores (n)"), NUMBER, _get("n")),
        (_l("Mean pre-test (%)"), PERCENT, _get("mean_pre")),
        (_l("Mean post-test (%)"), PERCENT, _get("mean_post")),
        (_l("Mean gain (points)"), NUMBER, _get("mean_gain")),
        (_l("n for the normalised gain"), NUMBER, _get("n_normalised")),
        (_l("Mean normalised gain"), RATIO, _get("mean_normalised_gain")),
    ]
    return [
        _make(
            "gain",
            _l("Learning gain per participant"),
            data.gains,
            [
                (_l("Name"), TEXT, _get("name")),
                (_l("Institution"), TEXT, _get("institution")),
                (_l("Cohort"), TEXT, _get("cohort")),
                (_l("Pre-test (%)"), PERCENT, _get("pre")),
                (_l("Best post-test (%)"), PERCENT, _get("post")),
                (_l("Gain (points)"), NUMBER, _get("gain")),
                (_l("Normalised gain"), RATIO, _get("normalised_gain")),
            ],
            people=_get("user_id"),
            description=_l(
                "Gain: best post-test score minus pre-test score, in percentage points. "
                "Normalised gain: the gain over what was left to learn, (post - pre) / "
                "(100 - pre), left out where the pre-test score is 100."
            ),
        ),
        _make(
            "gain-cohorts",
            _l("Learning gain per cohort"),
            data.cohort_gains,
            [(_l("Cohort"), TEXT, lambda g: g.name or _("In no cohort")), *group_columns],
            description=_l("Means over the participants who have both scores (n)."),
        ),
        _make(
            "gain-institutions",
            _l("Learning gain per institution"),
            data.institution_gains,
            [
                (_l("Institution"), TEXT, lambda g: g.name or _("No institution")),
                *group_columns,
            ],
            description=_l("Means over the participants who have both scores (n)."),
        ),
    ]


def group_name(group) -> str:
    """A survey group as the reader calls it: institution and cohort, "other" or all."""
    if group.is_overall:
        return _("Every group shown")
    if group.is_other:
        return _("Other (small groups together)")
    return _(
        "%(institution)s, %(cohort)s",
        institution=group.institution or _("No institution"),
        cohort=group.cohort or _("In no cohort"),
    )


def survey_tables(results) -> list[ReportTable]:
    """The satisfaction survey: each group's scale questions, then its free-text answers.
    Groups smaller than the minimum were merged or left out by ``reports.surveys``."""
    texts = {q.id: q.text for q in results.questions}
    groups = [*results.groups, *([results.overall] if results.overall else [])]
    scale_rows = [(group, summary) for group in groups for summary in group.scales if summary.n]
    comment_rows = [
        (group, question_id, answer)
        for group in results.groups
        for question_id, answers in group.texts
        for answer in answers
    ]
    note = _(
        "Groups of fewer than %(n)d responses are never shown on their own: they are counted "
        "together as other, which is left out while it is smaller too.",
        n=results.min_group,
    )
    return [
        _make(
            "survey",
            _l("Survey results"),
            scale_rows,
            [
                (_l("Group"), TEXT, lambda r: group_name(r[0])),
                (_l("Responses"), NUMBER, lambda r: r[0].responses),
                (_l("Question"), TEXT, lambda r: texts.get(r[1].question_id, r[1].question_id)),
                (_l("Answers (n)"), NUMBER, lambda r: r[1].n),
                (_l("Mean"), NUMBER, lambda r: r[1].mean),
                (
                    _l("Answers per point"),
                    TEXT,
                    lambda r: "; ".join(f"{point}: {count}" for point, count in r[1].counts),
                ),
            ],
            description=note,
        ),
        _make(
            "survey-comments",
            _l("Survey comments"),
            comment_rows,
            [
                (_l("Group"), TEXT, lambda r: group_name(r[0])),
                (_l("Question"), TEXT, lambda r: texts.get(r[1], r[1])),
                (_l("Answer"), TEXT, lambda r: r[2]),
            ],
            description=note,
        ),
    ]


def item_tables(stats: list[items.ItemStats], pairs: list[items.PrePostItem], texts: dict):
    """The item analysis' tables: every question, then pre-test against post-test."""
    kinds = {key: str(name) for key, name in module_kind_names().items()}
    types = {key: str(name) for key, name in question_type_names().items()}
    found = [
        _make(
            "items",
            _l("Questions"),
            stats,
            [
                (_l("Quiz"), TEXT, lambda i: texts.get(("module", i.module_slug), i.module_slug)),
                (_l("Kind"), TEXT, lambda i: kinds.get(i.module_kind, i.module_kind)),
                (_l("Question id"), TEXT, _get("question_id")),
                (_l("Question"), TEXT, lambda i: texts.get(i.question_id, "")),
                (_l("Type"), TEXT, lambda i: types.get(i.question_type, i.question_type)),
                (_l("Answers (n)"), NUMBER, _get("n")),
                (_l("Correct"), NUMBER, _get("n_correct")),
                (_l("Correct (%)"), PERCENT, _get("percent_correct")),
                (_l("Mean score (points)"), NUMBER, _get("mean_points")),
                (_l("Mean score (%)"), PERCENT, _get("mean_percent")),
                (_l("Choices picked"), TEXT, _get("choice_picks")),
                (
                    _l("Most people miss it"),
                    TEXT,
                    lambda i: _("Yes") if i.is_mostly_missed else _("No"),
                ),
            ],
            description=_(
                "Each participant's first scored attempt at each quiz counts. A question is "
                "flagged when fewer than %(percent)d %% of at least %(n)d answers were right.",
                percent=int(items.MISSED_BELOW_PERCENT),
                n=items.MISSED_MIN_ANSWERS,
            ),
        ),
        _make(
            "pre-post",
            _l("Pre-test against post-test"),
            pairs,
            [
                (_l("Question id"), TEXT, _get("question_id")),
                (_l("Question"), TEXT, lambda p: texts.get(p.question_id, "")),
                (_l("Pre-test answers (n)"), NUMBER, lambda p: p.pre.n if p.pre else None),
                (
                    _l("Pre-test correct (%)"),
                    PERCENT,
                    lambda p: p.pre.percent_correct if p.pre else None,
                ),
                (_l("Post-test answers (n)"), NUMBER, lambda p: p.post.n if p.post else None),
                (
                    _l("Post-test correct (%)"),
                    PERCENT,
                    lambda p: p.post.percent_correct if p.post else None,
                ),
                (_l("Change (points)"), NUMBER, _get("change")),
            ],
        ),
    ]
    return {t.key: t for t in found}
