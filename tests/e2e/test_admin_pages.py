"""End to end in headless Chromium: every change page of the admin fits a 1280 px screen.

Planning staff record areas on office screens; a change page wider than the screen hides its
save buttons and inline columns to the right.
"""

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.browsing import click_and_wait
from tests.e2e.conftest import DESKTOP, save_full_page_screenshot, set_viewport

pytestmark = pytest.mark.e2e

WIDE = """
const vw = window.innerWidth;
const wide = [];
for (const el of document.querySelectorAll('input, textarea, select, td, th, table')) {
  const r = el.getBoundingClientRect();
  if (r.right > vw + 1 && !['TD', 'TH'].includes(el.tagName)) {
    const name = el.tagName.toLowerCase() + '[name=' + el.name + '].' + el.className;
    wide.push(name + ' ' + Math.round(r.width) + 'px');
  }
}
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, wide: wide.slice(0, 8)};
"""


def test_no_admin_change_page_is_wider_than_1280_px(driver, live_server, demo):
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    get_user_model().objects.create_superuser("operator-e2e", "op@example.com", "kikai-2026-op")
    pages = {}
    for model in admin.site._registry:
        instance = model._default_manager.order_by("-pk").first()
        if instance is not None:
            meta = model._meta
            pages[meta.label] = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk]
            )
    assert {"agreements.Agreement", "agreements.Procedure", "vision.Project"} <= set(pages)

    set_viewport(driver, *DESKTOP)
    driver.get(live_server.url + "/admin/login/")
    driver.find_element(By.NAME, "username").send_keys("operator-e2e")
    driver.find_element(By.NAME, "password").send_keys("kikai-2026-op")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "input[type=submit]"), "/admin/")

    too_wide = []
    for label, path in sorted(pages.items()):
        driver.get(live_server.url + path)
        size = driver.execute_script(WIDE)
        save_full_page_screenshot(driver, f"admin-{label.replace('.', '-').lower()}-1280")
        if size["scrollWidth"] > DESKTOP[0]:
            too_wide.append(
                f"{label} ({path}): {size['scrollWidth']}px; past the edge: {size['wide']}"
            )
    assert not too_wide, "ADMIN CHANGE PAGES WIDER THAN 1280 PX:\n" + "\n".join(too_wide)
