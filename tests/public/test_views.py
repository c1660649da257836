import datetime
import re

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from agreements.status import AgreementStatus
from municipalities.templatetags.jpdates import jdate
from municipalities.templatetags.marks import sample_mark
from public import demo
from tests import factories
from vision.models import Vision

pytestmark = pytest.mark.django_db

NAGANO_URL = "/areas/nagano/"
MEMBERS = [
    "長野市",
    "須坂市",
    "千曲市",
    "坂城町",
    "小布施町",
    "高山村",
    "信濃町",
    "小川村",
    "飯綱町",
]
OUTSIDERS = {
    "中野市": "北信定住自立圏の構成市町村であるため",
    "飯山市": "北信定住自立圏の構成市町村であるため",
    "山ノ内町": "北信定住自立圏の構成市町村であるため",
    "麻績村": "松本広域連合の構成市町村であるため",
}
# Sample bill numbers of the demo: the central city's and the partner's, by partner.
BILLS = {
    "須坂市": (31, 11),
    "千曲市": (32, 12),
    "坂城町": (33, 13),
    "小布施町": (34, 14),
    "高山村": (35, 15),
    "信濃町": (36, 16),
    "小川村": (37, 17),
    "飯綱町": (38, 18),
}


def _sample_marker() -> str:
    return str(sample_mark())


def _html_lang(content: str) -> str:
    return re.search(r'<html lang="([^"]+)"', content).group(1)


def _table_rows(content: str) -> dict[str, str]:
    """The agreements table's rows by the partner named in their header cell."""
    start = content.find('<table class="agreements">')
    table = content[start : content.find("</table>", start)] if start >= 0 else ""
    return {
        match.group(1): match.group(0)
        for match in re.finditer(
            r'<th scope="row">(?:<a [^>]*>)?([^<\s]+)(?:</a>)? .*?</tr>',
            table,
            re.DOTALL,
        )
    }


def _pipeline(content: str) -> str:
    return re.search(r'<ol class="pipeline">.*?</ol>', content, re.DOTALL).group(0)


