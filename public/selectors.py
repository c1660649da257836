"""Where each area's procedure stands, for the home page, the area page and the exports."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from agreements.selectors import IN_FORCE_STATUSES
from agreements.status import AgreementStatus
from municipalities.models import AreaMembership, CooperationArea
from vision.models import Vision, VisionStatus


@dataclass(frozen=True)
class PipelineStep:
    key: str
    done: bool
    current: bool


def pipeline_steps(
    *,
    declared: bool,
    agreements_in_force: int,
    partners: int,
    vision_adopted: bool,
    formation_policy: bool = False,
) -> list[PipelineStep]:
    """The three steps of the procedure and which one the area is at now. An area with no
    partner yet whose council resolved a formation policy (形成方針) has that in place of its
    agreements."""
    done = {
        "declaration": declared,
        "agreements": (partners > 0 and agreements_in_force >= partners)
        or (partners == 0 and formation_policy),
        "vision": vision_adopted,
    }
    current = next((key for key, is_done in done.items() if not is_done), None)
    return [PipelineStep(key, is_done, key == current) for key, is_done in done.items()]


# How the list of areas and the areas file name the step an area is at.
STEP_LABELS = {
    "declaration": _("1. Declaration to come"),
    "agreements": _("2. Agreements under way"),
    "vision": _("3. Vision to come"),
    "done": _("All three steps done"),
}


@dataclass(frozen=True)
class AreaProgress:
    """Where an area's procedure stands: its current partners and agreements in force."""

    partners: int
    in_force: int
    steps: list[PipelineStep]

    @property
    def current_step(self) -> str | None:
        return next((step.key for step in self.steps if step.current), None)

    @property
    def current_step_label(self) -> str:
        return STEP_LABELS[self.current_step or "done"]


def area_progress(
    *,
    declared: bool,
    current_partner_ids: set[int],
    status_by_partner: dict[int, AgreementStatus],
    vision_adopted: bool,
    formation_policy: bool = False,
) -> AreaProgress:
    """The progress of one area; the agreements step counts current partners only."""
    in_force = sum(
        1
        for partner_id in current_partner_ids
        if status_by_partner.get(partner_id) in IN_FORCE_STATUSES
    )
    return counted_progress(
        declared=declared,
        partners=len(current_partner_ids),
        in_force=in_force,
        vision_adopted=vision_adopted,
        formation_policy=formation_policy,
    )


def counted_progress(
    *,
    declared: bool,
    partners: int,
    in_force: int,
    vision_adopted: bool,
    formation_policy: bool = False,
) -> AreaProgress:
    """The progress of one area from its figures as areas_with_figures() counts them."""
    return AreaProgress(
        partners=partners,
        in_force=in_force,
        steps=pipeline_steps(
            declared=declared,
            agreements_in_force=in_force,
            partners=partners,
            vision_adopted=vision_adopted,
            formation_policy=formation_policy,
        ),
    )


def areas_with_figures(today: datetime.date) -> QuerySet[CooperationArea]:
    """Every area, by region (its central city's code runs from north to south) and name,
    with its directory entry and its figures, counted in SQL from the status each
    agreement stores (agreements.stored_status), not from the resolutions of the whole
    country: `partner_count`, `in_force_count` and `vision_adopted`. Sliced (a page of
    areas), the database counts for the areas of the slice only.

    The caller has refreshed the statuses that a date has changed (refresh_due).
    """

    def current(**outer) -> QuerySet[AreaMembership]:
        return AreaMembership.objects.filter(AreaMembership.current_on(today), **outer)

    def count(queryset: QuerySet, field: str) -> Coalesce:
        counted = (
            queryset.order_by().values("area").annotate(n=Count(field, distinct=True)).values("n")
        )
        return Coalesce(Subquery(counted), 0)

    in_force = Agreement.objects.filter(
        area=OuterRef("pk"),
        is_public=True,
        stored_status__in=IN_FORCE_STATUSES,
    ).filter(Exists(current(area=OuterRef("area"), municipality=OuterRef("partner"))))
    return (
        CooperationArea.objects.select_related("central_city", "joint_central_city", "directory")
        .annotate(
            partner_count=count(current(area=OuterRef("pk")), "municipality"),
            in_force_count=count(in_force, "partner"),
            vision_adopted=Exists(
                Vision.objects.filter(area=OuterRef("pk"), status=VisionStatus.ADOPTED)
            ),
        )
        .order_by("central_city__code", "name", "pk")
    )


def at_step(step: str) -> Q:
    """Areas of areas_with_figures() at the step: pipeline_steps' rule in SQL, on the
    figures areas_with_figures counts (a filter of the API's area list)."""
    agreements_done = Q(partner_count__gt=0, in_force_count__gte=F("partner_count")) | Q(
        partner_count=0, formation_policy_on__isnull=False
    )
    declared = Q(recorded=True, declared_on__isnull=False)
    return {
        "declaration": Q(recorded=True, declared_on__isnull=True),
        "agreements": declared & ~agreements_done,
        "vision": declared & agreements_done & Q(vision_adopted=False),
        "done": declared & agreements_done & Q(vision_adopted=True),
    }[step]


def overviews(areas) -> list[tuple[CooperationArea, AreaProgress | None]]:
    """Each area of areas_with_figures() (or of a page of them) with its progress; None for
    an area of the directory, whose agreements are not recorded here."""
    return [
        (
            area,
            counted_progress(
                declared=area.declared_on is not None,
                partners=area.partner_count,
                in_force=area.in_force_count,
                vision_adopted=area.vision_adopted,
                formation_policy=area.formation_policy_on is not None,
            )
            if area.recorded
            else None,
        )
        for area in areas
    ]
