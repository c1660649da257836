"""An Atom feed per area of its procedure events: resolutions and procedures taking effect."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from agreements.models import CouncilResolution, Procedure
from agreements.selectors import on_public_record
from agreements.status import ProcedureStage
from municipalities.models import CooperationArea

MAX_EVENTS = 100
# On one day, a procedure takes effect after the councils' resolutions.
RESOLUTION, EFFECT = 0, 1


def _latest_resolutions(area):
    return (
        CouncilResolution.objects.filter(
            on_public_record("procedure__"), procedure__agreement__area=area
        )
        .select_related(
            "municipality", "procedure__agreement__area", "procedure__agreement__partner"
        )
        .order_by("-resolved_on", "-pk")
    )


def _latest_effects(area, today):
    """The latest procedures that took effect, at most MAX_EVENTS. A date of effect counts
    only once both councils passed (Procedure.stage), so candidates are read in batches
    until enough have."""
    candidates = (
        Procedure.objects.filter(on_public_record(), agreement__area=area, effective_on__lte=today)
        .select_related("agreement__area", "agreement__partner")
        .prefetch_related("resolutions")
        .order_by("-effective_on", "-pk")
    )
    found, start = [], 0
    while len(found) < MAX_EVENTS:
        batch = list(candidates[start : start + MAX_EVENTS])
        found += [p for p in batch if p.stage(today) == ProcedureStage.EFFECTIVE]
        if len(batch) < MAX_EVENTS:
            break
        start += MAX_EVENTS
    return found[:MAX_EVENTS]


def _label(procedure) -> str:
    return f"{procedure.get_kind_display()}: {procedure.summary}"


def _resolution_event(r) -> dict:
    agreement = r.procedure.agreement
    return {
        "order": (r.resolved_on, RESOLUTION, r.pk),
        "day": r.resolved_on,
        "title": _("%(council)s council: %(result)s — %(procedure)s (%(partner)s)")
        % {
            "council": r.municipality.name,
            "result": r.get_result_display(),
            "procedure": _label(r.procedure),
            "partner": agreement.partner.name,
        },
        "description": f"{r.session} {r.bill_number}",
        "link": f"{agreement.get_absolute_url()}#resolution-{r.pk}",
    }


def _effect_event(procedure) -> dict:
    agreement = procedure.agreement
    return {
        "order": (procedure.effective_on, EFFECT, procedure.pk),
        "day": procedure.effective_on,
        "title": _("In effect: %(procedure)s (%(partner)s)")
        % {"procedure": _label(procedure), "partner": agreement.partner.name},
        "description": agreement.title,
        "link": f"{agreement.get_absolute_url()}#procedure-{procedure.pk}",
    }


class AreaEventsFeed(Feed):
    """Council resolutions and conclusions, amendments and abolitions that took effect."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return get_object_or_404(CooperationArea, slug=slug)

    def title(self, area):
        return _("%(area)s: procedure events") % {"area": area.name}

    def link(self, area):
        return area.get_absolute_url()

    def subtitle(self, area):
        return _("Council resolutions on the agreements and the procedures that took effect.")

    def items(self, area):
        """The latest MAX_EVENTS events, newest first: only those are read."""
        today = timezone.localdate()
        events = [
            *(_resolution_event(r) for r in _latest_resolutions(area)[:MAX_EVENTS]),
            *(_effect_event(p) for p in _latest_effects(area, today)),
        ]
        events.sort(key=lambda e: e["order"], reverse=True)
        return events[:MAX_EVENTS]

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        # Atom summaries are HTML: what clerks typed must not become markup.
        return escape(item["description"])

    def item_link(self, item):
        return item["link"]

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item["day"], datetime.time()))

    def item_updateddate(self, item):
        return self.item_pubdate(item)
