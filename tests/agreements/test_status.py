"""The two pure functions that decide where a procedure and an agreement stand.

Expected values are written out as tables, one cell per combination, so that a change in
the rules shows up as a failing cell rather than being re-derived by the test.
"""

import datetime
import itertools
from types import SimpleNamespace

import pytest

from agreements.status import (
    OPEN_STAGES,
    AgreementStatus,
    ProcedureKind,
    ProcedureStage,
    Result,
    StagedProcedure,
    agreement_status,
    latest_results,
    procedure_stage,
)

TODAY = datetime.date(2026, 11, 27)
PROPOSED_ON = datetime.date(2026, 2, 24)
PAST = datetime.date(2026, 3, 29)
FUTURE = datetime.date(2027, 4, 1)
DROPPED_ON = datetime.date(2026, 6, 30)

S = ProcedureStage
A = AgreementStatus
CONCLUSION, AMENDMENT, ABOLITION, LAPSE = ProcedureKind

# ---------------------------------------------------------------------------------------------
# procedure_stage
# ---------------------------------------------------------------------------------------------

# Columns and rows of the grids below: a council's latest result. A 専決処分 counts as a
# pass; a withdrawn or discarded bill as no resolution yet.
RESULTS = (
    None,
    Result.PASSED,
    Result.REJECTED,
    Result.CARRIED_OVER,
    Result.WITHDRAWN,
    Result.DISCARDED,
    Result.SPECIAL_DISPOSAL,
)
DRA, PRO, INC, REJ, PAS = S.DRAFTING, S.PROPOSED, S.IN_COUNCIL, S.REJECTED, S.PASSED
EFF, DRO, FAI = S.EFFECTIVE, S.DROPPED, S.FAILED

# Rows: the central city's latest result, in RESULTS order (named at the end of each row);
# columns: the partner's, in the same order.
# fmt: off
#   partner: none passed rejected carried withdrawn discarded disposal
SUBMITTED = (
    (PRO, INC, REJ, INC, PRO, PRO, INC),  # none
    (INC, PAS, REJ, INC, INC, INC, PAS),  # passed
    (REJ, REJ, REJ, REJ, REJ, REJ, REJ),  # rejected
    (INC, INC, REJ, INC, INC, INC, INC),  # carried
    (PRO, INC, REJ, INC, PRO, PRO, INC),  # withdrawn
    (PRO, INC, REJ, INC, PRO, PRO, INC),  # discarded
    (INC, PAS, REJ, INC, INC, INC, PAS),  # disposal
)
# Submitted, and the effective date has come: only two passes make it effective.
SUBMITTED_EFFECT_DUE = (
    (PRO, INC, REJ, INC, PRO, PRO, INC),  # none
    (INC, EFF, REJ, INC, INC, INC, EFF),  # passed
    (REJ, REJ, REJ, REJ, REJ, REJ, REJ),  # rejected
    (INC, INC, REJ, INC, INC, INC, INC),  # carried
    (PRO, INC, REJ, INC, PRO, PRO, INC),  # withdrawn
    (PRO, INC, REJ, INC, PRO, PRO, INC),  # discarded
    (INC, EFF, REJ, INC, INC, INC, EFF),  # disposal
)
NOT_SUBMITTED = (
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # none
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # passed
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # rejected
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # carried
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # withdrawn
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # discarded
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # disposal
)
# Not submitted yet an effective date in the past and two passes: the database refuses such
# a row (effect requires a proposal), and the function then trusts the two passes.
NOT_SUBMITTED_EFFECT_DUE = (
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # none
    (DRA, EFF, DRA, DRA, DRA, DRA, EFF),  # passed
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # rejected
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # carried
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # withdrawn
    (DRA, DRA, DRA, DRA, DRA, DRA, DRA),  # discarded
    (DRA, EFF, DRA, DRA, DRA, DRA, EFF),  # disposal
)
# Closed: failed where a council's rejection stands, dropped otherwise.
DROPPED = (
    (DRO, DRO, FAI, DRO, DRO, DRO, DRO),  # none
    (DRO, DRO, FAI, DRO, DRO, DRO, DRO),  # passed
    (FAI, FAI, FAI, FAI, FAI, FAI, FAI),  # rejected
    (DRO, DRO, FAI, DRO, DRO, DRO, DRO),  # carried
    (DRO, DRO, FAI, DRO, DRO, DRO, DRO),  # withdrawn
    (DRO, DRO, FAI, DRO, DRO, DRO, DRO),  # discarded
    (DRO, DRO, FAI, DRO, DRO, DRO, DRO),  # disposal
)
# fmt: on

