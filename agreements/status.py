"""Where an agreement stands, derived from its procedures and council resolutions.

Two pure functions decide it, so that the admin, the public pages and the exports can never
disagree: `procedure_stage` for one procedure (conclusion, amendment or abolition) and
`agreement_status` for the agreement from the stages of its procedures. They cache nothing:
a date that passes (an agreement that takes effect next April) changes the answer by itself.
agreements.stored_status keeps their answer in each agreement's row for SQL lists and counts,
and refreshes it when that date comes.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureKind(models.TextChoices):
    CONCLUSION = "conclusion", _("Conclusion (締結)")
    AMENDMENT = "amendment", _("Amendment (変更)")
    ABOLITION = "abolition", _("Abolition (廃止)")
    # One party, after its own council resolves it, gives notice; the agreement lapses when
    # its own clause says (two years after the notice in the real texts).
    LAPSE = "lapse", _("Lapse by notice (失効)")


class Result(models.TextChoices):
    PASSED = "passed", _("Passed (可決)")
    REJECTED = "rejected", _("Rejected (否決)")
    CARRIED_OVER = "carried_over", _("Carried over (継続審査)")
    WITHDRAWN = "withdrawn", _("Withdrawn (撤回)")
    # The session ended before the council decided: the bill lapsed and must come again.
    DISCARDED = "discarded", _("Not decided, discarded (審議未了・廃案)")
    # The head decided in the council's place (§179: the council could not be convened in
    # time); it counts as the council's resolution, and the head reports it to the council
    # at its next session for approval (承認) or not (不承認).
    SPECIAL_DISPOSAL = "special_disposal", _("Decided by the head instead (専決処分)")


# Results that count as the council's pass; and those that end the bill, so that the
# proposal can come before that council again only as a new bill.
PASSING_RESULTS = frozenset({Result.PASSED, Result.SPECIAL_DISPOSAL})
CLOSING_RESULTS = frozenset({Result.REJECTED, Result.WITHDRAWN, Result.DISCARDED})


class Approval(models.TextChoices):
    """The council's answer to the head's report of a 専決処分 (§179 ¶3)."""

    APPROVED = "approved", _("Approved (承認)")
    NOT_APPROVED = "not_approved", _("Not approved (不承認)")


class ProcedureStage(models.TextChoices):
    DRAFTING = "drafting", _("Being drafted")
    PROPOSED = "proposed", _("Submitted to the councils")
    IN_COUNCIL = "in_council", _("Under deliberation")
    REJECTED = "rejected", _("Rejected by a council")
    PASSED = "passed", _("Passed by both councils")
    SIGNED = "signed", _("Signed, not in effect yet")
    EFFECTIVE = "effective", _("In effect")
    DROPPED = "dropped", _("Dropped")
    FAILED = "failed", _("Closed as failed after a rejection")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Submitted to the councils")
    IN_COUNCIL = "in_council", _("In council")
    REJECTED = "rejected", _("Rejected")
    PASSED = "passed", _("Passed, awaiting effect")
    CONCLUDED = "concluded", _("Concluded, in force from a later date")
    WITHDRAWN = "withdrawn", _("Conclusion dropped")
    FAILED = "failed", _("Not concluded: rejected")
    IN_FORCE = "in_force", _("In force")
    AMENDING = "amending", _("In force, amendment in progress")
    AMENDED = "amended", _("In force as amended")
    ABOLISHING = "abolishing", _("In force, abolition in progress")
    ABOLISHED = "abolished", _("Abolished")
    LAPSE_PENDING = "lapse_pending", _("In force, notice of lapse before a council")
    LAPSING = "lapsing", _("In force, notice of lapse given")
    LAPSED = "lapsed", _("Lapsed by notice")
    EXPIRED = "expired", _("Term ended")


STATUS_EXPLANATIONS = {
    AgreementStatus.DRAFT: _("The draft is being prepared; it is not before the councils."),
    AgreementStatus.PROPOSED: _(
        "The draft has been submitted to both councils; neither has resolved yet."
    ),
    AgreementStatus.IN_COUNCIL: _(
        "At least one council is deliberating or has passed it; both must pass it."
    ),
    AgreementStatus.REJECTED: _(
        "A council rejected the draft. It can be submitted again and resolved anew."
    ),
    AgreementStatus.PASSED: _(
        "Both councils passed it; the heads have not signed it or it has not taken effect yet."
    ),
    AgreementStatus.CONCLUDED: _(
        "Both councils passed it and the heads signed it (締結); it takes effect on a later date."
    ),
    AgreementStatus.WITHDRAWN: _("The conclusion was dropped before it took effect."),
    AgreementStatus.FAILED: _(
        "A council rejected the draft and the procedure was closed: the agreement was not "
        "concluded. Concluding it now needs a new procedure through both councils."
    ),
    AgreementStatus.IN_FORCE: _("Both councils passed it and it is in force."),
    AgreementStatus.AMENDING: _("It is in force; an amendment is going through both councils."),
    AgreementStatus.AMENDED: _("It is in force with one or more amendments."),
    AgreementStatus.ABOLISHING: _("It is in force; its abolition is going through both councils."),
    AgreementStatus.ABOLISHED: _("Both councils resolved to abolish it; it has ended."),
    AgreementStatus.LAPSE_PENDING: _(
        "It is in force; one party's council is deciding whether to give notice that it lapses."
    ),
    AgreementStatus.LAPSING: _(
        "It is in force; one party gave notice, and it lapses on the date its clause sets."
    ),
    AgreementStatus.LAPSED: _("One party gave notice, and it lapsed on the date its clause set."),
    AgreementStatus.EXPIRED: _("Its fixed term has ended (an agreement normally has none)."),
}

# Stages in which a procedure is still on its way: it blocks a new procedure.
OPEN_STAGES = frozenset(
    {
        ProcedureStage.DRAFTING,
        ProcedureStage.PROPOSED,
        ProcedureStage.IN_COUNCIL,
        ProcedureStage.REJECTED,
        ProcedureStage.PASSED,
        ProcedureStage.SIGNED,
    }
)


def procedure_stage(
    *,
    proposed_on: datetime.date | None,
    central_result: str | None,
    partner_result: str | None,
    effective_on: datetime.date | None,
    dropped_on: datetime.date | None,
    today: datetime.date,
    signed_on: datetime.date | None = None,
) -> ProcedureStage:
    """The stage of one procedure from each council's latest resolution.

    A procedure takes effect only when both councils' latest resolutions are passes (a
    専決処分 counts as one); an effective date without them is ignored. A procedure closed
    while a council's rejection stands has failed; closed otherwise, it was dropped. A
    rejection stays visible until a later resolution (a new bill) of that council replaces
    it. A withdrawn bill, or one discarded undecided at the end of a session, counts as not
    yet resolved: the proposal comes before that council again.
    """
    central_result, partner_result = (
        Result.PASSED if result in PASSING_RESULTS else result
        for result in (central_result, partner_result)
    )
    if dropped_on is not None:
        if Result.REJECTED in (central_result, partner_result):
            return ProcedureStage.FAILED
        return ProcedureStage.DROPPED
    both_passed = central_result == Result.PASSED and partner_result == Result.PASSED
    if both_passed and effective_on is not None and effective_on <= today:
        return ProcedureStage.EFFECTIVE
    if proposed_on is None:
        return ProcedureStage.DRAFTING
    if Result.REJECTED in (central_result, partner_result):
        return ProcedureStage.REJECTED
    if both_passed:
        return ProcedureStage.SIGNED if signed_on is not None else ProcedureStage.PASSED
    if {central_result, partner_result} & {Result.PASSED, Result.CARRIED_OVER}:
        return ProcedureStage.IN_COUNCIL
    return ProcedureStage.PROPOSED


@dataclass(frozen=True)
class StagedProcedure:
    """A procedure's kind and stage, in the order the procedures were started."""

    kind: str
    stage: ProcedureStage
    # A lapse only: the notice has been given (its date of lapse is then known).
    notice_given: bool = False


