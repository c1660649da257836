"""Atom feeds of procedure events, one per area and one per municipality: agreements
submitted to the councils, the councils' resolutions, signing, procedures taking effect and
each party's public notice (an amendment's entries name the provisions it changes), and the
public comment on and adoption of the visions. Only what the public pages show, each entry
linked to where its page shows it. The e-mail alerts send the same events (public.digests)."""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from agreements.bills import bill_reference
from agreements.models import CouncilResolution, Procedure
from agreements.notices import NOTICE_KINDS
from agreements.selectors import on_public_record, with_public_titles
from agreements.status import ProcedureKind, ProcedureStage
from agreements.versions import agreement_versions, amendment_comparison
from municipalities.models import CooperationArea, Municipality
from municipalities.templatetags.jpdates import fiscal_year
from vision.models import Vision, VisionStatus

from .scopes import Scope, area_scope, municipality_scope, procedure_label

MAX_EVENTS = 100
# On one day: submitted, resolved, signed, in effect, given notice of; a vision's public
# comment opens, then it is adopted.
SUBMISSION, RESOLUTION, SIGNING, EFFECT, NOTICE, COMMENT, ADOPTION = range(7)


@dataclass(frozen=True)
class Event:
    """One entry: `order` sorts the events of a day (see above); `link` is its Atom id too;
    `key` names it in any language, for as long as it stays on the public record (the alerts
    remember which events they sent by it: public.digests)."""

    key: str
    order: tuple
    day: datetime.date
    title: str
    description: str
    link: str
    sample: bool


def _latest_resolutions(scope: Scope):
    return (
        CouncilResolution.objects.filter(on_public_record("procedure__"), scope("procedure__"))
        .select_related(
            "municipality",
            "procedure__agreement__area",
            "procedure__agreement__partner",
            "procedure__agreement__central_party",
        )
        .order_by("-resolved_on", "-pk")[:MAX_EVENTS]
    )


def _latest_effects(scope: Scope, today) -> list[Procedure]:
    """The latest procedures that took effect, at most MAX_EVENTS. A date of effect counts
    only once both councils passed (Procedure.stage), so candidates are read in batches
    until enough have."""
    candidates = _dated_by(scope, "effective_on", today).prefetch_related("resolutions")
    found, start = [], 0
    while len(found) < MAX_EVENTS:
        batch = list(candidates[start : start + MAX_EVENTS])
        found += [p for p in batch if p.stage(today) == ProcedureStage.EFFECTIVE]
        if len(batch) < MAX_EVENTS:
            break
        start += MAX_EVENTS
    return found[:MAX_EVENTS]


def _dated_by(scope: Scope, field: str, today, **filters):
    """The public procedures dated by `field` up to today, newest first."""
    return (
        Procedure.objects.filter(
            on_public_record(), scope(""), **{f"{field}__lte": today}, **filters
        )
        .select_related("agreement__area", "agreement__partner", "agreement__central_party")
        .order_by(f"-{field}", "-pk")
    )


def _latest_by(scope: Scope, field: str, today, **filters) -> list[Procedure]:
    """The latest MAX_EVENTS of them."""
    return list(_dated_by(scope, field, today, **filters)[:MAX_EVENTS])


def _changes(procedure) -> str:
    """An amendment's changed provisions, named: 「第5条、別表第3…」 (its agreement's
    procedures prefetched)."""
    if procedure.kind != ProcedureKind.AMENDMENT:
        return ""
    versions = agreement_versions(list(procedure.agreement.procedures.all()))
    labels = [row.label for row in amendment_comparison(versions, procedure)]
    if not labels:
        return ""
    return _("Changes: %(provisions)s") % {"provisions": "、".join(labels)}


# Each event of a procedure has its own anchor on the agreement's page (and Atom id), and key.
ANCHORS = {SUBMISSION: "-submitted", SIGNING: "-signed", EFFECT: ""}
KEYS = {SUBMISSION: "submitted", SIGNING: "signed", EFFECT: "effect"}