# (proposed, effective_on, dropped) -> the grid that holds for it.
GRIDS = {
    (True, None, False): SUBMITTED,
    (True, "past", False): SUBMITTED_EFFECT_DUE,
    (True, "future", False): SUBMITTED,
    (False, None, False): NOT_SUBMITTED,
    (False, "past", False): NOT_SUBMITTED_EFFECT_DUE,
    (False, "future", False): NOT_SUBMITTED,
    (True, None, True): DROPPED,
    (True, "past", True): DROPPED,
    (True, "future", True): DROPPED,
    (False, None, True): DROPPED,
    (False, "past", True): DROPPED,
    (False, "future", True): DROPPED,
}
EFFECTIVE_ON = {None: None, "past": PAST, "future": FUTURE}


def _stage_cases():
    for (proposed, effective, dropped), grid in GRIDS.items():
        for (i, central), (j, partner) in itertools.product(enumerate(RESULTS), repeat=2):
            yield pytest.param(
                proposed,
                central,
                partner,
                effective,
                dropped,
                grid[i][j],
                id=f"proposed={proposed}-central={central}-partner={partner}"
                f"-effective={effective}-dropped={dropped}",
            )


def test_stage_tables_cover_every_combination():
    cases = list(_stage_cases())
    assert len(cases) == 2 * 7 * 7 * 3 * 2
    assert len({c.id for c in cases}) == len(cases)


@pytest.mark.parametrize(
    ("proposed", "central", "partner", "effective", "dropped", "expected"), list(_stage_cases())
)
def test_procedure_stage_every_combination(
    proposed, central, partner, effective, dropped, expected
):
    stage = procedure_stage(
        proposed_on=PROPOSED_ON if proposed else None,
        central_result=central,
        partner_result=partner,
        effective_on=EFFECTIVE_ON[effective],
        dropped_on=DROPPED_ON if dropped else None,
        today=TODAY,
    )
    assert stage == expected


@pytest.mark.parametrize(
    ("effective_on", "expected"),
    [
        (TODAY - datetime.timedelta(days=1), S.EFFECTIVE),
        (TODAY, S.EFFECTIVE),
        (TODAY + datetime.timedelta(days=1), S.PASSED),
    ],
    ids=["yesterday", "today", "tomorrow"],
)
def test_procedure_stage_takes_effect_on_the_day_itself(effective_on, expected):
    stage = procedure_stage(
        proposed_on=PROPOSED_ON,
        central_result=Result.PASSED,
        partner_result=Result.PASSED,
        effective_on=effective_on,
        dropped_on=None,
        today=TODAY,
    )
    assert stage == expected


def test_procedure_stage_accepts_plain_string_results():
    # Results come from the database as plain strings, not enum members.
    stage = procedure_stage(
        proposed_on=PROPOSED_ON,
        central_result="passed",
        partner_result="rejected",
        effective_on=None,
        dropped_on=None,
        today=TODAY,
    )
    assert stage == S.REJECTED


# ---------------------------------------------------------------------------------------------
# agreement_status
# ---------------------------------------------------------------------------------------------


