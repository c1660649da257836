"""The public vision as open data (drafts are never exported)."""

import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.exports import Absolute
from agreements.selectors import with_public_items
from municipalities.models import CooperationArea
from municipalities.numbers import plain_number

from .models import (
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Project,
    ProjectBudget,
    Vision,
)
from .progress import ProgressStatus
from .selectors import CURRENT_FIRST, project_role_order, public_visions

# An indicator's yearly values, and everything a project's record shows besides its own row,
# each in one query whatever the number of records (the exports and the API load them alike).
INDICATOR_VALUES = (
    Prefetch("actuals", queryset=IndicatorActual.objects.order_by("fiscal_year")),
    Prefetch("targets", queryset=IndicatorTarget.objects.order_by("fiscal_year")),
)
PROJECT_RECORD = (
    "participations__municipality",
    "participations__agreement_item",
    Prefetch(
        "budgets",
        queryset=ProjectBudget.objects.select_related("municipality").order_by(
            "fiscal_year", "municipality__code"
        ),
    ),
    Prefetch("indicators", queryset=Indicator.objects.prefetch_related(*INDICATOR_VALUES)),
)


def visions_for_export(area: CooperationArea):
    """The area's public visions, the current one first, with everything exports show."""
    return (
        public_visions()
        .filter(area=area)
        .order_by(*CURRENT_FIRST)
        .select_related("area")
        .prefetch_related(
            "roundtable_members",
            "roundtable_meetings",
            "public_comments",
            Prefetch(
                "projects",
                queryset=Project.objects.select_related("lead")
                .prefetch_related(*PROJECT_RECORD)
                .order_by(project_role_order(), "order", "id"),
            ),
        )
    )


def _progress(indicator: Indicator) -> str:
    return indicator.progress().status  # from the prefetched actuals and targets


def indicator_record(indicator: Indicator) -> dict:
    return {
        "id": indicator.pk,
        "number": indicator.code,
        "name": indicator.name,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "unit_en": indicator.unit_en,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "order": indicator.order,
        "baseline": {
            "value": plain_number(indicator.baseline_value),
            "fiscal_year": indicator.baseline_fiscal_year,
        },
        "target": {
            "value": plain_number(indicator.target_value),
            "fiscal_year": indicator.target_fiscal_year,
        },
        "yearly_targets": [
            {"fiscal_year": t.fiscal_year, "value": plain_number(t.value), "is_sample": t.is_sample}
            for t in indicator.targets.all()
        ],
        "actuals": [
            {"fiscal_year": a.fiscal_year, "value": plain_number(a.value), "is_sample": a.is_sample}
            for a in indicator.actuals.all()
        ],
        "progress": _progress(indicator),
        "is_sample": indicator.is_sample,
    }


def name_covering_items(projects: list[Project], today: datetime.date | None = None) -> None:
    """Name the agreement items that cover the projects' participants as the public reads
    them (agreements.selectors.with_public_items), those not named yet, in one go: an export
    of several visions names them all before it writes any."""
    items = [
        p.agreement_item
        for project in projects
        for p in project.participations.all()
        if p.agreement_item_id and not hasattr(p.agreement_item, "public_title")
    ]
    if items:
        with_public_items(items, today)


def project_record(project: Project) -> dict:
    """The project with its participants, the agreement item that covers each partner's part
    by the title the public reads (an item only an amendment being drafted has is left out),
    its budgets and indicators. A list of projects names their items first, in one go
    (`name_covering_items`); else each project names its own, in a query of its own."""
    name_covering_items([project])
    return {
        "id": project.pk,
        "number": project.code,
        "role": project.role,
        "field": project.field,
        "title": project.title,
        "title_en": project.title_en,
        "description": project.description,
        "lead": project.lead.code,
        "order": project.order,
        "participants": [p.municipality.code for p in project.participations.all()],
        # The agreement item that covers each partner's part (the central city needs none).
        "covered_by": {
            p.municipality.code: p.agreement_item.public_title
            for p in project.participations.all()
            if p.agreement_item_id and p.agreement_item.public_title is not None
        },
        "budgets": [
            {
                "municipality": b.municipality.code,
                "fiscal_year": b.fiscal_year,
                "amount": plain_number(b.amount),
                "is_sample": b.is_sample,
            }
            for b in project.budgets.all()
        ],
        "is_sample": project.is_sample,
        "indicators": [indicator_record(i) for i in project.indicators.all()],
    }


def _minutes(meeting, absolute: Absolute) -> str | None:
    """The full address of the minutes: the PDF kept here, or the link given."""
    if meeting.minutes_document:
        return absolute(
            reverse("vision:minutes", kwargs={"slug": meeting.vision.area.slug, "pk": meeting.pk})
        )
    return meeting.minutes_url or None


def public_comment_record(vision: Vision, today: datetime.date) -> dict | None:
    """The public comment: its period, and the comments only once the period has ended."""
    if vision.comment_starts_on is None:
        return None
    ended = vision.comment_has_ended(today)
    return {
        "starts_on": vision.comment_starts_on.isoformat(),
        "ends_on": vision.comment_ends_on.isoformat(),
        "comments": [
            {
                "number": c.number,
                "summary": c.summary,
                "response": c.response,
                "draft_changed": c.draft_changed,
                "change_made": c.change_made,
                "is_sample": c.is_sample,
            }
            for c in vision.public_comments.all()
        ]
        if ended
        else None,
    }


