"""Who may do what: the roles of signed-in people, read in one place.

Every permission check on the server (desk views, document downloads, the admin) asks these
functions, so a clerk of one municipality can never act for another.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import CooperationArea, Municipality, MunicipalityKind, StaffRole


def _role(user: AbstractBaseUser | AnonymousUser) -> StaffRole | None:
    if not user.is_authenticated:
        return None
    try:
        return user.staff_role
    except StaffRole.DoesNotExist:
        return None


def person_name(user: AbstractBaseUser) -> str:
    """How a person is named to others: family name first, as Japanese names are written
    (Django's get_full_name() puts the given name first); the user name when none is set."""
    name = " ".join(part for part in (user.last_name, user.first_name) if part)
    return name or user.get_username()


def clerk_municipality(user) -> Municipality | None:
    """The municipality a clerk acts for, or None for anyone who is not a clerk."""
    role = _role(user)
    return role.municipality if role and role.kind == StaffRole.Kind.CLERK else None


def clerk_municipality_or_403(user) -> Municipality:
    """The clerk's municipality; anyone who is not a clerk is refused (the desk's views)."""
    municipality = clerk_municipality(user)
    if municipality is None:
        raise PermissionDenied
    return municipality


def is_planning_staff_of(user, area: CooperationArea) -> bool:
    """Planning staff of the area's central city, or of either joint central city (or the
    operator), keep its whole record."""
    if user.is_authenticated and user.is_superuser:
        return True
    role = _role(user)
    return bool(
        role
        and role.kind == StaffRole.Kind.PLANNING_STAFF
        and role.municipality_id in area.central_city_ids
    )


def planning_staff_emails(area: CooperationArea) -> list[str]:
    return sorted(
        StaffRole.objects.filter(
            kind=StaffRole.Kind.PLANNING_STAFF,
            municipality_id__in=area.central_city_ids,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def clerk_emails(municipality: Municipality) -> list[str]:
    return sorted(
        StaffRole.objects.filter(
            kind=StaffRole.Kind.CLERK, municipality=municipality, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def areas_kept_by(user):
    """The areas whose record the user keeps: all for the operator, the areas of their central
    city for planning staff, none for anyone else."""
    if user.is_authenticated and user.is_superuser:
        return CooperationArea.objects.all()
    role = _role(user)
    if role and role.kind == StaffRole.Kind.PLANNING_STAFF:
        return CooperationArea.objects.filter(
            Q(central_city_id=role.municipality_id) | Q(joint_central_city_id=role.municipality_id)
        )
    return CooperationArea.objects.none()


def municipalities_kept_by(user):
    """The municipalities of the areas the user keeps: their central cities and members, and
    the prefectures they lie in (a prefecture can be a party to an agreement)."""
    kept = areas_kept_by(user)
    in_areas = Municipality.objects.filter(
        Q(central_of_areas__in=kept)
        | Q(joint_central_of_areas__in=kept)
        | Q(memberships__area__in=kept)
    )
    return Municipality.objects.filter(
        Q(pk__in=in_areas.values("pk"))
        | Q(kind=MunicipalityKind.PREFECTURE, prefecture__in=in_areas.values("prefecture"))
    )


def scoped(queryset, user, area_path: str):
    """Only the rows of the areas the user keeps; `area_path` leads from a row to its area."""
    if user.is_authenticated and user.is_superuser:
        return queryset
    return queryset.filter(**{f"{area_path}__in": areas_kept_by(user)})


def area_id_of(record, area_path: str) -> int | None:
    """The area a record belongs to, following `area_path`; a record on the way that no longer
    exists (a deleted draft) is read from its last version."""
    if area_path == "pk":
        return record.pk
    names = area_path.split("__")
    for name in names[:-1]:
        field = type(record)._meta.get_field(name)
        related_id = getattr(record, field.attname)
        record = field.related_model._default_manager.filter(pk=related_id).first()
        record = record or last_version(field.related_model, related_id)
        if record is None:
            return None
    return getattr(record, type(record)._meta.get_field(names[-1]).attname)


def last_version(model, pk):
    """The record as its last historical version left it, or None without history."""
    history = getattr(model, "history", None)
    version = (
        history.filter(id=pk).order_by("-history_date", "-history_id").first() if history else None
    )
    return version.instance if version else None


def keeps_record(user, model, pk) -> bool:
    """Whether the user keeps the record (of a model with an `area_path`), also one whose row
    no longer exists: then the area is the one its last version names."""
    if user.is_authenticated and user.is_superuser:
        return True
    rows = model._default_manager.filter(pk=pk)
    if rows.exists():
        return scoped(rows, user, model.area_path).exists()
    record = last_version(model, pk)
    return record is not None and (
        areas_kept_by(user).filter(pk=area_id_of(record, model.area_path)).exists()
    )
