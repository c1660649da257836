"""Writes to visions, projects, participants, indicators and actual values."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from municipalities.models import CooperationArea
from municipalities.services import save_validated

from .models import Indicator, IndicatorActual, Project, ProjectParticipant, Vision


@transaction.atomic
def vision_save(*, vision: Vision, user: AbstractBaseUser | None, reason: str = "") -> Vision:
    """Create or change a vision; at most one per area is adopted at a time."""
    list(CooperationArea.objects.select_for_update().filter(pk=vision.area_id))
    return save_validated(vision, user=user, reason=reason)


@transaction.atomic
def project_save(*, project: Project, user: AbstractBaseUser | None, reason: str = "") -> Project:
    return save_validated(project, user=user, reason=reason)


@transaction.atomic
def participant_save(
    *, participant: ProjectParticipant, user: AbstractBaseUser | None, reason: str = ""
) -> ProjectParticipant:
    """Add a municipality to a project; only members of the area take part."""
    return save_validated(participant, user=user, reason=reason)


@transaction.atomic
def indicator_save(
    *, indicator: Indicator, user: AbstractBaseUser | None, reason: str = ""
) -> Indicator:
    return save_validated(indicator, user=user, reason=reason)


@transaction.atomic
def actual_save(
    *, actual: IndicatorActual, user: AbstractBaseUser | None, reason: str = ""
) -> IndicatorActual:
    """Record or correct an indicator's value for one fiscal year."""
    return save_validated(actual, user=user, reason=reason)
