"""The area picture of the largest real area (れんけいこうち: 33 partners) as Chromium lays it
out: the label boxes the browser measures do not overlap, the picture fits a 360 px phone,
and a spoke leads to its agreement."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.e2e.conftest import set_viewport

pytestmark = pytest.mark.e2e

MEASURE = """
const svg = document.querySelector('.area-diagram');
const texts = [...svg.querySelectorAll('.spoke text')].map(t => t.getBoundingClientRect());
const marks = [...svg.querySelectorAll('.marker, .centre circle')]
  .map(m => m.getBoundingClientRect());
const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
let labels = 0, covered = 0;
texts.forEach((a, i) => texts.slice(i + 1).forEach(b => { if (hit(a, b)) labels++; }));
texts.forEach(a => marks.forEach(m => { if (hit(a, m)) covered++; }));
const box = svg.getBoundingClientRect();
return {count: texts.length, labels, covered, left: box.left, right: box.right,
        width: document.documentElement.clientWidth,
        scrolls: document.documentElement.scrollWidth > window.innerWidth};
"""


@pytest.fixture
def kochi(live_server):
    from municipalities.registry import entries

    registry = entries()
    members = [
        "室戸市",
        "安芸市",
        "南国市",
        "土佐市",
        "須崎市",
        "宿毛市",
        "土佐清水市",
        "四万十市",
        "香南市",
        "香美市",
        "東洋町",
        "奈半利町",
        "田野町",
        "安田町",
        "北川村",
        "馬路村",
        "芸西村",
        "本山町",
        "大豊町",
        "土佐町",
        "大川村",
        "いの町",
        "仁淀川町",
        "中土佐町",
        "佐川町",
        "越知町",
        "檮原町",
        "日高村",
        "津野町",
        "四万十町",
        "大月町",
        "三原村",
        "黒潮町",
    ]

    def town(code):
        values = registry[code]
        return factories.MunicipalityFactory(
            code=code,
            name=values["name"],
            kind=values["kind"],
            prefecture=values["prefecture"],
            latitude=values["latitude"],
            longitude=values["longitude"],
        )

    codes = {v["name"]: code for code, v in registry.items() if v["prefecture"] == "高知県"}
    area = factories.CooperationAreaFactory(
        name="れんけいこうち広域都市圏", slug="kochi", central_city=town(codes["高知市"])
    )
    agreements = []
    for n, name in enumerate(members):
        partner = factories.AreaMembershipFactory(area=area, municipality=town(codes[name]))
        if n % 2 == 0:
            agreements.append(factories.agreement_in_force(area=area, partner=partner.municipality))
    return live_server.url + area.get_absolute_url(), agreements


@pytest.mark.parametrize("width", [360, 1280])
def test_the_labels_of_33_partners_do_not_overlap_and_the_picture_fits(driver, kochi, width):
    url, _agreements = kochi
    set_viewport(driver, width, 900)
    driver.get(url)

    measured = driver.execute_script(MEASURE)

    assert measured["count"] == 33
    assert (measured["labels"], measured["covered"]) == (0, 0)
    assert measured["left"] >= 0 and measured["right"] <= measured["width"]
    assert not measured["scrolls"]


def test_a_spoke_leads_to_its_agreement(driver, kochi):
    url, agreements = kochi
    driver.get(url)
    first = agreements[0]
    link = driver.find_element(
        By.CSS_SELECTOR, f'.area-diagram a[href$="/agreements/{first.partner.code}/"] text'
    )
    link.click()
    WebDriverWait(driver, 10).until(lambda d: "/agreements/" in d.current_url)
    assert driver.find_element(By.TAG_NAME, "h1").text == first.title
