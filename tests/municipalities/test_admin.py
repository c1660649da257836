import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.admin import MembershipFormSet
from municipalities.codes import ERROR_CODE_CHECK_DIGIT
from municipalities.models import (
    ERROR_MEMBERSHIP_CENTRAL_CITY,
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
    proposed_slug,
)
from public import demo
from tests import factories
from tests.municipalities.admin_forms import change_form_data, inline_formset

pytestmark = pytest.mark.django_db

MUNICIPALITY_ADD = reverse("admin:municipalities_municipality_add")


def _results(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def _municipality_post(**overrides) -> dict:
    return {
        "code": "202011",
        "name": "長野市",
        "name_kana": "ながのし",
        "kind": "city",
        "prefecture": "長野県",
        "website": "",
        "population": "372760",
        "population_census_year": "2020",
        "population_figure": "final",
        "area_km2": "834.81",
        "latitude": "",
        "longitude": "",
    } | overrides


# Municipalities


def test_municipality_changelist_finds_municipality_by_kana(admin_client):
    demo.load()

    response = admin_client.get(
        reverse("admin:municipalities_municipality_changelist"), {"q": "すざか"}
    )

    assert [m.name for m in _results(response)] == ["須坂市"]


def test_municipality_changelist_finds_municipality_by_code(admin_client):
    demo.load()

    response = admin_client.get(
        reverse("admin:municipalities_municipality_changelist"), {"q": "205613"}
    )

    assert [m.name for m in _results(response)] == ["山ノ内町"]


def test_municipality_changelist_filters_by_kind(admin_client):
    demo.load()

    response = admin_client.get(
        reverse("admin:municipalities_municipality_changelist"), {"kind__exact": "village"}
    )

    assert {m.name for m in _results(response)} == {"高山村", "小川村", "麻績村"}


def test_municipality_add_records_user_in_history(admin_client, staff_user):
    response = admin_client.post(MUNICIPALITY_ADD, _municipality_post())

    assert response.status_code == 302
    municipality = Municipality.objects.get(code="202011")
    assert municipality.history.get().history_user == staff_user


def test_municipality_add_refuses_wrong_check_digit(admin_client):
    response = admin_client.post(MUNICIPALITY_ADD, _municipality_post(code="202012"))

    assert response.status_code == 200
    message = str(ERROR_CODE_CHECK_DIGIT) % {"code": "202012", "expected": 1}
    assert response.context["adminform"].form.errors["code"] == [message]
    assert message in response.content.decode()
    assert not Municipality.objects.exists()
    assert not Municipality.history.exists()


def test_municipality_history_shows_change_and_its_user(admin_client, staff_user):
    municipality = factories.MunicipalityFactory(population=10000)
    change_url = reverse("admin:municipalities_municipality_change", args=[municipality.pk])
    data = change_form_data(admin_client.get(change_url))
    data["population"] = "12345"

    assert admin_client.post(change_url, data).status_code == 302
    response = admin_client.get(
        reverse("admin:municipalities_municipality_history", args=[municipality.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    latest = response.context["page_obj"][0]
    assert (latest.history_type, latest.history_user) == ("~", staff_user)
    assert [(c["old"], c["new"]) for c in latest.history_delta_changes] == [("10000", "12345")]
    assert staff_user.username in content
    assert "12345" in content


# Areas


def test_area_change_page_shows_membership_and_ratio_inlines(admin_client):
    area = demo.load()

    response = admin_client.get(
        reverse("admin:municipalities_cooperationarea_change", args=[area.pk])
    )

    assert response.status_code == 200
    inlines = {
        inline.formset.model: len(inline.formset.forms)
        for inline in response.context["inline_admin_formsets"]
    }
    assert inlines == {AreaMembership: 8, CommutingRatio: 12}
    assert "須坂市" in response.content.decode()


def _area_change(admin_client, area, **extra) -> tuple[str, dict]:
    url = reverse("admin:municipalities_cooperationarea_change", args=[area.pk])
    data = change_form_data(admin_client.get(url))
    return url, data | extra


def test_area_change_adds_membership_through_inline_with_user(admin_client, area, staff_user):
    partner = factories.MunicipalityFactory()
    url, data = _area_change(admin_client, area)
    data |= {
        "memberships-TOTAL_FORMS": "1",
        "memberships-0-municipality": str(partner.pk),
        "memberships-0-joined_on": "2016-03-29",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    membership = AreaMembership.objects.get(area=area)
    assert membership.municipality == partner
    assert membership.history.get().history_user == staff_user


def test_area_change_refuses_central_city_as_member_through_inline(admin_client, area):
    url, data = _area_change(admin_client, area)
    data |= {
        "memberships-TOTAL_FORMS": "1",
        "memberships-0-municipality": str(area.central_city.pk),
        "memberships-0-joined_on": "2016-03-29",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    formset = inline_formset(response, AreaMembership)
    assert formset.errors[0]["municipality"] == [str(ERROR_MEMBERSHIP_CENTRAL_CITY)]
    assert not AreaMembership.objects.exists()


def test_area_change_refuses_two_changes_of_one_municipality_at_once(admin_client, area):
    partner = factories.MunicipalityFactory()
    url, data = _area_change(admin_client, area)
    data |= {
        "memberships-TOTAL_FORMS": "2",
        "memberships-0-municipality": str(partner.pk),
        "memberships-0-joined_on": "2016-03-29",
        "memberships-0-left_on": "2018-03-31",
        "memberships-1-municipality": str(partner.pk),
        "memberships-1-joined_on": "2019-04-01",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    formset = inline_formset(response, AreaMembership)
    assert formset.non_form_errors() == [str(MembershipFormSet.message)]
    assert not AreaMembership.objects.exists()


def test_membership_changelist_filters_by_area(admin_client):
    nagano = demo.load()
    other = factories.AreaMembershipFactory()

    nagano_rows = _results(
        admin_client.get(
            reverse("admin:municipalities_areamembership_changelist"),
            {"area__id__exact": nagano.pk},
        )
    )
    other_rows = _results(
        admin_client.get(
            reverse("admin:municipalities_areamembership_changelist"),
            {"area__id__exact": other.area_id},
        )
    )

    assert len(nagano_rows) == 8
    assert {m.area for m in nagano_rows} == {nagano}
    assert other_rows == [other]


def test_commuting_ratio_changelist_filters_by_meets_rule(admin_client, area):
    meets = factories.CommutingRatioFactory(area=area)
    below = factories.CommutingRatioFactory(area=area, below_rule=True, outside_reason="")
    url = reverse("admin:municipalities_commutingratio_changelist")

    assert _results(admin_client.get(url, {"meets_rule__exact": "1"})) == [meets]
    assert _results(admin_client.get(url, {"meets_rule__exact": "0"})) == [below]


def test_municipality_autocomplete_returns_matches_by_kana(admin_client):
    demo.load()

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "municipalities",
            "model_name": "areamembership",
            "field_name": "municipality",
            "term": "いい",
        },
    )

    assert response.status_code == 200
    assert {r["text"] for r in response.json()["results"]} == {"飯山市", "飯綱町"}


def test_municipality_autocomplete_is_refused_to_anonymous_visitors(client):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "municipalities",
            "model_name": "areamembership",
            "field_name": "municipality",
            "term": "なが",
        },
    )

    assert response.status_code in (302, 403)


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        pytest.param(
            "admin:municipalities_municipality_delete",
            lambda area: area.central_city,
            id="municipality",
        ),
        pytest.param("admin:municipalities_cooperationarea_delete", lambda area: area, id="area"),
        pytest.param(
            "admin:municipalities_areamembership_delete",
            lambda area: factories.AreaMembershipFactory(area=area),
            id="membership",
        ),
        pytest.param(
            "admin:municipalities_commutingratio_delete",
            lambda area: factories.CommutingRatioFactory(area=area),
            id="commuting_ratio",
        ),
    ],
)
def test_delete_is_refused(admin_client, area, url_name, make):
    obj = make(area)

    get = admin_client.get(reverse(url_name, args=[obj.pk]))
    post = admin_client.post(reverse(url_name, args=[obj.pk]), {"post": "yes"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_bulk_delete_action_is_not_offered(admin_client, area):
    response = admin_client.get(reverse("admin:municipalities_municipality_changelist"))

    assert "delete_selected" not in response.context["cl"].model_admin.get_actions(
        response.wsgi_request
    )


def _queries_and_page(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_area_change_page_queries_do_not_grow_with_partners(admin_client):
    """No per-row lookup of the municipality each autocomplete shows (an area with 800
    partners once took 1,612 queries)."""
    area = factories.CooperationAreaFactory()
    url = reverse("admin:municipalities_cooperationarea_change", args=[area.pk])

    def add_partners(count: int) -> list[Municipality]:
        added = []
        for _ in range(count):
            membership = factories.AreaMembershipFactory(area=area)
            factories.CommutingRatioFactory(area=area, municipality=membership.municipality)
            added.append(membership.municipality)
        return added

    add_partners(2)
    admin_client.get(url)  # content types are cached after the first page
    few, _ = _queries_and_page(admin_client, url)
    latest = add_partners(20)[-1]
    many, page = _queries_and_page(admin_client, url)

    assert many == few
    # Each row still shows its municipality, chosen, by name.
    assert page.count(f'<option value="{latest.pk}" selected>{latest}</option>') == 2


def test_vision_change_page_queries_do_not_grow_with_projects(admin_client):
    vision = factories.VisionFactory()
    url = reverse("admin:vision_vision_change", args=[vision.pk])

    def add_projects(count: int) -> None:
        for _ in range(count):
            lead = factories.AreaMembershipFactory(area=vision.area).municipality
            factories.ProjectFactory(vision=vision, lead=lead)

    add_projects(2)
    admin_client.get(url)  # content types are cached after the first page
    few, _ = _queries_and_page(admin_client, url)
    add_projects(20)
    many, page = _queries_and_page(admin_client, url)

    assert many == few
    lead = vision.projects.order_by("-pk").first().lead
    assert f'<option value="{lead.pk}" selected>{lead}</option>' in page


def test_an_area_with_more_partners_than_a_page_holds_lists_them_on_their_own_page(
    admin_client, monkeypatch
):
    monkeypatch.setattr("municipalities.admin_base.INLINE_ROWS_SHOWN", 3)
    area = factories.CooperationAreaFactory()
    partners = [factories.AreaMembershipFactory(area=area).municipality for _ in range(4)]
    factories.CommutingRatioFactory(area=area, municipality=partners[0])
    url = reverse("admin:municipalities_cooperationarea_change", args=[area.pk])

    response = admin_client.get(url)
    page = response.content.decode()

    assert "memberships-TOTAL_FORMS" not in page  # not edited here ...
    assert "commuting_ratios-TOTAL_FORMS" in page  # (one ratio: still on the page)
    listed = f"/admin/municipalities/areamembership/?area__id__exact={area.pk}"
    assert f'<a href="{listed}">' in page  # ... but in their own list, every one of them
    assert {m.municipality for m in admin_client.get(listed).context["cl"].result_list} == set(
        partners
    )
    # The area itself still saves.
    form = change_form_data(response) | {"description": "北信地域の圏域"}
    assert admin_client.post(url, form).status_code == 302
    area.refresh_from_db()
    assert area.description == "北信地域の圏域"


def _area_add(admin_client, **values):
    url = reverse("admin:municipalities_cooperationarea_add")
    data = change_form_data(admin_client.get(url))
    return admin_client.post(url, data | values)


def test_new_area_without_slug_gets_one_from_its_central_city_web_address(admin_client):
    nagano = factories.MunicipalityFactory(
        city=True, name="長野市", website="https://www.city.nagano.nagano.jp/"
    )

    first = _area_add(admin_client, name="長野地域連携中枢都市圏", central_city=nagano.pk, slug="")
    second = _area_add(admin_client, name="長野の別の圏域", central_city=nagano.pk, slug="")

    assert first.status_code == 302 and second.status_code == 302
    slugs = list(CooperationArea.objects.order_by("pk").values_list("slug", flat=True))
    assert slugs == ["nagano", "nagano-2"]


def test_a_slug_given_for_a_new_area_is_kept(admin_client):
    city = factories.MunicipalityFactory(city=True, website="https://www.city.sapporo.jp/")

    response = _area_add(admin_client, name="さっぽろ圏", central_city=city.pk, slug="sapporo-area")

    assert response.status_code == 302
    assert CooperationArea.objects.get().slug == "sapporo-area"


@pytest.mark.parametrize(
    ("website", "slug"),
    [
        ("https://www.city.kitakyushu.lg.jp/", "kitakyushu"),
        ("https://www.city.sapporo.jp/", "sapporo"),
        ("https://www4.city.kanazawa.lg.jp/", "kanazawa"),
        ("http://www.town.tobetsu.hokkaido.jp/", "tobetsu"),
        ("", None),  # no web address: the city's code
    ],
)
def test_the_proposed_slug_is_the_city_name_in_its_web_address(website, slug):
    city = factories.MunicipalityFactory(city=True, website=website)

    assert proposed_slug(city) == (slug or f"area-{city.code}")


def test_an_existing_area_keeps_its_address_and_an_empty_one_is_refused(admin_client, area):
    slug = area.slug
    url, data = _area_change(admin_client, area, slug="")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"]
    area.refresh_from_db()
    assert area.slug == slug


def test_one_municipality_joins_two_areas_across_prefectures_through_the_admin(admin_client):
    # 香美町 (兵庫県) is a partner of 鳥取市's area (鳥取県) and may be of another area too.
    tottori = factories.CooperationAreaFactory(central_city__prefecture="鳥取県")
    himeji = factories.CooperationAreaFactory(central_city__prefecture="兵庫県")
    kami = factories.MunicipalityFactory(name="香美町", prefecture="兵庫県")

    for area in (tottori, himeji):
        url, data = _area_change(admin_client, area)
        data |= {
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-municipality": str(kami.pk),
            "memberships-0-joined_on": "2020-04-01",
        }
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.context and response.context["errors"]

    assert set(AreaMembership.objects.filter(municipality=kami).values_list("area", flat=True)) == {
        tottori.pk,
        himeji.pk,
    }
    page = admin_client.get(f"/municipalities/{kami.code}/").content.decode()
    assert f'<a href="/areas/{tottori.slug}/">{tottori.name}</a>' in page
    assert f'<a href="/areas/{himeji.slug}/">{himeji.name}</a>' in page
