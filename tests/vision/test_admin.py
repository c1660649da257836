import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Role
from public import demo
from tests import factories
from tests.municipalities.admin_forms import change_form_data
from vision.models import ERROR_ACTUAL_YEAR, ERROR_NOT_A_MEMBER, ERROR_PERIOD_ORDER, Project, Vision

pytestmark = pytest.mark.django_db

VISION_ADD = reverse("admin:vision_vision_add")


def _results(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def _vision_post(area, **overrides) -> dict:
    return {
        "area": str(area.pk),
        "title": "長野地域スクラムビジョン",
        "first_fiscal_year": "2016",
        "last_fiscal_year": "2020",
        "status": "draft",
        "adopted_on": "",
        "future_image": "",
        **{
            f"{prefix}-{key}": value
            for prefix in (
                "projects",
                "roundtable_members",
                "roundtable_meetings",
                "public_comments",
            )
            for key, value in (
                ("TOTAL_FORMS", "0"),
                ("INITIAL_FORMS", "0"),
                ("MIN_NUM_FORMS", "0"),
                ("MAX_NUM_FORMS", "1000"),
            )
        },
    } | overrides


def test_vision_add_records_user_in_history(admin_client, area, staff_user):
    response = admin_client.post(VISION_ADD, _vision_post(area))

    assert response.status_code == 302
    assert Vision.objects.get().history.get().history_user == staff_user


def test_vision_add_refuses_period_ending_before_it_starts(admin_client, area):
    response = admin_client.post(VISION_ADD, _vision_post(area, last_fiscal_year="2015"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["last_fiscal_year"] == [str(ERROR_PERIOD_ORDER)]
    assert not Vision.objects.exists()
    assert not Vision.history.exists()


def test_vision_add_refuses_project_led_by_outsider_and_saves_nothing(admin_client, area):
    # The project row passes the form (its vision is not saved yet); the service refuses
    # it, and the whole submission is rolled back with the reason shown.
    outsider = factories.MunicipalityFactory()
    data = _vision_post(area) | {
        "projects-TOTAL_FORMS": "1",
        "projects-0-code": "ア-01",
        "projects-0-role": Role.ECONOMY,
        "projects-0-field": "tourism",
        "projects-0-title": "観光振興",
        "projects-0-lead": str(outsider.pk),
        "projects-0-order": "0",
    }

    response = admin_client.post(VISION_ADD, data, follow=True)

    assert response.redirect_chain == [(VISION_ADD, 302)]
    message = str(ERROR_NOT_A_MEMBER) % {"municipality": outsider, "area": area}
    assert [str(m) for m in response.context["messages"]] == [message]
    assert not Vision.objects.exists()
    assert not Project.objects.exists()
    assert not Vision.history.exists()


def test_vision_changelist_filters_by_area_and_status(admin_client):
    nagano = demo.load()
    draft = factories.VisionFactory()
    url = reverse("admin:vision_vision_changelist")

    adopted = _results(admin_client.get(url, {"status__exact": "adopted"}))
    of_nagano = _results(admin_client.get(url, {"area__id__exact": nagano.pk}))
    drafts = _results(admin_client.get(url, {"status__exact": "draft"}))

    assert [v.title for v in adopted] == ["長野地域スクラムビジョン（改定・サンプル）"]
    assert {v.title for v in of_nagano} == {
        "長野地域スクラムビジョン",
        "長野地域スクラムビジョン（改定・サンプル）",
    }
    assert drafts == [draft]


def test_project_changelist_filters_by_role(admin_client):
    nagano = demo.load()
    revision = nagano.visions.get(status=Vision.Status.ADOPTED)
    url = reverse("admin:vision_project_changelist")

    codes = {
        role: {
            p.code
            for p in _results(
                admin_client.get(url, {"role__exact": role, "vision__id__exact": revision.pk})
            )
        }
        for role in Role
    }

    assert codes == {
        Role.ECONOMY: {"ア-01", "ア-02"},
        Role.URBAN_FUNCTIONS: {"イ-01", "イ-02"},
        Role.LIVING_SERVICES: {"ウ-01", "ウ-02", "ウ-04"},
    }


def test_project_changelist_filters_by_area(admin_client):
    nagano = demo.load()
    other = factories.ProjectFactory()
    url = reverse("admin:vision_project_changelist")

    # Both versions of the vision: 6 projects of 2016, 7 of the revision.
    assert len(_results(admin_client.get(url, {"vision__area__id__exact": nagano.pk}))) == 13
    assert _results(admin_client.get(url, {"vision__area__id__exact": other.vision.area_id})) == [
        other
    ]


def test_indicator_changelist_filters_by_role(admin_client):
    demo.load()

    first = Vision.objects.get(previous=None)
    response = admin_client.get(
        reverse("admin:vision_indicator_changelist"),
        {"project__role__exact": Role.URBAN_FUNCTIONS, "project__vision__id__exact": first.pk},
    )

    assert [i.name for i in _results(response)] == ["圏域の路線バス利用者数"]


def test_vision_change_page_lists_its_projects(admin_client):
    demo.load()
    vision = Vision.objects.get(previous=None)

    response = admin_client.get(reverse("admin:vision_vision_change", args=[vision.pk]))

    assert response.status_code == 200
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 6


def test_vision_change_keeps_adopted_vision_when_resubmitted_unchanged(admin_client):
    demo.load()
    vision = Vision.objects.get(status=Vision.Status.ADOPTED)
    url = reverse("admin:vision_vision_change", args=[vision.pk])
    history_before = Vision.history.count()

    response = admin_client.post(url, change_form_data(admin_client.get(url)))

    assert response.status_code == 302
    vision.refresh_from_db()
    assert vision.status == Vision.Status.ADOPTED
    assert Vision.history.count() == history_before + 1


def test_adopted_vision_cannot_be_deleted(admin_client):
    vision = factories.VisionFactory(adopted=True)
    url = reverse("admin:vision_vision_delete", args=[vision.pk])

    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Vision.objects.filter(pk=vision.pk).exists()


def test_project_of_adopted_vision_cannot_be_deleted(admin_client):
    project = factories.ProjectFactory(vision__adopted=True)

    response = admin_client.get(reverse("admin:vision_project_delete", args=[project.pk]))

    assert response.status_code == 403


def test_draft_vision_can_be_deleted(admin_client):
    vision = factories.VisionFactory()
    url = reverse("admin:vision_vision_delete", args=[vision.pk])

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Vision.objects.exists()


@pytest.mark.parametrize(
    ("year", "accepted"), [(2014, False), (2015, True), (2020, True), (2021, False)]
)
def test_actual_value_in_the_admin_only_for_the_indicators_years(admin_client, year, accepted):
    indicator = factories.IndicatorFactory()  # baseline 2014, target 2020
    data = {"indicator": str(indicator.pk), "fiscal_year": str(year), "value": "120"}

    response = admin_client.post(reverse("admin:vision_indicatoractual_add"), data)

    assert indicator.actuals.exists() is accepted
    if not accepted:
        message = str(ERROR_ACTUAL_YEAR) % {"baseline": 2014, "target": 2020}
        assert response.context["adminform"].form.errors["fiscal_year"] == [message]


def test_closing_a_fiscal_year_in_the_admin_ends_the_clerks_corrections(admin_client):
    indicator = factories.IndicatorFactory(project__vision__adopted=True)
    actual = factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2017)
    area = indicator.project.vision.area
    client = Client()  # the clerk's own browser; admin_client is the operator's
    client.force_login(factories.clerk(indicator.project.lead))
    assert client.get(f"/desk/actuals/{actual.pk}/").status_code == 200

    response = admin_client.post(
        reverse("admin:vision_fiscalyearclosure_add"),
        {"area": str(area.pk), "fiscal_year": "2017", "closed_on": "2026-11-30"},
    )

    assert response.status_code == 302
    assert area.closed_fiscal_years.get().fiscal_year == 2017
    assert client.get(f"/desk/actuals/{actual.pk}/").status_code == 404
