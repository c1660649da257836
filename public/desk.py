"""The clerk's desk: what waits for the clerk's council (agreements.desk) and for their
projects' indicator values (vision.desk), and the resolutions their council made.

Only a clerk reaches it; anyone else signed in is refused (403).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from agreements.desk import procedures_awaiting
from agreements.models import CouncilResolution
from municipalities.access import clerk_municipality_or_403
from vision.desk import actuals_entered, indicators_awaiting


@login_required
def desk(request):
    """The clerk's desk. Template: public/desk.html; context: municipality, waiting
    (procedures), indicators (with their missing years), recorded (resolutions, first version),
    entered (the values of the indicators the municipality leads, with whether their year is
    closed)."""
    municipality = clerk_municipality_or_403(request.user)
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
        "entered": actuals_entered(municipality),
        "recorded": [(r, history.get(r.pk)) for r in recorded],
        "today": timezone.localdate(),
    }
    return render(request, "public/desk.html", context)
