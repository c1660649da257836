"""The clerk's desk: a municipality's clerk records their own council's resolutions.

Every view checks on the server that the signed-in person is a clerk and that the record
belongs to their municipality; anything else is refused (403) or not found (404), whatever
the URL or the posted data say. Writes go through the same services as the admin.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.access import clerk_municipality, is_planning_staff_of
from municipalities.admin_base import DomainForm
from municipalities.models import Municipality
from municipalities.wareki import fiscal_year_of
from vision.models import Indicator, IndicatorActual, VisionStatus
from vision.services import actual_save

from .models import CouncilResolution, Procedure
from .services import resolution_save
from .status import Result, latest_results


class DeskResolutionForm(DomainForm):
    class Meta:
        model = CouncilResolution
        fields = ["session", "bill_number", "resolved_on", "result", "document", "note"]
        widgets = {
            "resolved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


def _clerk_or_403(request) -> Municipality:
    municipality = clerk_municipality(request.user)
    if municipality is None:
        raise PermissionDenied
    return municipality


def procedures_awaiting(municipality: Municipality) -> list[Procedure]:
    """Procedures before the councils that this municipality's council has not yet passed."""
    procedures = (
        Procedure.objects.filter(
            agreement__is_public=True,
            proposed_on__isnull=False,
            effective_on__isnull=True,
            dropped_on__isnull=True,
        )
        .filter(Q(agreement__partner=municipality) | Q(agreement__area__central_city=municipality))
        .select_related("agreement__area__central_city", "agreement__partner")
        .prefetch_related("resolutions")
        .order_by("proposed_on", "id")
    )
    waiting = []
    for procedure in procedures:
        agreement = procedure.agreement
        central, partner = latest_results(
            procedure.resolutions.all(), agreement.area.central_city_id, agreement.partner_id
        )
        mine = central if municipality.pk == agreement.area.central_city_id else partner
        if mine != Result.PASSED:
            waiting.append(procedure)
    return waiting


@login_required
def desk(request):
    """The clerk's desk. Template: desk/desk.html; context: municipality, waiting, recorded."""
    municipality = _clerk_or_403(request)
    recorded = (
        CouncilResolution.objects.filter(municipality=municipality)
        .select_related("procedure__agreement__partner", "procedure__agreement__area")
        .order_by("-resolved_on", "-id")
    )
    history = {
        record.id: record
        for record in CouncilResolution.history.filter(
            id__in=[r.pk for r in recorded], history_type="+"
        ).select_related("history_user")
    }
    context = {
        "municipality": municipality,
        "waiting": procedures_awaiting(municipality),
        "indicators": indicators_awaiting(municipality, timezone.localdate()),
        "recorded": [(r, history.get(r.pk)) for r in recorded],
        "today": timezone.localdate(),
    }
    return render(request, "desk/desk.html", context)


def _record(request, form, municipality, *, instance: CouncilResolution, template: str, extra):
    if request.method == "POST" and form.is_valid():
        resolution = form.save(commit=False)
        resolution.municipality = municipality
        try:
            resolution_save(resolution=resolution, user=request.user, reason=_("desk"))
        except ValidationError as error:
            form._update_errors(error)
        else:
            messages.success(request, _("The resolution was recorded."))
            return redirect("agreements:desk")
    return render(request, template, {"form": form, "municipality": municipality, **extra})


@login_required
def resolution_new(request, procedure_pk: int):
    """Record a resolution of the clerk's own council. Template: desk/resolution_form.html."""
    municipality = _clerk_or_403(request)
    procedure = next((p for p in procedures_awaiting(municipality) if p.pk == procedure_pk), None)
    if procedure is None:
        raise Http404
    instance = CouncilResolution(procedure=procedure, municipality=municipality)
    form = DeskResolutionForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        initial={"resolved_on": datetime.date.today()},
    )
    return _record(
        request,
        form,
        municipality,
        instance=instance,
        template="desk/resolution_form.html",
        extra={"procedure": procedure, "correcting": False},
    )


@login_required
def resolution_edit(request, pk: int):
    """Correct a resolution the clerk's council made. Template: desk/resolution_form.html."""
    municipality = _clerk_or_403(request)
    resolution = get_object_or_404(
        CouncilResolution.objects.select_related("procedure__agreement__area__central_city"),
        pk=pk,
        municipality=municipality,
    )
    form = DeskResolutionForm(request.POST or None, request.FILES or None, instance=resolution)
    return _record(
        request,
        form,
        municipality,
        instance=resolution,
        template="desk/resolution_form.html",
        extra={"procedure": resolution.procedure, "correcting": True},
    )


def resolution_document(request, pk: int):
    """The resolution document (PDF): public once the procedure is on the public record,
    otherwise only for the two parties' clerks and the area's planning staff."""
    resolution = get_object_or_404(
        CouncilResolution.objects.select_related(
            "procedure__agreement__area__central_city", "procedure__agreement__partner"
        ).exclude(document=""),
        pk=pk,
    )
    procedure = resolution.procedure
    agreement = procedure.agreement
    public = agreement.is_public and procedure.proposed_on is not None
    party = clerk_municipality(request.user) in (agreement.area.central_city, agreement.partner)
    if not (public or party or is_planning_staff_of(request.user, agreement.area)):
        raise Http404
    return FileResponse(
        resolution.document.open("rb"),
        content_type="application/pdf",
        filename=f"{resolution.municipality.code}-{resolution.bill_number}.pdf",
    )


# Indicators: the clerk of a project's lead municipality enters its yearly actual values.


class ActualForm(DomainForm):
    class Meta:
        model = IndicatorActual
        fields = ["value"]


def indicators_awaiting(municipality: Municipality, today: datetime.date) -> list[tuple]:
    """(indicator, missing fiscal years) for projects the municipality leads in the adopted
    vision (not an earlier version, nor a revision still in public comment: its values are
    carried over from the adopted one when it is adopted).

    A fiscal year is missing when it has ended, lies after the baseline year and not after
    the target year, and has no actual value yet.
    """
    last_ended = fiscal_year_of(today) - 1
    indicators = (
        Indicator.objects.filter(
            project__lead=municipality,
            project__vision__status=VisionStatus.ADOPTED,
        )
        .select_related("project__vision__area")
        .prefetch_related("actuals")
        .order_by("project__vision__area__name", "project__order", "order", "id")
    )
    waiting = []
    for indicator in indicators:
        recorded = {a.fiscal_year for a in indicator.actuals.all()}
        years = [
            year
            for year in range(
                indicator.baseline_fiscal_year + 1,
                min(indicator.target_fiscal_year, last_ended) + 1,
            )
            if year not in recorded
        ]
        if years:
            waiting.append((indicator, years))
    return waiting


@login_required
def actual_new(request, indicator_pk: int, year: int):
    """Enter one fiscal year's actual value of an indicator of a project the clerk's
    municipality leads. Template: desk/actual_form.html."""
    municipality = _clerk_or_403(request)
    match = next(
        (
            indicator
            for indicator, years in indicators_awaiting(municipality, timezone.localdate())
            if indicator.pk == indicator_pk and year in years
        ),
        None,
    )
    if match is None:
        raise Http404
    form = ActualForm(
        request.POST or None, instance=IndicatorActual(indicator=match, fiscal_year=year)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actual_save(actual=form.save(commit=False), user=request.user, reason=_("desk"))
        except ValidationError as error:
            form._update_errors(error)
        else:
            messages.success(request, _("The actual value was recorded."))
            return redirect("agreements:desk")
    context = {"form": form, "indicator": match, "year": year, "municipality": municipality}
    return render(request, "desk/actual_form.html", context)
