"""End to end in headless Chromium: the public journey, axe-core, phone layout, screenshots.

These tests only read pages, so they share one Nagano demo, loaded once for the module and
served by a live server of its own (the `demo_site` fixture): the browser sees what a resident
sees after `make run`. Screenshots of every page type, in both languages and at both widths,
go to tests/screenshots/ (git-ignored). The clerk's pages, which write, are in test_desk.py.
"""

from urllib.parse import urlencode

import pytest
from django.urls import NoReverseMatch, reverse
from selenium.webdriver.common.by import By

from tests.e2e.browsing import (
    axe_violations,
    body_text,
    click_and_wait,
    describe_violations,
    html_lang,
    nu_errors,
    open_page,
    served_html,
    wait,
)
from tests.e2e.conftest import (
    NARROW_PHONE,
    PHONE,
    WIDTHS,
    save_full_page_screenshot,
    set_viewport,
)

# django_db: the test database must exist (see `demo_site`); each test also runs in a
# transaction that is rolled back, so what the test itself writes never reaches the others.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

AREA = "nagano"
PARTNER = "202070"  # 須坂市, one of the eight partners
OUTSIDER = "202118"  # 中野市, meets the commuting rule but stays out
AMENDING = "205907"  # 飯綱町

# Page types: name → (URL name, arguments). A project's pk is known only once the demo is in.
PAGES = {
    "area-list": ("public:area_list", {}),
    "area": ("public:area_detail", {"slug": AREA}),
    # An area known only from the national directory.
    "directory-area": ("public:area_detail", {"slug": "sapporo"}),
    "agreement": ("agreements:detail", {"slug": AREA, "code": PARTNER}),
    # 飯綱町's agreement: an amendment before the councils, its 新旧対照表 on the page and alone.
    "agreement-amending": ("agreements:detail", {"slug": AREA, "code": AMENDING}),
    "comparison": ("agreements:comparison", {"slug": AREA, "code": AMENDING, "pk": 1}),
    "municipality": ("public:municipality_detail", {"code": OUTSIDER}),
    "procedure": ("public:procedure_guide", {}),
    "questions": ("public:questions", {}),
    "partner": ("public:municipality_detail", {"code": PARTNER}),
    "vision": ("vision:detail", {"slug": AREA}),
    "vision-earlier": ("vision:version", {"slug": AREA, "pk": 1}),
    "project": ("vision:project", {"slug": AREA, "pk": 1}),
    # Results of every kind for 観光 (page_path adds the query).
    "search": ("public:search", {}),
    "follow": ("public:area_follow", {"slug": AREA}),
}


def _routed(url_name: str, kwargs: dict) -> bool:
    try:
        reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return False
    return True


PAGE_TYPES = [name for name, (url_name, kwargs) in PAGES.items() if _routed(url_name, kwargs)]


def page_path(name: str, area) -> str:
    """The page's address in the demo (it reads the database: call it from a fixture)."""
    url_name, kwargs = PAGES[name]
    if name == "project":
        # The current vision's tourism project: progress, yearly targets, costs, items.
        from vision.selectors import public_projects

        project = (
            public_projects()
            .filter(vision__area=area, vision__status="adopted", code="ア-01")
            .first()
        )
        assert project is not None, "the Nagano demo has no public project"
        kwargs = {**kwargs, "pk": project.pk}
    if name == "comparison":
        from agreements.models import Procedure

        amendment = Procedure.objects.filter(
            agreement__area=area, agreement__partner__code=AMENDING, kind="amendment"
        ).first()
        assert amendment is not None, "the Nagano demo has no amendment before the councils"
        kwargs = {**kwargs, "pk": amendment.pk}
    if name == "vision-earlier":
        earlier = area.visions.filter(status="superseded").first()
        assert earlier is not None, "the Nagano demo has no earlier version of its vision"
        kwargs = {**kwargs, "pk": earlier.pk}
    if name == "search":
        return reverse(url_name) + "?" + urlencode({"q": "観光"})
    return reverse(url_name, kwargs=kwargs)


