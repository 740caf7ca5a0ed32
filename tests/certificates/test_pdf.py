"""The certificate PDF: made on request, A4 landscape, the snapshot in a Unicode font, the code,
and a QR code a real decoder reads back as the verification address."""

from __future__ import annotations

import io
import shutil
import subprocess
import time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.admin.images import png
from tests.certificates.conftest import HOLDER, complete
from trainer.auth import programme
from trainer.certificates.documents import pdf_of
from trainer.certificates.models import Certificate

TOOLS = ("pdftoppm", "zbarimg")


@pytest.fixture
def certificate(db, world):
    programme.update_programme_settings(
        world.admin,
        programme_name="Migración y desarrollo",
        default_timezone="America/Guayaquil",
        signatories=[],
        logo=programme.Logo("logo.png", png()),
    )
    complete(world, world.nusta)
    return db.session.scalar(select(Certificate).where(Certificate.user_id == world.nusta.id))


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def test_the_pdf_is_a4_landscape_and_holds_the_snapshot_and_the_code(app, certificate):
    with app.test_request_context():
        data = pdf_of(certificate)
    page = PdfReader(io.BytesIO(data)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4, landscape
    text = text_of(data)
    assert HOLDER in text
    assert "Gestión municipal de la movilidad humana" in text
    assert "Certificado en gestión municipal de la movilidad humana" in text
    assert certificate.code in text
    assert "GAD Municipal de Quito" in text
    assert "Migración y desarrollo" in text
    assert "Laura Méndez" in text
    assert "Directora del programa" in text
    assert "12 horas" in text  # the course's language, not the reader's
    assert "Válido hasta" in text


def test_the_qr_code_decodes_to_the_verification_address(app, certificate, tmp_path):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"{' and '.join(missing)} not installed: apt-get install poppler-utils zbar-tools "
            "(.ci/run installs them)"
        )
    with app.test_request_context():
        data = pdf_of(certificate)
    (tmp_path / "certificate.pdf").write_bytes(data)
    subprocess.run(  # noqa: S603
        [shutil.which("pdftoppm"), "-r", "150", "-png", "-singlefile", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    decoded = subprocess.run(  # noqa: S603
        [shutil.which("zbarimg"), "--quiet", "--raw", "page.png"],
        cwd=tmp_path,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert decoded == [f"http://localhost/verify/{certificate.code}"]


def test_a_pdf_takes_well_under_a_second(app, certificate):
    with app.test_request_context():
        pdf_of(certificate)  # fonts registered once per process
        started = time.perf_counter()
        for _ in range(5):
            pdf_of(certificate)
        per_pdf = (time.perf_counter() - started) / 5
    print(f"PDF generation: {per_pdf * 1000:.0f} ms per certificate")  # noqa: T201
    assert per_pdf < 1.0
