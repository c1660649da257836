"""Each agreement's status kept in its own row, so that lists, counts and filters run in SQL.

`Agreement.status()` (the rule of agreements.status) stays the only source. This module
stores its answer whenever an agreement, one of its procedures or one of their resolutions
is saved or deleted, by any path (a service, the admin, the desk, an import, a command, a
shell), together with the first day on which a passing date could change it: a procedure
taking effect, or a fixed term ending. Readers call `refresh_due` first, which recomputes
the few rows whose day has come, so a stored status is never read stale.
"""

import datetime

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import Agreement, CouncilResolution, Procedure
from .selectors import agreements_with_record


def valid_until(agreement: Agreement, today: datetime.date) -> datetime.date | None:
    """The first day after `today` on which the status may change without any edit."""
    days = [
        p.effective_on
        for p in agreement.procedures.all()
        if p.effective_on is not None and p.effective_on > today
    ]
    if agreement.term_end is not None and agreement.term_end >= today:
        days.append(agreement.term_end + datetime.timedelta(days=1))
    if agreement.term_start is not None and agreement.term_start > today:
        days.append(agreement.term_start)
    return min(days, default=None)


def refresh(agreement_ids, today: datetime.date | None = None) -> int:
    """Recompute and store the status of these agreements; returns how many changed.

    The agreement rows are locked first, so two writers that finish at the same moment
    store what the later of them sees, never an answer from before the other's change.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        ids = list(
            Agreement.objects.select_for_update()
            .filter(pk__in=list(agreement_ids))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        changed = []
        for agreement in agreements_with_record().filter(pk__in=ids):
            stored = (agreement.status(today).value, valid_until(agreement, today))
            if (agreement.stored_status, agreement.stored_status_until) != stored:
                agreement.stored_status, agreement.stored_status_until = stored
                changed.append(agreement)
        Agreement.objects.bulk_update(
            changed, ["stored_status", "stored_status_until"], batch_size=500
        )
    return len(changed)


def refresh_due(today: datetime.date | None = None) -> int:
    """Bring up to date the stored statuses that a passing date has changed since."""
    today = today or timezone.localdate()
    due = list(
        Agreement.objects.filter(stored_status_until__lte=today).values_list("pk", flat=True)
    )
    return refresh(due, today) if due else 0


def _agreement_saved(sender, instance, **kwargs) -> None:
    # refresh() itself writes with bulk_update, which sends no signal.
    refresh([instance.pk])


def _procedure_changed(sender, instance, **kwargs) -> None:
    refresh([instance.agreement_id])


def _resolution_changed(sender, instance, **kwargs) -> None:
    procedures = Procedure.objects.filter(pk=instance.procedure_id)
    refresh(procedures.values_list("agreement_id", flat=True))


def connect() -> None:
    """Called once from AgreementsConfig.ready()."""
    post_save.connect(_agreement_saved, sender=Agreement, dispatch_uid="stored_status_agreement")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(
            _procedure_changed, sender=Procedure, dispatch_uid=f"stored_status_procedure_{name}"
        )
        signal.connect(
            _resolution_changed,
            sender=CouncilResolution,
            dispatch_uid=f"stored_status_resolution_{name}",
        )
