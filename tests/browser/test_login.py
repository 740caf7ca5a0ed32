"""The log-in page works on a phone, with and without JavaScript, in Spanish."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, READER, assert_fits, log_in, submit


def test_participant_logs_in_and_out(new_page, javascript):
    page = new_page(language="es-EC", javascript=javascript)
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_label("Correo electrónico").fill("participant2@example.org")
    page.get_by_label("Contraseña").fill("demo-participant-pass")
    page.get_by_role("button", name="Iniciar sesión").click()
    assert "Diego Delgado" in page.locator("main h1").inner_text()
    page.get_by_role("button", name="Cerrar sesión").click()
    assert page.url.endswith("/login")


def test_wrong_password_shows_the_message(new_page):
    page = new_page(language="en")
    page.goto("/login")
    page.get_by_label("E-mail").fill("participant2@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert "Wrong e-mail or password." in page.locator("main").inner_text()


def test_the_page_fits_a_phone(new_page):
    page = new_page()
    page.goto("/login")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"]


def test_wide_tables_scroll_inside_the_page_on_a_phone(new_page):
    page = new_page(language="en")
    page.goto("/login")
    page.locator("#email").fill("admin@example.org")
    page.locator("#password").fill("demo-admin-pass")
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state()
    for path in (
        "/courses/migration-development-policy/versions",
        "/admin/users",
        "/admin/audit",
        "/admin/people/import",  # its example block scrolls inside its own box
        "/courses",
    ):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"


def test_the_sideways_check_catches_a_page_wider_than_the_phone(new_page):
    """The check every browser test runs after each navigation (conftest.assert_fits)."""
    page = new_page(bypass_csp=True)  # the app's CSP would refuse the inline style
    page.goto("/login")
    page.set_content("<main><p style='width: 500px'>Too wide for a phone.</p></main>")
    with pytest.raises(AssertionError, match=r"scrolls sideways at 360 px: .* because of p"):
        assert_fits(page)
    page.goto("/login")  # and a page that fits passes


def test_someone_logs_out_the_other_devices_they_used(new_page, javascript):
    email, password = READER
    other = new_page(language="es-EC", javascript=javascript)
    log_in(other, email, password)
    page = new_page(language="es-EC", javascript=javascript)
    log_in(page, email, password)
    page.goto("/account/sessions")
    assert page.locator("main h1").inner_text() == "Dónde ha iniciado sesión"
    assert page.get_by_text("Este dispositivo").count() == 1
    submit(page, page.get_by_role("button", name="Cerrar sesión en todos los demás dispositivos"))
    done = "Se cerró la sesión en todos los demás dispositivos."
    assert done in page.locator("main").inner_text()
    other.goto("/")
    assert other.url.split("?")[0].endswith("/login")
    page.goto("/")
    assert not page.url.split("?")[0].endswith("/login")