def _p(kind, stage):
    return StagedProcedure(kind, stage)


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (S.DRAFTING, A.DRAFT),
        (S.PROPOSED, A.PROPOSED),
        (S.IN_COUNCIL, A.IN_COUNCIL),
        (S.REJECTED, A.REJECTED),
        (S.PASSED, A.PASSED),
        (S.EFFECTIVE, A.IN_FORCE),
        (S.DROPPED, A.WITHDRAWN),
        (S.FAILED, A.FAILED),
    ],
)
def test_agreement_status_of_conclusion_alone(stage, expected):
    assert agreement_status([_p(CONCLUSION, stage)]) == expected


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        # An amendment or abolition closed after a rejection leaves the agreement as it was.
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.FAILED)], A.IN_FORCE),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE), (ABOLITION, S.FAILED)], A.AMENDED),
        # A failed conclusion, then a new one: the new one's stage is the status.
        ([(CONCLUSION, S.FAILED), (CONCLUSION, S.PROPOSED)], A.PROPOSED),
        ([(CONCLUSION, S.FAILED), (CONCLUSION, S.EFFECTIVE)], A.IN_FORCE),
    ],
)
def test_agreement_status_after_a_procedure_closed_as_failed(stages, expected):
    assert agreement_status([_p(kind, stage) for kind, stage in stages]) == expected


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        # The term only ends what is in force; before that, the conclusion's stage stands.
        ([(CONCLUSION, S.PASSED)], A.PASSED),
        ([(CONCLUSION, S.EFFECTIVE)], A.EXPIRED),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE)], A.EXPIRED),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.IN_COUNCIL)], A.EXPIRED),
        # Abolished before the term ended: the abolition is what the record shows.
        ([(CONCLUSION, S.EFFECTIVE), (ABOLITION, S.EFFECTIVE)], A.ABOLISHED),
    ],
)
def test_agreement_status_when_the_term_has_ended(stages, expected):
    procedures = [_p(kind, stage) for kind, stage in stages]
    assert agreement_status(procedures, term_ended=True) == expected


def test_agreement_status_without_procedures_is_draft():
    assert agreement_status([]) == A.DRAFT


def test_agreement_status_accepts_a_generator():
    procedures = (p for p in [_p(CONCLUSION, S.EFFECTIVE), _p(AMENDMENT, S.EFFECTIVE)])
    assert agreement_status(procedures) == A.AMENDED


# Rows and columns: the stage of an amendment / abolition, or None if there is none.
LATER_STAGES = (
    None,
    S.DRAFTING,
    S.PROPOSED,
    S.IN_COUNCIL,
    S.REJECTED,
    S.PASSED,
    S.EFFECTIVE,
    S.DROPPED,
)
IF, AMG, AMD, ABG, ABD = A.IN_FORCE, A.AMENDING, A.AMENDED, A.ABOLISHING, A.ABOLISHED
# With the conclusion in effect. Rows: the amendment's stage; columns: the abolition's stage.
#   abolition:   none drafting proposed in_council rejected passed effective dropped
IN_FORCE_GRID = (
    (IF, IF, ABG, ABG, ABG, ABG, ABD, IF),  # amendment: none
    (IF, IF, ABG, ABG, ABG, ABG, ABD, IF),  # drafting
    (AMG, AMG, ABG, ABG, ABG, ABG, ABD, AMG),  # proposed
    (AMG, AMG, ABG, ABG, ABG, ABG, ABD, AMG),  # in council
    (AMG, AMG, ABG, ABG, ABG, ABG, ABD, AMG),  # rejected
    (AMG, AMG, ABG, ABG, ABG, ABG, ABD, AMG),  # passed
    (AMD, AMD, ABG, ABG, ABG, ABG, ABD, AMD),  # effective
    (IF, IF, ABG, ABG, ABG, ABG, ABD, IF),  # dropped
)


def _in_force_cases():
    for (i, amendment), (j, abolition) in itertools.product(enumerate(LATER_STAGES), repeat=2):
        yield pytest.param(
            amendment,
            abolition,
            IN_FORCE_GRID[i][j],
            id=f"amendment={amendment}-abolition={abolition}",
        )


