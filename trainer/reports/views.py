"""Thin views of the reports: read the filter, check, call one query function, render or
send the file. Nothing here writes."""

from __future__ import annotations

import re
from html import unescape

from flask import abort, make_response, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required

from trainer.auth.models import DEFAULT_INACTIVE_AFTER_DAYS, User
from trainer.auth.policy import check
from trainer.auth.services import programme_settings
from trainer.dbtypes import utcnow
from trainer.reports import charts, dashboard, drilldown, exports, filters, items, labels, tables
from trainer.reports.facts import course_outlines

# Lines of a participant table shown on the page; its files hold every line.
SCREEN_ROWS = 100
_TAG = re.compile(r"<[^>]*>")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def actor() -> User:
    return current_user._get_current_object()


def _filters() -> filters.Filters:
    me = actor()
    check(filters.can_see_reports(me))
    return filters.read(me, request.args)


def _dashboard(found: filters.Filters) -> dashboard.Dashboard:
    settings = programme_settings()
    return dashboard.build(
        actor(),
        found.report,
        now=utcnow(),
        inactive_after_days=settings.inactive_after_days or DEFAULT_INACTIVE_AFTER_DAYS,
        language=str(get_locale() or "en"),
    )


def _refused(found: filters.Filters, template: str = "reports/dashboard.html"):
    """The form with what to correct (400), or, with nothing to report on, a 404 for a file
    and the page saying so."""
    if not found.has_errors:
        return render_template(template, filters=found, data=None, tables=None)
    return render_template(template, filters=found, data=None, tables=None), 400


@login_required
def dashboard_page():
    found = _filters()
    if found.report is None:
        return _refused(found)
    data = _dashboard(found)
    return render_template(
        "reports/dashboard.html",
        filters=found,
        data=data,
        tables=tables.dashboard_tables(data),
        charts=charts.dashboard_charts(data),
        screen_rows=SCREEN_ROWS,
    )


@login_required
def dashboard_table(key: str, file_format: str):
    found = _filters()
    if found.report is None:
        return _refused(found) if found.has_errors else abort(404)
    table = tables.dashboard_tables(_dashboard(found)).get(key)
    if table is None:
        abort(404)
    return _file(table.table, f"{key}-{found.report.family}", file_format)


@login_required
def dashboard_workbook():
    found = _filters()
    if found.report is None:
        return _refused(found) if found.has_errors else abort(404)
    workbook = exports.workbook_bytes(
        [t.table for t in tables.dashboard_tables(_dashboard(found)).values()]
    )
    return _send(workbook, f"dashboard-{found.report.family}.xlsx", "xlsx")


def _items(found: filters.Filters, stats: list[items.ItemStats], texts: dict):
    return tables.item_tables(stats, items.pair_pre_post(stats), texts)


def question_texts(found: filters.Filters) -> dict:
    """{question id: its text} and {("module", slug): module title}, from the family's
    current courses (their first language first)."""
    texts: dict = {}
    for outline in course_outlines(found.report.family).values():
        for module in outline.modules:
            texts.setdefault(("module", module.slug), module.title)
            for question in (module.quiz or {}).get("questions", ()):
                text = plain_text(question.get("text_html") or "")
                texts.setdefault(question["id"], text)
    return texts


def plain_text(html: str) -> str:
    """The text of our own sanitised HTML (a question), tags dropped, spaces collapsed."""
    return " ".join(unescape(_TAG.sub(" ", html)).split())


@login_required
def items_page():
    found = _filters()
    if found.report is None:
        return _refused(found, "reports/items.html")
    stats = items.item_statistics(actor(), found.report)
    texts = question_texts(found)
    return render_template(
        "reports/items.html",
        filters=found,
        tables=_items(found, stats, texts),
        texts=texts,
        missed=items.mostly_missed(stats),
        bars=charts.item_bars(stats),
    )


@login_required
def items_table(key: str, file_format: str):
    found = _filters()
    if found.report is None:
        return _refused(found, "reports/items.html")
    stats = items.item_statistics(actor(), found.report)
    table = _items(found, stats, question_texts(found)).get(key)
    if table is None:
        abort(404)
    return _file(table.table, f"{key}-{found.report.family}", file_format)


@login_required
def participant_page(user_id: int):
    found = _filters()
    if found.report is None:
        abort(404)  # a course the actor does not follow: nobody to find in it
    timeline = drilldown.participant(actor(), found.report, user_id, now=utcnow())
    if timeline is None:
        abort(404)
    return render_template(
        "reports/participant.html",
        filters=found,
        timeline=timeline,
        session_labels=labels.session_statuses(),
        certificate_labels=labels.certificate_kinds(),
    )


def _file(table: exports.Table, name: str, file_format: str):
    if file_format == "csv":
        return _send(exports.csv_bytes(table), f"{name}.csv", "csv")
    return _send(exports.xlsx_bytes(table), f"{name}.xlsx", "xlsx")


def _send(data: bytes, filename: str, file_format: str):
    response = make_response(data)
    response.headers["Content-Type"] = CONTENT_TYPES[file_format]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
