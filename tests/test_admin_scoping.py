"""Planning staff see and choose only their own areas' records in the admin. What scopes a
record is its model's `area_path` (municipalities.admin_base.ServiceAdmin reads it for the
rows of a page and for the choices of every foreign key): every model that belongs to an area
must have one, and it must lead to the area."""

from collections import deque

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from agreements.models import Agreement
from municipalities.access import area_id_of
from municipalities.admin_base import ServiceAdmin
from municipalities.models import CooperationArea, Municipality, StaffRole
from municipalities.roles import create_account
from tests import factories
from vision.models import AllocationTaxRule


def _domain_models():
    return [
        model
        for label in factories.DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]


def _belongs_to_an_area(model) -> bool:
    """Whether foreign keys lead from the model to an area, other than through a municipality
    (which belongs to no one area)."""
    seen, queue = {model}, deque([model])
    while queue:
        current = queue.popleft()
        if current is CooperationArea:
            return True
        for field in current._meta.get_fields():
            target = field.related_model
            followed = field.many_to_one and field.concrete and target is not Municipality
            if followed and target not in seen and target._meta.app_label in factories.DOMAIN_APPS:
                seen.add(target)
                queue.append(target)
    return False


def _end_of(model, path: str):
    if path == "pk":
        return model
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def test_every_model_of_an_area_has_an_area_path_that_leads_to_the_area():
    bound = [model for model in _domain_models() if _belongs_to_an_area(model)]

    assert len(bound) >= 18
    missing = [model.__name__ for model in bound if not hasattr(model, "area_path")]
    assert missing == []
    wrong = [m.__name__ for m in bound if _end_of(m, m.area_path) is not CooperationArea]
    assert wrong == []


def test_only_the_shared_registry_is_unscoped_in_the_admin():
    service_admins = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ServiceAdmin)
    }

    unscoped = {model for model in service_admins if not hasattr(model, "area_path")}
    assert unscoped == {Municipality, AllocationTaxRule}
    # A path set on the admin class would be ignored: the model's is the one that counts.
    assert [a for a in service_admins.values() if "area_path" in vars(type(a))] == []


# History pages and "view on site", through HTTP.

FACTORIES = {
    "cooperationarea": factories.CooperationAreaFactory,
    "areamembership": factories.AreaMembershipFactory,
    "commutingratio": factories.CommutingRatioFactory,
    "agreement": lambda: factories.AgreementFactory(internal=True),
    "agreementitem": factories.AgreementItemFactory,
    "procedure": factories.ProcedureFactory,
    "councilresolution": factories.CouncilResolutionFactory,
    "vision": factories.VisionFactory,
    "project": factories.ProjectFactory,
    "indicator": factories.IndicatorFactory,
    "indicatoractual": factories.IndicatorActualFactory,
    "fiscalsupport": factories.FiscalSupportFactory,
}


def _planning_staff(area):
    user, _ = create_account(
        kind=StaffRole.Kind.PLANNING_STAFF,
        municipality=area.central_city,
        username=f"planning-{area.pk}",
    )
    return user


def _history_urls(record) -> list[str]:
    opts = record._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/history/"
    return [base, f"{base}{record.history.latest('history_date').history_id}/"]


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", list(FACTORIES))
def test_history_pages_are_scoped_like_the_change_page(client, model_name):
    record = FACTORIES[model_name]()
    area = CooperationArea.objects.get(pk=area_id_of(record, type(record).area_path))
    other_area = factories.CooperationAreaFactory()

    client.force_login(_planning_staff(other_area))
    for url in _history_urls(record):
        response = client.get(url)
        assert response.status_code == 302, url  # the admin's "does not exist" redirect
        assert response["Location"] == "/admin/"
    client.force_login(_planning_staff(area))
    for url in _history_urls(record):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_history_of_another_areas_draft_does_not_show_its_text(client):
    draft = factories.AgreementFactory(internal=True, text="甲乙\n第1条 未公表の協約案")
    client.force_login(_planning_staff(factories.CooperationAreaFactory()))

    for url in _history_urls(draft):
        assert "未公表の協約案" not in client.get(url, follow=True).content.decode()


@pytest.mark.django_db
def test_history_of_a_deleted_draft_stays_with_its_own_area(client):
    item = factories.AgreementItemFactory(agreement__is_public=False, title="削除した事項")
    urls = _history_urls(item)
    area = item.agreement.area
    item.delete()  # a draft's item, and then the draft itself
    item.agreement.delete()

    client.force_login(_planning_staff(factories.CooperationAreaFactory()))
    assert [client.get(url).status_code for url in urls] == [302, 302]
    client.force_login(_planning_staff(area))
    responses = [client.get(url) for url in urls]
    assert [r.status_code for r in responses] == [200, 200]
    assert "削除した事項" in responses[0].content.decode()


@pytest.mark.django_db
def test_view_on_site_reveals_no_other_areas_record(client):
    draft = factories.AgreementFactory(internal=True)
    url = f"/admin/r/{ContentType.objects.get_for_model(Agreement).pk}/{draft.pk}/"

    client.force_login(_planning_staff(factories.CooperationAreaFactory()))
    response = client.get(url)
    assert response.status_code == 404
    assert draft.partner.code not in response.content.decode()
    client.force_login(_planning_staff(draft.area))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(draft.get_absolute_url())
