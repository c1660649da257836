"""The clerk's desk, agreements' part: a clerk records their own council's resolutions.

The desk's page itself (public.desk) lists what waits here and in vision.desk.

Every view checks on the server that the signed-in person is a clerk and that the record
belongs to their municipality; anything else is refused (403) or not found (404), whatever
the URL or the posted data say. Writes go through the same services as the admin.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from municipalities.access import (
    clerk_municipality,
    clerk_municipality_or_403,
    is_planning_staff_of,
)
from municipalities.admin_base import DomainForm
from municipalities.concurrency import GuardedEdit
from municipalities.models import Municipality

from .models import ERROR_DOCUMENT_OR_REASON, CouncilResolution, Procedure
from .services import resolution_save
from .status import PASSING_RESULTS, ProcedureKind, latest_results


class DeskResolutionForm(GuardedEdit, DomainForm):
    """A clerk records a result with the 議決書 (PDF), or with the reason it is not there yet.
    A correction saves only over the resolution the clerk saw (GuardedEdit)."""

    class Meta:
        model = CouncilResolution
        fields = [
            "session",
            "bill_number",
            "submitted_on",
            "resolved_on",
            "result",
            "approval",
            "approval_on",
            "document",
            "document_pending",
            "note",
        ]
        widgets = {
            "submitted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "resolved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "approval_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "document_pending": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        document = cleaned.get("document")  # False when the clerk clears it
        reason = (cleaned.get("document_pending") or "").strip()
        if not document and not reason and "document" not in self.errors:
            self.add_error("document", ERROR_DOCUMENT_OR_REASON)
        return cleaned


def procedures_awaiting(municipality: Municipality) -> list[Procedure]:
    """Procedures before the councils that this municipality's council has not yet passed."""
    procedures = (
        Procedure.objects.filter(
            agreement__is_public=True,
            proposed_on__isnull=False,
            effective_on__isnull=True,
            dropped_on__isnull=True,
        )
        .filter(Q(agreement__partner=municipality) | Q(agreement__central_party=municipality))
        .exclude(Q(kind=ProcedureKind.LAPSE) & ~Q(notice_by=municipality))
        .select_related("agreement__area", "agreement__central_party", "agreement__partner")
        .prefetch_related("resolutions")
        .order_by("proposed_on", "id")
    )
    waiting = []
    for procedure in procedures:
        agreement = procedure.agreement
        central, partner = latest_results(procedure.resolutions.all(), *agreement.party_ids)
        mine = central if municipality.pk == agreement.central_party_id else partner
        if mine not in PASSING_RESULTS:
            waiting.append(procedure)
    return waiting


@transaction.atomic
def _saved(request, form, municipality) -> bool:
    """Validate and save in one transaction: a correction's check that nobody changed the
    resolution meanwhile holds until it is saved."""
    if not form.is_valid():
        return False
    resolution = form.save(commit=False)
    resolution.municipality = municipality
    try:
        resolution_save(resolution=resolution, user=request.user, reason=_("desk"))
    except ValidationError as error:
        form._update_errors(error)
        return False
    return True


def _record(request, form, municipality, *, instance: CouncilResolution, template: str, extra):
    if request.method == "POST" and _saved(request, form, municipality):
        messages.success(request, _("The resolution was recorded."))
        return redirect("public:desk")
    return render(request, template, {"form": form, "municipality": municipality, **extra})


@login_required
def resolution_new(request, procedure_pk: int):
    """Record a resolution of the clerk's own council. Template: agreements/resolution_form.html."""
    municipality = clerk_municipality_or_403(request.user)
    procedure = next((p for p in procedures_awaiting(municipality) if p.pk == procedure_pk), None)
    if procedure is None:
        raise Http404
    instance = CouncilResolution(procedure=procedure, municipality=municipality)
    # No date is filled in for the clerk: the council's date is typed from the 議決書.
    form = DeskResolutionForm(request.POST or None, request.FILES or None, instance=instance)
    return _record(
        request,
        form,
        municipality,
        instance=instance,
        template="agreements/resolution_form.html",
        extra={"procedure": procedure, "correcting": False},
    )


@login_required
def resolution_edit(request, pk: int):
    """Correct a resolution the clerk's council made. Template: agreements/resolution_form.html."""
    municipality = clerk_municipality_or_403(request.user)
    resolution = get_object_or_404(
        CouncilResolution.objects.select_related(
            "procedure__agreement__area", "procedure__agreement__central_party"
        ),
        pk=pk,
        municipality=municipality,
    )
    form = DeskResolutionForm(request.POST or None, request.FILES or None, instance=resolution)
    return _record(
        request,
        form,
        municipality,
        instance=resolution,
        template="agreements/resolution_form.html",
        extra={"procedure": resolution.procedure, "correcting": True},
    )


def resolution_document(request, pk: int):
    """The resolution document (PDF): public once the procedure is on the public record,
    otherwise only for the two parties' clerks and the area's planning staff."""
    resolution = get_object_or_404(
        CouncilResolution.objects.select_related(
            "procedure__agreement__area",
            "procedure__agreement__central_party",
            "procedure__agreement__partner",
        ).exclude(document=""),
        pk=pk,
    )
    procedure = resolution.procedure
    agreement = procedure.agreement
    public = agreement.is_public and procedure.proposed_on is not None
    party = clerk_municipality(request.user) in (agreement.central_party, agreement.partner)
    if not (public or party or is_planning_staff_of(request.user, agreement.area)):
        raise Http404
    return FileResponse(
        resolution.document.open("rb"),
        content_type="application/pdf",
        filename=f"{resolution.municipality.code}-{resolution.bill_number}.pdf",
    )
