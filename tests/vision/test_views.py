import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from agreements.models import Role
from municipalities.templatetags.jpdates import fiscal_year_html, jdate
from municipalities.templatetags.marks import sample_mark
from public import demo
from tests import factories
from vision.charts import fiscal_year_label
from vision.models import IndicatorActual, ProjectField, Vision

pytestmark = pytest.mark.django_db

NAGANO_VISION_URL = "/areas/nagano/vision/"
TOURISM = "外国人観光客誘致促進事業"
NAGANO_PARTNERS = {
    "202070": "須坂市",
    "202185": "千曲市",
    "205214": "坂城町",
    "205419": "小布施町",
    "205435": "高山村",
    "205834": "信濃町",
    "205885": "小川村",
    "205907": "飯綱町",
}
LEAD = '<dd><a href="/municipalities/202011/">長野市</a></dd>'


def _linked_names(names: dict[str, str]) -> str:
    return "".join(
        f'<li><a href="/municipalities/{code}/">{name}</a></li>' for code, name in names.items()
    )


def _sample_marker() -> str:
    return str(sample_mark())


def _role_count_rows(content: str) -> dict[str, str]:
    """The role-count table's numbers by the role (or "Total") heading their row."""
    table = re.search(r'<table class="role-counts">.*?</table>', content, re.DOTALL).group(0)
    return {
        re.sub(r"<[^>]+>", "", header): number
        for header, number in re.findall(
            r'<th scope="row">(.*?)</th><td class="number">(\d+)</td>', table
        )
    }


def _role_section(content: str, role: Role) -> str:
    return re.search(
        rf'<section class="role" id="role-{role.value}".*?</section>', content, re.DOTALL
    ).group(0)


def _project_card(content: str, title: str) -> str:
    return re.search(
        rf'<article class="project-card"(?:(?!</article>).)*?>{title}</a>.*?</article>',
        content,
        re.DOTALL,
    ).group(0)


def _indicator_section(content: str, name: str) -> str:
    return re.search(
        rf'<section class="indicator"[^>]*>\s*<h3[^>]*>{name}<.*?</section>', content, re.DOTALL
    ).group(0)


