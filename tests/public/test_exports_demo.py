"""Open data of the Nagano demo: the downloads in both languages, their labels, links and
documented headers. The demo is loaded once for the module (tests/conftest.py, shared_demo);
the tests that need an empty database or files of their own are in test_exports.py."""

import pytest
from django.conf import settings

from agreements.exports import AGREEMENT_CSV_COLUMNS
from public.exports import AREA_CSV_COLUMNS
from tests.public.test_exports import _by_header, _csv, _links, _table
from vision.exports import PROJECT_CSV_COLUMNS

pytestmark = pytest.mark.django_db


def test_areas_csv_and_json_give_each_area_with_stable_identifiers(client, shared_demo):
    area = shared_demo

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


def test_area_agreements_csv_lists_both_councils_and_marks_samples(client, shared_demo):

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


def test_area_record_json_holds_the_whole_public_record(client, shared_demo):

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


def test_vision_projects_csv_and_json(client, shared_demo):

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


def test_agreements_csv_speaks_japanese_at_the_plain_address_and_english_under_en(
    client, shared_demo
):

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


def test_areas_and_projects_csv_label_each_code_in_the_language_of_the_address(client, shared_demo):

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
def test_every_csv_header_is_translated_and_documented_in_both_languages(
    client, url, columns, shared_demo
):
    docs = (settings.BASE_DIR / "docs" / "open-data.md").read_text(encoding="utf-8")

    japanese = _table(client.get(url))[0]
    english = _table(client.get(f"/en{url}"))[0]

    assert len(set(japanese)) == len(japanese) == len(english) == len(columns)
    assert all(ja != en for ja, en in zip(japanese, english, strict=True)), "untranslated title"
    for name, ja, en in zip(columns, japanese, english, strict=True):
        assert f"| `{name}` | {ja} | {en} |" in docs, name


# Numbers, bills and links in the JSON documents ------------------------------------------


def test_amendment_json_links_its_comparison_table_and_english_links_stay_english(
    client, shared_demo
):

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