def vision_record(
    vision: Vision, *, absolute: Absolute, today: datetime.date | None = None
) -> dict:
    """The vision with its roundtable, public comment and projects; links in full."""
    today = today or timezone.localdate()
    name_covering_items(list(vision.projects.all()), today)
    return {
        "id": vision.pk,
        "title": vision.title,
        "status": vision.status,
        "first_fiscal_year": vision.first_fiscal_year,
        "last_fiscal_year": vision.last_fiscal_year,
        "adopted_on": vision.adopted_on.isoformat() if vision.adopted_on else None,
        "previous": vision.previous_id,
        "revision_reason": vision.revision_reason,
        "changes_note": vision.changes_note,
        "future_image": vision.future_image,
        "is_sample": vision.is_sample,
        "roundtable": {
            "members": [
                {
                    "name": m.name,
                    "sector": m.sector,
                    "affiliation": m.affiliation,
                    "is_chair": m.is_chair,
                    "order": m.order,
                    "is_sample": m.is_sample,
                }
                for m in vision.roundtable_members.all()
            ],
            "meetings": [
                {
                    "held_on": m.held_on.isoformat(),
                    "agenda": m.agenda,
                    "minutes": _minutes(m, absolute),
                    "is_sample": m.is_sample,
                }
                for m in vision.roundtable_meetings.all()
            ],
        },
        "public_comment": public_comment_record(vision, today),
        "projects": [project_record(p) for p in vision.projects.all()],
    }


# Each CSV column: its machine name (the keys of project_rows, documented in
# docs/open-data.md) and its title in the header, in the language of the address.
PROJECT_CSV_COLUMNS = {
    "area": _("Area (slug)"),
    "vision": _("Vision (id)"),
    "project": _("Project (id)"),
    "project_number": _("Project number"),
    "role": _("Role (code)"),
    "role_label": _("Role"),
    "field": _("Field (code)"),
    "field_label": _("Field"),
    "title": _("Project title"),
    "lead": _("Lead municipality (code)"),
    "lead_name": _("Lead municipality"),
    "participants": _("Participants (codes)"),
    "participant_names": _("Participants"),
    "indicator": _("Indicator (id)"),
    "indicator_number": _("Indicator number"),
    "indicator_name": _("Indicator"),
    "unit": _("Unit"),
    "direction": _("Direction (code)"),
    "direction_label": _("Direction"),
    "baseline_value": _("Baseline value"),
    "baseline_fiscal_year": _("Baseline fiscal year"),
    "target_value": _("Target value"),
    "target_fiscal_year": _("Target fiscal year"),
    "latest_actual_value": _("Latest actual value"),
    "latest_actual_fiscal_year": _("Latest actual fiscal year"),
    "progress": _("Progress (code)"),
    "progress_label": _("Progress"),
    "sample_values": _("Sample values"),
}


def project_rows(area: CooperationArea, vision: Vision) -> list[dict]:
    """One CSV row per indicator (a project without indicators gets one row of its own),
    each code with its label or name beside it."""
    rows = []
    for project in vision.projects.all():
        participants = [p.municipality for p in project.participations.all()]
        base = {
            "area": area.slug,
            "vision": vision.pk,
            "project": project.pk,
            "project_number": project.code,
            "role": project.role,
            "role_label": project.get_role_display(),
            "field": project.field,
            "field_label": project.get_field_display(),
            "title": project.title,
            "lead": project.lead.code,
            "lead_name": project.lead.name,
            "participants": " ".join(m.code for m in participants),
            "participant_names": " ".join(m.name for m in participants),
        }
        indicators = list(project.indicators.all()) or [None]
        for indicator in indicators:
            actuals = list(indicator.actuals.all()) if indicator else []
            latest = actuals[-1] if actuals else None
            progress = _progress(indicator) if indicator else None
            rows.append(
                base
                | {
                    "indicator": indicator.pk if indicator else None,
                    "indicator_number": indicator.code if indicator else None,
                    "indicator_name": indicator.name if indicator else None,
                    "unit": indicator.unit if indicator else None,
                    "direction": indicator.direction if indicator else None,
                    "direction_label": indicator.get_direction_display() if indicator else None,
                    "baseline_value": indicator.baseline_value if indicator else None,
                    "baseline_fiscal_year": indicator.baseline_fiscal_year if indicator else None,
                    "target_value": indicator.target_value if indicator else None,
                    "target_fiscal_year": indicator.target_fiscal_year if indicator else None,
                    "latest_actual_value": latest.value if latest else None,
                    "latest_actual_fiscal_year": latest.fiscal_year if latest else None,
                    "progress": progress,
                    "progress_label": ProgressStatus(progress).label if progress else None,
                    "sample_values": project.is_sample
                    or bool(indicator and indicator.is_sample)
                    or any(a.is_sample for a in actuals),
                }
            )
    return rows
