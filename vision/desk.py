"""The clerk's desk, vision's part: the clerk of a project's lead municipality enters the
yearly actual values of its indicators (listed on the desk's page, public.desk).

Like agreements.desk, every view checks on the server who is signed in and refuses (403) or
does not find (404) anything outside the clerk's own municipality.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.access import clerk_municipality_or_403
from municipalities.admin_base import DomainForm
from municipalities.concurrency import GuardedEdit
from municipalities.models import Municipality
from municipalities.wareki import fiscal_year_of

from .models import FiscalYearClosure, Indicator, IndicatorActual, VisionStatus
from .services import actual_save


class ActualForm(DomainForm):
    class Meta:
        model = IndicatorActual
        fields = ["value"]


class ActualCorrectionForm(GuardedEdit, ActualForm):
    """A correction saves only over the value the clerk saw (GuardedEdit)."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=200,
        help_text=_("Kept in the history with the new value, e.g. 集計の誤りを訂正"),
    )


def actuals_entered(municipality: Municipality) -> list[tuple[IndicatorActual, bool]]:
    """(actual value, whether its fiscal year is closed) of the indicators of the projects the
    municipality leads in the adopted vision: what its clerk entered and may correct."""
    actuals = list(
        IndicatorActual.objects.filter(
            indicator__project__lead=municipality,
            indicator__project__vision__status=VisionStatus.ADOPTED,
        )
        .select_related("indicator__project__vision__area")
        .order_by("indicator__project__order", "indicator__order", "indicator_id", "fiscal_year")
    )
    areas = {actual.indicator.project.vision.area_id for actual in actuals}
    closed = set(
        FiscalYearClosure.objects.filter(area_id__in=areas).values_list("area_id", "fiscal_year")
    )
    return [
        (actual, (actual.indicator.project.vision.area_id, actual.fiscal_year) in closed)
        for actual in actuals
    ]


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
    municipality leads. Template: vision/actual_form.html."""
    municipality = clerk_municipality_or_403(request.user)
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
    form.fields["value"].widget.attrs["aria-describedby"] = "last-year-value"
    if request.method == "POST" and form.is_valid():
        try:
            actual_save(actual=form.save(commit=False), user=request.user, reason=_("desk"))
        except ValidationError as error:
            form._update_errors(error)
        else:
            messages.success(request, _("The actual value was recorded."))
            return redirect("public:desk")
    context = {
        "form": form,
        "indicator": match,
        "year": year,
        "municipality": municipality,
        "last_year": _last_year(match, year),
    }
    return render(request, "vision/actual_form.html", context)


def _last_year(indicator, year: int) -> dict:
    """The value of the fiscal year before `year`, shown beside the input: the actual value
    entered for it, or the baseline when that year is the baseline year (None: not entered)."""
    previous = year - 1
    if previous == indicator.baseline_fiscal_year:
        return {"year": previous, "value": indicator.baseline_value, "is_baseline": True}
    actual = indicator.actuals.filter(fiscal_year=previous).first()
    return {"year": previous, "value": actual.value if actual else None, "is_baseline": False}


@transaction.atomic
def _corrected(request, form) -> bool:
    """Validate and save in one transaction, so that the check that nobody changed the value
    meanwhile holds until it is saved."""
    if not form.is_valid():
        return False
    reason = _("desk") + ": " + form.cleaned_data["reason"]
    try:
        actual_save(actual=form.save(commit=False), user=request.user, reason=reason)
    except ValidationError as error:
        form._update_errors(error)
        return False
    return True


@login_required
def actual_edit(request, pk: int):
    """Correct a value the clerk's municipality entered, with a reason, until planning staff
    close its fiscal year. Template: vision/actual_form.html."""
    municipality = clerk_municipality_or_403(request.user)
    actual = next(
        (a for a, closed in actuals_entered(municipality) if a.pk == pk and not closed), None
    )
    if actual is None:
        raise Http404
    form = ActualCorrectionForm(request.POST or None, instance=actual)
    form.fields["value"].widget.attrs["aria-describedby"] = "last-year-value"
    if request.method == "POST" and _corrected(request, form):
        messages.success(request, _("The actual value was corrected."))
        return redirect("public:desk")
    context = {
        "form": form,
        "indicator": actual.indicator,
        "year": actual.fiscal_year,
        "municipality": municipality,
        "correcting": True,
        "last_year": _last_year(actual.indicator, actual.fiscal_year),
    }
    return render(request, "vision/actual_form.html", context)
