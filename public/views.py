"""Public pages of the cooperation areas."""

from collections import Counter
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from agreements import stored_status
from agreements.models import Agreement, Role
from agreements.selectors import (
    IN_FORCE_STATUSES,
    agreement_rows,
    public_agreements_listed,
    with_public_titles,
)
from agreements.status import STATUS_EXPLANATIONS, AgreementStatus
from municipalities import punctuation
from municipalities.addresses import addresses
from municipalities.models import (
    AreaDirectoryEntry,
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
)
from municipalities.regions import region_of
from municipalities.templatetags.names import name_text
from municipalities.wareki import fiscal_year_of
from vision.models import AllocationTaxRule, Project, VisionStatus
from vision.selectors import (
    PROJECT_INDICATORS,
    current_vision,
    fiscal_support_by_year,
    led_or_joined,
    project_role_order,
    public_visions,
    with_yearly_values,
)

from .diagram import Spoke, area_diagram
from .selectors import area_progress, areas_with_figures, overviews

NO_AGREEMENT = _("No agreement recorded yet")
# Areas listed per page of the home page.
AREAS_PER_PAGE = 50
# Partners listed per page of an area's table (every partner stays reachable, page by page).
ROWS_PER_PAGE = 50
# Beyond this many partners, the area's picture groups them by status.
MAX_SPOKES = 40


def _float(value) -> float | None:
    return None if value is None else float(value)


def area_list(request):
    """The cooperation areas with where each stands, AREAS_PER_PAGE at a time.

    Template: public/area_list.html; context: overviews (area, progress or None for a
    directory entry) of the page, the same grouped by region (regions: region, overviews),
    page.
    Japan has about 40 areas, one page; the page's work stays that of one page whatever
    their number.
    """
    today = timezone.localdate()
    stored_status.refresh_due(today)
    page = Paginator(areas_with_figures(today), AREAS_PER_PAGE).get_page(request.GET.get("page"))
    listed = overviews(page)
    regions = [
        (region, list(rows))
        for region, rows in groupby(listed, key=lambda row: region_of(row[0].central_city.code))
    ]
    return render(
        request,
        "public/area_list.html",
        {"overviews": listed, "regions": regions, "page": page},
    )


