"""The API's answers as plain dictionaries.

Built on the open data's own records (agreements.exports, vision.exports), so that the API,
the CSV and the JSON downloads use the same names, codes and identifiers. The API adds, to
every record: its labels in Japanese and English (`status_label`, `status_label_en`), the
names of the municipalities it gives by code (`partner_name`, `partner_name_en`), its public
pages in both languages (`url`, `url_en`), its own address in the API (`api_url`), and when it
was last modified (`modified`, see public.api.modified).
"""

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils import translation

from agreements.exports import Absolute, agreement_record
from agreements.models import Agreement, Role
from agreements.selectors import public_procedures
from agreements.status import AgreementStatus, ProcedureKind
from municipalities.models import AreaMembership, CooperationArea, Municipality, MunicipalityKind
from municipalities.numbers import plain_number
from vision.exports import indicator_record, project_record, vision_record
from vision.models import Indicator, Project, ProjectField, Vision, VisionStatus
from vision.progress import ProgressStatus

from ..selectors import STEP_LABELS, AreaProgress


def labels(name: str, label) -> dict:
    """A label in Japanese (`name`) and in English (`name`_en); both null for none."""
    if label is None:
        return {name: None, f"{name}_en": None}
    with translation.override("ja"):
        japanese = str(label)
    with translation.override("en"):
        english = str(label)
    return {name: japanese, f"{name}_en": english}


def pages(address: Callable[[], str], absolute: Absolute) -> dict:
    """A record's public page in Japanese (`url`) and in English (`url_en`), in full."""
    with translation.override("ja"):
        japanese = absolute(address())
    with translation.override("en"):
        english = absolute(address())
    return {"url": japanese, "url_en": english}


def _date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _decimal(value) -> str | None:
    return plain_number(value) if value is not None else None


def named(municipality: Municipality | None) -> dict | None:
    """A municipality where a record names one: its code and names."""
    if municipality is None:
        return None
    return {"code": municipality.code, "name": municipality.name, "name_en": municipality.name_en}


# Areas ---------------------------------------------------------------------------------------


def area_summary(
    area: CooperationArea, progress: AreaProgress | None, *, absolute: Absolute, modified
) -> dict:
    """An area with its figures, as the list of areas (and /areas.json) gives them; the
    figures are null for an area of the national directory, whose procedure is not recorded
    here."""
    step = (progress.current_step or "done") if progress else None
    return {
        "slug": area.slug,
        "name": area.name,
        "name_en": area.name_en,
        "central_city": named(area.central_city),
        "joint_central_city": named(area.joint_central_city)
        if area.joint_central_city_id
        else None,
        "declared_on": _date(area.declared_on),
        "recorded": area.recorded,
        "partners": progress.partners if progress else None,
        "agreements_in_force": progress.in_force if progress else None,
        "current_step": step,
        **labels("current_step_label", STEP_LABELS[step] if step else None),
        **pages(area.get_absolute_url, absolute),
        "api_url": absolute(reverse("api:area", kwargs={"slug": area.slug})),
        "modified": modified,
    }


def area_detail(
    area: CooperationArea,
    progress: AreaProgress | None,
    *,
    absolute: Absolute,
    modified,
    current_vision: int | None,
    today: datetime.date,
) -> dict:
    """An area with its declaration, formation policy, members and links to its records."""
    memberships: list[AreaMembership] = list(area.memberships.all())
    return {
        **area_summary(area, progress, absolute=absolute, modified=modified),
        "description": area.description,
        "declaration": {
            "declared_on": _date(area.declared_on),
            "text": area.declaration_text,
            "is_sample": area.declaration_is_sample,
        },
        "formation_policy": {
            "resolved_on": area.formation_policy_on.isoformat(),
            "text": area.formation_policy_text,
        }
        if area.formation_policy_on
        else None,
        "memberships": [
            {
                "municipality": m.municipality.code,
                "name": m.municipality.name,
                "name_en": m.municipality.name_en,
                "joined_on": m.joined_on.isoformat(),
                "left_on": _date(m.left_on),
                "did_not_conclude": m.did_not_conclude,
                "current": m.is_current_on(today),
            }
            for m in memberships
        ],
        "current_vision": current_vision,
        "record_url": absolute(reverse("public:area_json", kwargs={"slug": area.slug})),
        "agreements_url": absolute(reverse("api:agreements")) + f"?area={area.slug}",
        "visions_url": absolute(reverse("api:visions")) + f"?area={area.slug}",
    }