def _dated_event(procedure, field: str, order: int, title: str) -> Event:
    agreement = procedure.agreement
    day = getattr(procedure, field)
    return Event(
        key=f"procedure-{procedure.pk}-{KEYS[order]}",
        order=(day, order, procedure.pk, 0),
        day=day,
        title=title % {"procedure": procedure_label(procedure), "partner": agreement.partner.name},
        description=f"{agreement.public_title}\n{_changes(procedure)}".strip(),
        link=f"{agreement.get_absolute_url()}#procedure-{procedure.pk}{ANCHORS[order]}",
        # As the agreement's page marks them: the date, or the summary, invented.
        sample=procedure.is_sample_value(field) or procedure.is_sample_value("summary"),
    )


def _notice_event(procedure, side: str) -> Event:
    """The public notice (告示) of the central city (`side` "central") or the partner."""
    agreement = procedure.agreement
    party = agreement.central_party if side == "central" else agreement.partner
    day = getattr(procedure, f"{side}_notice_on")
    number = getattr(procedure, f"{side}_notice_number")
    return Event(
        key=f"procedure-{procedure.pk}-notice-{side}",
        order=(day, NOTICE, procedure.pk, 0 if side == "central" else 1),
        day=day,
        title=_("Public notice by %(party)s: %(procedure)s (%(partner)s)")
        % {
            "party": party.name,
            "procedure": procedure_label(procedure),
            "partner": agreement.partner.name,
        },
        description="\n".join(
            line for line in (agreement.public_title, number, _changes(procedure)) if line
        ),
        link=f"{agreement.get_absolute_url()}#procedure-{procedure.pk}-notice-{party.code}",
        sample=procedure.is_sample_value(f"{side}_notice_on")
        or procedure.is_sample_value(f"{side}_notice_number"),
    )


def _resolution_event(r) -> Event:
    agreement = r.procedure.agreement
    return Event(
        key=f"resolution-{r.pk}",
        order=(r.resolved_on, RESOLUTION, r.pk, 0),
        day=r.resolved_on,
        title=_("%(council)s council: %(result)s — %(procedure)s (%(partner)s)")
        % {
            "council": r.municipality.name,
            "result": r.get_result_display(),
            "procedure": procedure_label(r.procedure),
            "partner": agreement.partner.name,
        },
        description=bill_reference(r),
        link=f"{agreement.get_absolute_url()}#resolution-{r.pk}",
        sample=r.is_sample,
    )


def _period(vision) -> str:
    return _("%(kind)s, %(first)s – %(last)s") % {
        "kind": vision.get_kind_display(),
        "first": fiscal_year(vision.first_fiscal_year),
        "last": fiscal_year(vision.last_fiscal_year),
    }


def _adoption_event(vision) -> Event:
    return Event(
        key=f"vision-{vision.pk}-adopted",
        order=(vision.adopted_on, ADOPTION, vision.pk, 0),
        day=vision.adopted_on,
        title=_("Vision adopted: %(vision)s") % {"vision": vision.title},
        description=f"{vision.area.name}\n{_period(vision)}",
        link=f"{vision.get_absolute_url()}#adopted",
        # The page marks the vision's own text, never its dates.
        sample=False,
    )


def _comment_event(vision) -> Event:
    period = _("Public comment from %(start)s to %(end)s.") % {
        "start": formats.date_format(vision.comment_starts_on),
        "end": formats.date_format(vision.comment_ends_on),
    }
    return Event(
        key=f"vision-{vision.pk}-comment",
        order=(vision.comment_starts_on, COMMENT, vision.pk, 0),
        day=vision.comment_starts_on,
        title=_("Public comment on the draft vision: %(vision)s") % {"vision": vision.title},
        description=f"{vision.area.name}\n{period}",
        link=f"{vision.get_absolute_url()}#comment-h",
        sample=False,
    )