@pytest.mark.parametrize(("amendment", "abolition", "expected"), list(_in_force_cases()))
def test_agreement_status_in_force_with_amendment_and_abolition(amendment, abolition, expected):
    procedures = [_p(CONCLUSION, S.EFFECTIVE)]
    if amendment is not None:
        procedures.append(_p(AMENDMENT, amendment))
    if abolition is not None:
        procedures.append(_p(ABOLITION, abolition))
    assert agreement_status(procedures) == expected


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE), (AMENDMENT, S.PROPOSED)], AMG),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE), (AMENDMENT, S.REJECTED)], AMG),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE), (AMENDMENT, S.DRAFTING)], AMD),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE), (AMENDMENT, S.DROPPED)], AMD),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.DROPPED), (AMENDMENT, S.EFFECTIVE)], AMD),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.DROPPED), (AMENDMENT, S.DROPPED)], IF),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE)], AMD),
        (
            [
                (CONCLUSION, S.EFFECTIVE),
                (AMENDMENT, S.EFFECTIVE),
                (AMENDMENT, S.EFFECTIVE),
                (ABOLITION, S.IN_COUNCIL),
            ],
            ABG,
        ),
        ([(CONCLUSION, S.EFFECTIVE), (ABOLITION, S.DROPPED), (ABOLITION, S.EFFECTIVE)], ABD),
    ],
    ids=[
        "effective-then-proposed",
        "effective-then-rejected",
        "effective-then-drafting",
        "effective-then-dropped",
        "dropped-then-effective",
        "both-dropped",
        "two-effective",
        "two-effective-then-abolishing",
        "abolition-dropped-then-effective",
    ],
)
def test_agreement_status_with_several_later_procedures(stages, expected):
    assert agreement_status([_p(kind, stage) for kind, stage in stages]) == expected


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ([(CONCLUSION, S.DROPPED)], A.WITHDRAWN),
        ([(CONCLUSION, S.DROPPED), (CONCLUSION, S.DRAFTING)], A.DRAFT),
        ([(CONCLUSION, S.DROPPED), (CONCLUSION, S.PROPOSED)], A.PROPOSED),
        ([(CONCLUSION, S.DROPPED), (CONCLUSION, S.IN_COUNCIL)], A.IN_COUNCIL),
        ([(CONCLUSION, S.DROPPED), (CONCLUSION, S.PASSED)], A.PASSED),
        ([(CONCLUSION, S.DROPPED), (CONCLUSION, S.EFFECTIVE)], A.IN_FORCE),
        ([(CONCLUSION, S.DROPPED), (CONCLUSION, S.DROPPED)], A.WITHDRAWN),
        (
            [(CONCLUSION, S.DROPPED), (CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.PROPOSED)],
            A.AMENDING,
        ),
    ],
    ids=[
        "dropped",
        "dropped-then-drafting",
        "dropped-then-proposed",
        "dropped-then-in-council",
        "dropped-then-passed",
        "dropped-then-effective",
        "dropped-twice",
        "dropped-then-effective-then-amending",
    ],
)
def test_agreement_status_after_a_dropped_conclusion(stages, expected):
    assert agreement_status([_p(kind, stage) for kind, stage in stages]) == expected


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ([(AMENDMENT, S.EFFECTIVE)], A.DRAFT),
        ([(ABOLITION, S.EFFECTIVE)], A.DRAFT),
        ([(CONCLUSION, S.DRAFTING), (AMENDMENT, S.PROPOSED)], A.DRAFT),
        ([(CONCLUSION, S.PROPOSED), (ABOLITION, S.IN_COUNCIL)], A.PROPOSED),
        ([(CONCLUSION, S.IN_COUNCIL), (AMENDMENT, S.PROPOSED)], A.IN_COUNCIL),
        ([(CONCLUSION, S.REJECTED), (ABOLITION, S.PASSED)], A.REJECTED),
        ([(CONCLUSION, S.PASSED), (AMENDMENT, S.EFFECTIVE)], A.PASSED),
        ([(CONCLUSION, S.PASSED), (ABOLITION, S.EFFECTIVE)], A.PASSED),
        ([(CONCLUSION, S.DROPPED), (ABOLITION, S.EFFECTIVE)], A.WITHDRAWN),
    ],
    ids=[
        "amendment-only",
        "abolition-only",
        "drafting-with-amendment",
        "proposed-with-abolition",
        "in-council-with-amendment",
        "rejected-with-abolition",
        "passed-with-effective-amendment",
        "passed-with-effective-abolition",
        "dropped-with-effective-abolition",
    ],
)
def test_agreement_status_ignores_amendments_before_the_conclusion_is_in_force(stages, expected):
    assert agreement_status([_p(kind, stage) for kind, stage in stages]) == expected


