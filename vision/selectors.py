"""Reads of visions shared by pages."""

from django.db.models import Case, Count, Prefetch, When

from municipalities.models import CooperationArea

from .models import Indicator, Project, Vision, VisionStatus


def current_vision(area: CooperationArea) -> Vision | None:
    """The adopted vision of an area, or else its most recent public one; with role counts.

    A draft is internal work of the planning staff and is never shown.
    """
    visions = (
        Vision.objects.filter(area=area)
        .exclude(status=VisionStatus.DRAFT)
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
        .order_by(
            Case(When(status=VisionStatus.ADOPTED, then=0), default=1),
            "-first_fiscal_year",
        )
    )
    return visions.first()