@pytest.fixture(scope="module")
def nagano(django_db_setup, django_db_blocker):
    """The demo's first vision (2016, since revised) and its tourism project page, rendered
    once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        area = demo.load()
        client = Client()
        first = area.visions.get(previous=None)
        vision_page = client.get(first.get_absolute_url())
        project = first.projects.get(title=TOURISM)
        project_url = reverse("vision:project", kwargs={"slug": area.slug, "pk": project.pk})
        project_page = client.get(project_url)
        area_page = client.get(area.get_absolute_url())
        transaction.set_rollback(True)
    assert vision_page.status_code == 200
    assert project_page.status_code == 200
    return {
        "vision": vision_page.content.decode(),
        "project": project_page.content.decode(),
        "area": area_page.content.decode(),
        "project_url": project_url,
        "first_url": first.get_absolute_url(),
    }


# The vision page


def test_vision_page_shows_each_chart_as_an_image_described_in_words(nagano):
    section = _project_card(nagano["vision"], TOURISM)
    image = re.search(r'<img class="chart" src="([^"]+)"[^>]*alt="([^"]*)"', section)

    url, alt = image.groups()
    assert url.startswith("/areas/nagano/vision/indicators/") and url.endswith("/chart.svg")
    assert alt.startswith("圏域の外国人延べ宿泊者数: ")
    assert f"{fiscal_year_label(2019)} 142,000 人泊" in alt  # the values, for screen readers


@pytest.mark.django_db
def test_chart_image_draws_the_indicator_of_a_public_vision(client):
    indicator = factories.IndicatorFactory(project__vision__adopted=True)
    IndicatorActual.objects.create(indicator=indicator, fiscal_year=2017, value=120)
    slug = indicator.project.vision.area.slug

    response = client.get(reverse("vision:chart", kwargs={"slug": slug, "pk": indicator.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert f'<title id="indicator-{indicator.pk}-chart-title">{indicator.name}</title>' in (
        response.content.decode()
    )
    assert response.content.decode().count('class="actual-point"') == 1


@pytest.mark.django_db
def test_chart_image_of_a_draft_or_of_another_area_is_not_found(client):
    draft = factories.IndicatorFactory()  # its vision is a draft: internal work
    public = factories.IndicatorFactory(project__vision__adopted=True)
    other_area = factories.VisionFactory(adopted=True).area

    for slug, indicator in (
        (draft.project.vision.area.slug, draft),
        (other_area.slug, public),
    ):
        url = reverse("vision:chart", kwargs={"slug": slug, "pk": indicator.pk})
        assert client.get(url).status_code == 404, url


def test_vision_detail_url():
    assert reverse("vision:detail", kwargs={"slug": "nagano"}) == NAGANO_VISION_URL


def test_vision_detail_shows_title_status_adoption_and_period(nagano):
    page = nagano["vision"]

    assert "<h1>長野地域スクラムビジョン</h1>" in page
    assert str(Vision.Status.SUPERSEDED.label) in page
    assert jdate(datetime.date(2016, 3, 29)) in page
    assert f"{fiscal_year_html(2016)} – {fiscal_year_html(2020)}" in page
    assert "9市町村がスクラムを組み" in page


def test_vision_detail_counts_projects_per_role_and_in_total(nagano):
    rows = _role_count_rows(nagano["vision"])

    assert rows == {
        str(Role.ECONOMY.label): "2",
        str(Role.URBAN_FUNCTIONS.label): "1",
        str(Role.LIVING_SERVICES.label): "3",
        gettext("Total"): "6",
    }


def test_vision_detail_groups_projects_under_their_role(nagano):
    page = nagano["vision"]

    economy = _role_section(page, Role.ECONOMY)
    urban = _role_section(page, Role.URBAN_FUNCTIONS)
    living = _role_section(page, Role.LIVING_SERVICES)
    assert economy.count('class="project-card"') == 2
    assert TOURISM in economy and "農産物のブランド化と販路拡大" in economy
    assert urban.count('class="project-card"') == 1
    assert "圏域の公共交通ネットワークの充実" in urban
    assert living.count('class="project-card"') == 3
    assert "就職情報サイト「おしごとながの」の拡大" in living
    # ア, イ, ウ in that order
    assert page.index('id="role-economy"') < page.index('id="role-urban_functions"')
    assert page.index('id="role-urban_functions"') < page.index('id="role-living_services"')


def test_vision_detail_shows_field_lead_and_participants(nagano):
    economy = _role_section(nagano["vision"], Role.ECONOMY)
    card = economy[economy.index(TOURISM) : economy.index("</article>")]

    assert f"<dd>{ProjectField.TOURISM.label}</dd>" in card
    assert LEAD in card
    assert _linked_names(NAGANO_PARTNERS) in card


def test_vision_detail_shows_baseline_target_and_latest_actual_of_each_indicator(nagano):
    economy = _role_section(nagano["vision"], Role.ECONOMY)
    marker = re.escape(_sample_marker())

    assert "圏域の外国人延べ宿泊者数" in economy
    for value, year in (("98,000", 2014), ("150,000", 2020), ("142,000", 2019)):
        year_html = re.escape(fiscal_year_html(year))
        assert re.search(
            rf'{value} 人泊 {marker}\s*<span class="year">{year_html}</span>', economy
        ), value


def test_vision_detail_links_each_project_page(nagano):
    assert f'<a href="{nagano["project_url"]}">{TOURISM}</a>' in nagano["vision"]


def test_vision_detail_marks_sample_values(nagano):
    # The future image, 6 projects, 7 indicators' baselines and targets, 7 latest actuals,
    # 5 years of project costs, 6 roundtable members, 3 meetings and 3 public comments.
    assert nagano["vision"].count(_sample_marker()) == 1 + 6 + 7 * 2 + 7 + 5 + 6 + 3 + 3


def test_vision_detail_marks_nothing_as_sample_for_recorded_facts(client):
    indicator = factories.IndicatorFactory(project__vision__adopted=True)
    factories.IndicatorActualFactory(indicator=indicator)
    area = indicator.project.vision.area

    response = client.get(reverse("vision:detail", kwargs={"slug": area.slug}))

    assert response.status_code == 200
    assert _sample_marker() not in response.content.decode()


def test_vision_detail_shows_a_public_comment_draft_but_not_an_internal_draft(client, area):
    factories.VisionFactory(area=area, status=Vision.Status.PUBLIC_COMMENT, title="意見募集中")
    factories.VisionFactory(area=area, first_fiscal_year=2026, last_fiscal_year=2030, title="内部")

    content = client.get(reverse("vision:detail", kwargs={"slug": area.slug})).content.decode()

    assert "<h1>意見募集中</h1>" in content
    assert "内部" not in content


def test_vision_detail_says_when_an_indicator_has_no_actual_yet(client):
    indicator = factories.IndicatorFactory(project__vision__adopted=True)
    area = indicator.project.vision.area

    content = client.get(reverse("vision:detail", kwargs={"slug": area.slug})).content.decode()

    assert gettext("not yet recorded") in content


def test_vision_detail_of_unknown_area_is_not_found(client, area):
    factories.VisionFactory(area=area, adopted=True)

    assert client.get("/areas/no-such-area/vision/").status_code == 404


def test_vision_detail_of_area_without_vision_is_not_found(client, area):
    assert client.get(reverse("vision:detail", kwargs={"slug": area.slug})).status_code == 404


def test_vision_detail_of_area_with_only_a_draft_is_not_found(client, area):
    factories.ProjectFactory(vision__area=area)  # the vision is a draft by default

    assert client.get(reverse("vision:detail", kwargs={"slug": area.slug})).status_code == 404


# The project page


def test_project_detail_shows_breadcrumb_to_areas_area_and_vision(nagano):
    crumbs = re.search(r'<nav [^>]*class="crumbs">.*?</nav>', nagano["project"]).group(0)

    links = re.findall(r'<a href="([^"]+)">', crumbs)
    assert links == ["/", "/areas/nagano/", nagano["first_url"]]
    assert f'<span aria-current="page">{TOURISM}</span>' in crumbs


def test_project_detail_shows_role_field_lead_and_participants(nagano):
    page = nagano["project"]

    assert re.search(rf'<h1><span class="code">ア-01</span> {TOURISM} ', page)
    assert f"<dd>{Role.ECONOMY.label}</dd>" in page
    assert f"<dd>{ProjectField.TOURISM.label}</dd>" in page
    assert LEAD in page
    rows = re.findall(
        r'<tr><th scope="row"><a href="/municipalities/(\d+)/">(.*?)</a></th>\s*<td><a href="'
        r'/areas/nagano/agreements/(\d+)/">ア (.*?)</a></td></tr>',
        page,
    )
    assert [(code, name) for code, name, _, _ in rows] == list(NAGANO_PARTNERS.items())
    assert all(code == agreement and item == TOURISM for code, _, agreement, item in rows)


def test_project_detail_shows_each_indicator_with_chart_and_table(nagano):
    section = _indicator_section(nagano["project"], "圏域の外国人延べ宿泊者数")

    assert re.search(r'<svg class="chart" [^>]*role="img"', section)
    assert re.search(
        r'<title id="indicator-\d+-chart-title">圏域の外国人延べ宿泊者数</title>', section
    )
    desc = re.search(r"<desc [^>]*>(.*?)</desc>", section).group(1)
    assert f"{fiscal_year_label(2019)} 142,000 人泊" in desc
    assert section.count('class="actual-point"') == 4
    assert 'class="target"' in section
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td class="number">([\d,]+)', section, re.DOTALL
    )
    assert rows == [
        (fiscal_year_html(2016), "104,000"),
        (fiscal_year_html(2017), "118,000"),
        (fiscal_year_html(2018), "131,000"),
        (fiscal_year_html(2019), "142,000"),
    ]


def test_project_detail_marks_sample_values(nagano):
    # The project, the indicator's baseline and target, its four actual values, and the lead's
    # project cost in each of the five years.
    assert nagano["project"].count(_sample_marker()) == 1 + 2 + 4 + 5


def test_project_detail_without_actuals_still_draws_target(client):
    indicator = factories.IndicatorFactory(project__vision__adopted=True)
    project = indicator.project

    response = client.get(
        reverse("vision:project", kwargs={"slug": project.vision.area.slug, "pk": project.pk})
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="target"' in content
    assert 'class="actual-point"' not in content
    assert gettext("No actual value recorded yet.") in content


def test_project_detail_of_superseded_vision_stays_public(client, area):
    old = factories.ProjectFactory(
        vision__area=area, vision__status=Vision.Status.SUPERSEDED, vision__adopted_on="2016-03-29"
    )
    factories.VisionFactory(area=area, adopted=True, first_fiscal_year=2021, last_fiscal_year=2025)

    response = client.get(reverse("vision:project", kwargs={"slug": area.slug, "pk": old.pk}))

    assert response.status_code == 200


def test_project_detail_of_unknown_area_is_not_found(client):
    project = factories.ProjectFactory(vision__adopted=True)

    url = reverse("vision:project", kwargs={"slug": "no-such-area", "pk": project.pk})
    assert client.get(url).status_code == 404


def test_project_detail_of_unknown_project_is_not_found(client, area):
    factories.VisionFactory(area=area, adopted=True)

    assert (
        client.get(reverse("vision:project", kwargs={"slug": area.slug, "pk": 999999})).status_code
        == 404
    )


def test_project_detail_of_another_area_is_not_found(client, area):
    factories.VisionFactory(area=area, adopted=True)
    elsewhere = factories.ProjectFactory(vision__adopted=True)

    url = reverse("vision:project", kwargs={"slug": area.slug, "pk": elsewhere.pk})
    assert client.get(url).status_code == 404


def test_project_detail_of_a_draft_vision_is_not_found(client, area):
    factories.VisionFactory(area=area, adopted=True)
    draft = factories.ProjectFactory(
        vision__area=area, vision__first_fiscal_year=2026, vision__last_fiscal_year=2030
    )

    url = reverse("vision:project", kwargs={"slug": area.slug, "pk": draft.pk})
    assert client.get(url).status_code == 404


# Queries


def _vision_with(*, projects: int, indicators: int, actuals: int) -> Vision:
    """An adopted revision of an earlier vision, with projects under every role, two
    participants each, indicators with yearly targets and actual values, project costs, and
    as many roundtable members, meetings and public comments (period ended) as projects."""
    earlier = factories.VisionFactory(
        status=Vision.Status.SUPERSEDED, adopted_on=datetime.date(2016, 3, 29)
    )
    vision = factories.VisionFactory(
        area=earlier.area,
        previous=earlier,
        revision_reason="見直し",
        adopted=True,
        first_fiscal_year=2021,
        last_fiscal_year=2025,
        comment_starts_on=datetime.date(2021, 1, 4),
        comment_ends_on=datetime.date(2021, 2, 3),
    )
    partners = [factories.AreaMembershipFactory(area=vision.area).municipality for _ in range(2)]
    roles = list(Role)
    for number in range(projects):
        project = factories.ProjectFactory(
            vision=vision, role=roles[number % len(roles)], field=ProjectField.OTHER
        )
        factories.ProjectFactory(vision=earlier, code=project.code, role=project.role)
        for partner in partners:
            factories.ProjectParticipantFactory(project=project, municipality=partner)
            factories.ProjectBudgetFactory(project=project, municipality=partner, fiscal_year=2022)
        for indicator in factories.IndicatorFactory.create_batch(indicators, project=project):
            factories.IndicatorTargetFactory(indicator=indicator, fiscal_year=2017)
            IndicatorActual.objects.bulk_create(
                IndicatorActual(indicator=indicator, fiscal_year=2015 + year, value=100 + year)
                for year in range(actuals)
            )
        factories.RoundtableMemberFactory(vision=vision)
        factories.RoundtableMeetingFactory(vision=vision)
        factories.PublicCommentFactory(vision=vision)
    return vision


SIZES = [
    pytest.param(3, 2, 3, id="3x2x3"),
    pytest.param(30, 4, 5, id="30x4x5"),
]


@pytest.mark.parametrize(("projects", "indicators", "actuals"), SIZES)
def test_vision_detail_queries_do_not_grow_with_projects_indicators_or_actuals(
    client, django_assert_num_queries, projects, indicators, actuals
):
    vision = _vision_with(projects=projects, indicators=indicators, actuals=actuals)

    # area; vision (with its earlier version and counts); projects with leads; participants;
    # indicators; actual values; yearly targets; the versions; project costs by year and role;
    # the earlier version's projects and indicators; members; meetings; comments
    with django_assert_num_queries(14):
        response = client.get(reverse("vision:detail", kwargs={"slug": vision.area.slug}))

    content = response.content.decode()
    assert content.count('class="project-card"') == projects
    charts = re.findall(r'<img class="chart" src="([^"]+)"[^>]*loading="lazy"', content)
    assert len(charts) == projects * indicators
    assert content.count("公共交通の充実を望む。") == projects
    # Each chart is an image of its own, drawn in as many queries whatever its values.
    with django_assert_num_queries(3):  # the indicator; its actual values; its yearly targets
        chart = client.get(charts[-1])
    assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert chart.content.decode().count('class="yearly-target"') == 1
    assert chart.content.decode().count('class="actual-point"') == actuals


@pytest.mark.parametrize(("projects", "indicators", "actuals"), SIZES)
def test_project_detail_queries_do_not_grow_with_indicators_or_actuals(
    client, django_assert_num_queries, projects, indicators, actuals
):
    vision = _vision_with(projects=projects, indicators=indicators, actuals=actuals)
    project = vision.projects.first()

    # project with vision, area and lead; indicators; actual values; yearly targets; project
    # costs; participations with their agreement items; the agreements being amended (for
    # the items' titles the public reads)
    with django_assert_num_queries(7):
        response = client.get(
            reverse("vision:project", kwargs={"slug": vision.area.slug, "pk": project.pk})
        )

    content = response.content.decode()
    assert content.count('role="img"') == indicators
    assert content.count('class="actual-point"') == indicators * actuals


# The area page and languages


def test_area_detail_links_the_vision_page(nagano):
    link = f'<a href="{NAGANO_VISION_URL}">{gettext("Vision details")}</a>'

    assert link in nagano["area"]


def test_area_detail_does_not_link_a_draft_vision(client, area):
    factories.VisionFactory(area=area)

    content = client.get(area.get_absolute_url()).content.decode()

    assert reverse("vision:detail", kwargs={"slug": area.slug}) not in content


def test_vision_pages_are_english_under_en(client):
    indicator = factories.IndicatorFactory(project__vision__adopted=True)
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2016)
    project = indicator.project
    slug = project.vision.area.slug

    for url in (
        reverse("vision:detail", kwargs={"slug": slug}),
        reverse("vision:project", kwargs={"slug": slug, "pk": project.pk}),
    ):
        content = client.get("/en" + url).content.decode()

        assert re.search(r'<html lang="en">', content), url
        assert '"nw">FY2016</span> <span class="nw" lang="ja">(平成28年度)' in content, url
        assert "2016年度" not in content, url


# Project costs, minutes


def test_project_detail_shows_costs_per_municipality_and_year_with_totals(client, area):
    project = factories.ProjectFactory(vision__area=area, vision__adopted=True)
    partner = factories.ProjectParticipantFactory(project=project).municipality
    for municipality, year, amount in (
        (project.lead, 2017, "1000000"),
        (project.lead, 2018, "1200000"),
        (partner, 2018, "300000"),
    ):
        factories.ProjectBudgetFactory(
            project=project, municipality=municipality, fiscal_year=year, amount=amount
        )

    content = client.get(
        reverse("vision:project", kwargs={"slug": area.slug, "pk": project.pk})
    ).content.decode()

    table = re.search(r'<table class="budget-table">.*?</table>', content, re.DOTALL).group(0)
    cells = [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)
    ]
    assert cells == [
        [gettext("Municipality"), fiscal_year_html(2017), fiscal_year_html(2018)],
        [project.lead.name, "1,000,000", "1,200,000"],
        [partner.name, "—", "300,000"],
        [gettext("Total (yen)"), "1,000,000", "1,500,000"],
    ]


def test_minutes_of_a_public_vision_are_served_as_pdf(client, area):
    meeting = factories.RoundtableMeetingFactory(
        vision__area=area, vision__adopted=True, minutes_url=""
    )
    meeting.minutes_document.save("minutes.pdf", ContentFile(demo.sample_pdf("minutes")))

    page = client.get(reverse("vision:detail", kwargs={"slug": area.slug})).content.decode()
    url = reverse("vision:minutes", kwargs={"slug": area.slug, "pk": meeting.pk})
    response = client.get(url)

    assert f'href="{url}"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_minutes_of_a_draft_vision_are_not_found(client, area):
    meeting = factories.RoundtableMeetingFactory(vision__area=area, minutes_url="")
    meeting.minutes_document.save("minutes.pdf", ContentFile(demo.sample_pdf("minutes")))

    url = reverse("vision:minutes", kwargs={"slug": area.slug, "pk": meeting.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("actual", "words"),
    [
        # Expected by 2017: 100 + 3/6 of 100 = 150.
        ("140", "2017年度（平成29年度）の実績は、その年度までに計画した変化の80%です。"),
        ("150", "2017年度（平成29年度）の実績は、その年度までに計画した変化を達成しています。"),
        (
            "90",
            "2017年度（平成29年度）の実績は目標から遠ざかっており、計画とは逆の方向に動いています。",
        ),
    ],
)
def test_project_page_states_progress_in_words_not_as_a_ratio(client, area, actual, words):
    indicator = factories.IndicatorFactory(
        project__vision__area=area, project__vision__adopted=True
    )
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2017, value=actual)
    project = indicator.project

    content = client.get(
        reverse("vision:project", kwargs={"slug": area.slug, "pk": project.pk})
    ).content.decode()
    line = re.search(r'<p class="progress-line">.*?</p>', content, re.DOTALL).group(0)
    text = re.sub(r"<[^>]+>", "", line)

    assert words in text
    assert not re.search(r"-?\d\.\d\d", text), text  # no raw ratio such as -0.83


def test_a_vision_whose_period_has_ended_says_so_until_a_new_one_is_adopted(client, area):
    from municipalities.wareki import fiscal_year_of

    this_year = fiscal_year_of(datetime.date.today())
    ended = factories.VisionFactory(
        area=area, adopted=True, first_fiscal_year=this_year - 5, last_fiscal_year=this_year - 1
    )
    url = reverse("vision:detail", kwargs={"slug": area.slug})

    page = client.get(url).content.decode()
    assert 'id="period-ended"' in page
    assert f"計画期間は{this_year - 1}年度" in re.sub(r"<[^>]+>", "", page)

    ended.last_fiscal_year = this_year
    ended.save()
    cache.clear()
    assert 'id="period-ended"' not in client.get(url).content.decode()


def test_a_project_links_a_joint_central_citys_agreement_at_its_own_address(client):
    joint = factories.MunicipalityFactory()
    area = factories.CooperationAreaFactory(joint_central_city=joint)
    partner = factories.AreaMembershipFactory(area=area).municipality
    agreement = factories.agreement_in_force(area=area, central_party=joint, partner=partner)
    item = factories.AgreementItemFactory(agreement=agreement, role=Role.ECONOMY)
    project = factories.ProjectFactory(vision=factories.VisionFactory(area=area, adopted=True))
    factories.ProjectParticipantFactory(project=project, municipality=partner, agreement_item=item)

    page = client.get(project.get_absolute_url()).content.decode()

    expected = f"/areas/{area.slug}/agreements/{partner.code}/with/{joint.code}/"
    assert f'<a href="{expected}">' in page
    assert client.get(expected).status_code == 200
