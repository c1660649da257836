"""Public pages of an area's vision: the vision with its projects, and one page per project."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from agreements.models import Role
from municipalities.models import CooperationArea

from .charts import indicator_chart
from .selectors import public_projects, vision_for_detail


def vision_detail(request, slug: str):
    """An area's current vision with its projects grouped by role.

    Template: vision/vision_detail.html; context: area, vision (Vision, with project_count
    and indicator_count), roles (pairs of Role and its projects, in the order ア, イ, ウ).
    A draft vision is internal: an area with only a draft has no vision page.
    """
    area = get_object_or_404(CooperationArea, slug=slug)
    vision = vision_for_detail(area)
    if vision is None:
        raise Http404("This area has no public vision.")
    projects = list(vision.projects.all())
    roles = [(role, [p for p in projects if p.role == role.value]) for role in Role]
    return render(
        request,
        "vision/vision_detail.html",
        {"area": area, "vision": vision, "roles": roles},
    )


def project_detail(request, slug: str, pk: int):
    """One project of a public vision of the area, each indicator with its chart.

    Template: vision/project_detail.html; context: area, vision, project (Project),
    indicators (pairs of Indicator, with yearly_actuals, and its SVG chart).
    """
    project = get_object_or_404(public_projects(), vision__area__slug=slug, pk=pk)
    indicators = [
        (
            indicator,
            indicator_chart(
                indicator, indicator.yearly_actuals, html_id=f"indicator-{indicator.pk}-chart"
            ),
        )
        for indicator in project.indicators.all()
    ]
    context = {
        "area": project.vision.area,
        "vision": project.vision,
        "project": project,
        "indicators": indicators,
    }
    return render(request, "vision/project_detail.html", context)
