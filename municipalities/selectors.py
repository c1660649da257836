"""Reads of areas that several pages and exports share."""

from django.db.models import Prefetch, QuerySet

from .models import AreaMembership, CommutingRatio, CooperationArea


def area_for_detail() -> QuerySet[CooperationArea]:
    return CooperationArea.objects.select_related(
        "central_city", "joint_central_city", "directory"
    ).prefetch_related(
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
