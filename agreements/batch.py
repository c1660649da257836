"""Batch steps for the joint ceremony: what planning staff do for many agreements at once
(Nagano 2016-03-29: eight agreements; 北九州 2016-04-18: sixteen).

- start the conclusion of many agreements from one model text;
- record the central city council's resolutions on many procedures of one session;
- put many procedures into effect on one date, with the notices and the notification.

Each row goes through the same service as a single change, and the batch is all or nothing:
when one row is refused, nothing is saved and each row's outcome is told (`Outcome`).
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from municipalities.validators import validate_one_line

from . import texts
from .models import Agreement, CouncilResolution, Procedure
from .services import agreement_save, procedure_save, procedure_start, resolution_save
from .status import ProcedureKind, Result

REASON = "batch"
PARTNER_MARK = "{乙}"
CENTRAL_MARK = "{甲}"


@dataclass
class Outcome:
    """One row of a batch: the record, and why it was refused (empty when it was fine)."""

    label: str
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def _run(rows, step) -> list[Outcome]:
    """Apply `step` to each row in one transaction; roll everything back if any is refused."""
    outcomes = []
    with transaction.atomic():
        for label, row in rows:
            try:
                with transaction.atomic():
                    step(row)
            except ValidationError as error:
                outcomes.append(Outcome(label, _messages(error)))
            else:
                outcomes.append(Outcome(label, []))
        if not all(outcome.ok for outcome in outcomes):
            transaction.set_rollback(True)
    return outcomes


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


# ---------------------------------------------------------------------------------------------
# Start the conclusion of many agreements from one model text
# ---------------------------------------------------------------------------------------------


class ConclusionForm(forms.Form):
    summary = forms.CharField(
        label=_("summary"), max_length=200, initial="連携協約の締結", validators=[validate_one_line]
    )
    model_text = forms.CharField(
        label=_("model text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
        initial=texts.default_text(central=CENTRAL_MARK, partner=PARTNER_MARK),
        help_text=_(
            "One text for all, in the structure of the real ones: {甲} becomes the central "
            "city's name and {乙} each partner's. It becomes each agreement's text; leave it "
            "empty to keep the texts the agreements have."
        ),
    )
    proposed_on = forms.DateField(
        label=_("submitted to the councils on"),
        required=False,
        help_text=_("Leave empty while the proposals are being drafted."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def start_conclusions(
    agreements: list[Agreement],
    *,
    summary: str,
    model_text: str,
    proposed_on: datetime.date | None,
    user: AbstractBaseUser | None,
) -> list[Outcome]:
    """A conclusion procedure for each agreement, its text made from the model text (the
    content submitted to the councils, if a date is given)."""

    def step(agreement: Agreement) -> None:
        if model_text.strip():
            agreement.text = model_text.replace(CENTRAL_MARK, agreement.central_party.name).replace(
                PARTNER_MARK, agreement.partner.name
            )
            agreement_save(agreement=agreement, user=user, reason=REASON)
        procedure_start(
            agreement=agreement,
            kind=ProcedureKind.CONCLUSION,
            summary=summary,
            proposed_on=proposed_on,
            user=user,
        )

    return _run([(str(a.partner), a) for a in agreements], step)


# ---------------------------------------------------------------------------------------------
# Record the central city council's resolutions of one session
# ---------------------------------------------------------------------------------------------


class SessionForm(forms.Form):
    session = forms.CharField(
        label=_("session"),
        max_length=60,
        help_text=_("e.g. 令和8年3月定例会"),
        validators=[validate_one_line],
    )
    resolved_on = forms.DateField(
        label=_("resolved on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    result = forms.ChoiceField(label=_("result"), choices=Result.choices, initial=Result.PASSED)

    def __init__(self, *args, procedures: list[Procedure], **kwargs):
        super().__init__(*args, **kwargs)
        self.procedures = procedures
        for procedure in procedures:
            self.fields[f"bill_{procedure.pk}"] = forms.CharField(
                label=_("bill number: %(agreement)s") % {"agreement": procedure.agreement},
                max_length=40,
                help_text=_("e.g. 議案第12号"),
                validators=[validate_one_line],
            )

    def bill_fields(self):
        return [self[f"bill_{procedure.pk}"] for procedure in self.procedures]


def record_session(
    procedures: list[Procedure],
    *,
    session: str,
    resolved_on: datetime.date,
    result: str,
    bills: dict[int, str],
    user: AbstractBaseUser | None,
) -> list[Outcome]:
    """The resolution of each procedure's central city council (甲) in one session."""

    def step(procedure: Procedure) -> None:
        resolution_save(
            resolution=CouncilResolution(
                procedure=procedure,
                municipality=procedure.agreement.central_party,
                session=session,
                bill_number=bills[procedure.pk],
                resolved_on=resolved_on,
                result=result,
            ),
            user=user,
            reason=REASON,
        )

    return _run([(str(p.agreement), p) for p in procedures], step)


# ---------------------------------------------------------------------------------------------
# Put many procedures into effect on one date
# ---------------------------------------------------------------------------------------------


class EffectForm(forms.Form):
    signed_on = forms.DateField(
        label=_("signed on (締結日)"),
        required=False,
        help_text=_("The day of the signing ceremony, if it was signed then."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    effective_on = forms.DateField(
        label=_("takes effect on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    central_notice_on = forms.DateField(
        label=_("public notice by the central city (告示)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    partner_notice_on = forms.DateField(
        label=_("public notice by the partner (告示)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    governor_notified_on = forms.DateField(
        label=_("notification filed by the central city (届出)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    partner_notified_on = forms.DateField(
        label=_("notification filed by the partner (届出)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def put_into_effect(
    procedures: list[Procedure],
    *,
    signed_on: datetime.date | None = None,
    effective_on: datetime.date,
    central_notice_on: datetime.date | None,
    partner_notice_on: datetime.date | None,
    governor_notified_on: datetime.date | None,
    partner_notified_on: datetime.date | None = None,
    user: AbstractBaseUser | None,
) -> list[Outcome]:
    """Each procedure takes effect on the date, with the notices and notification given."""

    def step(procedure: Procedure) -> None:
        procedure.signed_on = signed_on or procedure.signed_on
        procedure.effective_on = effective_on
        procedure.central_notice_on = central_notice_on or procedure.central_notice_on
        procedure.partner_notice_on = partner_notice_on or procedure.partner_notice_on
        procedure.governor_notified_on = governor_notified_on or procedure.governor_notified_on
        procedure.partner_notified_on = partner_notified_on or procedure.partner_notified_on
        procedure_save(procedure=procedure, user=user, reason=REASON)

    return _run([(str(p.agreement), p) for p in procedures], step)
