"""Every change to agreements, procedures and resolutions goes through these functions.

Each validates the whole object (`full_clean`), saves it in one transaction and records the
acting user and reason in its history. The admin and the demo loader call them too, so a
rule holds however the data enters.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from municipalities.access import clerk_municipality, person_name
from municipalities.models import CooperationArea, Municipality
from municipalities.services import save_validated

from . import notifications
from .models import Agreement, AgreementItem, CouncilResolution, Procedure


def _locked(model: type[models.Model], pk: int) -> None:
    """Serialise concurrent writes that validate against the same parent row."""
    list(model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


@transaction.atomic
def agreement_save(
    *, agreement: Agreement, user: AbstractBaseUser | None, reason: str = ""
) -> Agreement:
    """Create or change an agreement (its parties, title, policy, text and term)."""
    return save_validated(agreement, user=user, reason=reason)


def agreement_publish(*, agreement: Agreement, user: AbstractBaseUser | None) -> Agreement:
    """Make an agreement public: from now on the public site shows it."""
    agreement.is_public = True
    return agreement_save(agreement=agreement, user=user, reason="published")


def agreement_create(
    *,
    area: CooperationArea,
    partner: Municipality,
    title: str,
    basic_policy: str = "",
    text: str = "",
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
    is_sample: bool = False,
    is_public: bool = False,
    user: AbstractBaseUser | None = None,
) -> Agreement:
    agreement = Agreement(
        is_public=is_public,
        area=area,
        partner=partner,
        title=title,
        basic_policy=basic_policy,
        text=text,
        term_start=term_start,
        term_end=term_end,
        is_sample=is_sample,
    )
    return agreement_save(agreement=agreement, user=user)


@transaction.atomic
def item_save(
    *, item: AgreementItem, user: AbstractBaseUser | None, reason: str = ""
) -> AgreementItem:
    """Create or change one cooperation item of an agreement."""
    return save_validated(item, user=user, reason=reason)


@transaction.atomic
def procedure_save(
    *,
    procedure: Procedure,
    user: AbstractBaseUser | None,
    reason: str = "",
    notify: bool = True,
) -> Procedure:
    """Create or change a procedure: propose it, put it into effect, give notice, drop it.

    The rules (one open procedure at a time, effect only after both councils passed, dates
    in order) are checked against the agreement's other records under a row lock. A new
    submission tells the partner's clerks, unless `notify` is off (an import that records
    the councils' resolutions with it tells them itself, if anything is left to resolve).
    """
    _locked(Agreement, procedure.agreement_id)
    was_submitted = (
        procedure.pk is not None
        and Procedure.objects.filter(pk=procedure.pk, proposed_on__isnull=False).exists()
    )
    save_validated(procedure, user=user, reason=reason)
    if notify and procedure.proposed_on is not None and not was_submitted:
        notifications.procedure_submitted(procedure)
    return procedure


def procedure_start(
    *,
    agreement: Agreement,
    kind: str,
    summary: str,
    proposed_text: str = "",
    proposed_on: datetime.date | None = None,
    is_sample: bool = False,
    user: AbstractBaseUser | None = None,
) -> Procedure:
    procedure = Procedure(
        agreement=agreement,
        kind=kind,
        summary=summary,
        proposed_text=proposed_text,
        proposed_on=proposed_on,
        is_sample=is_sample,
    )
    return procedure_save(procedure=procedure, user=user)


def procedure_put_into_effect(
    *,
    procedure: Procedure,
    effective_on: datetime.date,
    central_notice_on: datetime.date | None = None,
    partner_notice_on: datetime.date | None = None,
    governor_notified_on: datetime.date | None = None,
    user: AbstractBaseUser | None = None,
) -> Procedure:
    procedure.effective_on = effective_on
    procedure.central_notice_on = central_notice_on or procedure.central_notice_on
    procedure.partner_notice_on = partner_notice_on or procedure.partner_notice_on
    procedure.governor_notified_on = governor_notified_on or procedure.governor_notified_on
    return procedure_save(procedure=procedure, user=user)


@transaction.atomic
def resolution_save(
    *, resolution: CouncilResolution, user: AbstractBaseUser | None, reason: str = ""
) -> CouncilResolution:
    """Record or correct a council's resolution on a procedure."""
    # The same lock as procedure_save: a resolution and a date of effect are checked
    # against each other, so they must not be written side by side.
    _locked(
        Agreement,
        Procedure.objects.values_list("agreement_id", flat=True).get(pk=resolution.procedure_id),
    )
    corrected = resolution.pk is not None
    save_validated(resolution, user=user, reason=reason)
    if user is not None and clerk_municipality(user) is not None:
        notifications.resolution_recorded(resolution, corrected=corrected, by=person_name(user))
    return resolution


def resolution_record(
    *,
    procedure: Procedure,
    municipality: Municipality,
    session: str,
    bill_number: str,
    resolved_on: datetime.date,
    result: str,
    note: str = "",
    is_sample: bool = False,
    user: AbstractBaseUser | None = None,
) -> CouncilResolution:
    resolution = CouncilResolution(
        procedure=procedure,
        municipality=municipality,
        session=session,
        bill_number=bill_number,
        resolved_on=resolved_on,
        result=result,
        note=note,
        is_sample=is_sample,
    )
    return resolution_save(resolution=resolution, user=user)
