"""iCalendar feeds (RFC 5545) of an area and of a municipality: the days its procedures are
before the councils, each council's resolution, the days procedures take effect (those to
come as well), the vision's public-comment periods and its roundtable meetings.

Only what is on the public record: a procedure still being drafted, a dropped one and a draft
vision appear in no calendar. Every event is a whole day (or days), with a stable UID, so
that a calendar program updates an event instead of adding it twice.
"""

import datetime

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from agreements.models import CouncilResolution, Procedure
from agreements.selectors import on_public_record
from municipalities.models import CooperationArea, Municipality
from vision.models import RoundtableMeeting, Vision

from .scopes import Scope, area_scope, municipality_scope, procedure_label

# A calendar of many years stays one response: at most this many events of each kind, the
# latest first.
MAX_EVENTS = 200


def _procedures(scope: Scope) -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(on_public_record(), scope(""), dropped_on__isnull=True)
        .select_related("agreement__area", "agreement__central_party", "agreement__partner")
        .order_by("-proposed_on", "-pk")
    )


def _day_event(uid: str, day: datetime.date, summary: str, url: str, last: datetime.date):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", last + datetime.timedelta(days=1))  # DTEND of a DATE is exclusive
    event.add("summary", summary)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a day of the record, not a meeting that blocks time
    return event


def _agreement_events(request, host: str, scope: Scope) -> list[Event]:
    events = []
    procedures = list(_procedures(scope).filter(proposed_on__isnull=False)[:MAX_EVENTS])
    effects = list(
        _procedures(scope)
        .filter(effective_on__isnull=False)
        .order_by("-effective_on", "-pk")[:MAX_EVENTS]
    )
    resolutions = list(
        CouncilResolution.objects.filter(
            on_public_record("procedure__"),
            scope("procedure__"),
            procedure__dropped_on__isnull=True,
        )
        .select_related(
            "municipality",
            "procedure__agreement__area",
            "procedure__agreement__central_party",
            "procedure__agreement__partner",
        )
        .order_by("-resolved_on", "-pk")[:MAX_EVENTS]
    )

    def url(procedure, event: str) -> str:
        anchor = f"procedure-{procedure.pk}" + (f"-{event}" if event else "")
        return request.build_absolute_uri(f"{procedure.agreement.get_absolute_url()}#{anchor}")

    def between(procedure) -> str:
        agreement = procedure.agreement
        return _("%(central)s and %(partner)s") % {
            "central": agreement.central_party.name,
            "partner": agreement.partner.name,
        }

    for procedure in procedures:
        summary = _("Before the councils: %(what)s (%(parties)s)") % {
            "what": procedure_label(procedure),
            "parties": between(procedure),
        }
        events.append(
            _day_event(
                f"procedure-{procedure.pk}-submitted@{host}",
                procedure.proposed_on,
                summary,
                url(procedure, "submitted"),
                procedure.proposed_on,
            )
        )
    for resolution in resolutions:
        procedure = resolution.procedure
        summary = _("Council of %(council)s: %(result)s — %(what)s") % {
            "council": resolution.municipality.name,
            "result": resolution.get_result_display(),
            "what": procedure_label(procedure),
        }
        events.append(
            _day_event(
                f"resolution-{resolution.pk}@{host}",
                resolution.resolved_on,
                summary,
                request.build_absolute_uri(
                    f"{procedure.agreement.get_absolute_url()}#resolution-{resolution.pk}"
                ),
                resolution.resolved_on,
            )
        )
    for procedure in effects:
        summary = _("Takes effect: %(what)s (%(parties)s)") % {
            "what": procedure_label(procedure),
            "parties": between(procedure),
        }
        events.append(
            _day_event(
                f"procedure-{procedure.pk}-effect@{host}",
                procedure.effective_on,
                summary,
                url(procedure, ""),
                procedure.effective_on,
            )
        )
    return events


def _vision_events(request, host: str, visions: QuerySet[Vision]) -> list[Event]:
    events = []
    commented = list(
        visions.filter(comment_starts_on__isnull=False, comment_ends_on__isnull=False)
        .select_related("area")
        .order_by("-comment_starts_on", "-pk")[:MAX_EVENTS]
    )
    for vision in commented:
        events.append(
            _day_event(
                f"vision-{vision.pk}-comment@{host}",
                vision.comment_starts_on,
                _("Public comment on %(vision)s") % {"vision": vision.title},
                request.build_absolute_uri(f"{vision.get_absolute_url()}#comment-h"),
                vision.comment_ends_on,
            )
        )
    meetings = list(
        RoundtableMeeting.objects.filter(vision__in=visions.values("pk"))
        .select_related("vision__area")
        .order_by("-held_on", "-pk")[:MAX_EVENTS]
    )
    for meeting in meetings:
        vision = meeting.vision
        events.append(
            _day_event(
                f"roundtable-{meeting.pk}@{host}",
                meeting.held_on,
                _("Roundtable on %(vision)s") % {"vision": vision.title},
                request.build_absolute_uri(f"{vision.get_absolute_url()}#roundtable-h"),
                meeting.held_on,
            )
        )
    return events


def _response(request, name: str, events: list[Event], filename: str) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Cooperation area records//連携中枢都市圏//")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for event in sorted(events, key=lambda e: (e.decoded("dtstart"), str(e["uid"]))):
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = get_language()
    return response


def area_calendar(request, slug: str):
    """/areas/<slug>/calendar.ics."""
    area = get_object_or_404(CooperationArea, slug=slug)
    scope, visions = area_scope(area)
    events = _agreement_events(request, request.get_host(), scope)
    events += _vision_events(request, request.get_host(), visions)
    name = _("%(area)s: procedure calendar") % {"area": area.name}
    return _response(request, name, events, f"{area.slug}.ics")


def municipality_calendar(request, code: str):
    """/municipalities/<code>/calendar.ics: what its feed shows (public.scopes), as days."""
    municipality = get_object_or_404(Municipality, code=code)
    scope, visions = municipality_scope(municipality, timezone.localdate())
    events = _agreement_events(request, request.get_host(), scope)
    events += _vision_events(request, request.get_host(), visions)
    name = _("%(municipality)s: procedure calendar") % {"municipality": municipality.name}
    return _response(request, name, events, f"{municipality.code}.ics")
