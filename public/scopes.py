"""Whose events a feed or a calendar shows: an area's, or a municipality's. The same for
both, so that a municipality's feed and calendar follow one rule."""

import datetime
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from municipalities.models import AreaMembership, CooperationArea, Municipality
from vision.models import Vision
from vision.selectors import public_visions

# Whose procedures, as a filter reached through a prefix (e.g. "procedure__").
Scope = Callable[[str], Q]


def area_scope(area: CooperationArea) -> tuple[Scope, QuerySet[Vision]]:
    """The area's public agreements and visions."""
    return (
        lambda prefix: Q(**{f"{prefix}agreement__area": area}),
        public_visions().filter(area=area),
    )


def municipality_scope(
    municipality: Municipality, today: datetime.date
) -> tuple[Scope, QuerySet[Vision]]:
    """Every public agreement the municipality is a party to (as central city or partner),
    and the visions of the areas it belongs to now (as a central city or a current
    partner)."""
    areas = CooperationArea.objects.filter(
        Q(central_city=municipality)
        | Q(joint_central_city=municipality)
        | Q(
            pk__in=AreaMembership.objects.filter(
                AreaMembership.current_on(today), municipality=municipality
            ).values("area_id")
        )
    )
    return (
        lambda prefix: (
            Q(**{f"{prefix}agreement__partner": municipality})
            | Q(**{f"{prefix}agreement__central_party": municipality})
        ),
        public_visions().filter(area__in=areas),
    )


def procedure_label(procedure) -> str:
    """「変更：連携する取組の追加」, "Amendment: …"."""
    return _("%(kind)s: %(summary)s") % {
        "kind": procedure.get_kind_display(),
        "summary": procedure.summary,
    }
