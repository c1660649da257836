"""English names and English text through HTTP: the English pages show the English name
beside the Japanese, planning staff can give another one, and typed text without its English
shows in Japanese, marked as Japanese; the Japanese pages show none of it."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from agreements.services import item_save
from municipalities.models import CooperationArea, Municipality
from public import demo, records
from tests.municipalities.admin_forms import change_form_data
from vision.models import Indicator, Project, Vision, VisionStatus
from vision.services import indicator_save, project_save

pytestmark = pytest.mark.django_db

AREA = "/areas/nagano/"
IIZUNA = 'Iizuna Town (<span lang="ja">飯綱町</span>)'


@pytest.fixture(scope="module")
def nagano_loaded(django_db_setup, django_db_blocker):
    """The Nagano demo, loaded and committed once for the module (loading takes seconds),
    and emptied again after it; what each test writes rolls back with its transaction."""
    with django_db_blocker.unblock():
        area = demo.load()
        try:
            yield area
        finally:
            call_command("flush", verbosity=0, interactive=False)


@pytest.fixture
def nagano(nagano_loaded, db):
    return CooperationArea.objects.get(pk=nagano_loaded.pk)


def _page(client, url: str) -> str:
    cache.clear()  # pages are cached: read each one afresh
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _planning_staff(client, area: CooperationArea):
    call_command("create_planning_staff", area.central_city.code, stdout=io.StringIO())
    user = get_user_model().objects.get(username=f"planning-{area.central_city.code}")
    client.force_login(user)
    return user


def _project() -> Project:
    vision = Vision.objects.get(area__slug="nagano", status=VisionStatus.ADOPTED)
    return vision.projects.select_related("vision__area").order_by("code").first()


def test_english_pages_show_the_romanised_name_beside_the_japanese(client, nagano):
    iizuna = Municipality.objects.get(name="飯綱町")

    area = _page(client, f"/en{AREA}")
    municipality = _page(client, f"/en/municipalities/{iizuna.code}/")

    assert IIZUNA in area  # the partners' table
    assert f"<h1>{IIZUNA} " in municipality
    assert "<title>Iizuna Town — " in municipality
    # The area is named after its central city; its own name stands beside it.
    heading = 'Nagano Cooperation Area (<span lang="ja">長野地域連携中枢都市圏</span>)'
    assert f"<h1>{heading}</h1>" in area
    assert 'Nagano City (<span lang="ja">長野市</span>)' in _page(client, "/en/")


def test_japanese_pages_never_show_the_english(client, nagano):
    iizuna = Municipality.objects.get(name="飯綱町")
    project = _project()
    project.title_en = "Tourism promotion"
    project_save(project=project, user=None)
    agreement = Agreement.objects.get(area=nagano, partner=iizuna)
    item = agreement.items.first()
    item.title_en = "Disaster relief"
    item_save(item=item, user=None)
    urls = [
        "/",
        AREA,
        f"/municipalities/{iizuna.code}/",
        agreement.get_absolute_url(),
        f"{AREA}vision/",
        project.get_absolute_url(),
    ]

    for url in urls:
        page = _page(client, url)
        for english in ("Iizuna Town", "Nagano City", "Cooperation Area", "Tourism promotion"):
            assert english not in page, (url, english)
        assert "Disaster relief" not in page, url
    assert "飯綱町" in _page(client, AREA)


def test_an_english_name_given_in_the_admin_shows_and_survives_loading_the_registry(client, nagano):
    iizuna = Municipality.objects.get(name="飯綱町")
    planner = _planning_staff(client, nagano)
    page = f"/admin/municipalities/municipality/{iizuna.pk}/change/"
    data = change_form_data(client.get(page))

    response = client.post(page, data | {"english_name": "Iizuna-machi", "name": "改名"})

    assert response.status_code == 302
    iizuna.refresh_from_db()
    # Only the English name is theirs to change: the registry's name stays.
    assert (iizuna.english_name, iizuna.name) == ("Iizuna-machi", "飯綱町")
    assert iizuna.history.latest().history_user == planner
    assert 'Iizuna-machi (<span lang="ja">飯綱町</span>)' in _page(client, f"/en{AREA}")

    call_command("load_registry", stdout=io.StringIO())

    iizuna.refresh_from_db()
    assert iizuna.english_name == "Iizuna-machi"
    assert 'Iizuna-machi (<span lang="ja">飯綱町</span>)' in _page(client, f"/en{AREA}")
    assert IIZUNA not in _page(client, f"/en{AREA}")


def test_planning_staff_give_english_names_only_to_their_areas_municipalities(client, nagano):
    _planning_staff(client, nagano)
    elsewhere = Municipality.objects.create(
        code="202029", name="松本市", name_kana="まつもとし", kind="city", prefecture="長野県"
    )
    page = f"/admin/municipalities/municipality/{elsewhere.pk}/change/"

    response = client.post(page, change_form_data(client.get(page)) | {"english_name": "X"})

    assert response.status_code == 403
    elsewhere.refresh_from_db()
    assert elsewhere.english_name == ""


def test_a_project_without_an_english_title_shows_its_japanese_title_marked_japanese(
    client, nagano
):
    project = _project()
    url = f"/en{project.get_absolute_url()}"

    assert f'<span lang="ja">{project.title}</span>' in _page(client, url)
    assert f'<span lang="ja">{project.title}</span>' in _page(client, f"/en{AREA}")

    project.title_en = "Inbound tourism promotion"
    project_save(project=project, user=None)
    page = _page(client, url)

    assert f"{project.code}</span> Inbound tourism promotion" in page  # the heading
    assert f'<span lang="ja">{project.title}</span>' not in page
    assert ">Inbound tourism promotion</a>" in _page(client, f"/en{AREA}")


def test_an_indicators_english_name_and_unit_show_on_the_english_pages(client, nagano):
    indicator = Indicator.objects.filter(project=_project()).first()
    url = f"/en{indicator.project.get_absolute_url()}"
    assert f'<span lang="ja">{indicator.name}</span>' in _page(client, url)

    indicator.name_en = "Foreign overnight guests"
    indicator.unit_en = "guest nights"
    indicator_save(indicator=indicator, user=None)
    page = _page(client, url)

    assert "Foreign overnight guests<span" in page
    assert "guest nights" in page
    assert f'<span lang="ja">{indicator.name}</span>' not in page


def test_an_item_translated_after_its_agreement_took_effect_shows_on_the_english_page(
    client, nagano
):
    agreement = Agreement.objects.get(area=nagano, partner__name="須坂市")
    item = agreement.items.order_by("id").first()
    url = f"/en{agreement.get_absolute_url()}"
    assert f'<span lang="ja">{item.title}</span>' in _page(client, url)

    # The content the councils passed is fixed; a translation is not part of it.
    item.title_en = "Shared job site"
    item_save(item=item, user=None)

    assert '<th scope="row">Shared job site' in _page(client, url)
    assert 'Suzaka City (<span lang="ja">須坂市</span>)' in _page(client, url)


def test_the_area_record_carries_and_brings_back_the_english(client, nagano):
    iizuna = Municipality.objects.get(name="飯綱町")
    iizuna.english_name = "Iizuna-machi"
    iizuna.save()
    nagano.english_name = "Nagano Regional Area"
    nagano.save()
    project = _project()
    project.title_en = "Tourism promotion"
    project.save()
    indicator = project.indicators.first()
    indicator.name_en, indicator.unit_en = "Guests", "people"
    indicator.save()
    item = Agreement.objects.get(area=nagano, partner=iizuna).items.first()
    item.title_en = "Disaster relief"
    item.save()
    cache.clear()
    record = json.loads(client.get(f"{AREA[:-1]}.json").content)
    assert record["area"]["name_en"] == "Nagano Regional Area"
    # Cleared, then brought back by importing the record.
    Municipality.objects.filter(pk=iizuna.pk).update(english_name="")
    CooperationArea.objects.filter(pk=nagano.pk).update(english_name="")
    Project.objects.filter(pk=project.pk).update(title_en="")
    Indicator.objects.filter(pk=indicator.pk).update(name_en="", unit_en="")
    type(item).objects.filter(pk=item.pk).update(title_en="")

    report = records.import_record(record, user=None, commit=True)

    assert report.ok, report.errors
    assert Municipality.objects.get(pk=iizuna.pk).english_name == "Iizuna-machi"
    assert CooperationArea.objects.get(pk=nagano.pk).english_name == "Nagano Regional Area"
    assert Project.objects.get(pk=project.pk).title_en == "Tourism promotion"
    assert Indicator.objects.filter(pk=indicator.pk, name_en="Guests", unit_en="people").exists()
    assert type(item).objects.get(pk=item.pk).title_en == "Disaster relief"


def test_a_record_made_before_the_english_fields_leaves_them_as_they_are(nagano):
    project = _project()
    project.title_en = "Tourism promotion"
    project.save()

    report = records.import_record(demo._record(), user=None, commit=True)

    assert report.ok, report.errors
    assert Project.objects.get(pk=project.pk).title_en == "Tourism promotion"


@pytest.mark.parametrize("url", ["/", AREA])
def test_the_english_names_cost_no_query(client, nagano, url):
    counts = []
    for prefix in ("", "/en"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{prefix}{url}").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
