"""Open data and the draft rule: downloads, the feed and every page agree on what is public."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
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


def test_areas_csv_and_json_give_each_area_with_stable_identifiers(client):
    area = demo.load()

    rows = _csv(client.get("/areas.csv"), AREA_CSV_COLUMNS)
    data = client.get("/areas.json").json()

    assert rows == [
        {
            "area": "nagano",
            "name": area.name,
            "central_city": "202011",
            "central_city_name": "長野市",
            "joint_central_city": "",
            "joint_central_city_name": "",
            "declared_on": "2016-02-17",
            "partners": "8",
            "agreements_in_force": "8",
            "current_step": "done",
            "current_step_label": "3つの手続すべて完了",
            "recorded": "true",
            "url": "http://testserver/areas/nagano/",
        }
    ]
    assert data["areas"][0]["partners"] == 8
    assert "localgovjp" in data["attribution"]


def test_area_agreements_csv_lists_both_councils_and_marks_samples(client):
    demo.load()

    rows = _csv(client.get("/areas/nagano/agreements.csv"))

    assert len(rows) == 8
    suzaka = rows[0]
    assert suzaka["partner"] == "202070" and suzaka["partner_name"] == "須坂市"
    assert (suzaka["status"], suzaka["signed_on"], suzaka["effective_on"]) == (
        "in_force",
        "2016-03-29",
        "2016-03-29",
    )
    assert (suzaka["central_council_result"], suzaka["partner_council_result"]) == (
        "passed",
        "passed",
    )
    assert suzaka["central_council_bill"] == "平成28年3月定例会 議案第31号"
    assert suzaka["sample_values"] == "true"


def test_area_record_json_holds_the_whole_public_record(client):
    demo.load()

    record = client.get("/areas/nagano.json").json()

    assert record["central_city"] == {
        "code": "202011",
        "name": "長野市",
        "name_en": "Nagano City",
        "english_name": "",
    }
    assert record["declaration"]["declared_on"] == "2016-02-17"
    assert len(record["memberships"]) == 8
    outsiders = {r["municipality"]: r["outside_reason"] for r in record["commuting_ratios"]}
    assert "北信定住自立圏" in outsiders["202118"]
    assert len(record["agreements"]) == 8
    conclusion = record["agreements"][0]["procedures"][0]
    assert conclusion["kind"] == "conclusion" and conclusion["stage"] == "effective"
    assert {r["council"] for r in conclusion["resolutions"]} == {"202011", "202070"}
    current, earlier = record["visions"]
    assert current["title"] == "長野地域スクラムビジョン（改定・サンプル）"
    assert current["previous"] == earlier["id"] and current["revision_reason"]
    assert earlier["title"] == "長野地域スクラムビジョン"
    indicator = earlier["projects"][0]["indicators"][0]
    assert indicator["actuals"][0] == {
        "fiscal_year": 2016,
        "value": "104000",
        "is_sample": True,
    }
    assert current["projects"][0]["indicators"][0]["progress"] == "achieved"


def test_vision_projects_csv_and_json(client):
    demo.load()

    rows = _csv(client.get("/areas/nagano/vision/projects.csv"), PROJECT_CSV_COLUMNS)
    data = client.get("/areas/nagano/vision/projects.json").json()

    assert len(rows) == 8  # one row per indicator of the current vision (the revision)
    assert {row["role"] for row in rows} == {"economy", "urban_functions", "living_services"}
    assert {row["progress"] for row in rows} == {
        "achieved",
        "on_track",
        "needs_acceleration",
        "limited",
        "deteriorating",
        "no_data",
    }
    assert rows[0]["project_number"] == "ア-01" and rows[0]["indicator_number"] == "1"
    assert len(data["vision"]["projects"]) == 7


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


def test_agreements_csv_speaks_japanese_at_the_plain_address_and_english_under_en(client):
    demo.load()

    japanese = _by_header(client.get("/areas/nagano/agreements.csv"))[0]
    english = _by_header(client.get("/en/areas/nagano/agreements.csv"))[0]

    # Codes stay in their own columns; a label or a name stands beside each.
    assert japanese["状況（コード）"] == "in_force" and japanese["状況"] == "効力あり"
    assert japanese["連携市町村（団体コード）"] == "202070" and japanese["連携市町村"] == "須坂市"
    assert japanese["連携中枢都市（団体コード）"] == "202011"
    assert japanese["連携中枢都市"] == "長野市"
    assert japanese["連携中枢都市の議会：議決結果（コード）"] == "passed"
    assert japanese["連携中枢都市の議会：議決結果"] == "可決"
    assert japanese["連携中枢都市の議会：議案"] == "平成28年3月定例会 議案第31号"
    assert english["Status (code)"] == "in_force" and english["Status"] == "In force"
    assert english["Partner (code)"] == "202070"
    assert english["Partner's council: result"] == "Passed (可決)"
    # The council names its bills in its own words, the same in both files.
    assert english["Partner's council: bill"] == japanese["連携市町村の議会：議案"]
    assert english["Page (URL)"] == "http://testserver/en/areas/nagano/agreements/202070/"


def test_areas_and_projects_csv_label_each_code_in_the_language_of_the_address(client):
    demo.load()

    areas = _by_header(client.get("/areas.csv"))[0]
    areas_en = _by_header(client.get("/en/areas.csv"))[0]
    projects = _by_header(client.get("/areas/nagano/vision/projects.csv"))[0]
    projects_en = _by_header(client.get("/en/areas/nagano/vision/projects.csv"))[0]

    assert (areas["現在の段階（コード）"], areas["現在の段階"]) == ("done", "3つの手続すべて完了")
    assert (areas_en["Current step (code)"], areas_en["Current step"]) == (
        "done",
        "All three steps done",
    )
    assert (projects["役割（コード）"], projects["役割"]) == ("economy", "ア 経済成長のけん引")
    assert (projects["分野（コード）"], projects["分野"]) == ("tourism", "戦略的な観光施策")
    assert (projects["進捗（コード）"], projects["進捗"]) == ("achieved", "達成")
    assert (projects["望ましい方向"], projects_en["Direction"]) == (
        "高いほど良い",
        "Higher is better",
    )
    assert (projects["主担当の市町村（団体コード）"], projects["主担当の市町村"]) == (
        "202011",
        "長野市",
    )
    assert projects["参加市町村"].split() == ["須坂市", "千曲市", "坂城町", "小布施町"] + [
        "高山村",
        "信濃町",
        "小川村",
        "飯綱町",
    ]
    assert len(projects["参加市町村（団体コード）"].split()) == 8
    assert (projects_en["Progress"], projects_en["Role (code)"]) == ("Achieved", "economy")


@pytest.mark.parametrize(
    "url, columns",
    [
        ("/areas.csv", AREA_CSV_COLUMNS),
        ("/areas/nagano/agreements.csv", AGREEMENT_CSV_COLUMNS),
        ("/areas/nagano/vision/projects.csv", PROJECT_CSV_COLUMNS),
    ],
)
def test_every_csv_header_is_translated_and_documented_in_both_languages(client, url, columns):
    demo.load()
    docs = (settings.BASE_DIR / "docs" / "open-data.md").read_text(encoding="utf-8")

    japanese = _table(client.get(url))[0]
    english = _table(client.get(f"/en{url}"))[0]

    assert len(set(japanese)) == len(japanese) == len(english) == len(columns)
    assert all(ja != en for ja, en in zip(japanese, english, strict=True)), "untranslated title"
    for name, ja, en in zip(columns, japanese, english, strict=True):
        assert f"| `{name}` | {ja} | {en} |" in docs, name


# Numbers, bills and links in the JSON documents ------------------------------------------


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


def test_amendment_json_links_its_comparison_table_and_english_links_stay_english(client):
    demo.load()

    agreements = client.get("/en/areas/nagano/agreements.json").json()["agreements"]

    (iizuna,) = [a for a in agreements if a["partner"] == "205907"]
    conclusion, amendment = iizuna["procedures"]
    assert "comparison_url" not in conclusion
    page = client.get(amendment["comparison_url"])
    assert page.status_code == 200 and page.context["amendment"].pk == amendment["id"]
    workbook = client.get(amendment["comparison_xlsx_url"])
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    # Before the councils: not signed, so no notice to give yet.
    assert (amendment["central_notice_url"], amendment["partner_notice_url"]) == (None, None)
    links = [link for a in agreements for link in _links(a)]
    assert links and all(link.startswith("http://testserver/en/areas/nagano/") for link in links)


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

    # the area; the agreements with their parties, items, procedures and resolutions
    with django_assert_num_queries(5):
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
    # indicators, actuals and yearly targets
    with django_assert_num_queries(13):
        rows = _csv(client.get(f"/areas/{area.slug}/vision/projects.csv"), PROJECT_CSV_COLUMNS)
    with django_assert_num_queries(13):
        client.get(f"/areas/{area.slug}/vision/projects.json")

    assert len(rows) == projects and all(row["lead_name"] for row in rows)
