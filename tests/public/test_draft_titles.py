"""An amendment being drafted renames an agreement and one of its items: internal work that
no public page, list, export or feed shows until both councils passed it and it took effect
(agreements.selectors.public_contents). Drafted as the admin drafts it, through the
services; read through HTTP, as the public reads it."""

import datetime
import io
import json
import zipfile

import openpyxl
import pytest

from agreements import services
from agreements.models import Agreement, AgreementItem, Role
from agreements.status import ProcedureKind, Result
from public.bulk.package import build
from tests import factories

pytestmark = pytest.mark.django_db

OLD_TITLE, OLD_ITEM = "すずらん連携協約", "共同調達事業"
NEW_TITLE, NEW_ITEM = "ひまわり連携協約", "ドローン配送事業"  # the first amendment's
NEXT_TITLE, NEXT_ITEM = "さくら連携協約", "空き家活用事業"  # the second amendment's draft


@pytest.fixture
def record(staff_user):
    """An agreement in force, named OLD_TITLE, whose item OLD_ITEM covers a project of the
    adopted vision; an amendment drafted in the admin renames both (NEW_TITLE, NEW_ITEM)."""
    area = factories.CooperationAreaFactory(slug="suzuran")
    agreement = factories.AgreementFactory(area=area, title=OLD_TITLE)
    item = factories.AgreementItemFactory(agreement=agreement, role=Role.ECONOMY, title=OLD_ITEM)
    factories.agreement_in_force(agreement)
    vision = factories.VisionFactory(area=area, adopted=True)
    project = factories.ProjectFactory(vision=vision, role=Role.ECONOMY)
    factories.ProjectParticipantFactory(
        project=project, municipality=agreement.partner, agreement_item=item
    )
    amendment = _draft(agreement, NEW_TITLE, NEW_ITEM, staff_user)
    return agreement, amendment, project


def _draft(agreement: Agreement, title: str, item_title: str, user):
    """Start an amendment and edit the agreement's title and its item, as the admin does."""
    amendment = services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="名称の変更", user=user
    )
    agreement.title = title
    services.agreement_save(agreement=agreement, user=user, reason="名称の変更案")
    item = agreement.items.get()
    item.title = item_title
    services.item_save(item=item, user=user, reason="名称の変更案")
    return amendment


def _pass_and_put_into_effect(amendment, user) -> None:
    """Submit the amendment; both councils pass it; it takes effect."""
    amendment.proposed_on = datetime.date(2018, 2, 20)
    services.procedure_save(procedure=amendment, user=user)
    agreement = amendment.agreement
    for number, council in enumerate((agreement.central_party, agreement.partner), start=1):
        services.resolution_record(
            procedure=amendment,
            municipality=council,
            session="平成30年3月定例会",
            bill_number=f"議案第{number}号",
            resolved_on=datetime.date(2018, 3, 15),
            result=Result.PASSED,
            user=user,
        )
    services.procedure_put_into_effect(
        procedure=amendment, effective_on=datetime.date(2018, 4, 1), user=user
    )


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    # iCalendar folds long lines (RFC 5545 §3.1): a title must not hide in a fold.
    return body.decode("utf-8-sig").replace("\r\n ", "")


def _public_texts(client, agreement: Agreement, project) -> dict[str, str]:
    """Every public page, list, export and feed that names the agreement or its item."""
    slug, partner = agreement.area.slug, agreement.partner.code
    central = agreement.central_party.code
    urls = {
        "area page": f"/areas/{slug}/",
        "partner's page": f"/municipalities/{partner}/",
        "central city's page": f"/municipalities/{central}/",
        "English partner's page": f"/en/municipalities/{partner}/",
        "area feed": f"/areas/{slug}/feed.atom",
        "partner's feed": f"/municipalities/{partner}/feed.atom",
        "central city's feed": f"/municipalities/{central}/feed.atom",
        "area calendar": f"/areas/{slug}/calendar.ics",
        "partner's calendar": f"/municipalities/{partner}/calendar.ics",
        "agreements CSV": f"/areas/{slug}/agreements.csv",
        "agreements JSON": f"/areas/{slug}/agreements.json",
        "area record": f"/areas/{slug}.json",
        "projects CSV": f"/areas/{slug}/vision/projects.csv",
        "projects JSON": f"/areas/{slug}/vision/projects.json",
        "vision page": f"/areas/{slug}/vision/",
        "project page": f"/areas/{slug}/vision/projects/{project.pk}/",
        "English project page": f"/en/areas/{slug}/vision/projects/{project.pk}/",
        "agreement page": agreement.get_absolute_url(),
        "API agreements": f"/api/agreements/?area={slug}",
        "API agreement": f"/api/agreements/{slug}/{partner}/",
        "API projects": f"/api/projects/?area={slug}",
    }
    return {name: _text(client, url) for name, url in urls.items()}


