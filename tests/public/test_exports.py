"""Open data and the draft rule: downloads, the feed and every page agree on what is public."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from agreements import services
from agreements.exports import AGREEMENT_CSV_COLUMNS
from agreements.status import ProcedureKind
from public import demo
from public.exports import AREA_CSV_COLUMNS
from tests import factories
from vision.exports import PROJECT_CSV_COLUMNS

pytestmark = pytest.mark.django_db

SECRET = "内部検討中の協約案"


def _table(response) -> list[list[str]]:
    """The CSV as Excel reads it: UTF-8 after its byte-order mark, header row first."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff"))))


def _by_header(response) -> list[dict]:
    """Each row keyed by the header as a person reads it."""
    header, *rows = _table(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _csv(response, columns=AGREEMENT_CSV_COLUMNS) -> list[dict]:
    """Each row keyed by the columns' machine names, mapped from the header in the language
    of the response, as docs/open-data.md tells a program to."""
    header, *rows = _table(response)
    with translation.override(response["Content-Language"]):
        assert header == [str(title) for title in columns.values()]
    return [dict(zip(columns, row, strict=True)) for row in rows]


@pytest.fixture
def area_with_internal_draft():
    """One public agreement in force and one internal draft with a procedure being drafted."""
    public = factories.agreement_in_force()
    area = public.area
    internal = factories.AgreementFactory(area=area, internal=True, title=SECRET)
    services.procedure_start(agreement=internal, kind=ProcedureKind.CONCLUSION, summary=SECRET)
    return area, public, internal


def test_internal_draft_appears_nowhere_public(client, area_with_internal_draft):
    area, public, internal = area_with_internal_draft
    slug = area.slug
    pages = [
        "/",
        f"/areas/{slug}/",
        f"/municipalities/{internal.partner.code}/",
        f"/municipalities/{area.central_city.code}/",
        "/areas.csv",
        "/areas.json",
        f"/areas/{slug}/agreements.csv",
        f"/areas/{slug}/agreements.json",
        f"/areas/{slug}.json",
        f"/areas/{slug}/feed.atom",
    ]
    responses = {url: client.get(url) for url in pages}
    for url, response in responses.items():
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    assert client.get(f"/areas/{slug}/agreements/{internal.partner.code}/").status_code == 404

    rows = _csv(client.get(f"/areas/{slug}/agreements.csv"))
    assert [row["partner"] for row in rows] == [public.partner.code]
    record = client.get(f"/areas/{slug}.json").json()
    assert [a["partner"] for a in record["agreements"]] == [public.partner.code]
    # The picture and the table say only that the partner has no agreement yet.
    page = responses[f"/areas/{slug}/"]
    assert page.context["agreement_count"] == 1
    spoke_rows = {row.partner.code: row.agreement for row in page.context["rows"]}
    assert spoke_rows[internal.partner.code] is None


def test_vision_projects_of_an_area_with_only_a_draft_vision_are_not_found(client):
    vision = factories.VisionFactory()
    factories.ProjectFactory(vision=vision)

    assert client.get(f"/areas/{vision.area.slug}/vision/projects.csv").status_code == 404
    assert client.get(f"/areas/{vision.area.slug}/vision/projects.json").status_code == 404
    assert client.get(f"/areas/{vision.area.slug}.json").json()["visions"] == []


def test_unknown_area_downloads_are_not_found(client):
    for url in ["/areas/none.json", "/areas/none/feed.atom", "/areas/none/agreements.csv"]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("partners", [8, 80])
def test_area_record_json_queries_do_not_grow(client, django_assert_num_queries, partners):
    area = factories.CooperationAreaFactory()
    for _ in range(partners):
        factories.AgreementItemFactory(agreement=factories.agreement_in_force(area=area))
    project = factories.ProjectFactory(vision__area=area, vision__adopted=True)
    indicator = factories.IndicatorFactory(project=project)
    factories.IndicatorActualFactory(indicator=indicator)
    factories.IndicatorTargetFactory(indicator=indicator)

    # ... the yearly targets of the indicators, and the visions' roundtable members,
    # meetings and public comments; the projects' budgets; the allocation tax and the
    # closed fiscal years
    with django_assert_num_queries(19):
        response = client.get(f"/areas/{area.slug}.json")

    assert len(json.loads(response.content)["agreements"]) == partners


def test_csv_keeps_formula_like_text_as_text(client):
    agreement = factories.agreement_in_force(title='=HYPERLINK("http://evil")')

    rows = _csv(client.get(f"/areas/{agreement.area.slug}/agreements.csv"))

    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'


def test_vision_json_has_the_roundtable_and_the_comments_only_after_the_period(client, area):
    today = timezone.localdate()
    vision = factories.VisionFactory(
        area=area,
        adopted=True,
        comment_starts_on=today - datetime.timedelta(days=30),
        comment_ends_on=today,
    )
    factories.RoundtableMemberFactory(vision=vision, name="委員甲")
    factories.RoundtableMeetingFactory(vision=vision)
    factories.PublicCommentFactory(vision=vision, summary="意見の要旨")
    url = f"/areas/{area.slug}/vision/projects.json"

    during = client.get(url).json()["vision"]
    vision.comment_ends_on = today - datetime.timedelta(days=1)
    vision.save()
    after = client.get(url).json()["vision"]

    assert during["roundtable"]["members"][0]["name"] == "委員甲"
    assert during["roundtable"]["meetings"][0]["minutes"] == "https://www.example.jp/minutes/1.pdf"
    assert during["public_comment"]["comments"] is None
    assert "意見の要旨" not in json.dumps(during, ensure_ascii=False)
    assert after["public_comment"]["comments"][0]["summary"] == "意見の要旨"


def test_numbers_are_written_without_trailing_zeros(client):
    area = factories.CooperationAreaFactory()
    indicator = factories.IndicatorFactory(
        project__vision__area=area,
        project__vision__adopted=True,
        baseline_value=Decimal("3.0000"),
        target_value=Decimal("12.5000"),
    )
    factories.IndicatorActualFactory(indicator=indicator, value=Decimal("0.0000"))
    factories.ProjectBudgetFactory(project=indicator.project, amount=Decimal("150000.0000"))
    factories.CommutingRatioFactory(area=area, ratio=Decimal("0.1500"))

    (row,) = _csv(client.get(f"/areas/{area.slug}/vision/projects.csv"), PROJECT_CSV_COLUMNS)
    record = client.get(f"/areas/{area.slug}.json").json()

    assert (row["baseline_value"], row["target_value"], row["latest_actual_value"]) == (
        "3",
        "12.5",
        "0",
    )
    (project,) = record["visions"][0]["projects"]
    (exported,) = project["indicators"]
    assert (exported["baseline"]["value"], exported["target"]["value"]) == ("3", "12.5")
    assert exported["actuals"][0]["value"] == "0"
    assert project["budgets"][0]["amount"] == "150000"
    assert record["commuting_ratios"][0]["ratio"] == "0.15"


def test_agreement_json_names_each_bill_and_links_its_pages_and_documents(client):
    agreement = factories.agreement_in_force()
    procedure = agreement.procedures.get()
    resolution = procedure.resolutions.get(municipality=agreement.partner)
    resolution.document.save("gi.pdf", ContentFile(demo.sample_pdf("Resolution")))
    slug = agreement.area.slug

    (record,) = client.get(f"/areas/{slug}/agreements.json").json()["agreements"]
    (whole,) = client.get(f"/areas/{slug}.json").json()["agreements"]

    assert whole == record
    (exported,) = record["procedures"]
    bills = {r["council"]: r for r in exported["resolutions"]}
    partner = bills[agreement.partner.code]
    assert partner["bill"] == f"平成28年3月定例会 {resolution.bill_number}"
    pdf = client.get(partner["document_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert bills[agreement.area.central_city.code]["document_url"] is None
    assert client.get(record["url"]).context["agreement"] == agreement
    assert client.get(record["versions"][0]["url"]).status_code == 200
    central_notice = client.get(exported["central_notice_url"]).content.decode()
    assert agreement.area.central_city.name in central_notice
    partner_notice = client.get(exported["partner_notice_url"])
    assert partner_notice["Content-Disposition"].endswith(f'-{agreement.partner.code}.txt"')
    # Every link of the record leads somewhere.
    for link in _links(record):
        assert client.get(link).status_code == 200, link


def _links(value) -> list[str]:
    """Every link of a JSON document: the values of its keys `url` and `…_url`."""
    if isinstance(value, dict):
        return [
            link
            for key, inner in value.items()
            for link in (
                [inner] if (key == "url" or key.endswith("_url")) and inner else _links(inner)
            )
        ]
    if isinstance(value, list):
        return [link for inner in value for link in _links(inner)]
    return []


def test_vision_json_links_minutes_kept_here_by_their_full_address(client):
    demo.load()

    (meeting, *_) = client.get("/areas/nagano/vision/projects.json").json()["vision"]["roundtable"][
        "meetings"
    ]

    assert meeting["minutes"].startswith("http://testserver/areas/nagano/vision/minutes/")
    assert client.get(meeting["minutes"])["Content-Type"] == "application/pdf"


# Each download's work grows with what it shows, never with the whole country -------------


@pytest.mark.parametrize("areas", [2, 12])
def test_areas_csv_queries_do_not_grow(client, django_assert_num_queries, areas):
    for _ in range(areas):
        area = factories.CooperationAreaFactory(joint_central_city=factories.MunicipalityFactory())
        factories.agreement_in_force(area=area)

    # the statuses a date changed; the areas with their figures and central cities
    with django_assert_num_queries(2):
        rows = _csv(client.get("/areas.csv"), AREA_CSV_COLUMNS)

    assert len(rows) == areas and all(row["joint_central_city_name"] for row in rows)


@pytest.mark.parametrize("partners", [2, 20])
def test_area_agreements_downloads_queries_do_not_grow(client, django_assert_num_queries, partners):
    area = factories.CooperationAreaFactory()
    for _ in range(partners):
        agreement = factories.agreement_in_force(area=area)
        resolution = agreement.procedures.get().resolutions.first()
        resolution.document.save("gi.pdf", ContentFile(b"%PDF-1.4"))

    # the area; the agreements with their parties, items, procedures and resolutions; for the
    # CSV, the agreements being amended (for the titles the public reads)
    with django_assert_num_queries(6):
        rows = _csv(client.get(f"/areas/{area.slug}/agreements.csv"))
    with django_assert_num_queries(5):
        record = client.get(f"/areas/{area.slug}/agreements.json").json()

    assert len(rows) == len(record["agreements"]) == partners
    assert all(row["partner_council_bill"] for row in rows)


@pytest.mark.parametrize("projects", [2, 20])
def test_vision_projects_downloads_queries_do_not_grow(client, django_assert_num_queries, projects):
    area = factories.CooperationAreaFactory()
    vision = factories.VisionFactory(area=area, adopted=True)
    for _ in range(projects):
        project = factories.ProjectFactory(vision=vision)
        factories.ProjectParticipantFactory(project=project)
        factories.IndicatorActualFactory(indicator__project=project)

    # the area; the vision; its roundtable members, meetings and comments; the projects with
    # their leads; their participants, municipalities and agreement items; budgets;
    # indicators, actuals and yearly targets; for the JSON, the agreements being amended (for
    # the titles the public reads of the items that cover the participants)
    with django_assert_num_queries(13):
        rows = _csv(client.get(f"/areas/{area.slug}/vision/projects.csv"), PROJECT_CSV_COLUMNS)
    with django_assert_num_queries(14):
        client.get(f"/areas/{area.slug}/vision/projects.json")

    assert len(rows) == projects and all(row["lead_name"] for row in rows)