def area_detail(request, slug: str):
    """One area's pipeline: declaration → one agreement per partner → vision.

    Template: public/area_detail.html; context: area, rows (one per agreement and per
    current partner without one, ROWS_PER_PAGE at a time: page), partner_count, outsiders
    (eligible municipalities that stay out), did_not_conclude (named in the declaration,
    never concluded), vision, roles, steps, fiscal_support (yearly
    totals of the allocation tax). The counts and the picture read each agreement's stored
    status and each membership as plain values; only the rows on the page load their
    municipalities, procedures and resolutions, so an area of 800 partners costs what one
    page shows.
    """
    area = get_object_or_404(
        CooperationArea.objects.select_related("central_city", "joint_central_city", "directory"),
        slug=slug,
    )
    if not area.recorded:
        return _directory_area(request, area)
    today = timezone.localdate()
    stored_status.refresh_due(today)
    memberships = list(
        area.memberships.annotate(
            current=ExpressionWrapper(AreaMembership.current_on(today), BooleanField())
        ).values_list("municipality_id", "municipality__code", "current", "did_not_conclude")
    )
    current_codes = {pid: code for pid, code, current, _ in memberships if current}
    agreed = list(
        Agreement.objects.filter(area=area, is_public=True).values_list(
            "partner_id", "partner__code", "stored_status", "central_party__code"
        )
    )
    # With joint central cities a partner may have two agreements: one in force counts.
    in_force_last = sorted(agreed, key=lambda row: row[2] in IN_FORCE_STATUSES)
    status_by_partner = {pid: AgreementStatus(status) for pid, _, status, _ in in_force_last}
    agreement_url = addresses("agreements:detail", "code", "000000", slug=area.slug)
    joint_url = (
        addresses(
            "agreements:detail_of",
            "code",
            "000000",
            slug=area.slug,
            central=area.joint_central_city.code,
        )
        if area.joint_central_city_id
        else None
    )
    url_by_partner = {
        pid: agreement_url(code) if central == area.central_city.code else joint_url(code)
        for pid, code, _, central in in_force_last
    }
    partners = sorted(
        {(code, pid) for pid, code, *_ in agreed}
        | {(code, pid) for pid, code in current_codes.items()}
    )
    page = Paginator(partners, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    on_page = {pid for _, pid in page}
    # Up to MAX_SPOKES partners, the picture names each: one query serves it and the page.
    pictured = len(current_codes) <= MAX_SPOKES
    current_partners = list(
        Municipality.objects.filter(
            pk__in=current_codes.keys() if pictured else on_page & current_codes.keys()
        ).order_by("code")
    )
    rows = agreement_rows(
        area,
        current_partners=[m for m in current_partners if m.pk in on_page],
        partner_ids=on_page,
        today=today,
    )
    member_ids = {pid for pid, *_ in memberships} | set(area.central_city_ids)
    named_only = {pid for pid, _, _, declined in memberships if declined} - set(current_codes)
    vision = current_vision(area)
    progress = area_progress(
        declared=area.declared_on is not None,
        current_partner_ids=set(current_codes),
        status_by_partner=status_by_partner,
        vision_adopted=bool(vision and vision.status == VisionStatus.ADOPTED),
        formation_policy=area.formation_policy_on is not None,
    )
    roles = []
    if vision:
        projects = list(vision.projects.all())
        roles = [(role, [p for p in projects if p.role == role.value]) for role in Role]
    context = {
        "area": area,
        "fiscal_support": fiscal_support_by_year(area),
        "rows": rows,
        "page": page,
        "diagram": _diagram(
            area,
            current_partners if pictured else set(current_codes),
            status_by_partner,
            url_by_partner,
        ),
        "partner_count": len(current_codes),
        "outsiders": list(
            area.commuting_ratios.filter(meets_rule=True)
            .exclude(municipality_id__in=member_ids)
            .select_related("municipality")
            .order_by("municipality__code")
        ),
        "did_not_conclude": list(Municipality.objects.filter(pk__in=named_only).order_by("code")),
        "formation_policy_only": area.formation_policy_on is not None and not current_codes,
        "progress": progress,
        "in_force_count": progress.in_force,
        "agreement_count": len(agreed),
        "vision": vision,
        "roles": roles,
        "status_explanations": STATUS_EXPLANATIONS,
        "steps": progress.steps,
    }
    return render(request, "public/area_detail.html", context)


def _directory_area(request, area):
    """An area known only from the national directory: what the directory says, in its
    sources' words, and no progress (its agreements are not recorded here).

    Template: public/area_directory.html; context: area, entry (its AreaDirectoryEntry, or
    None), members (the directory's, in code order).
    """
    entry = getattr(area, "directory", None)
    members = list(entry.members.order_by("code")) if entry else []
    return render(
        request,
        "public/area_directory.html",
        {"area": area, "entry": entry, "members": members},
    )


def _diagram(area, partners, status_by_partner, url_by_partner):
    """The picture: one spoke per current partner (`partners`, Municipality objects), or,
    beyond MAX_SPOKES partners (where names could no longer be read), one spoke per status
    with its number of partners (`partners`, their ids)."""
    title = gettext("%(area)s: the central city and its partners") % {"area": name_text(area)}
    if len(partners) > MAX_SPOKES:
        by_status = Counter(status_by_partner.get(pid) for pid in partners)
        spokes = [
            Spoke(
                name=ngettext("%(count)d partner", "%(count)d partners", count) % {"count": count},
                status_label=str(_status_label(status)),
                status=status,
                latitude=None,
                longitude=None,
            )
            for status, count in sorted(
                by_status.items(), key=lambda item: (-item[1], str(item[0]))
            )
        ]
    else:
        spokes = [
            Spoke(
                name=name_text(municipality),
                status_label=str(_status_label(status_by_partner.get(municipality.pk))),
                status=status_by_partner.get(municipality.pk),
                url=url_by_partner.get(municipality.pk),
                latitude=_float(municipality.latitude),
                longitude=_float(municipality.longitude),
            )
            for municipality in partners
        ]
    return area_diagram(
        title=title,
        description=punctuation.separator().join(
            f"{spoke.name}{punctuation.colon()}{spoke.status_label}" for spoke in spokes
        ),
        central_name=name_text(area.central_city),
        central_latitude=_float(area.central_city.latitude),
        central_longitude=_float(area.central_city.longitude),
        spokes=spokes,
    )


def _status_label(status: AgreementStatus | None):
    return status.label if status else NO_AGREEMENT


def municipality_detail(request, code: str):
    """A municipality: its areas, its public agreements, its projects, why it stays out.

    Template: public/municipality_detail.html; context: municipality, central_of,
    memberships, listed_in (directory entries of areas not recorded here that name it),
    agreements (agreement, with the title the public reads as public_title; status), led,
    joined (projects of the areas' visions in force or in public comment, earlier versions
    left out; each indicator with its progress_now), outside (commuting ratios of areas it
    qualifies for but is not part of).
    """
    municipality = get_object_or_404(Municipality, code=code)
    today = timezone.localdate()
    # Each area with its central cities, which its English name is made from.
    cities = ("area__central_city", "area__joint_central_city")
    central_of = list(
        CooperationArea.objects.filter(
            Q(central_city=municipality) | Q(joint_central_city=municipality)
        ).select_related("central_city", "joint_central_city")
    )
    memberships = list(
        AreaMembership.objects.filter(municipality=municipality)
        .select_related(*cities)
        .order_by("joined_on")
    )
    stored_status.refresh_due(today)
    agreements = [
        (agreement, AgreementStatus(agreement.stored_status))
        for agreement in with_public_titles(
            public_agreements_listed()
            .filter(Q(partner=municipality) | Q(central_party=municipality))
            .order_by("area__name", "partner__code"),
            today,
        )
    ]
    projects = list(
        Project.objects.filter(led_or_joined(municipality))
        .filter(vision__in=public_visions().exclude(status=VisionStatus.SUPERSEDED))
        .select_related(*(f"vision__{city}" for city in cities), "lead")
        .prefetch_related(PROJECT_INDICATORS)
        .order_by("vision__area__name", "vision_id", project_role_order(), "order", "id")
    )
    with_yearly_values(i for project in projects for i in project.indicators.all())
    part_of = {area.pk for area in central_of} | {m.area_id for m in memberships}
    # Areas of the national directory that name it, their procedure not recorded here.
    listed_in = [
        entry
        for entry in AreaDirectoryEntry.objects.filter(members=municipality, area__recorded=False)
        .select_related(*cities)
        .order_by("area__name")
        if entry.area_id not in part_of
    ]
    outside = [
        ratio
        for ratio in CommutingRatio.objects.filter(municipality=municipality, meets_rule=True)
        .select_related(*cities)
        .order_by("area__name")
        if ratio.area_id not in part_of
    ]
    context = {
        "municipality": municipality,
        "central_of": central_of,
        "memberships": memberships,
        "listed_in": listed_in,
        "agreements": agreements,
        "led": [p for p in projects if p.lead_id == municipality.pk],
        "joined": [p for p in projects if p.lead_id != municipality.pk],
        "outside": outside,
    }
    return render(request, "public/municipality_detail.html", context)


def procedure_guide(request):
    """The procedure in plain words and what every status means.

    Template: public/procedure_guide.html; context: statuses (status, explanation),
    the same mapping the admin shows.
    """
    return render(
        request,
        "public/procedure_guide.html",
        {"statuses": list(STATUS_EXPLANATIONS.items())},
    )


# Public addresses of the sources the questions page cites (the official texts).
SOURCE_LINKS = {
    "law": "https://laws.e-gov.go.jp/law/322AC0000000067",
    "guideline": "https://www.soumu.go.jp/main_sosiki/jichi_gyousei/renkeichusutoshiken/index.html",
}


def questions(request):
    """Residents' questions in plain words, each answer with its source.

    Template: public/questions.html; context: rule (the AllocationTaxRule in force this
    fiscal year, whose partner's cap and source the page shows, or None), links
    (SOURCE_LINKS).
    """
    rule = AllocationTaxRule.for_fiscal_year(fiscal_year_of(timezone.localdate()))
    return render(request, "public/questions.html", {"rule": rule, "links": SOURCE_LINKS})
