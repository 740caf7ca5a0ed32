"""The cohorts blueprint: every address of cohorts, sessions, attendance and check-in, in one
table; the views live in ``trainer.cohorts.views``, one module per subject."""

from __future__ import annotations

from flask import Blueprint

from trainer.cohorts.views import (
    attendance,
    calendars,
    checkin,
    cohorts,
    imports,
    members,
    my_sessions,
    schedule,
    when,
)

bp = Blueprint("cohorts", __name__, template_folder="templates")

# Running cohorts: list, create, edit, staff, members, sessions and calendars.
_MANAGE_ROUTES: list[tuple] = [
    ("/cohorts", cohorts.index, ["GET"]),
    ("/courses/<slug>/cohorts/new", cohorts.new_cohort, ["GET", "POST"]),
    ("/cohorts/<int:cohort_id>", cohorts.cohort, ["GET"]),
    ("/cohorts/<int:cohort_id>/edit", cohorts.edit_cohort, ["GET", "POST"]),
    ("/cohorts/<int:cohort_id>/start", cohorts.start_cohort, ["POST"]),
    ("/cohorts/<int:cohort_id>/close", cohorts.close_cohort, ["POST"]),
    ("/cohorts/<int:cohort_id>/members", members.members, ["GET"]),
    ("/cohorts/<int:cohort_id>/members/add", members.add_members, ["POST"]),
    ("/cohorts/<int:cohort_id>/members/import", imports.import_members, ["GET", "POST"]),
    ("/cohorts/<int:cohort_id>/members/<int:user_id>/move", members.move_member, ["POST"]),
    ("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", members.remove_member, ["POST"]),
    ("/cohorts/<int:cohort_id>/sessions/new", schedule.new_session, ["GET", "POST"]),
    (
        "/cohorts/<int:cohort_id>/sessions/<int:session_id>/edit",
        schedule.edit_session,
        ["GET", "POST"],
    ),
    (
        "/cohorts/<int:cohort_id>/sessions/<int:session_id>/cancel",
        schedule.cancel_session,
        ["POST"],
    ),
    ("/cohorts/<int:cohort_id>/calendar.ics", calendars.cohort_ics, ["GET"]),
    ("/cohorts/<int:cohort_id>/sessions/<int:session_id>.ics", calendars.session_ics, ["GET"]),
]

# Taking attendance and checking in: roster, sign-in sheet, paper entry, QR, "My sessions".
_SESSION = "/cohorts/<int:cohort_id>/sessions/<int:session_id>"
_ATTENDANCE_ROUTES: list[tuple] = [
    (f"{_SESSION}/attendance", attendance.roster, ["GET", "POST"]),
    (f"{_SESSION}/sheet.pdf", attendance.sheet_pdf, ["GET"]),
    (f"{_SESSION}/sheet", attendance.sheet_entry, ["GET", "POST"]),
    (f"{_SESSION}/qr", checkin.qr_screen, ["GET"]),
    (f"{_SESSION}/qr/code", checkin.qr_code, ["GET"]),
    ("/check-in/<token>", checkin.scan, ["GET"]),
    ("/check-in", checkin.check_in, ["GET", "POST"]),
    ("/my-sessions", my_sessions.my_sessions, ["GET"]),
]

for _path, _view, _methods in _MANAGE_ROUTES + _ATTENDANCE_ROUTES:
    bp.add_url_rule(_path, view_func=_view, methods=_methods)

# Sessions' dates and times, in their cohort's time zone, for every template.
bp.add_app_template_filter(when.session_when, "session_when")
bp.add_app_template_filter(when.moment, "moment")
bp.add_app_template_filter(when.zone_name, "zone_name")