@pytest.fixture(scope="module")
def paths(demo_site, django_db_blocker) -> dict[str, str]:
    """Each page type's address in the shared demo."""
    with django_db_blocker.unblock():
        return {name: page_path(name, demo_site.area) for name in PAGE_TYPES}


# --- (a) the journey ---------------------------------------------------------------------


def test_journey_from_the_area_list_to_an_agreement_in_both_languages(driver, demo_site):
    wrong_words = []  # what a reader sees in the wrong words; reported together at the end
    driver.get(demo_site.url + "/")
    # The browser asks for English; the public record is in Japanese until the visitor chooses.
    assert html_lang(driver) == "ja"

    area_link = driver.find_element(By.LINK_TEXT, demo_site.area.name)
    click_and_wait(driver, area_link, f"/areas/{AREA}/")
    assert driver.find_element(By.TAG_NAME, "h1").text == demo_site.area.name

    # The pipeline: an ordered list of the three steps; the first step not done is current.
    steps = driver.find_elements(By.CSS_SELECTOR, "ol.pipeline > li")
    assert len(steps) == 3
    current = [s for s in steps if s.get_attribute("aria-current") == "step"]
    not_done = [s for s in steps if "done" not in s.get_attribute("class").split()]
    assert current == not_done[:1], "aria-current='step' must mark the first step not done"
    assert "宣言" in steps[0].text

    # The picture: the central city and one spoke per partner, a named group of links to
    # the agreements.
    svg = driver.find_element(By.CSS_SELECTOR, "svg.area-diagram")
    assert svg.get_attribute("role") == "group"
    assert len(svg.find_elements(By.CSS_SELECTOR, "a[href*='/agreements/']")) == 8
    assert svg.is_displayed()
    spokes = svg.find_elements(By.CSS_SELECTOR, "g.spoke")
    assert len(spokes) == 8
    families = sorted(s.get_attribute("class").split()[-1] for s in spokes)
    # 飯綱町's (invented) amendment is before the councils: drawn as under way.
    assert families == ["spoke-in-force"] * 7 + ["spoke-under-way"]
    assert "長野市" in svg.find_element(By.CSS_SELECTOR, "g.centre").text

    # A partner's name in the agreements table leads to its agreement.
    partner = driver.find_element(By.CSS_SELECTOR, "table.agreements tbody").find_element(
        By.LINK_TEXT, "須坂市"
    )
    click_and_wait(driver, partner, f"/areas/{AREA}/agreements/{PARTNER}/")
    text = body_text(driver)
    assert "長野市" in text and "須坂市" in text
    assert "効力あり" in text
    # Both councils' resolutions, each under its council's name, in Japanese.
    timeline = driver.find_element(By.CSS_SELECTOR, "ol.timeline")
    labels = [dt.text for dt in timeline.find_elements(By.CSS_SELECTOR, "dt")]
    for council in ("長野市議会", "須坂市議会"):
        if council not in labels:
            wrong_words.append(f"agreement page (ja): no label {council!r} in {labels}")
    passes = timeline.find_elements(By.CSS_SELECTOR, "ul.resolutions li.result-passed")
    assert len(passes) >= 2, "both councils' resolutions are shown"
    assert all("可決" in li.text for li in passes)

    # The language switch: English, on the same page.
    english = driver.find_element(By.CSS_SELECTOR, "nav.lang a[lang='en']")
    assert english.text == "English"
    assert english.get_attribute("aria-current") is None
    english.click()
    wait(driver).until(lambda d: html_lang(d) == "en")
    assert driver.current_url.endswith(f"/en/areas/{AREA}/agreements/{PARTNER}/")
    text = body_text(driver)
    assert "In force" in text
    assert "効力あり" not in text
    assert "Passed" in text
    english = driver.find_element(By.CSS_SELECTOR, "nav.lang a[lang='en']")
    assert english.get_attribute("aria-current") == "page"

    # The choice holds on the next page; English pages name the area in English, with its
    # Japanese name beside it.
    area_en = f"{demo_site.area.name_en} ({demo_site.area.name})"
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, area_en), f"/areas/{AREA}/")
    assert html_lang(driver) == "en"
    assert "Where the procedure stands" in body_text(driver)

    # And back to Japanese.
    driver.find_element(By.CSS_SELECTOR, "nav.lang a[lang='ja']").click()
    wait(driver).until(lambda d: html_lang(d) == "ja")
    assert driver.current_url.endswith(f"/areas/{AREA}/")
    assert "/en/" not in driver.current_url
    assert "Where the procedure stands" not in body_text(driver)

    assert not wrong_words, "USER-VISIBLE TEXT WRONG:\n" + "\n".join(wrong_words)