def _bulk(client) -> dict:
    """The tables of the bulk data's JSON document, built now."""
    build(force=True)
    response = client.get("/data/rentai-open-data.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data/rentai-open-data.json"))["tables"]


def _search(client, words: str) -> str:
    return _text(client, f"/search/?q={words}")


def _agreement_results(content: str) -> str:
    """The agreements the search page lists ("" where it finds none)."""
    start = content.find('<h2 id="agreements-h">')
    return "" if start < 0 else content[start : content.index("</section>", start)]


def test_no_public_page_shows_an_amendment_being_drafted(client, record):
    agreement, _amendment, project = record

    texts = _public_texts(client, agreement, project)

    for name, text in texts.items():
        assert NEW_TITLE not in text, name
        assert NEW_ITEM not in text, name
    for name in (
        "partner's page",
        "central city's page",
        "English partner's page",
        "area feed",
        "partner's feed",
        "central city's feed",
        "agreements CSV",
        "agreements JSON",
        "area record",
        "agreement page",
        "API agreements",
        "API agreement",
    ):
        assert OLD_TITLE in texts[name], name
    # The project's participant is covered by the item as it is in force.
    for name in (
        "project page",
        "English project page",
        "projects JSON",
        "area record",
        "API projects",
    ):
        assert OLD_ITEM in texts[name], name
    covered_by = json.loads(texts["projects JSON"])["vision"]["projects"][0]["covered_by"]
    assert covered_by == {agreement.partner.code: OLD_ITEM}


def test_the_search_finds_and_names_the_version_in_force_only(client, record):
    agreement, _amendment, _project = record
    url = agreement.get_absolute_url()

    found = _agreement_results(_search(client, "すずらん"))
    by_item = _agreement_results(_search(client, "共同調達"))
    draft = _search(client, "ひまわり")
    draft_item = _search(client, "ドローン配送")
    english = _agreement_results(_text(client, "/en/search/?q=すずらん"))

    for results, link in ((found, url), (by_item, url), (english, f"/en{url}")):
        assert f'<a href="{link}">' in results
        assert OLD_TITLE in results
        assert NEW_TITLE not in results
    assert _agreement_results(draft) == _agreement_results(draft_item) == ""
    assert NEW_TITLE not in draft
    assert NEW_ITEM not in draft_item


def test_the_bulk_data_shows_no_amendment_being_drafted(client, record):
    agreement, _amendment, _project = record

    tables = _bulk(client)

    text = json.dumps(tables, ensure_ascii=False)
    assert NEW_TITLE not in text
    assert NEW_ITEM not in text
    [row] = [row for row in tables["agreements"] if row["area"] == agreement.area.slug]
    assert row["title"] == OLD_TITLE
    [participant] = [
        row
        for row in tables["project_participants"]
        if row["municipality"] == agreement.partner.code
    ]
    assert participant["agreement_item"] == OLD_ITEM


