"""Planning staff see and choose only their own areas' records in the admin. What scopes a
record is its model's `area_path` (municipalities.admin_base.ServiceAdmin reads it for the
rows of a page and for the choices of every foreign key): every model that belongs to an area
must have one, and it must lead to the area."""

from collections import deque

from django.apps import apps
from django.contrib import admin

from municipalities.admin_base import ServiceAdmin
from municipalities.models import CooperationArea, Municipality

DOMAIN_APPS = ("municipalities", "agreements", "vision")


def _domain_models():
    return [
        model
        for label in DOMAIN_APPS
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
            if followed and target not in seen and target._meta.app_label in DOMAIN_APPS:
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
    assert unscoped == {Municipality}
    # A path set on the admin class would be ignored: the model's is the one that counts.
    assert [a for a in service_admins.values() if "area_path" in vars(type(a))] == []
