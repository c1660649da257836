"""Open data: CSV and JSON downloads of the public lists and the whole record of an area.

Formats are documented in docs/open-data.md. Everything read here goes through the same
public selectors as the pages (`public_agreements`, non-draft visions).
"""

import csv
import datetime
from decimal import Decimal

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agreements import stored_status
from agreements.exports import (
    AGREEMENT_CSV_COLUMNS,
    Absolute,
    agreement_record,
    agreement_row,
)
from agreements.selectors import public_agreements, with_public_titles
from municipalities.addresses import addresses
from municipalities.cells import text_cell
from municipalities.models import CommutingRatio, CooperationArea, Municipality
from municipalities.numbers import plain_number
from municipalities.selectors import area_for_detail
from vision.exports import (
    PROJECT_CSV_COLUMNS,
    name_covering_items,
    project_rows,
    vision_record,
    visions_for_export,
)

from .selectors import STEP_LABELS, areas_with_figures, counted_progress

ATTRIBUTION = (
    "Municipal data: code4fukui localgovjp (CC0 1.0); population: Statistics Bureau of Japan, "
    "2020 Census. Values with is_sample / sample_values true are invented for the demo."
)
# Each CSV column: its machine name (the keys of area_rows, documented in
# docs/open-data.md) and its title in the header, in the language of the address.
AREA_CSV_COLUMNS = {
    "area": _("Area (slug)"),
    "name": _("Area name"),
    "central_city": _("Central city (code)"),
    "central_city_name": _("Central city"),
    "joint_central_city": _("Joint central city (code)"),
    "joint_central_city_name": _("Joint central city"),
    "declared_on": _("Declared on"),
    "partners": _("Number of partners"),
    "agreements_in_force": _("Number of agreements in force"),
    "current_step": _("Current step (code)"),
    "current_step_label": _("Current step"),
    "recorded": _("Procedure recorded here"),
    "url": _("Page (URL)"),
}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, str | Promise):
        return text_cell(str(value))
    return str(value)


def csv_response(filename: str, columns: dict[str, str], rows: list[dict]) -> HttpResponse:
    """A header of the columns' titles in the active language, then one line per row, its
    cells in the columns' order. UTF-8 with a byte-order mark, so that Excel (a Japanese
    one too) opens Japanese text correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow([_cell(title) for title in columns.values()])
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in columns])
    return response


def json_response(payload: dict) -> JsonResponse:
    return JsonResponse(
        {"attribution": ATTRIBUTION, **payload},
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


def area_rows(absolute: Absolute, today: datetime.date | None = None) -> list[dict]:
    """Every area with its figures, read as plain values: one row each, no model instance;
    `absolute` makes a site path a full address (the request's, or the site's)."""
    today = today or timezone.localdate()
    stored_status.refresh_due(today)
    areas = areas_with_figures(today).values_list(
        "slug",
        "name",
        "central_city__code",
        "central_city__name",
        "joint_central_city__code",
        "joint_central_city__name",
        "declared_on",
        "formation_policy_on",
        "partner_count",
        "in_force_count",
        "vision_adopted",
        "recorded",
    )
    area_url = addresses("public:area_detail", "slug", "-")
    rows = []
    for (
        slug,
        name,
        code,
        city,
        joint,
        joint_name,
        declared_on,
        policy_on,
        partners,
        in_force,
        adopted,
        recorded,
    ) in areas:
        progress = counted_progress(
            declared=declared_on is not None,
            partners=partners,
            in_force=in_force,
            vision_adopted=adopted,
            formation_policy=policy_on is not None,
        )
        rows.append(
            {
                "area": slug,
                "name": name,
                "central_city": code,
                "central_city_name": city,
                "joint_central_city": joint,
                "joint_central_city_name": joint_name,
                "declared_on": declared_on.isoformat() if declared_on else None,
                # A directory entry's agreements are not recorded here: no figures, not zeros.
                "partners": partners if recorded else None,
                "agreements_in_force": in_force if recorded else None,
                "current_step": (progress.current_step or "done") if recorded else None,
                "recorded": recorded,
                "url": absolute(area_url(slug)),
            }
        )
    return rows


def areas_csv(request):
    rows = [
        row | {"current_step_label": STEP_LABELS.get(row["current_step"])}
        for row in area_rows(request.build_absolute_uri)
    ]
    return csv_response("areas.csv", AREA_CSV_COLUMNS, rows)


def areas_json(request):
    return json_response({"areas": area_rows(request.build_absolute_uri)})


def _public_area_agreements(area: CooperationArea):
    return public_agreements().prefetch_related("items").filter(area=area).order_by("partner__code")


def area_agreements_csv(request, slug: str):
    area = get_object_or_404(CooperationArea, slug=slug)
    today = timezone.localdate()
    rows = [
        agreement_row(
            agreement, today=today, url=request.build_absolute_uri(agreement.get_absolute_url())
        )
        for agreement in with_public_titles(_public_area_agreements(area), today)
    ]
    return csv_response(f"{area.slug}-agreements.csv", AGREEMENT_CSV_COLUMNS, rows)


def area_agreements_json(request, slug: str):
    area = get_object_or_404(CooperationArea, slug=slug)
    today = timezone.localdate()
    return json_response(
        {
            "area": area.slug,
            "agreements": [
                agreement_record(agreement, absolute=request.build_absolute_uri, today=today)
                for agreement in _public_area_agreements(area)
            ],
        }
    )


def _current_public_vision(area: CooperationArea):
    return visions_for_export(area).first()


def vision_projects_csv(request, slug: str):
    area = get_object_or_404(CooperationArea, slug=slug)
    vision = _current_public_vision(area)
    if vision is None:
        raise Http404
    return csv_response(
        f"{area.slug}-vision-projects.csv", PROJECT_CSV_COLUMNS, project_rows(area, vision)
    )


def vision_projects_json(request, slug: str):
    area = get_object_or_404(CooperationArea, slug=slug)
    vision = _current_public_vision(area)
    if vision is None:
        raise Http404
    return json_response(
        {"area": area.slug, "vision": vision_record(vision, absolute=request.build_absolute_uri)}
    )


def _directory_record(area: CooperationArea) -> dict | None:
    """What the national directory says of the area, in its sources' words, or None."""
    entry = getattr(area, "directory", None)
    if entry is None:
        return None
    return {
        "central_cities": entry.central_cities,
        "declaration": entry.declaration,
        "vision": entry.vision,
        "member_count": entry.member_count,
        "members": [m.code for m in entry.members.order_by("code")],
        "as_of": entry.as_of,
        "sources": entry.source_urls,
        "notes": entry.notes,
    }


