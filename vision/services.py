"""Writes to visions and everything recorded under them, and to the allocation tax."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import CooperationArea
from municipalities.services import save_validated, save_with

from .models import (
    ENDED_STATUSES,
    AllocationTaxRule,
    FiscalSupport,
    FiscalYearClosure,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectParticipant,
    PublicComment,
    RoundtableMeeting,
    RoundtableMember,
    Vision,
    VisionStatus,
)


@transaction.atomic
def vision_save(*, vision: Vision, user: AbstractBaseUser | None, reason: str = "") -> Vision:
    """Create or change a vision; at most one per area is adopted at a time.

    Adopting a revision supersedes the version it revises, in the same transaction (undone
    with it when the revision itself is refused).
    """
    list(CooperationArea.objects.select_for_update().filter(pk=vision.area_id))
    if (
        vision.status == VisionStatus.ADOPTED
        and vision.previous_id is not None
        and Vision.objects.filter(pk=vision.previous_id, status=VisionStatus.ADOPTED).exists()
    ):
        previous = Vision.objects.get(pk=vision.previous_id)
        previous.status = VisionStatus.SUPERSEDED
        superseded = _("superseded by %(title)s") % {"title": vision.title}
        save_validated(
            previous, user=user, reason=f"{reason}: {superseded}" if reason else superseded
        )
        saved = save_validated(vision, user=user, reason=reason)
        _carry_over_actuals(previous, saved, user=user, reason=reason)
        return saved
    return save_validated(vision, user=user, reason=reason)


def _carry_over_actuals(previous: Vision, revision: Vision, *, user, reason: str) -> None:
    """Actual values entered in the earlier version after the revision was started (at the
    desk, say) are copied to the same indicator of the revision, by project and indicator
    number, for the years the revision has no value of yet."""
    earlier: dict[tuple[str, str], list[IndicatorActual]] = {}
    for actual in IndicatorActual.objects.filter(
        indicator__project__vision=previous
    ).select_related("indicator__project"):
        key = (actual.indicator.project.code, actual.indicator.code)
        earlier.setdefault(key, []).append(actual)
    recorded = set(
        IndicatorActual.objects.filter(indicator__project__vision=revision).values_list(
            "indicator_id", "fiscal_year"
        )
    )
    indicators = Indicator.objects.filter(project__vision=revision).select_related("project")
    for indicator in indicators:
        for actual in earlier.get((indicator.project.code, indicator.code), []):
            if (indicator.pk, actual.fiscal_year) in recorded:
                continue
            actual_save(
                actual=IndicatorActual(
                    indicator=indicator,
                    fiscal_year=actual.fiscal_year,
                    value=actual.value,
                    is_sample=actual.is_sample,
                ),
                user=user,
                reason=reason or _("carried over from %(title)s") % {"title": previous.title},
            )


@transaction.atomic
def vision_revise(
    *,
    previous: Vision,
    user: AbstractBaseUser | None,
    title: str,
    first_fiscal_year: int,
    last_fiscal_year: int,
    revision_reason: str,
    reason: str = "",
) -> Vision:
    """Start a revision (改定) of a vision: a new draft with a copy of its projects, their
    participants, budgets and indicators (with yearly targets and actual values).

    The earlier version stays as it was; the draft is edited until it is adopted. A partner
    whose agreement has ended (abolished, expired), or that has no covering item, is not
    copied, nor are its budgets: no agreement covers its part any more. Such participations
    are listed in `revision.left_out`.
    """
    reason = reason or _("revision of %(title)s") % {"title": previous.title}
    revision = vision_save(
        vision=Vision(
            area=previous.area,
            previous=previous,
            title=title,
            first_fiscal_year=first_fiscal_year,
            last_fiscal_year=last_fiscal_year,
            revision_reason=revision_reason,
            future_image=previous.future_image,
            is_sample=previous.is_sample,
        ),
        user=user,
        reason=reason,
    )
    projects = previous.projects.prefetch_related(
        "participations__municipality",
        "participations__agreement_item__agreement",
        "budgets",
        "indicators__targets",
        "indicators__actuals",
    )
    revision.left_out = []
    for project in projects:
        participations = []
        for participation in project.participations.all():
            item = participation.agreement_item
            central = participation.municipality_id == previous.area.central_city_id
            # Left out: a partner whose agreement has ended, or one recorded before partners
            # took part through an agreement item (it has none to carry over).
            if (item is None and not central) or (
                item is not None and item.agreement.status() in ENDED_STATUSES
            ):
                revision.left_out.append(participation)
            else:
                participations.append(participation)
        # Costs only of municipalities that still lead or take part (a cost can outlive a
        # participation or a change of lead; it stays with the earlier version).
        taking_part = {project.lead_id} | {p.municipality_id for p in participations}
        budgets = [b for b in project.budgets.all() if b.municipality_id in taking_part]
        indicators = [
            (indicator, list(indicator.targets.all()), list(indicator.actuals.all()))
            for indicator in project.indicators.all()
        ]
        copy = _copy(project, user, reason, project_save, vision=revision)
        for participation in participations:
            _copy(participation, user, reason, participant_save, project=copy)
        for budget in budgets:
            if first_fiscal_year <= budget.fiscal_year <= last_fiscal_year:
                _copy(budget, user, reason, budget_save, project=copy)
        for indicator, targets, actuals in indicators:
            indicator_copy = _copy(indicator, user, reason, indicator_save, project=copy)
            for target in targets:
                _copy(target, user, reason, target_save, indicator=indicator_copy)
            for actual in actuals:
                _copy(actual, user, reason, actual_save, indicator=indicator_copy)
    return revision


def _copy(instance, user, reason, service, **parent):
    instance.pk = None
    instance._state.adding = True
    for name, value in parent.items():
        setattr(instance, name, value)
    return save_with(service, instance, user=user, reason=reason)


@transaction.atomic
def project_save(*, project: Project, user: AbstractBaseUser | None, reason: str = "") -> Project:
    return save_validated(project, user=user, reason=reason)


@transaction.atomic
def participant_save(
    *, participant: ProjectParticipant, user: AbstractBaseUser | None, reason: str = ""
) -> ProjectParticipant:
    """Add a municipality to a project: the central city, or a partner through the item of its
    agreement that covers the project."""
    return save_validated(participant, user=user, reason=reason)


@transaction.atomic
def budget_save(
    *, budget: ProjectBudget, user: AbstractBaseUser | None, reason: str = ""
) -> ProjectBudget:
    return save_validated(budget, user=user, reason=reason)


@transaction.atomic
def indicator_save(
    *, indicator: Indicator, user: AbstractBaseUser | None, reason: str = ""
) -> Indicator:
    return save_validated(indicator, user=user, reason=reason)


@transaction.atomic
def target_save(
    *, target: IndicatorTarget, user: AbstractBaseUser | None, reason: str = ""
) -> IndicatorTarget:
    return save_validated(target, user=user, reason=reason)


@transaction.atomic
def actual_save(
    *, actual: IndicatorActual, user: AbstractBaseUser | None, reason: str = ""
) -> IndicatorActual:
    """Record or correct an indicator's value for one fiscal year."""
    return save_validated(actual, user=user, reason=reason)


