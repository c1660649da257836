"""Open data: CSV and JSON downloads of the public lists and the whole record of an area.

Formats are documented in docs/open-data.md. Everything read here goes through the same
public selectors as the pages (`public_agreements`, non-draft visions).
"""

import csv

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements import stored_status
from agreements.exports import AGREEMENT_CSV_COLUMNS, agreement_record, agreement_row
from agreements.selectors import public_agreements
from municipalities.addresses import addresses
from municipalities.cells import text_cell
from municipalities.models import CommutingRatio, CooperationArea
from municipalities.selectors import area_for_detail
from vision.exports import PROJECT_CSV_COLUMNS, project_rows, vision_record, visions_for_export

from .selectors import areas_with_figures, counted_progress

ATTRIBUTION = (
    "Municipal data: code4fukui localgovjp (CC0 1.0); population: Statistics Bureau of Japan, "
    "2020 Census. Values with is_sample / sample_values true are invented for the demo."
)
AREA_CSV_COLUMNS = [
    "area",
    "name",
    "central_city",
    "central_city_name",
    "joint_central_city",
    "declared_on",
    "partners",
    "agreements_in_force",
    "current_step",
    "recorded",
    "url",
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return text_cell(value) if isinstance(value, str) else str(value)


def csv_response(filename: str, columns: list[str], rows: list[dict]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel opens Japanese text correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return response


def json_response(payload: dict) -> JsonResponse:
    return JsonResponse(
        {"attribution": ATTRIBUTION, **payload},
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


def _area_rows(request) -> list[dict]:
    """Every area with its figures, read as plain values: one row each, no model instance."""
    today = timezone.localdate()
    stored_status.refresh_due(today)
    areas = areas_with_figures(today).values_list(
        "slug",
        "name",
        "central_city__code",
        "central_city__name",
        "joint_central_city__code",
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
                "declared_on": declared_on.isoformat() if declared_on else None,
                # A directory entry's agreements are not recorded here: no figures, not zeros.
                "partners": partners if recorded else None,
                "agreements_in_force": in_force if recorded else None,
                "current_step": (progress.current_step or "done") if recorded else None,
                "recorded": recorded,
                "url": request.build_absolute_uri(area_url(slug)),
            }
        )
    return rows


def areas_csv(request):
    return csv_response("areas.csv", AREA_CSV_COLUMNS, _area_rows(request))


def areas_json(request):
    return json_response({"areas": _area_rows(request)})


def _public_area_agreements(area: CooperationArea):
    return public_agreements().prefetch_related("items").filter(area=area).order_by("partner__code")


def area_agreements_csv(request, slug: str):
    area = get_object_or_404(CooperationArea, slug=slug)
    today = timezone.localdate()
    rows = [
        agreement_row(
            agreement, today=today, url=request.build_absolute_uri(agreement.get_absolute_url())
        )
        for agreement in _public_area_agreements(area)
    ]
    return csv_response(f"{area.slug}-agreements.csv", AGREEMENT_CSV_COLUMNS, rows)


def area_agreements_json(request, slug: str):
    area = get_object_or_404(CooperationArea, slug=slug)
    today = timezone.localdate()
    return json_response(
        {
            "area": area.slug,
            "agreements": [
                agreement_record(agreement, today=today)
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
    return json_response({"area": area.slug, "vision": vision_record(vision)})


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


def _absolute_minutes(request, vision: dict) -> dict:
    """Minutes kept on this site by their full address, as a record names them elsewhere."""
    for meeting in vision["roundtable"]["meetings"]:
        if meeting["minutes"] and meeting["minutes"].startswith("/"):
            meeting["minutes"] = request.build_absolute_uri(meeting["minutes"])
    return vision


def area_record_json(request, slug: str):
    """The whole public record of one area: `/areas/<slug>.json`."""
    area = get_object_or_404(area_for_detail(), slug=slug)
    today = timezone.localdate()
    members = {m.municipality_id for m in area.memberships.all()} | set(area.central_city_ids)
    ratios: list[CommutingRatio] = list(area.commuting_ratios.all())
    record = {
        "area": {
            "slug": area.slug,
            "name": area.name,
            "url": request.build_absolute_uri(area.get_absolute_url()),
            "description": area.description,
            "recorded": area.recorded,
        },
        "directory": _directory_record(area),
        "central_city": {"code": area.central_city.code, "name": area.central_city.name},
        "joint_central_city": (
            {"code": area.joint_central_city.code, "name": area.joint_central_city.name}
            if area.joint_central_city_id
            else None
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
                "ratio": str(r.ratio) if r.ratio is not None else None,
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
            agreement_record(agreement, today=today) for agreement in _public_area_agreements(area)
        ],
        "visions": [_absolute_minutes(request, vision_record(v)) for v in visions_for_export(area)],
        "fiscal_support": [
            {
                "municipality": s.municipality.code,
                "fiscal_year": s.fiscal_year,
                "special_amount": str(s.special_amount),
                "ordinary_amount": str(s.ordinary_amount),
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
