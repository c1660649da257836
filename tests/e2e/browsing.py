"""What the browser tests do with a page: wait for it, read it, run axe-core on it."""

from django.conf import settings
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = (
    "const done = arguments[arguments.length - 1];"
    "axe.run(document, {runOnly: {type: 'tag', values: %s}})"
    ".then(r => done(r.violations)).catch(e => done({error: String(e)}));"
)


def wait(driver, timeout: float = 10) -> WebDriverWait:
    # A page being replaced can drop an element, or the script context, between one look and
    # the next: look again until the timeout rather than fail on the passing state.
    return WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,))


def html_lang(driver) -> str:
    # Read by script, so no element reference can go stale while the next page loads.
    return driver.execute_script("return document.documentElement.lang")


def body_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def open_page(driver, server, path: str, language: str) -> None:
    """Open the page in `language`: Japanese at its address, English under /en/."""
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    driver.get(server.url + path)
    assert html_lang(driver) == language, f"{path}: expected the page in {language!r}"
    title = driver.title
    assert "Server Error" not in title and "Not Found" not in title, f"{path}: {title}"
    assert driver.find_elements(By.TAG_NAME, "h1"), f"{path}: the page has no h1"


def click_and_wait(driver, element, url_contains: str) -> None:
    # Wait for the old page to go first: the new address may contain the old one's. A mark
    # on the old window object is gone once the next document has replaced it.
    driver.execute_script("window.__leaving = true")
    element.click()
    wait(driver).until(lambda d: d.execute_script("return window.__leaving !== true"))
    wait(driver).until(ec.url_contains(url_contains))
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def axe_violations(driver, axe_source: str) -> list[dict]:
    driver.execute_script(axe_source)
    result = driver.execute_async_script(AXE_RUN % AXE_TAGS)
    if isinstance(result, dict) and "error" in result:
        raise AssertionError(f"axe-core failed to run: {result['error']}")
    return result


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"[{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)
