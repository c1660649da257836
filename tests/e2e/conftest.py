"""Headless Debian Chromium, driven by Selenium, against a live server: pytest-django's,
with a fresh database per test, for the tests that write (`demo`), and one with the demo
loaded once per module for the tests that only read pages (`demo_site`).

The browser is the system's: /usr/bin/chromium and /usr/bin/chromedriver (Debian packages
`chromium` and `chromium-driver`, which `.ci/run` installs); nothing downloads a browser of its
own. Without them every e2e test is skipped, and `-rs` prints why. axe-core comes from the npm
registry through `make axe` (a step of `make test`), with the Nu HTML Checker (vnu-jar, run by
Debian's JRE); without them the axe or Nu checks are skipped.
"""

import base64
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from pytest_django.live_server_helper import LiveServer
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("E2E_CHROMEDRIVER", "/usr/bin/chromedriver"))
AXE_JS = Path(
    os.environ.get("AXE_CORE_JS", ROOT / ".cache" / "axe" / "node_modules/axe-core/axe.min.js")
)
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / ".cache" / "axe" / "node_modules/vnu-jar/build/dist/vnu.jar")
)
SCREENSHOTS = ROOT / "tests" / "screenshots"

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DESKTOP = (1280, 900)
PHONE = (360, 800)
NARROW_PHONE = (320, 640)  # the narrowest phones in use
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

HERE = Path(__file__).resolve().parent


def _no_browser_reason() -> str | None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if not missing:
        return None
    return (
        f"end-to-end tests need Chromium: {', '.join(missing)} not found "
        "(apt-get install -y chromium chromium-driver, as .ci/run does)"
    )


def pytest_collection_modifyitems(config, items):
    reason = _no_browser_reason()
    if reason is None:
        return
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all the e2e tests, with a 1280×900 viewport.

    Package-scoped, so that it quits (closing its keep-alive connections to the live server)
    as soon as the e2e tests are done, while the live server and its database still exist.
    """
    reason = _no_browser_reason()
    if reason:
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size={},{}".format(*DESKTOP))
    # The browser asks for English: the site must still answer in Japanese until the visitor
    # chooses English with the switch (config.middleware.JapaneseFirstLocaleMiddleware).
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def driver(browser):
    """The session's browser, reset for one test: no cookies, desktop viewport."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    set_viewport(browser, *DESKTOP)
    return browser


@pytest.fixture
def demo(live_server):
    """The Nagano demo, loaded into the live server's (transactional) test database: a fresh
    copy for each test, which may change it."""
    from public import demo as nagano

    return nagano.load()


@pytest.fixture(scope="session")
def site_server(django_db_setup):
    """A live server for the tests that only read pages (pytest-django's `live_server` makes
    every test that uses it start from an empty database).

    Session-scoped like `live_server`, so that it stops only after the browser has quit: the
    browser keeps connections to it open, and their threads must end before the server.
    """
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()  # the server's host is allowed
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture(scope="module")
def demo_site(site_server, django_db_blocker):
    """The Nagano demo, loaded once for a module whose tests only read pages, served by
    `site_server`: `.url` and `.area`.

    Loading the demo takes seconds; the read-only tests share it instead of loading it once
    each. Its rows are committed, so the database is emptied again (flush, as pytest-django
    does after a transactional test) when the module is done. A test that writes uses `demo`.
    """
    from django.db import connection

    from public import demo as nagano

    with django_db_blocker.unblock():  # also for the server's threads, during the module
        # pytest-django creates the test database only when a collected test asks for one
        # (the django_db mark); otherwise this would load into, and flush, the real database.
        test_database = connection.creation._get_test_db_name()
        assert connection.settings_dict["NAME"] == test_database, "mark the tests django_db"
        # As after `make run`: the whole registry, the demo and the national directory.
        call_command("load_registry", verbosity=0)
        area = nagano.load()
        call_command("load_directory", verbosity=0)
        loaded = factories.row_counts()
        try:
            yield SimpleNamespace(url=site_server.url, area=area)
            changed = {
                label for label, count in factories.row_counts().items() if loaded[label] != count
            }
            assert not changed, f"a test that shares the demo wrote to it: {sorted(changed)}"
        finally:
            call_command("flush", verbosity=0, interactive=False)


@pytest.fixture(scope="session")
def axe_source():
    """The text of axe.min.js, or a skip saying how to get it."""
    if not AXE_JS.is_file():
        pytest.skip(
            f"axe-core not found at {AXE_JS}: run `make axe` (needs npm; `make test` runs it "
            "whenever npm is installed)"
        )
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The Nu HTML Checker's jar, or a skip saying how to get it and Java."""
    if not VNU_JAR.is_file():
        pytest.skip(f"the Nu HTML Checker not found at {VNU_JAR}: run `make axe` (needs npm)")
    if shutil.which("java") is None:
        pytest.skip("the Nu HTML Checker needs Java: apt-get install -y default-jre-headless")
    return VNU_JAR


def set_viewport(driver, width: int, height: int) -> None:
    """Make the page's viewport exactly width×height CSS pixels.

    Not in mobile emulation: a phone's browser would zoom out a page that is too wide, which
    would hide the overflow that the tests look for.
    """
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def save_full_page_screenshot(driver, name: str) -> Path:
    """Save the whole page (not only the viewport) as tests/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    width = driver.execute_script("return window.innerWidth")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {
                "x": 0,
                "y": 0,
                "width": max(width, size["width"]),
                "height": size["height"],
                "scale": 1,
            },
        },
    )
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
