"""An Atom feed per area of its procedure events: resolutions and procedures taking effect."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from agreements.selectors import public_agreements, public_procedures
from municipalities.models import CooperationArea

MAX_EVENTS = 100


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
        today = timezone.localdate()
        events = []
        for agreement in public_agreements().filter(area=area):
            for procedure in public_procedures(agreement):
                label = f"{procedure.get_kind_display()}: {procedure.summary}"
                for r in procedure.resolutions.all():
                    events.append(
                        {
                            "id": f"resolution-{r.pk}",
                            "day": r.resolved_on,
                            "title": _(
                                "%(council)s council: %(result)s — %(procedure)s (%(partner)s)"
                            )
                            % {
                                "council": r.municipality.name,
                                "result": r.get_result_display(),
                                "procedure": label,
                                "partner": agreement.partner.name,
                            },
                            "description": f"{r.session} {r.bill_number}",
                            "link": f"{agreement.get_absolute_url()}#resolution-{r.pk}",
                        }
                    )
                if (
                    procedure.effective_on
                    and procedure.effective_on <= today
                    and (procedure.stage(today).value == "effective")
                ):
                    events.append(
                        {
                            "id": f"effective-{procedure.pk}",
                            "day": procedure.effective_on,
                            "title": _("In effect: %(procedure)s (%(partner)s)")
                            % {"procedure": label, "partner": agreement.partner.name},
                            "description": agreement.title,
                            "link": f"{agreement.get_absolute_url()}#procedure-{procedure.pk}",
                        }
                    )
        events.sort(key=lambda e: (e["day"], e["id"]), reverse=True)
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
