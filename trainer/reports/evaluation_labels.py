"""The evaluation report's words, shared by its page and its PDF so both say the same."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from trainer.reports.evaluation import EvaluationReport
from trainer.reports.surveys import SurveyGroup, SurveyResults


def report_title(report: EvaluationReport) -> str:
    return _("Evaluation report: %(course)s", course=report.course_title)


def report_subtitle(report: EvaluationReport) -> str:
    if report.cohort:
        return _("Cohort %(cohort)s", cohort=report.cohort)
    return _("Every cohort and participant of the course, in all its languages")


def completion_header() -> list[str]:
    return [_("Institution"), _("Enrolments"), _("Withdrawn"), _("Completed"), _("Completion rate")]


def attendance_header() -> list[str]:
    return [
        _("Cohort"),
        _("Members"),
        _("Attended / expected so far"),
        _("Attendance so far"),
        _("Meeting the attendance required"),
    ]


def gain_header() -> list[str]:
    return [
        _("Group"),
        _("n"),
        _("Pre-test (mean)"),
        _("Post-test (mean)"),
        _("Gain (points)"),
        _("Normalised gain"),
    ]


def scale_header() -> list[str]:
    return [_("Question"), _("Responses"), _("Mean"), _("Answers per point")]


def weakest_header() -> list[str]:
    return [_("Question"), _("Module"), _("Answers"), _("Correct")]


def minimum_group_note(results: SurveyResults) -> str:
    note = _(
        "Results are shown only for groups of at least %(min)d responses; smaller groups are "
        "merged into “Other”.",
        min=results.min_group,
    )
    if results.responses_left_out:
        note += " " + ngettext(
            "%(num)d response is in a group still too small to show.",
            "%(num)d responses are in groups still too small to show.",
            results.responses_left_out,
        )
    return note


def group_name(group: SurveyGroup) -> str:
    if group.is_overall:
        return _("All the groups shown (%(num)d responses)", num=group.responses)
    if group.is_other:
        return _("Other (%(num)d responses)", num=group.responses)
    institution = group.institution or _("No institution")
    cohort = group.cohort or _("No cohort")
    return _(
        "%(institution)s, %(cohort)s (%(num)d responses)",
        institution=institution,
        cohort=cohort,
        num=group.responses,
    )