def test_once_in_effect_every_page_shows_the_new_title(client, record, staff_user):
    agreement, amendment, project = record

    _pass_and_put_into_effect(amendment, staff_user)
    texts = _public_texts(client, agreement, project)
    found = _agreement_results(_search(client, "ひまわり"))

    for name in (
        "partner's page",
        "central city's page",
        "area feed",
        "partner's feed",
        "agreements CSV",
        "agreements JSON",
        "area record",
        "agreement page",
    ):
        assert NEW_TITLE in texts[name], name
    for name in ("project page", "projects JSON", "area record"):
        assert NEW_ITEM in texts[name], name
    assert OLD_TITLE not in texts["partner's page"]
    assert NEW_TITLE in found
    assert _agreement_results(_search(client, "すずらん")) == ""


def test_an_amendments_comparison_names_the_agreement_as_in_force(client, record, staff_user):
    """While a second amendment is drafted, the first one's 新旧対照表 (page and workbook) and
    every list name the agreement by the title the first gave it."""
    agreement, amendment, project = record
    _pass_and_put_into_effect(amendment, staff_user)
    _draft(agreement, NEXT_TITLE, NEXT_ITEM, staff_user)

    comparison = _text(client, agreement.page_url("comparison", pk=amendment.pk))
    workbook = client.get(agreement.page_url("comparison_xlsx", pk=amendment.pk))
    heading = openpyxl.load_workbook(io.BytesIO(workbook.content)).active["A1"].value
    texts = _public_texts(client, agreement, project)

    assert f"<h1>{NEW_TITLE}<br>" in comparison
    assert NEXT_TITLE not in comparison
    assert heading == f"{NEW_TITLE} 新旧対照表"
    for name, text in texts.items():
        assert NEXT_TITLE not in text, name
        assert NEXT_ITEM not in text, name
    assert NEW_TITLE in texts["partner's page"]
    assert NEW_ITEM in texts["project page"]


def test_an_item_only_the_draft_has_is_not_named(client, record, staff_user):
    """An amendment being drafted adds an item, and a project is already said to be covered
    by it: the project names the agreement, not the item, until the item is in force."""
    agreement, _amendment, project = record
    added = AgreementItem(
        agreement=agreement,
        role=Role.ECONOMY,
        title="新設予定事業",
        central_city_part="事業を運営する。",
        partner_part="情報を提供する。",
    )
    services.item_save(item=added, user=staff_user, reason="事業の追加案")
    other = factories.ProjectFactory(vision=project.vision, role=Role.ECONOMY)
    factories.ProjectParticipantFactory(
        project=other, municipality=agreement.partner, agreement_item=added
    )
    slug = agreement.area.slug

    page = _text(client, f"/areas/{slug}/vision/projects/{other.pk}/")
    exported = json.loads(_text(client, f"/areas/{slug}/vision/projects.json"))

    assert "新設予定事業" not in page
    assert f'<a href="{agreement.get_absolute_url()}">連携協約</a>' in page
    covered_by = {p["id"]: p["covered_by"] for p in exported["vision"]["projects"]}
    assert covered_by == {project.pk: {agreement.partner.code: OLD_ITEM}, other.pk: {}}


def _drafted_agreements(area, count: int) -> None:
    """`count` agreements in force of the area, each with an amendment being drafted that
    renames it."""
    for number in range(count):
        agreement = factories.agreement_in_force(area=area, title=f"公開の名称{number}")
        factories.ProcedureFactory(agreement=agreement, amendment=True, drafting=True)
        Agreement.objects.filter(pk=agreement.pk).update(title=f"下書きの名称{number}")


# The municipality; the areas it is the central city of; its memberships; the statuses due
# for a refresh; its agreements; of those whose amendment is being drafted, the agreements,
# their procedures and their items; its projects; the directory's areas; commuting ratios.
MUNICIPALITY_PAGE_QUERIES = 11


@pytest.mark.parametrize("count", [2, 15])
def test_titles_of_drafted_agreements_take_the_same_queries_whatever_their_number(
    client, django_assert_num_queries, count
):
    area = factories.CooperationAreaFactory()
    _drafted_agreements(area, count)

    with django_assert_num_queries(MUNICIPALITY_PAGE_QUERIES):
        content = _text(client, f"/municipalities/{area.central_city.code}/")

    assert all(f"公開の名称{number}" in content for number in range(count))
    assert "下書きの名称" not in content