# --- (b) axe-core and (d) screenshots ------------------------------------------------------


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("page", PAGE_TYPES)
def test_page_type_screenshot_and_axe(driver, demo_site, paths, request, page, language, width):
    """Every page type: a full-page screenshot, then 0 axe-core violations."""
    set_viewport(driver, *WIDTHS[width])
    open_page(driver, demo_site, paths[page], language)
    assert driver.execute_script("return window.innerWidth") == WIDTHS[width][0]
    save_full_page_screenshot(driver, f"{page}-{language}-{WIDTHS[width][0]}")

    axe_source = request.getfixturevalue("axe_source")  # skips here when axe-core is absent
    violations = axe_violations(driver, axe_source)
    assert not violations, (
        f"AXE VIOLATIONS on {page} ({driver.current_url}, {language}, "
        f"{WIDTHS[width][0]}px): {len(violations)} rule(s) fail\n" + describe_violations(violations)
    )


# --- (b2) the Nu HTML Checker ------------------------------------------------------------


def test_nu_html_checker_finds_no_errors_on_any_page_type(driver, demo_site, paths, vnu_jar):
    """Every page type in both languages, as the server sends it, in one run of the checker."""
    documents = {}
    for page in PAGE_TYPES:
        for language in ("ja", "en"):
            prefix = "" if language == "ja" else f"/{language}"
            documents[f"{page}-{language}"] = served_html(
                driver, demo_site.url + prefix + paths[page]
            )
    errors = nu_errors(vnu_jar, documents)
    assert not errors, f"NU HTML CHECKER: {len(errors)} error(s)\n" + "\n".join(errors[:60])


# --- (c) no sideways scrolling on a phone --------------------------------------------------

OVERFLOW = """
const vw = window.innerWidth;
const inScroller = el => {
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) {
      return true;
    }
  }
  return false;
};
const one = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (el.classList.length ? '.' + [...el.classList].join('.') : '');
const name = el => {
  const path = [];
  for (let e = el; e && e !== document.body && path.length < 4; e = e.parentElement) {
    path.unshift(one(e));
  }
  return path.join(' > ') + ' "' + el.textContent.trim().slice(0, 40) + '"';
};
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > vw + 1 && !inScroller(el)) {
    wide.push(name(el) + ' (right edge ' + Math.round(r.right) + 'px)');
  }
}
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, wide: wide};
"""


@pytest.mark.parametrize("phone", [NARROW_PHONE, PHONE], ids=lambda size: f"{size[0]}px")
@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("page", PAGE_TYPES)
def test_no_horizontal_overflow_on_a_phone(driver, demo_site, paths, page, language, phone):
    set_viewport(driver, *phone)
    open_page(driver, demo_site, paths[page], language)
    result = driver.execute_script(OVERFLOW)
    assert result["innerWidth"] == phone[0]
    assert result["scrollWidth"] <= phone[0] and not result["wide"], (
        f"{page} ({language}) scrolls sideways at {phone[0]}px: page width "
        f"{result['scrollWidth']}px; elements past the right edge outside any scroll "
        f"container: {result['wide'][:15]}"
    )
