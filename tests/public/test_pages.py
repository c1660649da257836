"""The municipality page and the procedure guide."""

import pytest
from django.utils.translation import gettext

from agreements.status import STATUS_EXPLANATIONS, AgreementStatus
from tests import factories
from vision.models import Vision

pytestmark = pytest.mark.django_db


def test_municipality_page_shows_its_areas_agreements_and_projects(client):
    agreement = factories.agreement_in_force()
    partner = agreement.partner
    vision = factories.VisionFactory(area=agreement.area, adopted=True)
    led = factories.ProjectFactory(vision=vision, lead=partner, title="移住相談会")
    joined = factories.ProjectFactory(vision=vision, title="合同研修")
    factories.ProjectParticipantFactory(project=joined, municipality=partner)

    response = client.get(f"/municipalities/{partner.code}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert partner.name in content and partner.name_kana in content
    assert agreement.area.name in content
    assert f'href="{agreement.get_absolute_url()}"' in content
    assert str(AgreementStatus.IN_FORCE.label) in content
    assert response.context["led"] == [led]
    assert response.context["joined"] == [joined]
    # Its projects are headed as projects, not as a count of them (取組数).
    assert '<h2 id="projects-h">具体的取組</h2>' in content


def test_municipality_page_of_the_central_city_lists_all_its_public_agreements(client):
    first = factories.agreement_in_force()
    second = factories.agreement_in_force(area=first.area)
    internal = factories.AgreementFactory(area=first.area, internal=True)

    response = client.get(f"/municipalities/{first.area.central_city.code}/")

    listed = [agreement for agreement, _ in response.context["agreements"]]
    assert listed == [first, second]
    assert internal.title not in response.content.decode()


def test_municipality_page_gives_the_reason_it_stays_out(client):
    ratio = factories.CommutingRatioFactory(outside_reason="北信定住自立圏の構成市町村であるため")

    content = client.get(f"/municipalities/{ratio.municipality.code}/").content.decode()

    assert "北信定住自立圏の構成市町村であるため" in content
    assert ratio.area.name in content


def test_municipality_page_hides_projects_of_a_draft_vision(client):
    project = factories.ProjectFactory(title="内部の案")
    assert project.vision.status == Vision.Status.DRAFT

    content = client.get(f"/municipalities/{project.lead.code}/").content.decode()

    assert "内部の案" not in content


def test_municipality_page_of_unknown_code_is_not_found(client):
    assert client.get("/municipalities/999999/").status_code == 404


@pytest.mark.parametrize("agreements", [2, 20])
def test_municipality_page_queries_do_not_grow(client, django_assert_num_queries, agreements):
    area = factories.CooperationAreaFactory()
    vision = factories.VisionFactory(area=area, adopted=True)
    for _ in range(agreements):
        agreement = factories.agreement_in_force(area=area)
        project = factories.ProjectFactory(vision=vision)
        factories.ProjectParticipantFactory(project=project, municipality=agreement.partner)
        indicator = factories.IndicatorFactory(project=project)
        factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2017)
        factories.IndicatorTargetFactory(indicator=indicator)

    # ... the projects' indicators with their actual values and yearly targets (progress);
    # the agreements show their stored status (no procedures read), and the titles the public
    # reads (one query: none of them is being amended); the areas of the national directory
    # that name it
    with django_assert_num_queries(12):
        response = client.get(f"/municipalities/{area.central_city.code}/")

    assert len(response.context["agreements"]) == agreements
    assert len(response.context["led"]) == agreements
    assert response.content.decode().count('class="progress progress-') == agreements


def test_procedure_guide_explains_every_status_with_an_anchor(client):
    content = client.get("/procedure/").content.decode()

    for status, explanation in STATUS_EXPLANATIONS.items():
        assert f'id="status-{status.value}"' in content
        assert str(explanation) in content
    assert gettext("How an area is formed") in content


def test_procedure_guide_sets_out_article_252_2_and_tells_the_sites_rules_apart(client):
    content = client.get("/procedure/").content.decode()

    assert 'id="law"' in content
    for paragraph in range(1, 8):
        assert f"（第{paragraph}項）" in content  # each paragraph of §252-2, ¶1–¶7
    assert "勧告" in content and "自治紛争処理委員" in content
    assert "第252条の2が求めるものではありません" in content
