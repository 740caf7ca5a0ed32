"""A printable sign-in sheet for one session, for when the network is down: a PDF of the roster.

Built with ReportLab in DejaVu Sans (bundled in trainer/static/fonts, with its licence), so
names such as "Núñez" or "Łukasz" print as written. The caller passes the members the actor
may see (``trainer.cohorts.policy.scope_members``), so a coordinator's sheet lists only their
institution's people.
"""

from __future__ import annotations

import io
import zoneinfo
from collections.abc import Sequence
from pathlib import Path

from flask_babel import format_date, format_time
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from trainer.auth.models import User
from trainer.cohorts.models import TrainingSession

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


def register_fonts() -> None:
    """Register the bundled fonts with ReportLab once per process."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (REGULAR, BOLD):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONTS / f"{name}.ttf")))


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    title = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=2 * mm)
    text = ParagraphStyle("text", fontName=REGULAR, fontSize=10, leading=13)
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=10, leading=12)
    return title, text, cell


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sign_in_sheet(session: TrainingSession, members: Sequence[User]) -> bytes:
    """The session's sign-in sheet as PDF bytes: one numbered row per member (name,
    institution, an empty box to sign), in the order given, headed by the course, the cohort
    and the session's date, times (in the cohort's time zone) and place."""
    register_fonts()
    cohort = session.cohort
    zone = zoneinfo.ZoneInfo(cohort.timezone)
    starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    title, text, cell = _styles()
    # rebase=False: shown in the cohort's time zone, not the programme's.
    when = _(
        "%(date)s, %(start)s to %(end)s (%(zone)s)",
        date=format_date(starts, "full", rebase=False),
        start=format_time(starts, "short", rebase=False),
        end=format_time(ends, "short", rebase=False),
        zone=cohort.timezone,
    )
    story = [
        Paragraph(_escape(_("Sign-in sheet")), title),
        Paragraph(_escape(f"{cohort.course.title} · {cohort.name}"), text),
        Paragraph(_escape(when), text),
    ]
    if session.place or session.online_url:
        story.append(Paragraph(_escape(session.place or session.online_url), text))
    story.append(Spacer(1, 6 * mm))
    rows = [["#", _("Name"), _("Institution"), _("Signature")]]
    for number, person in enumerate(members, start=1):
        institution = person.institution.name if person.institution else ""
        rows.append(
            [
                str(number),
                Paragraph(_escape(person.full_name), cell),
                Paragraph(_escape(institution), cell),
                "",
            ]
        )
    table = Table(rows, colWidths=[10 * mm, 62 * mm, 58 * mm, 50 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white]),
                ("TOPPADDING", (0, 1), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 3 * mm),
            ]
        )
    )
    story.append(table)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Sign-in sheet"),
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()
