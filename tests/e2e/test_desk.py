"""End to end in headless Chromium: the clerk signs in and records a resolution.

These tests write, so each gets the Nagano demo in a fresh database (the `demo` fixture with
pytest-django's `live_server`).
"""

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.browsing import (
    axe_violations,
    body_text,
    click_and_wait,
    describe_violations,
    html_lang,
    nu_errors,
    served_html,
    wait,
)
from tests.e2e.conftest import WIDTHS, save_full_page_screenshot, set_viewport

pytestmark = pytest.mark.e2e

AREA = "nagano"


def test_clerk_signs_in_records_a_pass_and_the_public_page_shows_it(driver, live_server, demo):
    from django.contrib.auth import get_user_model

    from municipalities.models import Municipality, StaffRole

    iizuna = Municipality.objects.get(code="205907")
    clerk = get_user_model().objects.create_user(username="iizuna", password="kikai-no-kaigi-2026")
    StaffRole.objects.create(user=clerk, kind=StaffRole.Kind.CLERK, municipality=iizuna)

    driver.get(live_server.url + "/desk/")
    assert "/accounts/login/" in driver.current_url
    driver.find_element(By.NAME, "username").send_keys("iizuna")
    driver.find_element(By.NAME, "password").send_keys("kikai-no-kaigi-2026")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.form button"), "/desk/")
    assert "飯綱町" in driver.find_element(By.TAG_NAME, "h1").text

    record = driver.find_element(By.LINK_TEXT, "議決を記録する")
    click_and_wait(driver, record, "/resolutions/new/")
    driver.find_element(By.NAME, "session").send_keys("令和8年11月臨時会")
    driver.find_element(By.NAME, "bill_number").send_keys("議案第77号")
    driver.execute_script("document.getElementById('id_resolved_on').value = '2026-11-25'")
    driver.find_element(By.CSS_SELECTOR, "select[name=result] option[value=passed]").click()
    driver.find_element(By.NAME, "document_pending").send_keys("議決書は後日掲載します。")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.form button"), "/desk/")
    assert "議決を記録しました。" in body_text(driver)

    driver.get(live_server.url + f"/areas/{AREA}/agreements/205907/")
    timeline = driver.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert "議案第77号" in timeline
    assert "令和8年11月臨時会" in timeline


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", ["ja", "en"])
def test_sign_in_and_desk_pages_screenshot_axe_and_nu(
    driver, live_server, demo, request, language, width
):
    """The clerk's pages in both languages: sign-in, the desk, the resolution form and its
    refusal; axe-core, the Nu HTML Checker and no sideways scrolling on each."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from municipalities.models import Municipality, StaffRole

    clerk = get_user_model().objects.create_user(username="desk-axe", password="kikai-2026-axe")
    StaffRole.objects.create(
        user=clerk, kind=StaffRole.Kind.CLERK, municipality=Municipality.objects.get(code="205907")
    )
    with translation.override(language):
        record_label = translation.gettext("Record the resolution")
    prefix = "" if language == "ja" else f"/{language}"
    set_viewport(driver, *WIDTHS[width])
    driver.get(live_server.url + prefix + "/accounts/login/")
    axe_source = request.getfixturevalue("axe_source")  # skips here when axe-core is absent
    vnu_jar = request.getfixturevalue("vnu_jar")
    documents = {}

    def check(name: str, served: bool = True) -> None:
        assert html_lang(driver) == language, name
        save_full_page_screenshot(driver, f"{name}-{language}-{WIDTHS[width][0]}")
        violations = axe_violations(driver, axe_source)
        assert not violations, f"AXE VIOLATIONS on {name}:\n" + describe_violations(violations)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
        # A page answering a POST is checked as the browser holds it.
        documents[name] = (
            served_html(driver, driver.current_url)
            if served
            else "<!DOCTYPE html>"
            + driver.execute_script("return document.documentElement.outerHTML")
        )

    check("sign-in")
    driver.find_element(By.NAME, "username").send_keys("desk-axe")
    driver.find_element(By.NAME, "password").send_keys("kikai-2026-axe")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.form button"), "/desk/")
    check("desk")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, record_label), "/new/")
    check("resolution-form")
    # The empty form is refused on the same address: wait for the refusal itself.
    driver.find_element(By.CSS_SELECTOR, "form.form button").click()
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".errors"))
    check("resolution-form-errors", served=False)

    if width == "desktop":  # the markup is the same at both widths
        errors = nu_errors(vnu_jar, documents)
        assert not errors, f"NU HTML CHECKER: {len(errors)} error(s)\n" + "\n".join(errors[:60])
