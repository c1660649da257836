"""The admin's search of projects and indicators: the site's search rule (vision.search),
draft visions included, and the admin's own fields (the lead, the project)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def _listed(client, url: str, query: str) -> list:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_admin_finds_projects_of_draft_visions_by_description_and_english_title(admin_client):
    draft = factories.VisionFactory()
    project = factories.ProjectFactory(
        vision=draft,
        title="空き家バンク",
        title_en="Vacant house bank",
        description="圏域の空き家情報を一元化して移住希望者に届ける。",
    )
    factories.ProjectFactory(vision=draft, title="移住相談会")
    url = "/admin/vision/project/"

    for query in ("移住希望者", "HOUSE bank", "空き家 一元化", project.code):
        assert _listed(admin_client, url, query) == [project], query
    assert len(_listed(admin_client, url, "移住")) == 2


def test_admin_finds_indicators_by_english_name_and_by_their_project(admin_client):
    project = factories.ProjectFactory(title="空き家バンク")
    indicator = factories.IndicatorFactory(
        project=project, name="移住者数", name_en="Newcomers who settled"
    )
    url = "/admin/vision/indicator/"

    for query in ("settled", "移住者", "空き家 移住"):
        assert _listed(admin_client, url, query) == [indicator], query
