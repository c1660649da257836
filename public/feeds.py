"""An Atom feed per area of its procedure events: submissions to the councils, resolutions,
signing, and procedures taking effect (an amendment's with the provisions it changes)."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from agreements.models import CouncilResolution, Procedure
from agreements.selectors import on_public_record
from agreements.status import ProcedureKind, ProcedureStage
from agreements.versions import agreement_versions, amendment_comparison
from municipalities.models import CooperationArea

MAX_EVENTS = 100
# On one day: submitted, resolved, signed, then in effect.
SUBMISSION, RESOLUTION, SIGNING, EFFECT = 0, 1, 2, 3


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
    candidates = _dated_by(area, "effective_on", today).prefetch_related("resolutions")
    found, start = [], 0
    while len(found) < MAX_EVENTS:
        batch = list(candidates[start : start + MAX_EVENTS])
        found += [p for p in batch if p.stage(today) == ProcedureStage.EFFECTIVE]
        if len(batch) < MAX_EVENTS:
            break
        start += MAX_EVENTS
    return found[:MAX_EVENTS]


def _dated_by(area, field: str, today):
    """The public procedures dated by `field` up to today, newest first, with what their
    events show (an amendment's changes need its agreement's procedures)."""
    return (
        Procedure.objects.filter(
            on_public_record(), agreement__area=area, **{f"{field}__lte": today}
        )
        .select_related("agreement__area", "agreement__partner", "agreement__central_party")
        .prefetch_related("agreement__procedures")
        .order_by(f"-{field}", "-pk")
    )


def _latest_by(area, field: str, today):
    """The latest MAX_EVENTS of them."""
    return _dated_by(area, field, today)[:MAX_EVENTS]


def _changes(procedure) -> str:
    """An amendment's changed provisions, named: 「第5条、別表第3…」."""
    if procedure.kind != ProcedureKind.AMENDMENT:
        return ""
    versions = agreement_versions(list(procedure.agreement.procedures.all()))
    labels = [row.label for row in amendment_comparison(versions, procedure)]
    if not labels:
        return ""
    return _("Changes: %(provisions)s") % {"provisions": "、".join(labels)}


# Each event of a procedure has its own anchor on the agreement's page (and Atom id).
ANCHORS = {SUBMISSION: "-submitted", SIGNING: "-signed", EFFECT: ""}


def _dated_event(procedure, field: str, order: int, title: str) -> dict:
    agreement = procedure.agreement
    day = getattr(procedure, field)
    changes = _changes(procedure)
    return {
        "order": (day, order, procedure.pk),
        "day": day,
        "title": title % {"procedure": _label(procedure), "partner": agreement.partner.name},
        "description": f"{agreement.title}\n{changes}".strip(),
        "link": f"{agreement.get_absolute_url()}#procedure-{procedure.pk}{ANCHORS[order]}",
        "sample": procedure.is_sample,
    }


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
        "sample": r.is_sample,
    }


def _effect_event(procedure) -> dict:
    return _dated_event(
        procedure, "effective_on", EFFECT, _("In effect: %(procedure)s (%(partner)s)")
    )


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
        return _(
            "Agreements submitted to the councils, the councils' resolutions, signing, and "
            "the procedures that took effect."
        )

    def author_name(self, area):
        return area.name

    def author_link(self, area):
        return area.get_absolute_url()

    def items(self, area):
        """The latest MAX_EVENTS events, newest first: only those are read."""
        today = timezone.localdate()
        submitted = _("Submitted to the councils: %(procedure)s (%(partner)s)")
        signed = _("Signed: %(procedure)s (%(partner)s)")
        events = [
            *(
                _dated_event(p, "proposed_on", SUBMISSION, submitted)
                for p in _latest_by(area, "proposed_on", today)
            ),
            *(_resolution_event(r) for r in _latest_resolutions(area)[:MAX_EVENTS]),
            *(
                _dated_event(p, "signed_on", SIGNING, signed)
                for p in _latest_by(area, "signed_on", today)
            ),
            *(_effect_event(p) for p in _latest_effects(area, today)),
        ]
        events.sort(key=lambda e: e["order"], reverse=True)
        return events[:MAX_EVENTS]

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        # Atom summaries are HTML: what clerks typed must not become markup.
        sample = _("Sample values, invented for the demo.") if item["sample"] else ""
        return escape(f"{item['description']}\n{sample}".strip())

    def item_link(self, item):
        return item["link"]

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item["day"], datetime.time()))

    def item_updateddate(self, item):
        return self.item_pubdate(item)