# ---------------------------------------------------------------------------------------------
# latest_results
# ---------------------------------------------------------------------------------------------

CENTRAL_ID, PARTNER_ID, OTHER_ID = 1, 2, 3
MARCH_1, MARCH_18 = datetime.date(2016, 3, 1), datetime.date(2016, 3, 18)


def _r(pk, municipality_id, resolved_on, result):
    return SimpleNamespace(
        pk=pk, municipality_id=municipality_id, resolved_on=resolved_on, result=result
    )


def test_latest_results_none_without_resolutions():
    assert latest_results([], CENTRAL_ID, PARTNER_ID) == (None, None)


def test_latest_results_one_per_council():
    resolutions = [
        _r(1, CENTRAL_ID, MARCH_1, Result.CARRIED_OVER),
        _r(2, PARTNER_ID, MARCH_1, Result.REJECTED),
    ]
    assert latest_results(resolutions, CENTRAL_ID, PARTNER_ID) == (
        Result.CARRIED_OVER,
        Result.REJECTED,
    )


@pytest.mark.parametrize("reverse", [False, True], ids=["oldest-first", "newest-first"])
def test_latest_results_later_date_wins(reverse):
    # The later resolution has the lower id: the date decides, not the id or the order.
    resolutions = [
        _r(9, PARTNER_ID, MARCH_1, Result.REJECTED),
        _r(4, PARTNER_ID, MARCH_18, Result.PASSED),
    ]
    if reverse:
        resolutions.reverse()
    assert latest_results(resolutions, CENTRAL_ID, PARTNER_ID) == (None, Result.PASSED)


@pytest.mark.parametrize("reverse", [False, True], ids=["lower-id-first", "higher-id-first"])
def test_latest_results_same_date_higher_id_wins(reverse):
    resolutions = [
        _r(5, CENTRAL_ID, MARCH_18, Result.CARRIED_OVER),
        _r(6, CENTRAL_ID, MARCH_18, Result.PASSED),
    ]
    if reverse:
        resolutions.reverse()
    assert latest_results(resolutions, CENTRAL_ID, PARTNER_ID) == (Result.PASSED, None)


def test_latest_results_saved_resolution_wins_over_unsaved_on_same_date():
    resolutions = [
        _r(7, PARTNER_ID, MARCH_18, Result.REJECTED),
        _r(None, PARTNER_ID, MARCH_18, Result.PASSED),
    ]
    assert latest_results(resolutions, CENTRAL_ID, PARTNER_ID) == (None, Result.REJECTED)


def test_latest_results_ignores_other_councils():
    resolutions = [
        _r(1, OTHER_ID, MARCH_18, Result.PASSED),
        _r(2, PARTNER_ID, MARCH_1, Result.WITHDRAWN),
    ]
    assert latest_results(resolutions, CENTRAL_ID, PARTNER_ID) == (None, Result.WITHDRAWN)


# A lapse by notice (失効): pending while the notifying council deliberates, "notice given"
# once the notice is out, lapsed when the day its clause sets has come.
@pytest.mark.parametrize(
    ("stage", "notice_given", "expected"),
    [
        (S.DRAFTING, False, A.IN_FORCE),
        (S.PROPOSED, False, A.LAPSE_PENDING),
        (S.IN_COUNCIL, False, A.LAPSE_PENDING),
        (S.REJECTED, False, A.LAPSE_PENDING),
        (S.PASSED, False, A.LAPSE_PENDING),
        (S.PASSED, True, A.LAPSING),
        (S.EFFECTIVE, True, A.LAPSED),
        (S.DROPPED, False, A.IN_FORCE),
        (S.DROPPED, True, A.IN_FORCE),
    ],
)
def test_agreement_status_with_a_lapse_by_notice(stage, notice_given, expected):
    procedures = [_p(CONCLUSION, S.EFFECTIVE), StagedProcedure(LAPSE, stage, notice_given)]
    assert agreement_status(procedures) == expected


