"""Public pages of the cooperation areas."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from agreements.models import Role
from agreements.selectors import IN_FORCE_STATUSES, agreement_rows
from agreements.status import STATUS_EXPLANATIONS
from vision.models import VisionStatus
from vision.selectors import current_vision

from .selectors import area_for_detail, areas_for_list, pipeline_steps


def area_list(request):
    """The cooperation areas. Template: municipalities/area_list.html; context: areas."""
    return render(request, "municipalities/area_list.html", {"areas": areas_for_list()})


def area_detail(request, slug: str):
    """One area's pipeline: declaration → one agreement per partner → vision.

    Template: municipalities/area_detail.html; context: area, rows (one per agreement and
    per current partner without one), members, outsiders (eligible municipalities that stay
    out), vision, roles, steps.
    """
    area = get_object_or_404(area_for_detail(), slug=slug)
    today = timezone.localdate()
    current_members = [m for m in area.memberships.all() if m.is_current_on(today)]
    rows = agreement_rows(
        area, current_partners=[m.municipality for m in current_members], today=today
    )
    member_ids = {m.municipality_id for m in area.memberships.all()} | {area.central_city_id}
    ratios = list(area.commuting_ratios.all())
    vision = current_vision(area)
    in_force = sum(1 for row in rows if row.status in IN_FORCE_STATUSES)
    # The step is done when every current partner has one: a former partner's does not count.
    current_ids = {m.municipality_id for m in current_members}
    current_in_force = sum(
        1 for row in rows if row.status in IN_FORCE_STATUSES and row.partner.pk in current_ids
    )
    roles = []
    if vision:
        projects = list(vision.projects.all())
        roles = [(role, [p for p in projects if p.role == role.value]) for role in Role]
    context = {
        "area": area,
        "rows": rows,
        "members": current_members,
        "outsiders": [r for r in ratios if r.meets_rule and r.municipality_id not in member_ids],
        "in_force_count": in_force,
        "agreement_count": sum(1 for row in rows if row.agreement),
        "vision": vision,
        "roles": roles,
        "status_explanations": STATUS_EXPLANATIONS,
        "steps": pipeline_steps(
            declared=area.declared_on is not None,
            agreements_in_force=current_in_force,
            partners=len(current_members),
            vision_adopted=bool(vision and vision.status == VisionStatus.ADOPTED),
        ),
    }
    return render(request, "municipalities/area_detail.html", context)
