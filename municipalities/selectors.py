"""Reads of areas shared by the public pages."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import AreaMembership, CommutingRatio, CooperationArea


def areas_for_list(today: datetime.date | None = None) -> QuerySet[CooperationArea]:
    """Areas with their central city and the number of partners on that day."""
    today = today or timezone.localdate()
    current = Q(memberships__joined_on__lte=today) & (
        Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today)
    )
    return (
        CooperationArea.objects.select_related("central_city")
        .annotate(partner_count=Count("memberships", filter=current, distinct=True))
        .order_by("name")
    )


def area_for_detail() -> QuerySet[CooperationArea]:
    return CooperationArea.objects.select_related("central_city").prefetch_related(
        Prefetch(
            "memberships",
            queryset=AreaMembership.objects.select_related("municipality").order_by(
                "municipality__code", "joined_on"
            ),
        ),
        Prefetch(
            "commuting_ratios",
            queryset=CommutingRatio.objects.select_related("municipality").order_by(
                "municipality__code"
            ),
        ),
    )


@dataclass(frozen=True)
class PipelineStep:
    key: str
    done: bool
    current: bool


def pipeline_steps(
    *, declared: bool, agreements_in_force: int, partners: int, vision_adopted: bool
) -> list[PipelineStep]:
    """The three steps of the procedure and which one the area is at now."""
    done = {
        "declaration": declared,
        "agreements": partners > 0 and agreements_in_force >= partners,
        "vision": vision_adopted,
    }
    current = next((key for key, is_done in done.items() if not is_done), None)
    return [PipelineStep(key, is_done, key == current) for key, is_done in done.items()]