@transaction.atomic
def member_save(
    *, member: RoundtableMember, user: AbstractBaseUser | None, reason: str = ""
) -> RoundtableMember:
    return save_validated(member, user=user, reason=reason)


@transaction.atomic
def meeting_save(
    *, meeting: RoundtableMeeting, user: AbstractBaseUser | None, reason: str = ""
) -> RoundtableMeeting:
    return save_validated(meeting, user=user, reason=reason)


@transaction.atomic
def comment_save(
    *, comment: PublicComment, user: AbstractBaseUser | None, reason: str = ""
) -> PublicComment:
    return save_validated(comment, user=user, reason=reason)


@transaction.atomic
def support_save(
    *, support: FiscalSupport, user: AbstractBaseUser | None, reason: str = ""
) -> FiscalSupport:
    """Record a member's allocation tax for a year; a partner's special tax is capped."""
    return save_validated(support, user=user, reason=reason)


@transaction.atomic
def closure_save(
    *, closure: FiscalYearClosure, user: AbstractBaseUser | None, reason: str = ""
) -> FiscalYearClosure:
    """Close a fiscal year of an area: clerks can no longer correct its actual values."""
    return save_validated(closure, user=user, reason=reason)


@transaction.atomic
def allocation_rule_save(
    *, rule: AllocationTaxRule, user: AbstractBaseUser | None, reason: str = ""
) -> AllocationTaxRule:
    """Record the national allocation-tax figures from a fiscal year on (the operator)."""
    return save_validated(rule, user=user, reason=reason)
