"""Reads of visions shared by pages."""

from django.db.models import Case, Count, Prefetch, QuerySet, When, prefetch_related_objects

from municipalities.models import CooperationArea, Municipality

from .models import Indicator, IndicatorActual, Project, Vision, VisionStatus

# What a project's public page and its entry on the vision page show: participants in code
# order, indicators in their order, and each indicator's actual values by fiscal year as a
# list (`indicator.yearly_actuals`), so templates can take the latest without a query.
PROJECT_DETAILS = (
    Prefetch("participants", queryset=Municipality.objects.order_by("code")),
    Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id")),
    Prefetch(
        "indicators__actuals",
        queryset=IndicatorActual.objects.order_by("fiscal_year"),
        to_attr="yearly_actuals",
    ),
)


def public_visions() -> QuerySet[Vision]:
    """Every vision the public may see: a draft is internal work and is never shown.

    Every public page and export of visions and their projects starts here.
    """
    return Vision.objects.exclude(status=VisionStatus.DRAFT)


# Which public vision of an area is "the" vision: the adopted one, else the newest.
CURRENT_FIRST = (
    Case(When(status=VisionStatus.ADOPTED, then=0), default=1),
    "-first_fiscal_year",
    "-id",
)


def current_vision(area: CooperationArea) -> Vision | None:
    """The adopted vision of an area, or else its most recent public one; with role counts.

    A draft is internal work of the planning staff and is never shown.
    """
    visions = (
        public_visions()
        .filter(area=area)
        .annotate(
            project_count=Count("projects", distinct=True),
            indicator_count=Count("projects__indicators", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "projects",
                queryset=Project.objects.select_related("lead").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id"))
                ),
            )
        )
        .order_by(*CURRENT_FIRST)
    )
    return visions.first()


def vision_for_detail(area: CooperationArea) -> Vision | None:
    """The current vision with what its page shows of every project (see PROJECT_DETAILS)."""
    vision = current_vision(area)
    if vision is not None:
        prefetch_related_objects(list(vision.projects.all()), *PROJECT_DETAILS)
    return vision


def public_projects() -> QuerySet[Project]:
    """Projects of every vision that is not a draft, with their vision, area and details."""
    return (
        Project.objects.filter(vision__in=public_visions())
        .select_related("vision__area", "lead")
        .prefetch_related(*PROJECT_DETAILS)
    )
