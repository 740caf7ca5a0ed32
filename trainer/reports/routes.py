"""The reports blueprint: the dashboard, item analysis, participant drill-down and exports.

Every view reads only. It loads the filter (``filters.read``: bad values give the form back
with a message and 400, a cohort or institution out of scope 403), then one query function
builds what the page and its exports show.
"""

from __future__ import annotations

from flask import Blueprint

from trainer.reports import views

bp = Blueprint("reports", __name__, template_folder="templates")

_ROUTES: list[tuple] = [
    ("/reports", views.dashboard_page, ["GET"]),
    ("/reports/dashboard.xlsx", views.dashboard_workbook, ["GET"]),
    ("/reports/tables/<key>.<any(csv, xlsx):file_format>", views.dashboard_table, ["GET"]),
    ("/reports/items", views.items_page, ["GET"]),
    ("/reports/items/<key>.<any(csv, xlsx):file_format>", views.items_table, ["GET"]),
    ("/reports/participants/<int:user_id>", views.participant_page, ["GET"]),
]

for rule, view, methods in _ROUTES:
    bp.add_url_rule(rule, view_func=view, methods=methods)
