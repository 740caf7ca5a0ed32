"""Programme settings: name, time zone, signatories, logo; the logo served publicly."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.admin.images import png, webp
from trainer.auth import programme, services
from trainer.auth.models import AuditEntry, ProgrammeSettings
from trainer.auth.programme import MAX_LOGO_BYTES
from trainer.storage.models import StoredFile


def _form(**fields) -> dict:
    base = {
        "programme_name": "Migración y desarrollo",
        "default_timezone": "America/Guayaquil",
        "signatories-0-name": "Laura Benítez",
        "signatories-0-role": "Programme director",
    }
    return base | fields


def _post(client, logo: tuple[bytes, str] | None = None, **fields):
    data = _form(**fields)
    if logo is not None:
        data["logo"] = (io.BytesIO(logo[0]), logo[1])
    return client.post("/admin/settings", data=data, content_type="multipart/form-data")


def test_first_save_creates_the_settings_and_audits_them(client_for, admin, db):
    assert db.session.get(ProgrammeSettings, 1) is None
    response = _post(client_for(admin), **{"signatories-1-name": "", "signatories-1-role": ""})
    assert response.status_code == 302
    settings = db.session.get(ProgrammeSettings, 1)
    assert settings.programme_name == "Migración y desarrollo"
    assert settings.signatories == [{"name": "Laura Benítez", "role": "Programme director"}]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.update"))
    assert entry.before["programme_name"] == "trainer"
    assert entry.after["programme_name"] == "Migración y desarrollo"
    assert "default_timezone" not in entry.after  # unchanged fields are left out


def test_the_programme_name_appears_in_every_page_header(app, client_for, admin):
    _post(client_for(admin))
    assert "Migración y desarrollo" in app.test_client().get("/login").get_data(as_text=True)


def test_an_unknown_time_zone_is_refused_with_a_suggestion(client_for, admin, db):
    html = _post(client_for(admin), default_timezone="America/Guayakil").get_data(as_text=True)
    assert "Unknown time zone America/Guayakil." in html
    assert "Did you mean America/Guayaquil?" in html
    assert db.session.get(ProgrammeSettings, 1) is None


def test_a_signatory_needs_both_name_and_role(client_for, admin):
    html = _post(client_for(admin), **{"signatories-1-name": "Only A Name"}).get_data(as_text=True)
    assert "Give both the name and the role of each signatory" in html


def test_a_png_logo_is_stored_served_with_nosniff_and_shown_in_the_header(
    app, client_for, admin, db
):
    client = client_for(admin)
    image = png(4, 2)
    assert _post(client, logo=(image, "logo.png")).status_code == 302
    settings = db.session.get(ProgrammeSettings, 1)
    stored = db.session.get(StoredFile, settings.logo_file_id)
    assert stored.content_type == "image/png"
    assert stored.size == len(image)

    response = app.test_client().get("/programme/logo")
    assert response.status_code == 200
    assert response.data == image
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    versioned = app.test_client().get(f"/programme/logo?v={stored.id}")
    assert "immutable" in versioned.headers["Cache-Control"]
    again = app.test_client().get(
        "/programme/logo", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304

    header = app.test_client().get("/login").get_data(as_text=True)
    assert f'src="/programme/logo?v={stored.id}"' in header


def test_a_png_that_is_really_html_is_refused(client_for, admin, db):
    html_file = b"<!doctype html><script>alert(1)</script>"
    page = _post(client_for(admin), logo=(html_file, "logo.png")).get_data(as_text=True)
    assert "The logo must be a PNG, JPEG or WebP image; this file is not one." in page
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_svg_is_refused_and_webp_accepted(client_for, admin, db):
    client = client_for(admin)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    assert "this file is not one" in _post(client, logo=(svg, "logo.svg")).get_data(as_text=True)
    assert _post(client, logo=(webp(), "logo.webp")).status_code == 302
    settings = db.session.get(ProgrammeSettings, 1)
    assert db.session.get(StoredFile, settings.logo_file_id).content_type == "image/webp"


def test_replacing_and_removing_the_logo_deletes_the_old_file(app, client_for, admin, db):
    client = client_for(admin)
    _post(client, logo=(png(), "first.png"))
    _post(client, logo=(png(2, 2), "second.png"))
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 1
    _post(client, remove_logo="y")
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert db.session.get(ProgrammeSettings, 1).logo_file_id is None
    assert app.test_client().get("/programme/logo").status_code == 404


def test_a_logo_whose_bytes_a_course_asset_shares_can_still_be_replaced(
    client_for, admin, make, db
):
    """Stored files are shared by identical bytes: the programme logo used in a course."""
    from trainer.authoring.drafts import add_asset, start_draft

    client = client_for(admin)
    _post(client, logo=(png(), "logo.png"))
    course = make.course()
    draft = start_draft(course, admin, "/nonexistent")
    asset = add_asset(draft, admin, "logo.png", png())
    old_logo_id = db.session.get(ProgrammeSettings, 1).logo_file_id
    assert asset.stored_file_id == old_logo_id
    assert _post(client, logo=(png(2, 2), "new.png")).status_code == 302
    assert db.session.get(ProgrammeSettings, 1).logo_file_id != old_logo_id
    assert _post(client, remove_logo="y").status_code == 302
    served = client.get(f"/courses/{course.slug}/edit/assets/logo.png")
    assert (served.status_code, served.data) == (200, png())


def test_a_logo_over_1_mb_is_refused(app, admin, db):
    big = programme.Logo("big.png", png() + b"\x00" * MAX_LOGO_BYTES)
    # Checked on the service: the test client spools large uploads to a file it never closes.
    with app.test_request_context(), pytest.raises(services.AccountError, match="at most 1 MB"):
        programme.update_programme_settings(
            admin,
            programme_name="P",
            default_timezone="America/Guayaquil",
            signatories=[],
            logo=big,
        )
