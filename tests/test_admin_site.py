"""The admin as planning staff and the operator see it: the domain first, in Japanese."""

import re

import pytest
from django.core.files.base import ContentFile

from tests import factories

pytestmark = pytest.mark.django_db


def _app_names(page: str) -> list[str]:
    return re.findall(r'<caption>\s*<a href="(?:/en)?/admin/[a-z_]+/"[^>]*>(.*?)</a>', page)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_sign_in_records_come_after_the_domain(admin_client, language):
    prefix = "" if language == "ja" else "/en"
    names = _app_names(admin_client.get(f"{prefix}/admin/").content.decode())

    # Alphabetically, "Sign-in attempts" would come before "Vision" in English.
    assert names[-1] == (
        "ログイン試行（django-axes）" if language == "ja" else "Sign-in attempts (django-axes)"
    )


def test_the_sign_in_records_speak_japanese(admin_client):
    names = _app_names(admin_client.get("/admin/").content.decode())

    assert names[-1] == "ログイン試行（django-axes）", names
    assert names.index("ログイン試行（django-axes）") > max(
        i for i, name in enumerate(names) if name != "ログイン試行（django-axes）"
    )
    page = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "ログイン試行" in page


def test_projects_are_listed_in_the_roles_order(admin_client):
    vision = factories.VisionFactory()
    for code, role in (
        ("ウ-01", "living_services"),
        ("ア-01", "economy"),
        ("イ-01", "urban_functions"),
    ):
        factories.ProjectFactory(vision=vision, code=code, role=role)

    page = admin_client.get("/admin/vision/project/").content.decode()

    codes = re.findall(r">([アイウ]-01)</a>", page)
    assert codes == ["ア-01", "イ-01", "ウ-01"]


def test_the_resolution_inline_links_its_pdf(admin_client):
    agreement = factories.agreement_in_force()
    resolution = agreement.procedures.get().resolutions.first()
    resolution.document.save("gian.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    page = admin_client.get(
        f"/admin/agreements/procedure/{resolution.procedure_id}/change/"
    ).content.decode()

    assert f'href="/resolutions/{resolution.pk}/document.pdf"' in page


def test_the_visions_projects_are_in_the_roles_order(admin_client):
    vision = factories.VisionFactory()
    for code, role in (
        ("ウ-01", "living_services"),
        ("ア-01", "economy"),
        ("イ-01", "urban_functions"),
    ):
        factories.ProjectFactory(vision=vision, code=code, role=role)

    page = admin_client.get(f"/admin/vision/vision/{vision.pk}/change/").content.decode()

    codes = re.findall(r'name="projects-\d+-code"[^>]*value="([アイウ]-01)"', page)
    assert codes == ["ア-01", "イ-01", "ウ-01"]


def test_the_exporter_speaks_japanese(admin_client):
    page = admin_client.get("/admin/vision/project/export/").content.decode()

    assert "この書き出しでは次の項目を出力します" in page
    assert "This exporter will export" not in page


def test_the_lists_show_numbers_as_the_pages_do(admin_client):
    actual = factories.IndicatorActualFactory(value="142000")
    factories.IndicatorActualFactory(indicator=actual.indicator, value="40.5")

    page = admin_client.get("/admin/vision/indicatoractual/").content.decode()

    assert ">142,000<" in page and ">40.5<" in page
    assert "142000.0000" not in page and "40.5000" not in page
    # Sorting by the column still works.
    assert admin_client.get("/admin/vision/indicatoractual/?o=3").status_code == 200
