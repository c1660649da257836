"""Public pages of an area's vision: the vision with its projects, earlier versions, one page
per project, and the roundtable's minutes."""

from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from agreements.models import Role
from municipalities.addresses import addresses
from municipalities.models import CooperationArea

from .charts import chart_description, indicator_chart
from .models import Indicator, RoundtableMeeting, VisionStatus
from .progress import RULE_EXPLANATION
from .selectors import (
    budget_by_year,
    current_of,
    progress_counts,
    project_participations,
    public_projects,
    public_visions,
    revision_changes,
    versions,
    vision_for_detail,
    with_yearly_values,
)


def _chart(indicator):
    """The SVG chart of an indicator with its yearly values (with_yearly_values)."""
    return indicator_chart(
        indicator,
        indicator.yearly_actuals,
        html_id=f"indicator-{indicator.pk}-chart",
        targets=indicator.yearly_targets,
    )


def indicator_chart_image(request, slug: str, pk: int):
    """The chart of one indicator of a public vision of the area, as an SVG image.

    The vision page shows a hundred charts; as images, the page stays light and a browser
    draws each chart only when it comes into view (loading="lazy"), from its own cache.
    """
    indicator = get_object_or_404(
        Indicator.objects.filter(
            project__vision__in=public_visions(), project__vision__area__slug=slug
        ),
        pk=pk,
    )
    with_yearly_values([indicator])
    return HttpResponse(_chart(indicator), content_type="image/svg+xml; charset=utf-8")


def vision_detail(request, slug: str, pk: int | None = None):
    """An area's current vision (or an earlier public version `pk`), with its projects by
    role, roll-ups, what the revision changed, the roundtable and the public comment.

    Template: vision/vision_detail.html; context: area, vision (Vision, with project_count
    and indicator_count; each indicator has progress_now), current (the current Vision),
    roles (pairs of Role and its projects, in the order ア, イ, ウ; each project, its lead
    and its participants (`participant_list`) have their `url`; each indicator has
    `chart_text`, its chart in words, for the chart's image), progress (status, count),
    rule, budget (BudgetYear rows), role_labels, changes (Changes or None), members,
    meetings, comments (empty until the period has ended), comment_ended, versions (every
    public version, newest first).
    A draft vision is internal: an area with only a draft has no vision page.
    """
    # With the central cities, which the area's English name is made from.
    area = get_object_or_404(
        CooperationArea.objects.select_related("central_city", "joint_central_city"), slug=slug
    )
    vision = vision_for_detail(area, pk)
    if vision is None:
        raise Http404("This area has no public vision.")
    all_versions = versions(area)
    current = vision if pk is None else current_of(all_versions)
    projects = list(vision.projects.all())
    project_url = addresses("vision:project", "pk", "0", slug=area.slug)
    municipality_url = addresses("public:municipality_detail", "code", "000000")
    for project in projects:
        project.url = project_url(project.pk)
        for municipality in (project.lead, *project.participant_list):
            municipality.url = municipality_url(municipality.code)
        for indicator in project.indicators.all():
            indicator.chart_text = chart_description(
                indicator, indicator.yearly_actuals, indicator.yearly_targets
            )
    comment_ended = vision.comment_has_ended(timezone.localdate())
    context = {
        "area": area,
        "vision": vision,
        "current": current,
        "is_current": current is not None and current.pk == vision.pk,
        "roles": [(role, [p for p in projects if p.role == role.value]) for role in Role],
        "role_labels": [role.label for role in Role],
        "progress": progress_counts(vision),
        "rule": RULE_EXPLANATION,
        "budget": budget_by_year(vision),
        "changes": revision_changes(vision),
        "members": list(vision.roundtable_members.all()),
        "meetings": list(vision.roundtable_meetings.all()),
        "comments": list(vision.public_comments.all()) if comment_ended else [],
        "comment_ended": comment_ended,
        "versions": all_versions,
    }
    return render(request, "vision/vision_detail.html", context)


def project_detail(request, slug: str, pk: int):
    """One project of a public vision of the area, each indicator with its progress and chart.

    Template: vision/project_detail.html; context: area, vision, project (Project),
    vision_url, indicators (pairs of Indicator, with yearly_actuals, yearly_targets and
    progress_now, and its SVG chart), participations (with the covering agreement item),
    budget_years, budget_rows (municipality, ProjectBudget or None per year), budget_totals
    (per year), rule.
    """
    project = get_object_or_404(public_projects(), vision__area__slug=slug, pk=pk)
    indicators = [
        (indicator, _chart(indicator)) for indicator in with_yearly_values(project.indicators.all())
    ]
    budgets = list(
        project.budgets.select_related("municipality").order_by("municipality__code", "fiscal_year")
    )
    years = sorted({budget.fiscal_year for budget in budgets})
    by_town: dict = {}
    for budget in budgets:
        by_town.setdefault(budget.municipality, {})[budget.fiscal_year] = budget
    budget_rows = [(town, [cells.get(year) for year in years]) for town, cells in by_town.items()]
    budget_totals = [
        sum((b.amount for b in budgets if b.fiscal_year == year), Decimal(0)) for year in years
    ]
    vision = project.vision
    context = {
        "area": vision.area,
        "vision": vision,
        # The adopted vision is the current one (see CURRENT_FIRST): its address is the area's.
        "vision_url": reverse("vision:detail", kwargs={"slug": vision.area.slug})
        if vision.status == VisionStatus.ADOPTED
        else vision.get_absolute_url(),
        "project": project,
        "indicators": indicators,
        "participations": project_participations(project),
        "budget_years": years,
        "budget_rows": budget_rows,
        "budget_totals": budget_totals,
        "rule": RULE_EXPLANATION,
    }
    return render(request, "vision/project_detail.html", context)


def minutes_document(request, slug: str, pk: int):
    """The minutes (PDF) of a roundtable meeting of a public vision."""
    meeting = get_object_or_404(
        RoundtableMeeting.objects.exclude(minutes_document=""),
        vision__in=public_visions(),
        vision__area__slug=slug,
        pk=pk,
    )
    try:
        document = meeting.minutes_document.open("rb")
    except FileNotFoundError:
        raise Http404("The minutes file is missing.") from None
    return FileResponse(
        document,
        content_type="application/pdf",
        filename=f"minutes-{meeting.held_on:%Y%m%d}.pdf",
    )
