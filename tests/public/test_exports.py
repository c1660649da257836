"""Open data and the draft rule: downloads, the feed and every page agree on what is public."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from agreements import services
from agreements.status import ProcedureKind
from public import demo
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SECRET = "内部検討中の協約案"


def _csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


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

    rows = _csv(client.get("/areas.csv"))
    data = client.get("/areas.json").json()

    assert rows == [
        {
            "area": "nagano",
            "name": area.name,
            "central_city": "202011",
            "central_city_name": "長野市",
            "joint_central_city": "",
            "declared_on": "2016-02-17",
            "partners": "8",
            "agreements_in_force": "8",
            "current_step": "done",
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
    assert suzaka["central_council_bill"] == "議案第31号"
    assert suzaka["sample_values"] == "true"


def test_area_record_json_holds_the_whole_public_record(client):
    demo.load()

    record = client.get("/areas/nagano.json").json()

    assert record["central_city"] == {"code": "202011", "name": "長野市"}
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
        "value": "104000.0000",
        "is_sample": True,
    }
    assert current["projects"][0]["indicators"][0]["progress"] == "achieved"


def test_vision_projects_csv_and_json(client):
    demo.load()

    rows = _csv(client.get("/areas/nagano/vision/projects.csv"))
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


def test_area_feed_lists_submissions_resolutions_signing_and_effect_newest_first(client):
    demo.load()

    response = client.get("/areas/nagano/feed.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    # Each conclusion submitted, passed by two councils, signed and taking effect; the
    # amendment before the councils submitted.
    assert len(entries) == 8 * 5 + 1
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[0].startswith(
        gettext("Submitted to the councils: %(procedure)s (%(partner)s)").split("%")[0]
    )
    assert "別表第3" in entries[0].find(f"{ATOM}summary").text
    first = entries[0]
    assert first.find(f"{ATOM}updated").text.startswith("2026-11-20")
    assert entries[1].find(f"{ATOM}updated").text.startswith("2016-03-29")
    assert "/areas/nagano/agreements/" in first.find(f"{ATOM}link").get("href")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)


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


def test_area_feed_escapes_what_clerks_typed(client):
    agreement = factories.agreement_in_force()
    factories.CouncilResolutionFactory(
        procedure=agreement.procedures.get(),
        by_central_city=True,
        rejected=True,
        resolved_on=factories.RESOLVED_ON,
        session="<img src=x onerror=alert(1)>",
    )

    body = client.get(f"/areas/{agreement.area.slug}/feed.atom").content.decode()

    assert "&lt;img" not in body.replace("&amp;lt;img", "")  # escaped once more inside HTML
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt;" in body


def test_area_feed_entry_ids_are_links_to_the_events(client):
    agreement = factories.agreement_in_force()

    feed = ET.fromstring(client.get(f"/areas/{agreement.area.slug}/feed.atom").content)

    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert all(i.startswith("http://testserver/areas/") for i in ids)
    assert sum("#resolution-" in i for i in ids) == 2
    procedure = agreement.procedures.get().pk
    assert {i.split("#")[1] for i in ids if "#procedure-" in i} == {
        f"procedure-{procedure}-submitted",
        f"procedure-{procedure}",
    }
    # Each is an anchor on the agreement's page.
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert f'id="procedure-{procedure}-submitted"' in page and f'id="procedure-{procedure}"' in page


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


@pytest.mark.parametrize("agreements", [3, 40])
def test_area_feed_reads_only_its_latest_entries(
    client, django_assert_num_queries, agreements, monkeypatch
):
    monkeypatch.setattr("public.feeds.MAX_EVENTS", 30)
    area = factories.CooperationAreaFactory()
    for n in range(agreements):
        agreement = factories.agreement_in_force(area=area)
        procedure = agreement.procedures.get()
        procedure.resolutions.update(resolved_on=factories.RESOLVED_ON + datetime.timedelta(n))
        procedure.effective_on = factories.EFFECTIVE_ON + datetime.timedelta(n)
        procedure.save()

    # the area; the latest submissions with their agreements' procedures; the latest
    # resolutions; the latest signings; the latest procedures in effect with their
    # resolutions and their agreements' procedures
    with django_assert_num_queries(8) as captured:
        response = client.get(f"/areas/{area.slug}/feed.atom")

    latest = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"]]
    assert sum("LIMIT 30" in sql for sql in latest) == 4

    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert len(entries) == min(30, agreements * 4)
    days = [e.find(f"{ATOM}updated").text for e in entries]
    assert days == sorted(days, reverse=True)
    newest = str(factories.EFFECTIVE_ON + datetime.timedelta(agreements - 1))
    assert days[0].startswith(newest)
    assert "#procedure-" in entries[0].find(f"{ATOM}link").get("href")


def test_area_feed_puts_the_effect_after_the_resolutions_of_the_same_day(client):
    agreement = factories.agreement_in_force()
    procedure = agreement.procedures.get()
    procedure.effective_on = factories.RESOLVED_ON
    procedure.save()

    feed = ET.fromstring(client.get(f"/areas/{agreement.area.slug}/feed.atom").content)

    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links[0].endswith(f"#procedure-{procedure.pk}")
    assert all("#resolution-" in link for link in links[1:3])
    assert links[3].endswith(f"#procedure-{procedure.pk}-submitted")