# Municipalities ------------------------------------------------------------------------------


def municipality_summary(municipality: Municipality, *, absolute: Absolute, modified) -> dict:
    """A local government as the national registry gives it, with the English name."""
    code = municipality.code
    return {
        "code": code,
        "name": municipality.name,
        "name_kana": municipality.name_kana,
        "name_en": municipality.name_en,
        "kind": municipality.kind,
        **labels("kind_label", MunicipalityKind(municipality.kind).label),
        "prefecture": municipality.prefecture,
        "population": municipality.population,
        "population_census_year": municipality.population_census_year,
        "area_km2": _decimal(municipality.area_km2),
        "latitude": _decimal(municipality.latitude),
        "longitude": _decimal(municipality.longitude),
        "website": municipality.website,
        **pages(lambda: reverse("public:municipality_detail", kwargs={"code": code}), absolute),
        "api_url": absolute(reverse("api:municipality", kwargs={"code": code})),
        "modified": modified,
    }


def municipality_detail(
    municipality: Municipality,
    *,
    absolute: Absolute,
    modified,
    central_of: list[CooperationArea],
    memberships: list[AreaMembership],
    today: datetime.date,
) -> dict:
    """A local government with the areas it is a central city or a member of."""
    areas = [
        {
            "area": area.slug,
            "area_name": area.name,
            "role": "central_city"
            if area.central_city_id == municipality.pk
            else "joint_central_city",
            "joined_on": None,
            "left_on": None,
            "current": True,
        }
        for area in central_of
    ] + [
        {
            "area": m.area.slug,
            "area_name": m.area.name,
            "role": "partner",
            "joined_on": m.joined_on.isoformat(),
            "left_on": _date(m.left_on),
            "current": m.is_current_on(today),
        }
        for m in memberships
    ]
    return {
        **municipality_summary(municipality, absolute=absolute, modified=modified),
        "areas": areas,
        "agreements_url": absolute(reverse("api:agreements"))
        + f"?municipality={municipality.code}",
    }


# Agreements ----------------------------------------------------------------------------------


def _agreement_names(agreement: Agreement, status: AgreementStatus) -> dict:
    return {
        **labels("status_label", status.label),
        "central_city_name": agreement.central_party.name,
        "central_city_name_en": agreement.central_party.name_en,
        "partner_name": agreement.partner.name,
        "partner_name_en": agreement.partner.name_en,
    }


def _agreement_api_url(agreement: Agreement, absolute: Absolute) -> str:
    kwargs = {"slug": agreement.area.slug, "code": agreement.partner.code}
    if agreement.central_party_id == agreement.area.central_city_id:
        return absolute(reverse("api:agreement", kwargs=kwargs))
    return absolute(
        reverse("api:agreement_of", kwargs={**kwargs, "central": agreement.central_party.code})
    )


