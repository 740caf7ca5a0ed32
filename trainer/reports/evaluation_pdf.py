"""The evaluation report as a PDF for funders: the page's sections and figures, A4, built
with ReportLab in the bundled DejaVu Sans (``trainer.cohorts.sheet.register_fonts``), so
names of people, institutions and courses print with their accents. Made on request from
``evaluation.evaluation_report``, the page's own query function, so both say the same."""

from __future__ import annotations

import io

from flask_babel import format_decimal
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from trainer.cohorts.sheet import BOLD, REGULAR, register_fonts
from trainer.reports import evaluation_labels as labels
from trainer.reports.evaluation import EvaluationReport

WIDTH = A4[0] - 30 * mm


def _escape(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def number(value: float | int | None, digits: int = 1) -> str:
    """A figure as the page prints it: localised, or a dash when there is none."""
    if value is None:
        return "–"
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits)


def percent(value: float | None) -> str:
    return "–" if value is None else _("%(value)s %%", value=number(value))


class _Styles:
    def __init__(self) -> None:
        self.title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20)
        self.heading = ParagraphStyle(
            "heading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=5 * mm, spaceAfter=2 * mm
        )
        self.text = ParagraphStyle("text", fontName=REGULAR, fontSize=9.5, leading=12.5)
        self.cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5)
        self.head = ParagraphStyle("head", fontName=BOLD, fontSize=8.5, leading=10.5)


def _table(styles: _Styles, header: list[str], rows: list[list], widths: list[float]):
    data = [[Paragraph(_escape(h), styles.head) for h in header]]
    data += [[Paragraph(_escape(cell), styles.cell) for cell in row] for row in rows]
    table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5ad")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def evaluation_pdf(report: EvaluationReport) -> bytes:
    register_fonts()
    styles = _Styles()
    story: list = [Paragraph(_escape(labels.report_title(report)), styles.title)]
    story.append(Paragraph(_escape(labels.report_subtitle(report)), styles.text))
    _completion(story, styles, report)
    _attendance(story, styles, report)
    _gain(story, styles, report)
    _satisfaction(story, styles, report)
    _weakest(story, styles, report)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=labels.report_title(report),
        invariant=1,
    ).build(story)
    return buffer.getvalue()


def _completion(story, styles, report) -> None:
    story.append(Paragraph(_escape(_("Enrolment and completion by institution")), styles.heading))
    rows = [
        [
            row.name or _("No institution"),
            number(row.enrolled, 0),
            number(row.withdrawn, 0),
            number(row.completed, 0),
            percent(row.completion_rate),
        ]
        for row in (*report.completion, report.total)
    ]
    rows[-1][0] = _("All institutions")
    story.append(_table(styles, labels.completion_header(), rows, [0.4, 0.15, 0.15, 0.15, 0.15]))


def _attendance(story, styles, report) -> None:
    story.append(Paragraph(_escape(_("Attendance")), styles.heading))
    if not report.attendance:
        story.append(Paragraph(_escape(_("No participant is in a cohort.")), styles.text))
        return
    rows = [
        [
            row.name,
            number(row.members, 0),
            f"{number(row.attended, 0)} / {number(row.expected, 0)}",
            percent(row.rate),
            number(row.meeting, 0) if row.threshold else "–",
        ]
        for row in report.attendance
    ]
    story.append(_table(styles, labels.attendance_header(), rows, [0.34, 0.13, 0.18, 0.15, 0.2]))


def _gain(story, styles, report) -> None:
    story.append(Paragraph(_escape(_("Learning gain")), styles.heading))
    for title, groups, fallback in (
        (_("By institution"), report.gain_by_institution, _("No institution")),
        (_("By cohort"), report.gain_by_cohort, _("No cohort")),
    ):
        story.append(Paragraph(_escape(title), styles.text))
        if not groups:
            story.append(Paragraph(_escape(_("Nobody has both scores yet.")), styles.text))
            continue
        rows = [
            [
                group.name or fallback,
                number(group.n, 0),
                percent(group.mean_pre),
                percent(group.mean_post),
                number(group.mean_gain, 2),
                number(group.mean_normalised_gain, 2),
            ]
            for group in groups
        ]
        story.append(
            _table(styles, labels.gain_header(), rows, [0.32, 0.08, 0.15, 0.15, 0.15, 0.15])
        )
        story.append(Spacer(1, 2 * mm))


def _satisfaction(story, styles, report) -> None:
    results = report.satisfaction
    story.append(Paragraph(_escape(_("Satisfaction")), styles.heading))
    story.append(Paragraph(_escape(labels.minimum_group_note(results)), styles.text))
    if results.overall is None:
        story.append(
            Paragraph(_escape(_("No group of responses is large enough to show.")), styles.text)
        )
        return
    for group in (*results.groups, results.overall):
        story.append(Paragraph(_escape(labels.group_name(group)), styles.text))
        rows = []
        for question in results.scale_questions:
            scale = group.scale(question.id)
            if scale is None or not scale.n:
                continue
            counts = ", ".join(f"{point}: {count}" for point, count in scale.counts)
            rows.append([question.text, number(scale.n, 0), number(scale.mean, 2), counts])
        if rows:
            story.append(_table(styles, labels.scale_header(), rows, [0.46, 0.1, 0.12, 0.32]))
        for question in results.text_questions:
            answers = group.answers(question.id)
            if answers:
                story.append(Paragraph(_escape(question.text), styles.head))
                for answer in answers:
                    story.append(Paragraph("• " + _escape(answer), styles.cell))
        story.append(Spacer(1, 2 * mm))


def _weakest(story, styles, report) -> None:
    story.append(Paragraph(_escape(_("The five weakest questions")), styles.heading))
    if not report.weakest:
        story.append(Paragraph(_escape(_("No quiz has been answered yet.")), styles.text))
        return
    rows = [
        [item.question, item.module_title, number(item.n, 0), percent(item.percent_correct)]
        for item in report.weakest
    ]
    story.append(_table(styles, labels.weakest_header(), rows, [0.5, 0.26, 0.1, 0.14]))