def _named(municipality: Municipality) -> dict:
    """A central city in the record: its code and names (the English one given, if any)."""
    return {
        "code": municipality.code,
        "name": municipality.name,
        "name_en": municipality.name_en,
        "english_name": municipality.english_name,
    }


def area_record_json(request, slug: str):
    """The whole public record of one area: `/areas/<slug>.json`."""
    area = get_object_or_404(area_for_detail(), slug=slug)
    today = timezone.localdate()
    absolute = request.build_absolute_uri
    members = {m.municipality_id for m in area.memberships.all()} | set(area.central_city_ids)
    ratios: list[CommutingRatio] = list(area.commuting_ratios.all())
    visions = list(visions_for_export(area))
    name_covering_items([p for vision in visions for p in vision.projects.all()], today)
    record = {
        "area": {
            "slug": area.slug,
            "name": area.name,
            # The English name pages show, and the one planning staff gave ("" if none).
            "name_en": area.name_en,
            "english_name": area.english_name,
            "url": request.build_absolute_uri(area.get_absolute_url()),
            "description": area.description,
            "recorded": area.recorded,
        },
        "directory": _directory_record(area),
        "central_city": _named(area.central_city),
        "joint_central_city": (
            _named(area.joint_central_city) if area.joint_central_city_id else None
        ),
        "declaration": {
            "declared_on": area.declared_on.isoformat() if area.declared_on else None,
            "text": area.declaration_text,
            "is_sample": area.declaration_is_sample,
        },
        "formation_policy": (
            {
                "resolved_on": area.formation_policy_on.isoformat(),
                "text": area.formation_policy_text,
            }
            if area.formation_policy_on
            else None
        ),
        "memberships": [
            {
                "municipality": m.municipality.code,
                "name": m.municipality.name,
                "name_en": m.municipality.name_en,
                "english_name": m.municipality.english_name,
                "joined_on": m.joined_on.isoformat(),
                "left_on": m.left_on.isoformat() if m.left_on else None,
                "did_not_conclude": m.did_not_conclude,
                "current": m.is_current_on(today),
            }
            for m in area.memberships.all()
        ],
        "commuting_ratios": [
            {
                "municipality": r.municipality.code,
                "name": r.municipality.name,
                "ratio": plain_number(r.ratio) if r.ratio is not None else None,
                "survey_year": r.survey_year,
                "meets_rule": r.meets_rule,
                "member": r.municipality_id in members,
                "outside_reason": r.outside_reason,
                "source": r.source,
                "is_sample": r.is_sample,
            }
            for r in ratios
        ],
        "agreements": [
            agreement_record(agreement, absolute=absolute, today=today)
            for agreement in _public_area_agreements(area)
        ],
        "visions": [vision_record(v, absolute=absolute, today=today) for v in visions],
        "fiscal_support": [
            {
                "municipality": s.municipality.code,
                "fiscal_year": s.fiscal_year,
                "special_amount": plain_number(s.special_amount),
                "ordinary_amount": plain_number(s.ordinary_amount),
                "note": s.note,
                "is_sample": s.is_sample,
            }
            for s in area.fiscal_support.select_related("municipality").order_by(
                "fiscal_year", "municipality__code"
            )
        ],
        "closed_fiscal_years": [
            {"fiscal_year": c.fiscal_year, "closed_on": c.closed_on.isoformat()}
            for c in area.closed_fiscal_years.order_by("fiscal_year")
        ],
    }
    return json_response(record)
