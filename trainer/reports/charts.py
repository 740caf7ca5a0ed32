"""The bars of the dashboard's charts: (label, value, text) triples, worded and formatted in
the reader's language, drawn as SVG by the templates (``reports/_report.html``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from trainer.i18n import module_kind_names
from trainer.reports import dashboard, items
from trainer.reports.tables import bucket_labels

Bar = tuple[str, float | None, str]


@dataclass(frozen=True)
class Charts:
    progress: list[Bar]
    quizzes: list[Bar]
    sessions: list[Bar]
    gains: list[Bar]
    surveys: list[Bar]


def percent(value: float | None) -> str:
    if value is None:
        return _("no figure yet")
    return _("%(score)s%%", score=format_decimal(value))


def dashboard_charts(data: dashboard.Dashboard) -> Charts:
    labels = bucket_labels()
    return Charts(
        progress=[
            (labels[b.key], b.percent, f"{b.count} ({percent(b.percent)})") for b in data.progress
        ],
        quizzes=[(q.title, q.mean_best, percent(q.mean_best)) for q in data.quizzes],
        sessions=[
            (
                f"{s.cohort}, {format_date(s.day, 'medium')}",
                s.attendance,
                _("cancelled") if s.is_cancelled else percent(s.attendance),
            )
            for s in data.sessions
        ],
        gains=[
            (
                _("%(name)s (n = %(n)d)", name=g.name or _("In no cohort"), n=g.n),
                g.mean_gain,
                format_decimal(g.mean_gain) if g.mean_gain is not None else _("no figure yet"),
            )
            for g in data.cohort_gains
        ],
        surveys=survey_bars(data.surveys),
    )


def survey_bars(results) -> list[Bar]:
    """The overall mean of each scale question, as a share of its highest point."""
    if results.overall is None:
        return []
    bars = []
    for question in results.scale_questions:
        summary = results.overall.scale(question.id)
        if summary is None or summary.mean is None:
            continue
        high = question.high or max(point for point, _count in summary.counts)
        bars.append(
            (
                question.text,
                100 * summary.mean / high if high else None,
                _("%(mean)s of %(high)d", mean=format_decimal(summary.mean), high=high),
            )
        )
    return bars


def item_bars(stats: list[items.ItemStats]) -> list[Bar]:
    kinds = module_kind_names()
    return [
        (
            f"{kinds.get(i.module_kind, i.module_kind)} · {i.question_id}",
            i.percent_correct,
            _("%(right)d of %(n)d right", right=i.n_correct, n=i.n),
        )
        for i in stats
    ]