def agreement_summary(
    agreement: Agreement, *, absolute: Absolute, today: datetime.date, modified
) -> dict:
    """An agreement as the area's agreements.csv lists it: its parties, title (as the public
    reads it: agreements.selectors.with_public_titles) and status, and the day its conclusion
    was signed and took effect."""
    conclusions = [p for p in public_procedures(agreement) if p.kind == ProcedureKind.CONCLUSION]
    conclusion = conclusions[-1] if conclusions else None
    status = agreement.status(today)
    return {
        "area": agreement.area.slug,
        "central_city": agreement.central_party.code,
        "partner": agreement.partner.code,
        "title": agreement.public_title,
        "status": status.value,
        **_agreement_names(agreement, status),
        "signed_on": _date(conclusion.signed_on) if conclusion else None,
        "effective_on": _date(conclusion.effective_on) if conclusion else None,
        "is_sample": agreement.is_sample,
        **pages(agreement.get_absolute_url, absolute),
        "api_url": _agreement_api_url(agreement, absolute),
        "modified": modified,
    }


def agreement_detail(
    agreement: Agreement, *, absolute: Absolute, today: datetime.date, modified
) -> dict:
    """The whole public record of the agreement (as agreements.json gives it), with its
    procedures and their resolutions."""
    record = agreement_record(agreement, absolute=absolute, today=today)
    return {
        **record,
        **_agreement_names(agreement, AgreementStatus(record["status"])),
        **pages(agreement.get_absolute_url, absolute),
        "api_url": _agreement_api_url(agreement, absolute),
        "modified": modified,
    }


# Visions, projects, indicators ---------------------------------------------------------------


def _vision_extras(vision: Vision, *, absolute: Absolute, modified, current: bool) -> dict:
    return {
        "area": vision.area.slug,
        **labels("status_label", VisionStatus(vision.status).label),
        "is_current": current,
        **pages(vision.get_absolute_url, absolute),
        "api_url": absolute(reverse("api:vision", kwargs={"pk": vision.pk})),
        "modified": modified,
    }


def vision_summary(vision: Vision, *, absolute: Absolute, modified, current: bool) -> dict:
    """A public vision: its title, status and period."""
    return {
        "id": vision.pk,
        "title": vision.title,
        "status": vision.status,
        "first_fiscal_year": vision.first_fiscal_year,
        "last_fiscal_year": vision.last_fiscal_year,
        "adopted_on": _date(vision.adopted_on),
        "previous": vision.previous_id,
        "is_sample": vision.is_sample,
        **_vision_extras(vision, absolute=absolute, modified=modified, current=current),
    }


def vision_detail(
    vision: Vision, *, absolute: Absolute, today: datetime.date, modified, current: bool
) -> dict:
    """The whole public vision (as projects.json gives it): roundtable, public comment,
    projects with their indicators and values."""
    return {
        **vision_record(vision, absolute=absolute, today=today),
        **_vision_extras(vision, absolute=absolute, modified=modified, current=current),
    }


def project_detail(project: Project, *, absolute: Absolute, modified) -> dict:
    """A project of a public vision (as projects.json gives it), with its indicators."""
    area = project.vision.area
    return {
        **project_record(project),
        "area": area.slug,
        "vision": project.vision_id,
        **labels("role_label", Role(project.role).label),
        **labels("field_label", ProjectField(project.field).label),
        "lead_name": project.lead.name,
        "lead_name_en": project.lead.name_en,
        **pages(project.get_absolute_url, absolute),
        "api_url": absolute(reverse("api:project", kwargs={"pk": project.pk})),
        "modified": modified,
    }


def indicator_detail(indicator: Indicator, *, absolute: Absolute, modified) -> dict:
    """A performance indicator with its baseline, target, yearly targets, actual values and
    progress (as projects.json gives it)."""
    record = indicator_record(indicator)
    project = indicator.project
    anchor = f"#indicator-{indicator.pk}-h"
    return {
        **record,
        **labels("progress_label", ProgressStatus(record["progress"]).label),
        "project": project.pk,
        "project_number": project.code,
        "vision": project.vision_id,
        "area": project.vision.area.slug,
        **pages(lambda: project.get_absolute_url() + anchor, absolute),
        "api_url": absolute(reverse("api:indicator", kwargs={"pk": indicator.pk})),
        "modified": modified,
    }