@pytest.fixture(scope="module")
def nagano_page(django_db_setup, django_db_blocker):
    """The demo area's page, rendered once for the module; the demo is rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        response = Client().get(NAGANO_URL)
        transaction.set_rollback(True)
    assert response.status_code == 200
    return response.content.decode()


# The list of areas


def test_area_list_shows_area_with_central_city_and_partner_count(client, area):
    factories.AreaMembershipFactory.create_batch(3, area=area)
    factories.AreaMembershipFactory(area=area, left=True)

    response = client.get(reverse("public:area_list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{area.get_absolute_url()}">{area.name}</a>' in content
    assert area.central_city.name in content
    partners = ngettext("%(counter)s municipality", "%(counter)s municipalities", 3)
    assert partners % {"counter": 3} in content
    assert jdate(area.declared_on) in content


@pytest.mark.parametrize("areas", [1, 12])
def test_area_list_queries_do_not_grow_with_areas(client, django_assert_num_queries, areas):
    for area in factories.CooperationAreaFactory.create_batch(areas):
        for _ in range(3):
            factories.agreement_in_force(area=area)
        factories.VisionFactory(area=area, adopted=True)

    # agreements whose stored status a date has changed; the number of areas; the areas of
    # the page with their figures
    with django_assert_num_queries(3):
        response = client.get("/")

    overviews = response.context["overviews"]
    assert len(overviews) == areas
    assert {(p.partners, p.in_force, p.current_step) for _, p in overviews} == {(3, 3, None)}


def test_area_list_shows_many_areas_page_by_page(client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("public.views.AREAS_PER_PAGE", 2)
    # Listed by region (the central city's code, north to south), then name.
    areas = sorted(
        factories.CooperationAreaFactory.create_batch(5),
        key=lambda a: (a.central_city.code, a.name),
    )
    factories.agreement_in_force(area=areas[4])

    listed = []
    for number in (1, 2, 3):
        with django_assert_num_queries(3):
            response = client.get(f"/?page={number}")
        content = response.content.decode()
        listed += [area for area, _ in response.context["overviews"]]
        assert f'<a href="?page={number}" aria-current="page">{number}</a>' in content
    last = response.context["overviews"]

    assert listed == areas  # every area, once, in the home page's order
    assert [(p.partners, p.in_force) for _, p in last] == [(1, 1)]
    summary = gettext("Areas %(start)s–%(end)s of %(total)s")
    assert summary % {"start": 5, "end": 5, "total": 5} in content
    assert client.get("/?page=99").context["overviews"] == last  # past the end: the last page


def test_area_list_shows_where_each_area_stands(client, area):
    factories.agreement_in_force(area=area)
    factories.AreaMembershipFactory(area=area)  # a partner still without an agreement

    content = client.get("/").content.decode()

    stands = gettext("%(in_force)s of %(total)s partners in force")
    assert stands % {"in_force": 1, "total": 2} in content
    assert gettext("2. Agreements under way") in content


# One area's page


def test_area_detail_shows_every_member(nagano_page):
    lead = re.search(r'<p class="lead">.*?</p>', nagano_page, re.DOTALL).group(0)
    assert "長野市" in lead
    assert ngettext("%(counter)s partner", "%(counter)s partners", 8) % {"counter": 8} in lead
    for name in MEMBERS:
        assert name in nagano_page


def test_area_detail_shows_declaration_date_in_both_calendars(nagano_page):
    assert (
        '<time datetime="2016-02-17"><span class="nw">2016年2月17日</span>'
        '<span class="nw">（平成28年2月17日）</span></time>'
    ) in nagano_page
    assert demo.DECLARATION in nagano_page


def test_area_detail_shows_each_partner_status_and_both_councils_resolutions(nagano_page):
    rows = _table_rows(nagano_page)

    assert set(rows) == set(BILLS)
    for partner, (central_bill, partner_bill) in BILLS.items():
        # 飯綱町 has an (invented) amendment before the councils.
        status = AgreementStatus.AMENDING if partner == "飯綱町" else AgreementStatus.IN_FORCE
        assert f'status-{status.value}" href="/procedure/#status-{status.value}"' in rows[partner]
        assert f">{status.label}</a>" in rows[partner], partner
        assert f"議案第{central_bill}号" in rows[partner]
        assert f"議案第{partner_bill}号" in rows[partner]
        assert rows[partner].count("<time") == 3  # two resolutions and the effective date


def test_area_detail_links_the_central_city_to_its_page(nagano_page):
    assert '連携中枢都市：<a href="/municipalities/202011/">長野市</a>' in nagano_page


def test_area_table_code_links_name_their_code_first(nagano_page):
    # A link's accessible name holds its visible text (WCAG 2.5.3, axe-core's
    # label-content-name-mismatch): speech users say what they see.
    links = re.findall(
        r'<a href="/municipalities/(\d{6})/" aria-label="([^"]*)">(\d{6})</a>', nagano_page
    )

    assert len(links) == 8
    for code, label, text in links:
        assert text == code and label.startswith(f"{code} "), label


def test_area_detail_shows_outsiders_with_their_reasons(nagano_page):
    for name, reason in OUTSIDERS.items():
        assert re.search(
            rf'<strong><a href="/municipalities/\d{{6}}/">{name}</a></strong>：\s*{reason}',
            nagano_page,
        ), name


def test_area_detail_shows_vision_projects_and_indicators(nagano_page):
    assert "<strong>長野地域スクラムビジョン（改定・サンプル）</strong>" in nagano_page
    assert "外国人観光客誘致促進事業" in nagano_page
    assert "圏域の公共交通ネットワークの充実" in nagano_page
    assert "圏域の外国人延べ宿泊者数" in nagano_page
    # Each calendar's part on one line: the year, then its era.
    assert '<span class="nw">2019年度</span><span class="nw">（令和元年度）</span>' in nagano_page
    assert '<span class="nw">2025年度</span><span class="nw">（令和7年度）</span>' in nagano_page


def test_area_detail_shows_the_yearly_allocation_tax(nagano_page):
    section = nagano_page[nagano_page.index('id="fiscal-h"') :]
    rows = re.findall(
        r'<tr><th scope="row"><span class="nw">(\d{4})年度.*?</th>(.*?)</tr>', section, re.DOTALL
    )
    assert [year for year, _ in rows] == [str(year) for year in range(2016, 2026)]
    numbers = re.findall(r'<td class="number"[^>]*>(?:<strong>)?([\d,]+)', rows[0][1])
    # 2016: the central city's ordinary and special tax, the partners' special tax, the total.
    central_ordinary, central_special, partners_special, total = (
        int(n.replace(",", "")) for n in numbers
    )
    assert (central_ordinary, central_special) == (148_000_000, 118_000_000)
    assert total == central_ordinary + central_special + partners_special


def test_area_detail_marks_sample_values(nagano_page):
    marker = _sample_marker()

    # Declaration, 16 resolutions (each value marked: the invented date and bill number; the
    # March session is a fact), the current vision's future image, 7 projects, 8 indicators,
    # and 10 fiscal years of allocation tax.
    assert nagano_page.count(marker) == 1 + 16 * 2 + 1 + 7 + 8 + 10
    assert re.search(rf"議案第31号\s*{re.escape(marker)}", nagano_page)
    assert not re.search(rf"定例会\s*{re.escape(marker)}", nagano_page)
    assert re.search(rf"{re.escape(demo.DECLARATION)}</p>\s*<p>{re.escape(marker)}", nagano_page)


def test_area_detail_marks_nothing_as_sample_for_recorded_facts(client):
    agreement = factories.agreement_in_force()
    factories.ProjectFactory(vision__area=agreement.area, vision__adopted=True)

    response = client.get(agreement.area.get_absolute_url())

    assert response.status_code == 200
    assert _sample_marker() not in response.content.decode()


def test_area_detail_has_no_current_step_when_all_are_done(nagano_page):
    pipeline = _pipeline(nagano_page)

    assert pipeline.count("<li") == 3
    assert "aria-current" not in pipeline


def test_area_detail_marks_vision_as_current_step_before_adoption(client):
    agreement = factories.agreement_in_force()
    factories.VisionFactory(area=agreement.area, status=Vision.Status.PUBLIC_COMMENT)

    response = client.get(agreement.area.get_absolute_url())

    pipeline = _pipeline(response.content.decode())
    assert pipeline.count('aria-current="step"') == 1
    assert re.search(r'aria-current="step">\s*<a href="#vision">', pipeline)


def test_area_detail_marks_agreements_as_current_step_while_one_is_missing(client):
    agreement = factories.agreement_in_force()
    factories.AreaMembershipFactory(area=agreement.area)

    response = client.get(agreement.area.get_absolute_url())

    pipeline = _pipeline(response.content.decode())
    assert pipeline.count('aria-current="step"') == 1
    assert re.search(r'aria-current="step">\s*<a href="#agreements">', pipeline)


def test_area_detail_gives_a_partner_without_agreement_its_own_row(client):
    agreement = factories.agreement_in_force()
    waiting = factories.AreaMembershipFactory(area=agreement.area).municipality

    response = client.get(agreement.area.get_absolute_url())

    rows = _table_rows(response.content.decode())
    assert set(rows) == {agreement.partner.name, waiting.name}
    assert gettext("No agreement recorded yet") in rows[waiting.name]
    assert str(AgreementStatus.IN_FORCE.label) in rows[agreement.partner.name]
    summary = gettext("%(in_force)s of %(total)s partners in force.")
    assert summary % {"in_force": 1, "total": 2} in response.content.decode()


def test_area_detail_former_partner_agreement_does_not_complete_the_agreements_step(client):
    former = factories.agreement_in_force()
    area = former.area
    membership = area.memberships.get()
    membership.left_on = datetime.date(2020, 3, 31)
    membership.save()
    factories.agreement_in_force(area=area)
    factories.AreaMembershipFactory(area=area)  # a current partner without an agreement

    response = client.get(area.get_absolute_url())

    pipeline = _pipeline(response.content.decode())
    assert re.search(r'aria-current="step">\s*<a href="#agreements">', pipeline)


def test_area_detail_marks_declaration_as_current_step_before_declaring(client):
    area = factories.CooperationAreaFactory(declared_on=None, declaration_text="")

    response = client.get(area.get_absolute_url())

    pipeline = _pipeline(response.content.decode())
    assert pipeline.count('aria-current="step"') == 1
    assert re.search(r'aria-current="step">\s*<a href="#declaration">', pipeline)


def test_area_detail_of_unknown_area_is_not_found(client, area):
    assert client.get("/areas/no-such-area/").status_code == 404


def _area_with_partners(count: int):
    area = factories.CooperationAreaFactory()
    for _ in range(count):
        agreement = factories.agreement_in_force(area=area)
        factories.AgreementItemFactory(agreement=agreement)
        factories.CommutingRatioFactory(area=area, municipality=agreement.partner)
    outsider = factories.CommutingRatioFactory(area=area)
    project = factories.ProjectFactory(vision__area=area, vision__adopted=True)
    factories.IndicatorFactory.create_batch(2, project=project)
    factories.ProjectFactory(vision=project.vision, lead=agreement.partner)
    return area, outsider


@pytest.mark.parametrize("partners", [8, 80])
def test_area_detail_queries_do_not_grow_with_partners(client, django_assert_num_queries, partners):
    area, outsider = _area_with_partners(partners)
    for membership in area.memberships.all():
        factories.FiscalSupportFactory(area=area, municipality=membership.municipality)

    # the area; agreements whose stored status a date has changed; memberships; each
    # partner's stored status; the current partners (of the picture, or of the page); the
    # page's agreements, procedures and resolutions; the vision, its projects and their
    # indicators; the allocation tax by year; the outsiders
    with django_assert_num_queries(13):
        response = client.get(area.get_absolute_url())

    assert response.context["in_force_count"] == partners
    assert response.context["partner_count"] == partners
    assert response.context["outsiders"] == [outsider]


def test_a_large_area_lists_its_partners_page_by_page_and_counts_them_all(client, monkeypatch):
    monkeypatch.setattr("public.views.ROWS_PER_PAGE", 3)
    area = factories.CooperationAreaFactory()
    agreed = [factories.agreement_in_force(area=area).partner for _ in range(5)]
    waiting = [factories.AreaMembershipFactory(area=area).municipality for _ in range(2)]
    by_code = sorted(agreed + waiting, key=lambda m: m.code)

    listed = []
    for number in (1, 2, 3):
        response = client.get(f"{area.get_absolute_url()}?page={number}")
        assert response.context["progress"].in_force == 5
        assert response.context["progress"].partners == 7
        listed += [row.partner for row in response.context["rows"]]
        content = response.content.decode()
        assert f'<a href="?page={number}#agreements" aria-current="page">{number}</a>' in content
    unpaged = client.get(area.get_absolute_url())
    first = unpaged.content.decode()

    assert listed == by_code  # every partner, once, in order of code
    assert [row.partner for row in unpaged.context["rows"]] == by_code[:3]
    stands = gettext("Partners %(start)s–%(end)s of %(total)s")
    assert stands % {"start": 1, "end": 3, "total": 7} in first
    # Partners without an agreement keep their row, on their page.
    rows = {row.partner: row for row in response.context["rows"]}
    assert all(rows[m].agreement is None for m in waiting if m in rows)


def test_an_area_of_many_partners_pictures_them_by_status(client, monkeypatch):
    monkeypatch.setattr("public.views.MAX_SPOKES", 4)
    area = factories.CooperationAreaFactory()
    for _ in range(4):
        factories.agreement_in_force(area=area)
    for _ in range(2):
        factories.AreaMembershipFactory(area=area)

    svg = client.get(area.get_absolute_url()).context["diagram"]

    assert svg.count('<g class="spoke ') == 2
    assert ngettext("%(count)d partner", "%(count)d partners", 4) % {"count": 4} in svg
    assert str(AgreementStatus.IN_FORCE.label) in svg


# Languages


def test_pages_are_japanese_even_when_the_browser_asks_for_english(client, area):
    for url in ("/", area.get_absolute_url()):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

        assert _html_lang(response.content.decode()) == "ja"


def _switch_to(content: str, language: str) -> str:
    """The address the language switch links to."""
    return re.search(rf'<a href="([^"]+)" lang="{language}" hreflang="{language}"', content)[1]


def test_the_language_switch_leads_to_the_same_page_in_english_under_en(client, area):
    japanese = client.get(area.get_absolute_url() + "?x=1").content.decode()

    english_url = _switch_to(japanese, "en")

    assert english_url == "/en" + area.get_absolute_url() + "?x=1"
    content = client.get(english_url).content.decode()
    assert _html_lang(content) == "en"
    with translation.override("en"):
        assert jdate(area.declared_on) in content
    assert "2016年2月17日" not in content


def test_the_english_page_links_back_to_the_japanese_one_and_names_both(client, area):
    japanese = area.get_absolute_url()
    english = client.get("/en" + japanese).content.decode()

    assert _switch_to(english, "ja") == japanese
    base = "http://testserver"
    assert f'hreflang="ja" href="{base}{japanese}"' in english
    assert f'hreflang="en" href="{base}/en{japanese}"' in english
    assert f'hreflang="x-default" href="{base}{japanese}"' in english


@pytest.mark.parametrize("cookie", ["en", "xx"])
def test_a_language_cookie_switches_nothing(client, area, cookie):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    response = client.get("/")

    assert _html_lang(response.content.decode()) == "ja"


def test_area_detail_declaration_date_is_in_both_calendars_in_english(client):
    area = factories.CooperationAreaFactory(declared_on=datetime.date(2019, 5, 1))

    content = client.get("/en" + area.get_absolute_url()).content.decode()

    assert '<time datetime="2019-05-01">' in content
    assert '<span class="nw" lang="ja">(令和元年5月1日)</span></time>' in content


def test_area_detail_counts_current_partners_like_the_pipeline(client):
    area = factories.CooperationAreaFactory()
    factories.agreement_in_force(area=area)
    former = factories.agreement_in_force(area=area)
    membership = area.memberships.get(municipality=former.partner)
    membership.left_on = datetime.date(2020, 3, 31)
    membership.save()

    response = client.get(area.get_absolute_url())

    summary = gettext("%(in_force)s of %(total)s partners in force.")
    assert summary % {"in_force": 1, "total": 1} in response.content.decode()
    assert response.context["in_force_count"] == 1
