"""What the browser tests do with a page: wait for it, read it, run axe-core and the Nu HTML
Checker on it."""

import json
import subprocess
import tempfile
import urllib.request
from pathlib import Path

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


def served_html(driver, url: str) -> str:
    """The page's HTML as the server sent it (not the browser's DOM, which would hide markup
    errors that the parser repaired), asked for with the browser's cookies."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode("utf-8")


def nu_errors(vnu_jar: Path, documents: dict[str, str]) -> list[str]:
    """The Nu HTML Checker's errors in each document (name → HTML), "name:line: message",
    from one run of the checker for all of them."""
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for name, html in documents.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        run = subprocess.run(
            ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            timeout=300,
        )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = []
    for message in report["messages"]:
        name = Path(message.get("url", "")).stem
        errors.append(f"{name}:{message.get('lastLine', '?')}: {message['message']}")
    if run.returncode != 0 and not errors:
        raise AssertionError(f"the Nu HTML Checker failed to run: {run.stderr[:500]}")
    return errors
