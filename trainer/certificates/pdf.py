"""A certificate as a PDF, made on request from its snapshot (no PDF is ever stored).

A4 landscape, drawn with ReportLab in the bundled DejaVu Sans (registered once by
``trainer.cohorts.sheet.register_fonts``), so "Ñusta Quishpe Andrés" prints as written. It
shows everything the snapshot holds, the code, and a QR code (segno) of the public
verification address. Labels are in the course's language, like its titles.
"""

from __future__ import annotations

import hashlib
import io

import segno
from flask_babel import force_locale, format_date, format_decimal, ngettext
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from trainer.certificates.models import Certificate, CertificateKind
from trainer.cohorts.sheet import BOLD, REGULAR, register_fonts

PAGE = landscape(A4)
MARGIN = 14 * mm
QR_SIZE = 34 * mm
BODY_BOTTOM = MARGIN + 42 * mm  # the signatures and the QR code sit below
INK = colors.HexColor("#1d2b36")
ACCENT = colors.HexColor("#1f5f8b")


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _style(name: str, font: str, size: float, color=INK) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=size * 1.25,
        alignment=TA_CENTER,
        textColor=color,
    )


def default_title(kind: str) -> str:
    if kind == CertificateKind.ATTENDANCE.value:
        return _("Certificate of attendance")
    return _("Certificate of completion")


def hours_text(hours: float | None) -> str:
    """ "12 hours", "1.5 hours" in the current language; empty when unknown."""
    if hours is None:
        return ""
    count = int(hours) if float(hours).is_integer() else 2  # 1.5 reads as plural
    return ngettext("%(hours)s hour", "%(hours)s hours", count, hours=format_decimal(hours))


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` as filled squares, its quiet zone included in ``size``."""
    code = segno.make(url, error="m", boost_error=False)
    rows = list(code.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + c * module, y + size - (r + 1) * module, module, module, stroke=0, fill=1
                )


def _logo(canvas: Canvas, certificate: Certificate, logo: bytes | None, top: float) -> float:
    """The logo stored at issue, when its bytes still match the hash kept with it."""
    if not logo or hashlib.sha256(logo).hexdigest() != certificate.logo_sha256:
        return top
    try:
        image = ImageReader(io.BytesIO(logo))
        width, height = image.getSize()
    except Exception:  # a logo ReportLab cannot read is left out, never a failed PDF
        return top
    shown_height = 16 * mm
    shown_width = min(70 * mm, width * shown_height / height)
    shown_height = height * shown_width / width
    canvas.drawImage(
        image,
        (PAGE[0] - shown_width) / 2,
        top - shown_height,
        shown_width,
        shown_height,
        mask="auto",
    )
    return top - shown_height - 4 * mm


def _signatories(canvas: Canvas, signatories: list[dict], y: float, right: float) -> None:
    if not signatories:
        return
    slot = (right - MARGIN * 2) / len(signatories)
    name_style = _style("signatory", BOLD, 11)
    role_style = _style("role", REGULAR, 9)
    for index, person in enumerate(signatories[:3]):
        left = MARGIN * 2 + index * slot
        width = min(slot - 8 * mm, 75 * mm)
        x = left + (slot - width) / 2
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(x, y, x + width, y)
        for text, style, offset in (
            (person.get("name", ""), name_style, 2 * mm),
            (person.get("role", ""), role_style, 7 * mm),
        ):
            paragraph = Paragraph(_escape(text), style)
            _w, height = paragraph.wrap(width, 20 * mm)
            paragraph.drawOn(canvas, x, y - offset - height + 2 * mm)


def certificate_pdf(certificate: Certificate, verify_url: str, logo: bytes | None = None) -> bytes:
    """The certificate as PDF bytes: one A4 landscape page."""
    register_fonts()
    buffer = io.BytesIO()
    with force_locale(certificate.language):
        title = certificate.certificate_title or default_title(certificate.kind)
        canvas = Canvas(buffer, pagesize=PAGE, invariant=1)
        canvas.setTitle(title)
        canvas.setAuthor(certificate.programme_name)
        canvas.setSubject(certificate.code)
        _frame(canvas)
        _body(canvas, certificate, title, logo)
        qr_x, qr_y = PAGE[0] - MARGIN - 6 * mm - QR_SIZE, MARGIN + 6 * mm
        _qr(canvas, verify_url, qr_x, qr_y, QR_SIZE)
        caption = Paragraph(_escape(_("Scan to verify")), _style("caption", REGULAR, 8))
        _w, caption_height = caption.wrap(QR_SIZE, 10 * mm)
        caption.drawOn(canvas, qr_x, qr_y - caption_height)
        _signatories(canvas, certificate.signatories or [], MARGIN + 24 * mm, qr_x - 6 * mm)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _frame(canvas: Canvas) -> None:
    width, height = PAGE
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(2)
    canvas.rect(MARGIN / 2, MARGIN / 2, width - MARGIN, height - MARGIN)
    canvas.setLineWidth(0.5)
    inset = MARGIN / 2 + 3 * mm
    canvas.rect(inset, inset, width - 2 * inset, height - 2 * inset)


def _body(canvas: Canvas, certificate: Certificate, title: str, logo: bytes | None) -> None:
    """Everything but the signatories and the QR code, centred from the top down."""
    width = PAGE[0] - 4 * MARGIN
    if certificate.kind == CertificateKind.ATTENDANCE.value:
        done = _("attended the sessions of the course")
    else:
        done = _("has completed the course")
    facts = [
        hours_text(certificate.hours),
        _("Issued on %(date)s", date=format_date(certificate.issued_on, "long")),
    ]
    if certificate.expires_on is not None:
        facts.append(_("Valid until %(date)s", date=format_date(certificate.expires_on, "long")))
    text = _style("text", REGULAR, 12)
    lines = [
        (certificate.programme_name, _style("programme", BOLD, 13, ACCENT), 7 * mm),
        (title, _style("title", BOLD, 24), 7 * mm),
        (_("This certifies that"), text, 3 * mm),
        (certificate.holder_name, _style("holder", BOLD, 28), 2 * mm),
        (certificate.institution_name, text, 5 * mm),
        (done, text, 2 * mm),
        (certificate.course_title, _style("course", BOLD, 17), 6 * mm),
        (" · ".join(fact for fact in facts if fact), _style("facts", REGULAR, 11), 2 * mm),
        (_("Certificate code: %(code)s", code=certificate.code), _style("code", BOLD, 11), 0),
    ]
    paragraphs = [
        (Paragraph(_escape(value), style), space) for value, style, space in lines if value
    ]
    heights = [paragraph.wrap(width, PAGE[1])[1] + space for paragraph, space in paragraphs]
    top = _logo(canvas, certificate, logo, PAGE[1] - MARGIN - 3 * mm)
    # Centred in the room between the logo and the signatures.
    room = top - BODY_BOTTOM
    top -= max(0.0, (room - sum(heights)) / 2)
    for (paragraph, space), height in zip(paragraphs, heights, strict=True):
        paragraph.drawOn(canvas, (PAGE[0] - width) / 2, top - (height - space))
        top -= height