_NOT_IN_FORCE = {
    ProcedureStage.DRAFTING: AgreementStatus.DRAFT,
    ProcedureStage.PROPOSED: AgreementStatus.PROPOSED,
    ProcedureStage.IN_COUNCIL: AgreementStatus.IN_COUNCIL,
    ProcedureStage.REJECTED: AgreementStatus.REJECTED,
    ProcedureStage.PASSED: AgreementStatus.PASSED,
    ProcedureStage.SIGNED: AgreementStatus.CONCLUDED,
    ProcedureStage.DROPPED: AgreementStatus.WITHDRAWN,
    ProcedureStage.FAILED: AgreementStatus.FAILED,
}


def agreement_status(
    procedures: Iterable[StagedProcedure],
    *,
    term_ended: bool = False,
    term_started: bool = True,
) -> AgreementStatus:
    """The agreement's status from its procedures, oldest first.

    Before the conclusion takes effect, the status is the stage of the latest conclusion
    procedure; amendments and abolitions only count once the agreement is in force. A
    conclusion in effect whose fixed term has not begun yet (`term_started` off) is concluded,
    not yet in force. An agreement in force whose fixed term has ended (`term_ended`) has
    expired, unless it was abolished first.
    """
    procedures = list(procedures)
    conclusions = [p for p in procedures if p.kind == ProcedureKind.CONCLUSION]
    in_force = any(p.stage == ProcedureStage.EFFECTIVE for p in conclusions)
    if in_force and not term_started:
        return AgreementStatus.CONCLUDED
    if not in_force:
        if not conclusions:
            return AgreementStatus.DRAFT
        return _NOT_IN_FORCE[conclusions[-1].stage]

    later = [p for p in procedures if p.kind != ProcedureKind.CONCLUSION]
    effective_kinds = {p.kind for p in later if p.stage == ProcedureStage.EFFECTIVE}
    if ProcedureKind.ABOLITION in effective_kinds:
        return AgreementStatus.ABOLISHED
    if ProcedureKind.LAPSE in effective_kinds:
        return AgreementStatus.LAPSED
    if term_ended:
        return AgreementStatus.EXPIRED
    # A procedure still being drafted is internal work: the public record does not change.
    under_way = [p for p in later if p.stage in OPEN_STAGES - {ProcedureStage.DRAFTING}]
    lapses = [p for p in under_way if p.kind == ProcedureKind.LAPSE]
    if any(p.notice_given for p in lapses):
        return AgreementStatus.LAPSING
    if lapses:
        return AgreementStatus.LAPSE_PENDING
    if any(p.kind == ProcedureKind.ABOLITION for p in under_way):
        return AgreementStatus.ABOLISHING
    if any(p.kind == ProcedureKind.AMENDMENT for p in under_way):
        return AgreementStatus.AMENDING
    if ProcedureKind.AMENDMENT in effective_kinds:
        return AgreementStatus.AMENDED
    return AgreementStatus.IN_FORCE


def latest_results(resolutions: Iterable, central_city_id: int, partner_id: int):
    """Each council's latest result among resolutions (ordered by date, then id): that of
    `central_city_id` (the central city's side, 甲) and that of `partner_id` (乙)."""
    latest: dict[int, tuple] = {}
    for resolution in resolutions:
        key = (resolution.resolved_on, resolution.pk or 0)
        current = latest.get(resolution.municipality_id)
        if current is None or key >= current[0]:
            latest[resolution.municipality_id] = (key, resolution.result)
    central = latest.get(central_city_id)
    partner = latest.get(partner_id)
    return (central[1] if central else None, partner[1] if partner else None)
