"""Public pages of agreements."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from municipalities.models import CooperationArea

from .models import Role
from .selectors import last_changed, public_agreements, public_procedures
from .status import STATUS_EXPLANATIONS, ProcedureKind


def _in_force_from(agreement, procedures) -> datetime.date | None:
    """The day a concluded agreement comes into force: its conclusion's effect, or the start
    of its fixed term if that is later."""
    effect = next(
        (
            p.effective_on
            for p in procedures
            if p.kind == ProcedureKind.CONCLUSION and p.effective_on
        ),
        None,
    )
    days = [day for day in (effect, agreement.term_start) if day is not None]
    return max(days, default=None)


def agreement_detail(request, slug: str, code: str, central: str | None = None):
    """One public agreement: parties, items by role, term and the timeline of its procedures.
    `code` is the partner's; `central` the joint central city's where that city is the party
    (the area's central city otherwise).

    Template: agreements/agreement_detail.html; context: area, agreement, status,
    explanation, lapses_on, roles (role, items), timeline (procedure, stage, central and
    partner resolutions), last_changed.
    """
    area = get_object_or_404(CooperationArea.objects.select_related("central_city"), slug=slug)
    agreements = public_agreements().prefetch_related("items").filter(area=area, partner__code=code)
    if central is None:
        agreements = agreements.filter(central_party_id=area.central_city_id)
    else:
        agreements = agreements.filter(central_party__code=central).exclude(
            central_party_id=area.central_city_id
        )
    agreement = agreements.first()
    if agreement is None:
        raise Http404
    today = timezone.localdate()
    status = agreement.status(today)
    items = list(agreement.items.all())
    procedures = public_procedures(agreement)
    timeline = [
        {
            "procedure": procedure,
            "stage": procedure.stage(today),
            "stage_label": procedure.stage_label(today),
            "central_resolutions": [
                r
                for r in procedure.resolutions.all()
                if r.municipality_id == agreement.central_party_id
            ],
            "partner_resolutions": [
                r for r in procedure.resolutions.all() if r.municipality_id == agreement.partner_id
            ],
            "is_change": procedure.kind != ProcedureKind.CONCLUSION,
            "is_lapse": procedure.kind == ProcedureKind.LAPSE,
            "notifying_resolutions": [
                r
                for r in procedure.resolutions.all()
                if r.municipality_id == procedure.notice_by_id
            ],
        }
        for procedure in procedures
    ]
    context = {
        "area": area,
        "agreement": agreement,
        "status": status,
        "explanation": STATUS_EXPLANATIONS[status],
        "lapses_on": agreement.lapses_on(),
        "in_force_from": _in_force_from(agreement, procedures),
        "roles": [(role, [i for i in items if i.role == role.value]) for role in Role],
        "timeline": timeline,
        "last_changed": last_changed(agreement, procedures),
    }
    return render(request, "agreements/agreement_detail.html", context)