def latest_events(scope: Scope, visions: QuerySet[Vision]) -> list[Event]:
    """The latest MAX_EVENTS events of the public procedures in `scope` and of `visions`,
    newest first: only the latest MAX_EVENTS of each kind are read."""
    today = timezone.localdate()
    submitted = _latest_by(scope, "proposed_on", today)
    signed = _latest_by(scope, "signed_on", today)
    effective = _latest_effects(scope, today)
    notices = {
        side: _latest_by(scope, f"{side}_notice_on", today, kind__in=NOTICE_KINDS)
        for side in ("central", "partner")
    }
    # An amendment's changes need its agreement's other procedures: read them at once.
    procedures = [*submitted, *signed, *effective, *notices["central"], *notices["partner"]]
    prefetch_related_objects(
        [p.agreement for p in procedures if p.kind == ProcedureKind.AMENDMENT], "procedures"
    )
    # Their entries name the agreements by the title the public reads, not a draft's.
    with_public_titles([p.agreement for p in procedures], today)
    visions = visions.select_related("area")
    adopted = visions.filter(
        status__in=[VisionStatus.ADOPTED, VisionStatus.SUPERSEDED], adopted_on__lte=today
    ).order_by("-adopted_on", "-pk")
    commented = visions.filter(comment_starts_on__lte=today).order_by("-comment_starts_on", "-pk")
    submission = _("Submitted to the councils: %(procedure)s (%(partner)s)")
    signing = _("Signed: %(procedure)s (%(partner)s)")
    effect = _("In effect: %(procedure)s (%(partner)s)")
    events = [
        *(_dated_event(p, "proposed_on", SUBMISSION, submission) for p in submitted),
        *(_resolution_event(r) for r in _latest_resolutions(scope)),
        *(_dated_event(p, "signed_on", SIGNING, signing) for p in signed),
        *(_dated_event(p, "effective_on", EFFECT, effect) for p in effective),
        *(_notice_event(p, side) for side, found in notices.items() for p in found),
        *(_adoption_event(v) for v in adopted[:MAX_EVENTS]),
        *(_comment_event(v) for v in commented[:MAX_EVENTS]),
    ]
    events.sort(key=lambda e: e.order, reverse=True)
    return events[:MAX_EVENTS]


class EventsFeed(Feed):
    """What the area's and the municipality's feeds share: their entries."""

    feed_type = Atom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Absolute, as Django makes the feed's and the entries' links.
        feed.feed["author_link"] = request.build_absolute_uri(feed.feed["author_link"])
        return feed

    def item_title(self, item: Event):
        return item.title

    def item_description(self, item: Event):
        # Atom summaries are HTML: what clerks typed must not become markup.
        sample = _("Sample values, invented for the demo.") if item.sample else ""
        return escape(f"{item.description}\n{sample}".strip())

    def item_link(self, item: Event):
        return item.link

    def item_pubdate(self, item: Event):
        return timezone.make_aware(datetime.datetime.combine(item.day, datetime.time()))

    def item_updateddate(self, item: Event):
        return self.item_pubdate(item)


class AreaEventsFeed(EventsFeed):
    """The events of an area's public agreements and visions."""

    def get_object(self, request, slug: str):
        return get_object_or_404(CooperationArea, slug=slug)

    def title(self, area):
        return _("%(area)s: procedure events") % {"area": area.name}

    def link(self, area):
        return area.get_absolute_url()

    def subtitle(self, area):
        return _(
            "Agreements submitted to the councils, the councils' resolutions, signing, the "
            "procedures that took effect and their public notices; the vision's public comment "
            "and adoption."
        )

    def author_name(self, area):
        return area.name

    def author_link(self, area):
        return area.get_absolute_url()

    def items(self, area):
        return latest_events(*area_scope(area))


class MunicipalityEventsFeed(EventsFeed):
    """The events of every public agreement a municipality is a party to (as central city or
    partner) and of the visions of the areas it belongs to now (as a central city or a
    current partner)."""

    def get_object(self, request, code: str):
        return get_object_or_404(Municipality, code=code)

    def title(self, municipality):
        return _("%(municipality)s: procedure events") % {"municipality": municipality.name}

    def link(self, municipality):
        return reverse("public:municipality_detail", kwargs={"code": municipality.code})

    def subtitle(self, municipality):
        return _(
            "The events of the agreements it is a party to — submitted to the councils, the "
            "councils' resolutions, signing, taking effect, public notices — and the public "
            "comment on and adoption of the visions of its areas."
        )

    def author_name(self, municipality):
        return municipality.name

    def author_link(self, municipality):
        return self.link(municipality)

    def items(self, municipality):
        return latest_events(*municipality_scope(municipality, timezone.localdate()))
