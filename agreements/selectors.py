"""Reads of agreements shared by pages, exports and the admin."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from municipalities.models import CooperationArea

from .models import Agreement, CouncilResolution, Procedure
from .status import AgreementStatus, ProcedureKind


def agreements_with_record() -> QuerySet[Agreement]:
    """Agreements with everything their status and timeline need, in a fixed number of queries."""
    return Agreement.objects.select_related("area__central_city", "partner").prefetch_related(
        Prefetch(
            "procedures",
            queryset=Procedure.objects.order_by("id").prefetch_related(
                Prefetch(
                    "resolutions",
                    queryset=CouncilResolution.objects.select_related("municipality").order_by(
                        "resolved_on", "id"
                    ),
                )
            ),
        ),
        "items",
    )


@dataclass
class AgreementRow:
    """One partner's line in an area's pipeline."""

    agreement: Agreement
    status: AgreementStatus
    conclusion: Procedure | None
    central_resolutions: list[CouncilResolution] = field(default_factory=list)
    partner_resolutions: list[CouncilResolution] = field(default_factory=list)

    @property
    def partner(self):
        return self.agreement.partner


def agreement_rows(
    area: CooperationArea, *, today: datetime.date | None = None
) -> list[AgreementRow]:
    """One row per agreement of the area, by partner code, with the conclusion's resolutions."""
    today = today or timezone.localdate()
    rows = []
    for agreement in agreements_with_record().filter(area=area).order_by("partner__code"):
        procedures = list(agreement.procedures.all())
        conclusions = [p for p in procedures if p.kind == ProcedureKind.CONCLUSION]
        conclusion = conclusions[-1] if conclusions else None
        resolutions = list(conclusion.resolutions.all()) if conclusion else []
        rows.append(
            AgreementRow(
                agreement=agreement,
                status=agreement.status(today),
                conclusion=conclusion,
                central_resolutions=[
                    r for r in resolutions if r.municipality_id == area.central_city_id
                ],
                partner_resolutions=[
                    r for r in resolutions if r.municipality_id == agreement.partner_id
                ],
            )
        )
    return rows


IN_FORCE_STATUSES = frozenset(
    {
        AgreementStatus.IN_FORCE,
        AgreementStatus.AMENDING,
        AgreementStatus.AMENDED,
        AgreementStatus.ABOLISHING,
    }
)
