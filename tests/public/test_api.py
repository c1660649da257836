"""The read-only API (/api/): every list and detail through HTTP, the same identifiers and
fields as the downloads, drafts never answered, filters with their 400s, modified_since,
pages, ETag and 304, the limit on requests, and a fixed number of queries per list.

Every test may see the Nagano demo (tests/conftest.py, shared_demo): what a test adds rolls
back with it.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.utils import timezone

from agreements.models import Agreement
from tests import factories
from vision.models import Indicator, Vision

pytestmark = pytest.mark.django_db

NAGANO, SUZAKA, IIZUNA = "202011", "202070", "205907"  # the central city and two partners
LISTS = ["areas", "municipalities", "agreements", "visions", "projects", "indicators"]


def _get(client, url: str, status: int = 200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:500])
    return response.json() if response.content else None


def _results(client, url: str) -> list[dict]:
    return _get(client, url)["results"]


# Every address ------------------------------------------------------------------------------


def test_index_links_every_list_the_schema_and_the_docs(client, shared_demo):
    index = _get(client, "/api/")

    assert index == {
        **{name: f"http://testserver/api/{name}/" for name in LISTS},
        "schema": "http://testserver/api/openapi.json",
        "docs": "http://testserver/api/docs/",
    }
    for name in LISTS:
        _get(client, index[name])


def test_areas_give_the_figures_of_areas_json_with_labels_in_both_languages(client, shared_demo):
    (area,) = _results(client, "/api/areas/")
    (row,) = _get(client, "/areas.json")["areas"]

    for name in ("name", "declared_on", "partners", "agreements_in_force", "current_step", "url"):
        assert area[name] == row[name], name
    assert area["slug"] == row["area"] == "nagano"
    assert area["central_city"] == {"code": NAGANO, "name": "長野市", "name_en": "Nagano City"}
    assert (area["current_step_label"], area["current_step_label_en"]) == (
        "3つの手続すべて完了",
        "All three steps done",
    )
    assert area["url_en"] == "http://testserver/en/areas/nagano/"
    assert area["api_url"] == "http://testserver/api/areas/nagano/"


def test_an_area_gives_its_declaration_members_vision_and_links(client, shared_demo):
    area = _get(client, "/api/areas/nagano/")

    assert area["declaration"]["declared_on"] == "2016-02-17"
    assert len(area["memberships"]) == 8 and all(m["current"] for m in area["memberships"])
    assert area["memberships"][0]["municipality"] == SUZAKA
    assert _get(client, f"/api/visions/{area['current_vision']}/")["is_current"] is True
    assert _get(client, area["record_url"])["area"]["slug"] == "nagano"
    assert len(_get(client, area["agreements_url"])["results"]) == 8
    assert _get(client, "/api/areas/none/", 404) == {"detail": "見つかりませんでした。"}


def test_municipalities_come_a_page_at_a_time_with_full_links(client, shared_demo):
    count = _get(client, "/api/municipalities/")["count"]

    first = _get(client, "/api/municipalities/?page_size=5")
    second = _get(client, first["next"])

    assert first["count"] == count >= 9 and len(first["results"]) == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/municipalities/?page=2&page_size=5"
    assert second["previous"] == "http://testserver/api/municipalities/?page_size=5"
    codes = [m["code"] for m in first["results"] + second["results"]]
    assert codes == sorted(codes) and len(set(codes)) == 10
    assert _get(client, "/api/municipalities/?page=1000", 404) == {
        "detail": "1000ページ目はありません。"
    }


def test_a_municipality_gives_its_names_kind_and_areas(client, shared_demo):
    suzaka = _get(client, f"/api/municipalities/{SUZAKA}/")
    nagano = _get(client, f"/api/municipalities/{NAGANO}/")

    assert (suzaka["name"], suzaka["name_en"], suzaka["kind"]) == ("須坂市", "Suzaka City", "city")
    assert (suzaka["kind_label"], suzaka["kind_label_en"]) == ("市", "City (市)")
    assert suzaka["areas"] == [
        {
            "area": "nagano",
            "area_name": shared_demo.name,
            "role": "partner",
            "joined_on": "2016-03-29",
            "left_on": None,
            "current": True,
        }
    ]
    assert [a["role"] for a in nagano["areas"]] == ["central_city"]
    assert len(_get(client, suzaka["agreements_url"])["results"]) == 1
    _get(client, "/api/municipalities/202071/", 404)


def test_agreements_agree_with_the_area_downloads(client, shared_demo):
    listed = _results(client, "/api/agreements/")
    exported = _get(client, "/areas/nagano/agreements.json")["agreements"]

    assert [(a["area"], a["central_city"], a["partner"]) for a in listed] == [
        (e["area"], e["central_city"], e["partner"]) for e in exported
    ]
    suzaka = listed[0]
    assert (suzaka["status"], suzaka["status_label"], suzaka["status_label_en"]) == (
        "in_force",
        "効力あり",
        "In force",
    )
    assert (suzaka["signed_on"], suzaka["effective_on"]) == ("2016-03-29", "2016-03-29")
    assert suzaka["url"] == exported[0]["url"]
    detail = _get(client, suzaka["api_url"])
    for name, value in exported[0].items():
        assert detail[name] == value, name


def test_an_agreement_nests_its_procedures_and_their_resolutions(client, shared_demo):
    agreement = _get(client, f"/api/agreements/nagano/{SUZAKA}/")

    (conclusion,) = agreement["procedures"]
    assert (conclusion["kind"], conclusion["stage"]) == ("conclusion", "effective")
    assert {r["council"] for r in conclusion["resolutions"]} == {NAGANO, SUZAKA}
    assert conclusion["resolutions"][0]["bill"].startswith("平成28年3月定例会 議案第")
    assert agreement["url_en"] == f"http://testserver/en/areas/nagano/agreements/{SUZAKA}/"
    _get(client, f"/api/agreements/nagano/{NAGANO}/", 404)
    _get(client, f"/api/agreements/nagano/{SUZAKA}/with/{NAGANO}/", 404)


def test_an_agreement_of_a_joint_central_city_has_an_address_of_its_own(client):
    joint = factories.MunicipalityFactory(city=True)
    area = factories.CooperationAreaFactory(joint_central_city=joint)
    partner = factories.AreaMembershipFactory(area=area).municipality
    factories.AgreementFactory(area=area, partner=partner)
    factories.AgreementFactory(area=area, partner=partner, central_party=joint)

    listed = _results(client, f"/api/agreements/?area={area.slug}")

    by_central = {a["central_city"]: a["api_url"] for a in listed}
    assert by_central == {
        area.central_city.code: f"http://testserver/api/agreements/{area.slug}/{partner.code}/",
        joint.code: (
            f"http://testserver/api/agreements/{area.slug}/{partner.code}/with/{joint.code}/"
        ),
    }
    for code, url in by_central.items():
        assert _get(client, url)["central_city"] == code


def test_visions_projects_and_indicators_agree_with_the_vision_download(client, shared_demo):
    visions = _results(client, "/api/visions/")
    exported = _get(client, "/areas/nagano/vision/projects.json")["vision"]

    assert [(v["status"], v["is_current"]) for v in visions] == [
        ("adopted", True),
        ("superseded", False),
    ]
    assert (visions[0]["status_label"], visions[0]["status_label_en"]) == (
        "策定済み",
        "Adopted (策定)",
    )
    vision = _get(client, visions[0]["api_url"])
    for name, value in exported.items():
        assert vision[name] == value, name
    project = _get(client, f"/api/projects/{exported['projects'][0]['id']}/")
    for name, value in exported["projects"][0].items():
        assert project[name] == value, name
    assert (project["area"], project["vision"], project["role_label_en"]) == (
        "nagano",
        vision["id"],
        "ア Driving economic growth (経済成長のけん引)",
    )
    first = exported["projects"][0]["indicators"][0]
    indicator = _get(client, f"/api/indicators/{first['id']}/")
    for name, value in first.items():
        assert indicator[name] == value, name
    assert indicator["project"] == project["id"]
    assert indicator["url"].endswith(f"/vision/projects/{project['id']}/#indicator-{first['id']}-h")


# Drafts -------------------------------------------------------------------------------------


def test_drafts_are_never_answered(client, shared_demo):
    internal = factories.AgreementFactory(area=shared_demo, internal=True)
    factories.ProcedureFactory(agreement=internal)
    public = Agreement.objects.get(area=shared_demo, partner__code=SUZAKA)
    drafting = factories.ProcedureFactory(agreement=public, amendment=True, drafting=True)
    draft = factories.VisionFactory(area=shared_demo, first_fiscal_year=2026, last_fiscal_year=2030)
    project = factories.ProjectFactory(vision=draft)
    indicator = factories.IndicatorFactory(project=project)

    agreements = _results(client, "/api/agreements/?page_size=200")
    assert internal.partner.code not in {a["partner"] for a in agreements}
    _get(client, f"/api/agreements/nagano/{internal.partner.code}/", 404)
    procedures = _get(client, f"/api/agreements/nagano/{SUZAKA}/")["procedures"]
    assert drafting.pk not in {p["id"] for p in procedures}
    assert draft.pk not in {v["id"] for v in _results(client, "/api/visions/")}
    assert project.pk not in {p["id"] for p in _results(client, "/api/projects/?page_size=200")}
    assert indicator.pk not in {i["id"] for i in _results(client, "/api/indicators/?page_size=200")}
    for url in (f"/api/visions/{draft.pk}/", f"/api/projects/{project.pk}/"):
        _get(client, url, 404)
    _get(client, f"/api/indicators/{indicator.pk}/", 404)
    assert _get(client, f"/api/projects/?vision={draft.pk}", 400) == {
        "vision": [f"ID {draft.pk} の公開された記録はありません。"]
    }
    assert _get(client, f"/api/indicators/?project={project.pk}", 400) == {
        "project": [f"ID {project.pk} の公開された記録はありません。"]
    }
    assert _get(client, "/api/visions/?status=draft", 400)["status"]


# Filters ------------------------------------------------------------------------------------


def test_agreements_filter_by_area_municipality_and_status(client, shared_demo):
    other = factories.agreement_in_force()

    def partners(query: str) -> list[str]:
        return [a["partner"] for a in _results(client, f"/api/agreements/?{query}")]

    assert len(partners("area=nagano")) == 8
    assert partners(f"area={other.area.slug}") == [other.partner.code]
    assert partners(f"municipality={SUZAKA}") == [SUZAKA]
    assert len(partners(f"municipality={NAGANO}")) == 8
    assert len(partners("area=nagano&status=in_force")) == 7
    assert partners("area=nagano&status=amending") == [IIZUNA]
    assert partners("status=abolished") == []
    assert partners("area=&status=") == partners("")


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "status=in-force",
            {
                "status": [
                    "「in-force」は次のいずれでもありません：draft, proposed, in_council, "
                    "rejected, passed, concluded, withdrawn, failed, in_force, amending, "
                    "amended, abolishing, abolished, lapse_pending, lapsing, lapsed, expired。"
                ]
            },
        ),
        ("area=tokyo", {"area": ["識別子「tokyo」の圏域はありません。"]}),
        (
            "municipality=20207",
            {"municipality": ["地方公共団体コードは6桁の数字です（例：202011）。"]},
        ),
        (
            "municipality=202071",
            {
                "municipality": [
                    "202071は正しい地方公共団体コードではありません。"
                    "検査数字（6桁目）は0になるはずです。"
                ]
            },
        ),
        (
            "municipality=131016",
            {"municipality": ["団体コード 131016 の地方公共団体はありません。"]},
        ),
        (
            "modified_since=last+week",
            {
                "modified_since": [
                    "「last week」は日付でも日時でもありません。2026-04-01 や "
                    "2026-04-01T09:00:00+09:00 のように指定してください。"
                ]
            },
        ),
        ("modified_since=2026-02-30", None),
        ("modified_since=0001-01-01", None),
        ("area=%00", {"area": ["識別子「\x00」の圏域はありません。"]}),
        ("page=0", {"page": ["「0」はページ番号ではありません。1以上の整数で指定してください。"]}),
        (
            "page_size=500",
            {
                "page_size": [
                    "「500」は1ページの件数ではありません。1から200までの整数で指定してください。"
                ]
            },
        ),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(client, shared_demo, query, expected):
    answer = _get(client, f"/api/agreements/?{query}", 400)

    name = query.split("=")[0]
    assert list(answer) == [name]
    if expected is not None:
        assert answer == expected


def test_every_bad_parameter_is_named_at_once(client, shared_demo):
    answer = _get(client, "/api/agreements/?status=x&area=y&modified_since=z", 400)

    assert set(answer) == {"status", "area", "modified_since"}


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/api/areas/?step=done", 1),
        ("/api/areas/?step=vision", 0),
        (f"/api/areas/?municipality={SUZAKA}", 1),
        ("/api/municipalities/?area=nagano", 9),
        ("/api/municipalities/?area=nagano&kind=village", 2),
        ("/api/visions/?area=nagano&status=superseded", 1),
        (f"/api/visions/?municipality={IIZUNA}", 2),
        (f"/api/projects/?area=nagano&municipality={IIZUNA}", 9),
        (f"/api/indicators/?area=nagano&municipality={IIZUNA}", 11),
    ],
)
def test_each_list_takes_its_filters(client, shared_demo, url, expected):
    assert _get(client, url)["count"] == expected


def test_areas_filter_by_the_step_they_are_at(client, shared_demo):
    declared = factories.CooperationAreaFactory()
    undeclared = factories.CooperationAreaFactory(declared_on=None, declaration_text="")
    in_force = factories.agreement_in_force().area

    def slugs(step: str) -> set[str]:
        return {a["slug"] for a in _results(client, f"/api/areas/?step={step}")}

    assert undeclared.slug in slugs("declaration")
    assert declared.slug not in slugs("declaration") and declared.slug not in slugs("vision")
    assert in_force.slug in slugs("vision")
    assert "nagano" in slugs("done")
    for step in ("declaration", "agreements", "vision", "done"):
        for area in _results(client, f"/api/areas/?step={step}"):
            assert area["current_step"] == step


def test_projects_and_indicators_filter_by_vision_and_project(client, shared_demo):
    visions = _results(client, "/api/visions/")
    current, earlier = (v["id"] for v in visions)
    projects = _results(client, f"/api/projects/?vision={earlier}")
    project = projects[0]["id"]

    assert {p["vision"] for p in projects} == {earlier}
    assert {i["project"] for i in _results(client, f"/api/indicators/?project={project}")} == {
        project
    }
    assert {i["vision"] for i in _results(client, f"/api/indicators/?vision={current}")} == {
        current
    }
    assert _get(client, "/api/projects/?vision=x", 400) == {
        "vision": ["「x」はIDではありません。12のような整数で指定してください。"]
    }


# modified_since -----------------------------------------------------------------------------


LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 1, 12))


def _written_long_ago() -> str:
    """Every write so far as if made on LONG_AGO (rolled back with the test); the moment
    after, for modified_since."""
    for label in factories.DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if getattr(model, "instance_type", None) is None and hasattr(model, "history"):
                model.history.update(history_date=LONG_AGO)
    return timezone.now().isoformat().replace("+", "%2B")


def _partners(client, query: str) -> list[str]:
    return [a["partner"] for a in _results(client, f"/api/agreements/?area=nagano&{query}")]


def test_modified_since_finds_what_was_written_since(client, shared_demo):
    since = _written_long_ago()
    before = timezone.now()
    suzaka = Agreement.objects.get(area=shared_demo, partner__code=SUZAKA)

    assert _partners(client, f"modified_since={since}") == []
    factories.AgreementItemFactory(agreement=suzaka)

    assert _partners(client, f"modified_since={since}") == [SUZAKA]
    assert len(_partners(client, "modified_since=2020-01-01")) == 8
    # A "+" not written %2B arrives as a space: it still reads as the offset.
    assert _partners(client, f"modified_since={before.isoformat()}") == [SUZAKA]
    (listed,) = _results(client, f"/api/agreements/?area=nagano&modified_since={since}")
    assert datetime.datetime.fromisoformat(listed["modified"]) >= before
    assert listed["modified"].endswith("+09:00")
    after = (timezone.now() + datetime.timedelta(seconds=1)).isoformat().replace("+", "%2B")
    assert _partners(client, f"modified_since={after}") == []


def test_modified_since_counts_a_resolution_and_a_removed_item(client, shared_demo):
    iizuna = Agreement.objects.get(area=shared_demo, partner__code=IIZUNA)
    suzaka = Agreement.objects.get(area=shared_demo, partner__code=SUZAKA)
    item = factories.AgreementItemFactory(agreement=suzaka)
    since = _written_long_ago()

    factories.CouncilResolutionFactory(procedure=iizuna.procedures.get(kind="amendment"))
    assert _partners(client, f"modified_since={since}") == [IIZUNA]
    item.delete()
    assert _partners(client, f"modified_since={since}") == [SUZAKA, IIZUNA]


def test_modified_since_counts_a_day_that_comes_from_its_start_in_japan(client, shared_demo):
    today = timezone.localdate()
    agreement = factories.agreement_in_force()
    procedure = agreement.procedures.get()
    procedure.effective_on = today  # takes effect today: its status changed at 00:00
    procedure.save()
    _written_long_ago()
    query = f"/api/agreements/?area={agreement.area.slug}&modified_since="

    (listed,) = _results(client, query + today.isoformat())
    assert listed["modified"] == f"{today.isoformat()}T00:00:00+09:00"
    assert listed["status"] == "in_force"
    assert _results(client, query + f"{today.isoformat()}T00:00:01%2B09:00") == []
    assert _results(client, query + (today + datetime.timedelta(days=1)).isoformat()) == []
    # The same moment in UTC.
    midnight = datetime.datetime.combine(today, datetime.time()) - datetime.timedelta(hours=9)
    assert len(_results(client, query + midnight.strftime("%Y-%m-%dT%H:%M:%SZ"))) == 1


def test_modified_since_on_indicators_projects_and_visions(client, shared_demo):
    since = "modified_since=" + _written_long_ago()
    indicator = Indicator.objects.filter(project__vision__area=shared_demo).first()

    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2030)

    assert [i["id"] for i in _results(client, f"/api/indicators/?{since}")] == [indicator.pk]
    assert [p["id"] for p in _results(client, f"/api/projects/?{since}")] == [indicator.project_id]
    assert [v["id"] for v in _results(client, f"/api/visions/?{since}")] == [
        indicator.project.vision_id
    ]


# HTTP ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/", "/api/agreements/?area=nagano", f"/api/agreements/nagano/{SUZAKA}/"]
)
def test_answers_are_public_json_with_an_etag_and_304_when_unchanged(client, shared_demo, url):
    response = client.get(url)

    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response and not response.cookies
    etag = response["ETag"]
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    factories.AgreementItemFactory(agreement=Agreement.objects.get(partner__code=SUZAKA))
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == (304 if url == "/api/" else 200)


def test_the_api_is_one_address_whatever_the_language(client, shared_demo):
    assert client.get("/en/api/agreements/").status_code == 404
    assert _get(client, "/api/agreements/")["results"][0]["status_label_en"] == "In force"


def test_requests_beyond_the_limit_are_refused_whatever_x_forwarded_for_says(
    client, shared_demo, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }

    # Filtered lists: answers the page cache does not keep (those it keeps cost no query, and
    # are not counted).
    answers = [
        client.get(
            f"/api/areas/?step=vision&n={n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(4)
    ]

    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/areas/?step=vision")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["detail"]


def test_nothing_but_get_is_answered(client, shared_demo):
    assert client.post("/api/areas/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"/api/agreements/nagano/{SUZAKA}/").status_code == 405


# The documentation --------------------------------------------------------------------------


def test_docs_run_swagger_ui_from_our_own_files_without_inline_script_or_style(client):
    response = client.get("/api/docs/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<style" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert 'data-schema-url="/api/openapi.json"' in page
    sources = re.findall(r'(?:src|href)="/static/([^"]+)"', page)
    assert len(sources) >= 4 and all(finders.find(source) for source in sources), sources
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_every_page_links_the_api_docs_in_its_footer(client, shared_demo):
    for url in ("/", "/en/areas/nagano/"):
        footer = client.get(url).content.decode().split('class="site-footer"')[1]
        assert 'href="/api/docs/"' in footer


# The work of a list does not grow with its records ------------------------------------------


def _area_with(n: int):
    """An area with n partners, each with an agreement in force and an item, and a vision
    with n projects, each with an indicator with an actual value and a participant."""
    area = factories.CooperationAreaFactory()
    vision = factories.VisionFactory(area=area, adopted=True)
    for _ in range(n):
        agreement = factories.agreement_in_force(area=area)
        factories.AgreementItemFactory(agreement=agreement)
        project = factories.ProjectFactory(vision=vision)
        factories.ProjectParticipantFactory(project=project, municipality=agreement.partner)
        factories.ProjectBudgetFactory(project=project)
        factories.IndicatorActualFactory(indicator__project=project)
    return area


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize(
    "url, queries",
    [
        # the statuses a date changed; the count; the page with figures
        ("/api/areas/", 3),
        # the count; the page
        ("/api/municipalities/", 2),
        # the count; the page; procedures; resolutions; which are being amended
        ("/api/agreements/", 5),
        # the count; the page
        ("/api/visions/", 2),
        # the count; the page; participations with municipalities and items; costs;
        # indicators; their actual values and targets; the covering items as in force
        ("/api/projects/", 10),
        # the count; the page; actual values; targets
        ("/api/indicators/", 4),
    ],
)
def test_a_list_costs_the_same_queries_whatever_its_size(
    client, shared_demo, django_assert_num_queries, n, url, queries
):
    _area_with(n)
    for _ in range(n):
        factories.VisionFactory(status=Vision.Status.PUBLIC_COMMENT)

    with django_assert_num_queries(queries):
        answer = _get(client, f"{url}?page_size=200&modified_since=2000-01-01")

    assert answer["count"] >= n


@pytest.mark.parametrize("n", [2, 12])
def test_a_filtered_list_adds_one_query_per_named_record(
    client, shared_demo, django_assert_num_queries, n
):
    area = _area_with(n)

    # the area; the municipality; the statuses a date changed; the count; the page;
    # procedures; resolutions; which are being amended
    with django_assert_num_queries(8):
        answer = _get(
            client,
            f"/api/agreements/?area={area.slug}&municipality={area.central_city.code}"
            "&status=in_force",
        )

    assert answer["count"] == n
