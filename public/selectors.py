"""Where each area's procedure stands, for the home page, the area page and the exports."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from agreements.selectors import IN_FORCE_STATUSES, public_agreements
from agreements.status import AgreementStatus
from municipalities.models import AreaMembership, CooperationArea
from vision.models import Vision, VisionStatus


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


@dataclass(frozen=True)
class AreaProgress:
    """Where an area's procedure stands: its current partners and agreements in force."""

    partners: int
    in_force: int
    steps: list[PipelineStep]

    @property
    def current_step(self) -> str | None:
        return next((step.key for step in self.steps if step.current), None)


def area_progress(
    *,
    declared: bool,
    current_partner_ids: set[int],
    status_by_partner: dict[int, AgreementStatus],
    vision_adopted: bool,
) -> AreaProgress:
    """The progress of one area; the agreements step counts current partners only."""
    in_force = sum(
        1
        for partner_id in current_partner_ids
        if status_by_partner.get(partner_id) in IN_FORCE_STATUSES
    )
    return AreaProgress(
        partners=len(current_partner_ids),
        in_force=in_force,
        steps=pipeline_steps(
            declared=declared,
            agreements_in_force=in_force,
            partners=len(current_partner_ids),
            vision_adopted=vision_adopted,
        ),
    )


def area_overviews(
    today: datetime.date | None = None,
) -> list[tuple[CooperationArea, AreaProgress]]:
    """Every area with its progress, in a fixed number of queries."""
    today = today or timezone.localdate()
    areas = list(CooperationArea.objects.select_related("central_city").order_by("name"))
    partners: dict[int, set[int]] = {area.pk: set() for area in areas}
    for membership in AreaMembership.objects.all():
        if membership.is_current_on(today):
            partners[membership.area_id].add(membership.municipality_id)
    statuses: dict[int, dict[int, AgreementStatus]] = {area.pk: {} for area in areas}
    for agreement in public_agreements():
        statuses[agreement.area_id][agreement.partner_id] = agreement.status(today)
    adopted = set(
        Vision.objects.filter(status=VisionStatus.ADOPTED).values_list("area_id", flat=True)
    )
    return [
        (
            area,
            area_progress(
                declared=area.declared_on is not None,
                current_partner_ids=partners[area.pk],
                status_by_partner=statuses[area.pk],
                vision_adopted=area.pk in adopted,
            ),
        )
        for area in areas
    ]