def test_a_lapse_under_way_shows_over_an_amendment_in_force_and_ends_it_for_good():
    amended = [_p(CONCLUSION, S.EFFECTIVE), _p(AMENDMENT, S.EFFECTIVE)]
    assert agreement_status([*amended, StagedProcedure(LAPSE, S.PASSED, True)]) == A.LAPSING
    lapsed = [*amended, StagedProcedure(LAPSE, S.EFFECTIVE, True)]
    assert agreement_status(lapsed) == A.LAPSED
    assert agreement_status(lapsed, term_ended=True) == A.LAPSED
    # Before the conclusion is in force, a lapse counts for nothing.
    assert agreement_status([_p(CONCLUSION, S.PASSED), _p(LAPSE, S.EFFECTIVE)]) == A.PASSED


# Signing (締結) apart from effect: passed by both councils, signed, then in effect.
@pytest.mark.parametrize(
    ("signed", "effective", "expected"),
    [
        (False, None, S.PASSED),
        (True, None, S.SIGNED),
        (True, FUTURE, S.SIGNED),
        (True, PAST, S.EFFECTIVE),
        (False, PAST, S.EFFECTIVE),  # a record from before signing dates were kept
    ],
)
def test_procedure_stage_between_passing_and_effect(signed, effective, expected):
    stage = procedure_stage(
        proposed_on=PROPOSED_ON,
        central_result=Result.PASSED,
        partner_result=Result.PASSED,
        effective_on=effective,
        dropped_on=None,
        today=TODAY,
        signed_on=PAST if signed else None,
    )
    assert stage == expected


def test_a_signed_procedure_needs_both_passes_and_blocks_a_new_one():
    signed_alone = procedure_stage(
        proposed_on=PROPOSED_ON,
        central_result=Result.PASSED,
        partner_result=None,
        effective_on=None,
        dropped_on=None,
        today=TODAY,
        signed_on=PAST,
    )
    assert signed_alone == S.IN_COUNCIL
    assert S.SIGNED in OPEN_STAGES
    assert agreement_status([_p(CONCLUSION, S.SIGNED)]) == A.CONCLUDED
    assert agreement_status([_p(CONCLUSION, S.EFFECTIVE), _p(AMENDMENT, S.SIGNED)]) == A.AMENDING


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ([(CONCLUSION, S.EFFECTIVE)], A.CONCLUDED),
        ([(CONCLUSION, S.EFFECTIVE), (AMENDMENT, S.EFFECTIVE)], A.CONCLUDED),
        ([(CONCLUSION, S.PASSED)], A.PASSED),  # not concluded yet: the conclusion's stage
    ],
)
def test_an_agreement_whose_term_has_not_begun_is_not_in_force_yet(stages, expected):
    procedures = [_p(kind, stage) for kind, stage in stages]
    assert agreement_status(procedures, term_started=False) == expected


@pytest.mark.parametrize("other", RESULTS)
def test_a_bill_discarded_undecided_counts_as_one_not_yet_resolved(other):
    # 審議未了・廃案: the council did not decide before its session ended.
    for central, partner in ((Result.DISCARDED, other), (other, Result.DISCARDED)):
        stage = procedure_stage(
            proposed_on=PROPOSED_ON,
            central_result=central,
            partner_result=partner,
            effective_on=None,
            dropped_on=None,
            today=TODAY,
        )
        withdrawn = procedure_stage(
            proposed_on=PROPOSED_ON,
            central_result=Result.WITHDRAWN if central == Result.DISCARDED else central,
            partner_result=Result.WITHDRAWN if partner == Result.DISCARDED else partner,
            effective_on=None,
            dropped_on=None,
            today=TODAY,
        )
        assert stage == withdrawn
        assert stage not in (S.PASSED, S.EFFECTIVE)
