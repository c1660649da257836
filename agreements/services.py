"""Every change to agreements, procedures and resolutions goes through these functions.

Each validates the whole object (`full_clean`), saves it in one transaction and records the
acting user and reason in its history. The admin and the demo loader call them too, so a
rule holds however the data enters.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError

from municipalities.access import clerk_municipality, person_name
from municipalities.models import AreaMembership, CooperationArea, Municipality
from municipalities.services import membership_save, save_validated, with_history

from . import notifications, texts
from .models import (
    CONTENT_KINDS,
    ERROR_REMOVED_ITEM_COVERS_PROJECTS,
    Agreement,
    AgreementItem,
    CouncilResolution,
    Procedure,
)
from .selectors import IN_FORCE_STATUSES
from .status import ProcedureKind


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
def item_delete(*, item: AgreementItem, user: AbstractBaseUser | None, reason: str = "") -> None:
    """Remove an item from the content being drafted (refused, with the reason, otherwise)."""
    _locked(Agreement, item.agreement_id)
    if lock := item.agreement.content_lock():
        raise ValidationError(lock[0], params=lock[1] or None)
    with_history(item, user=user, reason=reason).delete()


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
    saved = (
        Procedure.objects.filter(pk=procedure.pk).values("proposed_on", "effective_on").first()
        if procedure.pk
        else None
    ) or {"proposed_on": None, "effective_on": None}
    if procedure.kind in CONTENT_KINDS:
        # Submission fixes the content the councils deliberate on (a record may bring it).
        if procedure.proposed_on is None:
            procedure.content = None
        elif procedure.content is None:
            procedure.content = procedure.agreement.content_of()
    save_validated(procedure, user=user, reason=reason)
    if procedure.kind in CONTENT_KINDS and procedure.effective_on and not saved["effective_on"]:
        _content_into_effect(procedure, user=user, reason=reason)
    if procedure.effective_on != saved["effective_on"]:
        _membership_follows(procedure, user=user, reason=reason)
    if notify and procedure.proposed_on is not None and not saved["proposed_on"]:
        notifications.procedure_submitted(procedure)
    return procedure


def _content_into_effect(procedure: Procedure, *, user, reason: str) -> None:
    """The content a conclusion or amendment carried becomes the agreement's own: its title,
    policy, text and items, with history. (Edited in the admin, they already are; a record
    brings each version with its procedure.) Its rules held when it was submitted."""
    content = procedure.content
    agreement = procedure.agreement
    reason = reason or f"in effect: {procedure.summary}"
    fields = ("title", "basic_policy", "text")
    if any(getattr(agreement, name) != content[name] for name in fields):
        for name in fields:
            setattr(agreement, name, content[name])
        with_history(agreement, user=user, reason=reason).save()
    rows = {item.pk: item for item in agreement.items.all()}
    by_title = {(item.role, item.title): item for item in rows.values()}
    kept = set()
    for entry in content["items"]:
        item = rows.get(entry.get("id")) or by_title.get((entry["role"], entry["title"]))
        if item is None or item.pk in kept:
            item = AgreementItem(agreement=agreement)
        values = {name: entry.get(name, "") for name in texts.ITEM_FIELDS}
        values["order"] = entry.get("order", 0)
        values["is_sample"] = entry.get("is_sample", False)
        # A translation given after the content was frozen stays.
        values["title_en"] = entry.get("title_en") or item.title_en
        if item.pk is None or any(getattr(item, n) != v for n, v in values.items()):
            for name, value in values.items():
                setattr(item, name, value)
            with_history(item, user=user, reason=reason).save()
        kept.add(item.pk)
    for pk, item in rows.items():
        if pk not in kept:
            try:
                with_history(item, user=user, reason=reason).delete()
            except ProtectedError as error:
                raise ValidationError(
                    ERROR_REMOVED_ITEM_COVERS_PROJECTS, params={"item": item.title}
                ) from error


def _membership_follows(procedure: Procedure, *, user, reason: str) -> None:
    """A municipality is a partner of the area from its agreement's effect until the
    abolition or lapse takes effect (while another agreement of it with the area's other
    central city is in force, it stays). Memberships typed in for history before the records
    keep their dates until a procedure gives them."""
    agreement = procedure.agreement
    area, partner = agreement.area, agreement.partner
    if partner.pk in area.central_city_ids or not partner.is_municipality:
        return
    reason = reason or f"{procedure.get_kind_display()}: {procedure.summary}"
    membership = (
        AreaMembership.objects.filter(area=area, municipality=partner, did_not_conclude=False)
        .order_by("-joined_on")
        .first()
    )
    if procedure.kind == ProcedureKind.CONCLUSION:
        if procedure.effective_on is None:
            return
        if membership is None or (
            membership.left_on and membership.left_on <= procedure.effective_on
        ):
            membership = AreaMembership(area=area, municipality=partner)
        if membership.joined_on == procedure.effective_on:
            return
        membership.joined_on = procedure.effective_on
    elif procedure.kind in (ProcedureKind.ABOLITION, ProcedureKind.LAPSE):
        others = Agreement.objects.filter(area=area, partner=partner).exclude(pk=agreement.pk)
        if membership is None or any(other.status() in IN_FORCE_STATUSES for other in others):
            return
        if membership.left_on == procedure.effective_on:
            return
        membership.left_on = procedure.effective_on
    else:
        return
    membership_save(membership=membership, user=user, reason=reason)


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
    partner_notified_on: datetime.date | None = None,
    user: AbstractBaseUser | None = None,
) -> Procedure:
    procedure.effective_on = effective_on
    procedure.central_notice_on = central_notice_on or procedure.central_notice_on
    procedure.partner_notice_on = partner_notice_on or procedure.partner_notice_on
    procedure.governor_notified_on = governor_notified_on or procedure.governor_notified_on
    procedure.partner_notified_on = partner_notified_on or procedure.partner_notified_on
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
