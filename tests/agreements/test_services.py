"""The services refuse every rule with its message, save nothing then, and record history.

Messages are compared with the module constants rendered in the active language, so the
tests hold whatever the Japanese catalogue says.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from agreements import services
from agreements.models import (
    ERROR_AFTER_ABOLITION,
    ERROR_AMENDMENT_BEFORE_CONCLUSION,
    ERROR_BILL_CLOSED,
    ERROR_DATE_BEFORE_PROPOSAL,
    ERROR_DROPPED_AND_EFFECTIVE,
    ERROR_EFFECT_BEFORE_RESOLUTION,
    ERROR_EFFECT_NEEDS_BOTH_PASSED,
    ERROR_EFFECT_NEEDS_PROPOSAL,
    ERROR_LATER_PROCEDURE,
    ERROR_NOT_PUBLIC,
    ERROR_NOTICE_BEFORE_RESOLUTION,
    ERROR_NOTICE_NEEDS_BOTH_PASSED,
    ERROR_PARTIES_FIXED,
    ERROR_PARTNER_IS_CENTRAL,
    ERROR_PROCEDURE_MOVED,
    ERROR_PROCEDURE_OPEN,
    ERROR_PROPOSED_BEFORE_CONCLUSION,
    ERROR_RESOLUTION_AFTER_EFFECT,
    ERROR_RESOLUTION_AFTER_PASSED,
    ERROR_RESOLUTION_BEFORE_PREVIOUS,
    ERROR_RESOLUTION_BEFORE_PROPOSAL,
    ERROR_RESOLUTION_MOVED,
    ERROR_RESOLUTION_NOT_A_PARTY,
    ERROR_RESOLUTION_NOT_PROPOSED,
    ERROR_RESOLUTION_ON_DROPPED,
    ERROR_TERM_ORDER,
    ERROR_UNPUBLISH,
    Agreement,
    AgreementItem,
    CouncilResolution,
    Procedure,
)
from agreements.status import AgreementStatus, ProcedureKind, Result
from municipalities.fixed import ERROR_FIXED
from municipalities.models import AreaMembership
from tests import factories
from tests.factories import EFFECTIVE_ON, PROPOSED_ON, RESOLVED_ON

pytestmark = pytest.mark.django_db

MODELS = (Agreement, AgreementItem, Procedure, CouncilResolution)


def _counts():
    return {model.__name__: (model.objects.count(), model.history.count()) for model in MODELS}


@contextmanager
def nothing_saved():
    """Neither a row nor a history row is written inside the block."""
    before = _counts()
    yield
    assert _counts() == before


def constraint_message(model, name):
    """The violation message of a model's constraint, by its rendered name."""
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return str(constraint.get_violation_error_message())
    raise LookupError(name)


def messages(exc_info, field):
    return exc_info.value.message_dict.get(field, [])


@pytest.fixture
def user():
    return factories.UserFactory()


@pytest.fixture
def agreement():
    return factories.AgreementFactory()


@pytest.fixture
def procedure(agreement):
    """The agreement's conclusion, submitted to both councils on PROPOSED_ON."""
    return factories.ProcedureFactory(agreement=agreement)


def _resolve(procedure, council, result=Result.PASSED, on=RESOLVED_ON, user=None, bill="議案第1号"):
    return services.resolution_record(
        procedure=procedure,
        municipality=council,
        session="平成28年3月定例会",
        bill_number=bill,
        resolved_on=on,
        result=result,
        user=user,
    )


def _both_pass(procedure, on=RESOLVED_ON):
    agreement = procedure.agreement
    _resolve(procedure, agreement.central_city, on=on)
    _resolve(procedure, agreement.partner, on=on)


def _in_force_conclusion(agreement):
    procedure = factories.ProcedureFactory(agreement=agreement)
    _both_pass(procedure)
    return services.procedure_put_into_effect(procedure=procedure, effective_on=EFFECTIVE_ON)


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------


def test_agreement_create_refuses_central_city_as_partner(area):
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.agreement_create(area=area, partner=area.central_city, title="自分との協約")
    assert messages(exc, "partner") == [str(ERROR_PARTNER_IS_CENTRAL)]


def test_agreement_create_accepts_a_municipality_in_talks_without_making_it_a_partner(area):
    newcomer = factories.MunicipalityFactory()
    services.agreement_create(area=area, partner=newcomer, title="協議中の協約", is_public=True)
    assert not AreaMembership.objects.filter(area=area, municipality=newcomer).exists()


def test_agreement_create_refuses_second_agreement_with_same_partner(agreement):
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.agreement_create(area=agreement.area, partner=agreement.partner, title="二つ目")
    assert messages(exc, NON_FIELD_ERRORS) == [
        constraint_message(Agreement, "agreements_agreement_one_per_pair_of_parties")
    ]


def test_agreement_create_accepts_same_partner_in_another_area(agreement):
    other_area = factories.CooperationAreaFactory()
    factories.AreaMembershipFactory(area=other_area, municipality=agreement.partner)
    services.agreement_create(area=other_area, partner=agreement.partner, title="別の圏域")
    assert Agreement.objects.filter(partner=agreement.partner).count() == 2


@pytest.mark.parametrize(
    "term_end", [datetime.date(2016, 3, 31), datetime.date(2016, 4, 1)], ids=["before", "same"]
)
def test_agreement_create_refuses_term_end_not_after_start(area, term_end):
    partner = factories.AreaMembershipFactory(area=area).municipality
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.agreement_create(
            area=area,
            partner=partner,
            title="期間付きの協約",
            term_start=datetime.date(2016, 4, 1),
            term_end=term_end,
        )
    assert messages(exc, "term_end") == [str(ERROR_TERM_ORDER)]


def test_agreement_create_accepts_term_end_after_start(area):
    partner = factories.AreaMembershipFactory(area=area).municipality
    agreement = services.agreement_create(
        area=area,
        partner=partner,
        title="期間付きの協約",
        term_start=datetime.date(2016, 4, 1),
        term_end=datetime.date(2021, 3, 31),
    )
    assert agreement.pk is not None


# ---------------------------------------------------------------------------------------------
# Council resolutions
# ---------------------------------------------------------------------------------------------


def test_resolution_record_refuses_council_of_a_third_municipality(procedure):
    agreement = procedure.agreement
    # Another partner of the same area: a member, but not a party to this agreement.
    third = factories.AreaMembershipFactory(area=agreement.area).municipality
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(procedure, third)
    assert messages(exc, "municipality") == [
        str(
            ERROR_RESOLUTION_NOT_A_PARTY
            % {"central": agreement.central_city, "partner": agreement.partner}
        )
    ]


def test_resolution_record_refuses_date_before_proposal(procedure):
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(procedure, procedure.agreement.partner, on=PROPOSED_ON - datetime.timedelta(1))
    assert messages(exc, "resolved_on") == [
        str(ERROR_RESOLUTION_BEFORE_PROPOSAL % {"date": PROPOSED_ON})
    ]


def test_resolution_record_accepts_date_of_proposal(procedure):
    _resolve(procedure, procedure.agreement.partner, on=PROPOSED_ON)
    assert procedure.resolutions.count() == 1


def test_resolution_record_refuses_unproposed_procedure(agreement):
    procedure = factories.ProcedureFactory(agreement=agreement, drafting=True)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(procedure, agreement.partner)
    assert messages(exc, NON_FIELD_ERRORS) == [str(ERROR_RESOLUTION_NOT_PROPOSED)]


def test_resolution_record_refuses_dropped_procedure(agreement):
    procedure = factories.ProcedureFactory(
        agreement=agreement, dropped_on=datetime.date(2016, 3, 1)
    )
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(procedure, agreement.partner)
    assert messages(exc, NON_FIELD_ERRORS) == [str(ERROR_RESOLUTION_ON_DROPPED)]


@pytest.mark.parametrize("result", [Result.REJECTED, Result.CARRIED_OVER, Result.WITHDRAWN])
def test_resolution_record_refuses_resolution_after_the_council_passed(procedure, result):
    partner = procedure.agreement.partner
    _resolve(procedure, partner)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(procedure, partner, result=result, on=RESOLVED_ON + datetime.timedelta(30))
    assert messages(exc, "resolved_on") == [
        str(ERROR_RESOLUTION_AFTER_PASSED % {"council": partner, "date": RESOLVED_ON})
    ]


def test_resolution_record_refuses_a_second_pass_of_the_same_council(procedure):
    central = procedure.agreement.central_city
    _resolve(procedure, central)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(procedure, central, on=RESOLVED_ON + datetime.timedelta(1))
    assert str(ERROR_RESOLUTION_AFTER_PASSED % {"council": central, "date": RESOLVED_ON}) in (
        messages(exc, "resolved_on")
    )


def test_resolution_record_refuses_date_before_the_councils_previous_one(procedure):
    partner = procedure.agreement.partner
    _resolve(procedure, partner, result=Result.REJECTED)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(procedure, partner, on=RESOLVED_ON - datetime.timedelta(1))
    assert messages(exc, "resolved_on") == [
        str(ERROR_RESOLUTION_BEFORE_PREVIOUS % {"date": RESOLVED_ON})
    ]


def test_resolution_record_accepts_other_councils_earlier_date(procedure):
    agreement = procedure.agreement
    _resolve(procedure, agreement.partner, result=Result.REJECTED)
    _resolve(procedure, agreement.central_city, on=RESOLVED_ON - datetime.timedelta(1))
    assert procedure.resolutions.count() == 2


def test_resolution_record_accepts_a_pass_after_a_rejection(procedure, today):
    agreement = procedure.agreement
    _resolve(procedure, agreement.partner, result=Result.REJECTED)
    assert agreement.status(today) == AgreementStatus.REJECTED

    # A rejection closes its bill: the proposal comes again as a new bill.
    later = RESOLVED_ON + datetime.timedelta(60)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(procedure, agreement.partner, on=later)
    assert messages(exc, "bill_number") == [
        ERROR_BILL_CLOSED
        % {
            "bill": "議案第1号",
            "session": "平成28年3月定例会",
            "date": RESOLVED_ON,
            "result": "否決",
        }
    ]
    _resolve(procedure, agreement.partner, on=later, bill="議案第30号")
    assert agreement.status(today) == AgreementStatus.IN_COUNCIL

    _resolve(procedure, agreement.central_city, on=RESOLVED_ON + datetime.timedelta(60))
    assert agreement.status(today) == AgreementStatus.PASSED


@pytest.mark.parametrize(
    ("result", "days_after_effect"),
    [(Result.REJECTED, 30), (Result.PASSED, 30), (Result.CARRIED_OVER, -1)],
    ids=["rejection-after", "pass-after", "carried-over-before"],
)
def test_resolution_record_refuses_resolution_after_effect(agreement, result, days_after_effect):
    procedure = _in_force_conclusion(agreement)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(
            procedure,
            agreement.partner,
            result=result,
            on=EFFECTIVE_ON + datetime.timedelta(days_after_effect),
        )
    assert messages(exc, "result") == [str(ERROR_RESOLUTION_AFTER_EFFECT % {"date": EFFECTIVE_ON})]


# ---------------------------------------------------------------------------------------------
# Procedures: effect, notices, dates
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("central_result", "partner_result", "missing"),
    [
        (None, None, "central、partner"),
        (Result.PASSED, None, "partner"),
        (None, Result.PASSED, "central"),
        (Result.PASSED, Result.REJECTED, "partner"),
        (Result.CARRIED_OVER, Result.PASSED, "central"),
        (Result.WITHDRAWN, Result.CARRIED_OVER, "central、partner"),
    ],
)
def test_procedure_put_into_effect_refuses_before_both_councils_passed(
    procedure, central_result, partner_result, missing
):
    agreement = procedure.agreement
    if central_result:
        _resolve(procedure, agreement.central_city, result=central_result)
    if partner_result:
        _resolve(procedure, agreement.partner, result=partner_result)
    names = {"central": str(agreement.central_city), "partner": str(agreement.partner)}
    expected_missing = "、".join(names[key] for key in missing.split("、"))

    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_put_into_effect(procedure=procedure, effective_on=EFFECTIVE_ON)
    assert messages(exc, "effective_on") == [
        str(ERROR_EFFECT_NEEDS_BOTH_PASSED % {"missing": expected_missing})
    ]
    procedure.refresh_from_db()
    assert procedure.effective_on is None


def test_procedure_put_into_effect_refuses_date_before_last_resolution(procedure):
    agreement = procedure.agreement
    _resolve(procedure, agreement.central_city, on=RESOLVED_ON)
    last = RESOLVED_ON + datetime.timedelta(5)
    _resolve(procedure, agreement.partner, on=last)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_put_into_effect(
            procedure=procedure, effective_on=last - datetime.timedelta(1)
        )
    assert messages(exc, "effective_on") == [str(ERROR_EFFECT_BEFORE_RESOLUTION % {"date": last})]


def test_procedure_put_into_effect_accepts_day_of_last_resolution(procedure, today):
    _both_pass(procedure)
    services.procedure_put_into_effect(procedure=procedure, effective_on=RESOLVED_ON)
    assert procedure.agreement.status(today) == AgreementStatus.IN_FORCE


NOTICE_FIELDS = ["central_notice_on", "partner_notice_on", "governor_notified_on"]


@pytest.mark.parametrize("field", NOTICE_FIELDS)
def test_procedure_save_refuses_notice_before_both_councils_passed(procedure, field):
    _resolve(procedure, procedure.agreement.central_city)
    setattr(procedure, field, EFFECTIVE_ON)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=procedure, user=None)
    assert messages(exc, field) == [str(ERROR_NOTICE_NEEDS_BOTH_PASSED)]


@pytest.mark.parametrize("field", NOTICE_FIELDS)
def test_procedure_save_refuses_notice_before_last_resolution(procedure, field):
    _both_pass(procedure)
    setattr(procedure, field, RESOLVED_ON - datetime.timedelta(1))
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=procedure, user=None)
    assert messages(exc, field) == [str(ERROR_NOTICE_BEFORE_RESOLUTION % {"date": RESOLVED_ON})]


@pytest.mark.parametrize("field", NOTICE_FIELDS)
def test_procedure_put_into_effect_records_notices(procedure, field):
    _both_pass(procedure)
    services.procedure_put_into_effect(
        procedure=procedure, effective_on=EFFECTIVE_ON, **{field: EFFECTIVE_ON}
    )
    procedure.refresh_from_db()
    assert getattr(procedure, field) == EFFECTIVE_ON


@pytest.mark.parametrize("field", [*NOTICE_FIELDS, "dropped_on"])
def test_procedure_save_refuses_date_before_proposal(procedure, field):
    setattr(procedure, field, PROPOSED_ON - datetime.timedelta(1))
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=procedure, user=None)
    assert str(ERROR_DATE_BEFORE_PROPOSAL % {"date": PROPOSED_ON}) in messages(exc, field)


def test_procedure_save_refuses_moving_the_proposal_after_a_resolution(procedure):
    _resolve(procedure, procedure.agreement.partner)
    procedure.proposed_on = RESOLVED_ON + datetime.timedelta(1)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=procedure, user=None)
    assert messages(exc, "proposed_on") == [
        str(ERROR_RESOLUTION_BEFORE_PROPOSAL % {"date": RESOLVED_ON + datetime.timedelta(1)})
    ]


def test_procedure_save_accepts_moving_the_proposal_up_to_the_first_resolution(procedure):
    _resolve(procedure, procedure.agreement.partner)
    procedure.proposed_on = RESOLVED_ON
    services.procedure_save(procedure=procedure, user=None)
    procedure.refresh_from_db()
    assert procedure.proposed_on == RESOLVED_ON


def test_procedure_save_refuses_clearing_the_proposal_after_a_resolution(procedure):
    _resolve(procedure, procedure.agreement.partner, result=Result.CARRIED_OVER)
    procedure.proposed_on = None
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=procedure, user=None)
    assert messages(exc, "proposed_on") == [str(ERROR_RESOLUTION_NOT_PROPOSED)]


def test_procedure_save_refuses_reopening_a_dropped_procedure_while_another_is_open(agreement):
    _in_force_conclusion(agreement)
    first = _start(agreement, ProcedureKind.AMENDMENT, summary="取り下げた変更")
    first.dropped_on = datetime.date(2018, 3, 1)
    services.procedure_save(procedure=first, user=None)
    _start(agreement, ProcedureKind.AMENDMENT, summary="新しい変更")
    first.dropped_on = None
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=first, user=None)
    assert messages(exc, "kind") == [str(ERROR_PROCEDURE_OPEN % {"procedure": "新しい変更"})]


def test_procedure_save_accepts_editing_the_only_open_procedure(agreement):
    _in_force_conclusion(agreement)
    amendment = _start(agreement, ProcedureKind.AMENDMENT, summary="変更")
    amendment.summary = "変更（修正）"
    services.procedure_save(procedure=amendment, user=None)
    amendment.refresh_from_db()
    assert amendment.summary == "変更（修正）"


def test_procedure_save_refuses_effect_without_proposal(agreement):
    procedure = factories.ProcedureFactory(agreement=agreement, drafting=True)
    procedure.effective_on = EFFECTIVE_ON
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=procedure, user=None)
    assert messages(exc, "effective_on") == [str(ERROR_EFFECT_NEEDS_PROPOSAL)]


def test_procedure_save_refuses_dropping_an_effective_procedure(agreement):
    procedure = _in_force_conclusion(agreement)
    procedure.dropped_on = EFFECTIVE_ON + datetime.timedelta(10)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=procedure, user=None)
    assert messages(exc, "dropped_on") == [str(ERROR_DROPPED_AND_EFFECTIVE)]


# ---------------------------------------------------------------------------------------------
# Procedures: which may start
# ---------------------------------------------------------------------------------------------


def _start(agreement, kind, proposed_on=datetime.date(2018, 2, 20), summary="次の手続"):
    return services.procedure_start(
        agreement=agreement, kind=kind, summary=summary, proposed_on=proposed_on
    )


@pytest.mark.parametrize("kind", [ProcedureKind.AMENDMENT, ProcedureKind.ABOLITION])
def test_procedure_start_refuses_amendment_without_any_conclusion(agreement, kind):
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _start(agreement, kind)
    assert messages(exc, "kind") == [str(ERROR_AMENDMENT_BEFORE_CONCLUSION)]


@pytest.mark.parametrize("kind", [ProcedureKind.AMENDMENT, ProcedureKind.ABOLITION])
@pytest.mark.parametrize("conclusion_state", ["proposed", "passed", "dropped"])
def test_procedure_start_refuses_amendment_before_conclusion_in_force(
    agreement, kind, conclusion_state
):
    conclusion = factories.ProcedureFactory(agreement=agreement)
    if conclusion_state == "passed":
        _both_pass(conclusion)
    if conclusion_state == "dropped":
        conclusion.dropped_on = RESOLVED_ON
        conclusion.save()
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _start(agreement, kind)
    assert str(ERROR_AMENDMENT_BEFORE_CONCLUSION) in messages(exc, "kind")


def test_procedure_start_refuses_amendment_proposed_before_conclusion_took_effect(agreement):
    _in_force_conclusion(agreement)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _start(agreement, ProcedureKind.AMENDMENT, proposed_on=EFFECTIVE_ON - datetime.timedelta(1))
    assert messages(exc, "proposed_on") == [
        str(ERROR_PROPOSED_BEFORE_CONCLUSION % {"date": EFFECTIVE_ON})
    ]


@pytest.mark.parametrize("first_state", ["drafting", "proposed", "rejected", "passed"])
@pytest.mark.parametrize("kind", [ProcedureKind.AMENDMENT, ProcedureKind.ABOLITION])
def test_procedure_start_refuses_a_second_open_procedure(agreement, first_state, kind):
    _in_force_conclusion(agreement)
    first = _start(
        agreement,
        ProcedureKind.AMENDMENT,
        proposed_on=None if first_state == "drafting" else datetime.date(2018, 2, 20),
        summary="対象事業の追加",
    )
    if first_state == "rejected":
        _resolve(first, agreement.partner, result=Result.REJECTED, on=datetime.date(2018, 3, 15))
    if first_state == "passed":
        _both_pass(first, on=datetime.date(2018, 3, 15))
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _start(agreement, kind, proposed_on=datetime.date(2018, 6, 1))
    assert messages(exc, "kind") == [str(ERROR_PROCEDURE_OPEN % {"procedure": "対象事業の追加"})]


def test_procedure_start_refuses_a_second_conclusion_while_the_first_is_open(procedure):
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _start(procedure.agreement, ProcedureKind.CONCLUSION, proposed_on=PROPOSED_ON)
    assert messages(exc, "kind") == [str(ERROR_PROCEDURE_OPEN % {"procedure": procedure.summary})]


def test_procedure_start_accepts_a_new_conclusion_after_the_first_was_dropped(procedure, today):
    agreement = procedure.agreement
    _resolve(procedure, agreement.partner, result=Result.REJECTED)
    procedure.dropped_on = RESOLVED_ON + datetime.timedelta(1)
    services.procedure_save(procedure=procedure, user=None)
    # Closed while the rejection stands: it failed, and the page says so.
    assert agreement.status(today) == AgreementStatus.FAILED

    _start(agreement, ProcedureKind.CONCLUSION, proposed_on=datetime.date(2016, 6, 1))
    assert agreement.status(today) == AgreementStatus.PROPOSED


@pytest.mark.parametrize(
    "second_state", ["dropped", "effective"], ids=["after-dropped", "after-effective"]
)
def test_procedure_start_accepts_after_the_previous_procedure_closed(agreement, second_state):
    _in_force_conclusion(agreement)
    first = _start(agreement, ProcedureKind.AMENDMENT, proposed_on=datetime.date(2018, 2, 20))
    if second_state == "dropped":
        first.dropped_on = datetime.date(2018, 3, 1)
        services.procedure_save(procedure=first, user=None)
    else:
        _both_pass(first, on=datetime.date(2018, 3, 15))
        services.procedure_put_into_effect(procedure=first, effective_on=datetime.date(2018, 4, 1))
    _start(agreement, ProcedureKind.AMENDMENT, proposed_on=datetime.date(2019, 2, 20))
    assert agreement.procedures.count() == 3


@pytest.mark.parametrize("kind", list(ProcedureKind))
def test_procedure_start_refuses_anything_after_abolition(agreement, kind):
    _in_force_conclusion(agreement)
    abolition = _start(agreement, ProcedureKind.ABOLITION, proposed_on=datetime.date(2020, 2, 20))
    _both_pass(abolition, on=datetime.date(2020, 3, 16))
    services.procedure_put_into_effect(procedure=abolition, effective_on=datetime.date(2020, 4, 1))
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _start(agreement, kind, proposed_on=datetime.date(2021, 2, 20))
    assert str(ERROR_AFTER_ABOLITION) in messages(exc, "kind")


def test_resolution_record_refuses_a_resolution_after_abolition(agreement):
    _in_force_conclusion(agreement)
    abolition = _start(agreement, ProcedureKind.ABOLITION, proposed_on=datetime.date(2020, 2, 20))
    _both_pass(abolition, on=datetime.date(2020, 3, 16))
    services.procedure_put_into_effect(procedure=abolition, effective_on=datetime.date(2020, 4, 1))
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _resolve(abolition, agreement.partner, Result.REJECTED, on=datetime.date(2020, 6, 1))
    assert messages(exc, "result") == [
        str(ERROR_RESOLUTION_AFTER_EFFECT % {"date": datetime.date(2020, 4, 1)})
    ]


def test_agreement_save_refuses_changing_the_partner_of_an_agreement_in_force(agreement):
    _in_force_conclusion(agreement)
    original = agreement.partner_id
    agreement.partner = factories.AreaMembershipFactory(area=agreement.area).municipality
    with pytest.raises(ValidationError) as exc:
        services.agreement_save(agreement=agreement, user=None)
    assert messages(exc, "partner") == [str(ERROR_PARTIES_FIXED)]
    assert Agreement.objects.get(pk=agreement.pk).partner_id == original


def test_agreement_save_accepts_changing_the_partner_before_any_procedure(agreement):
    other = factories.AreaMembershipFactory(area=agreement.area).municipality
    agreement.partner = other
    services.agreement_save(agreement=agreement, user=None)
    assert Agreement.objects.get(pk=agreement.pk).partner == other


@pytest.mark.parametrize("other_has_a_procedure", [False, True], ids=["empty", "with-procedure"])
def test_procedure_save_refuses_moving_a_procedure_to_another_agreement(
    agreement, other_has_a_procedure
):
    procedure = factories.ProcedureFactory(agreement=agreement)
    other = factories.AgreementFactory(area=agreement.area)
    if other_has_a_procedure:
        factories.ProcedureFactory(agreement=other, drafting=True)
    procedure.agreement = other
    with pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=procedure, user=None)
    assert messages(exc, "agreement") == [str(ERROR_PROCEDURE_MOVED)]
    assert Procedure.objects.get(pk=procedure.pk).agreement == agreement


def test_resolution_save_refuses_moving_a_resolution_to_the_other_council(agreement):
    resolution = factories.CouncilResolutionFactory(procedure__agreement=agreement)
    resolution.municipality = agreement.area.central_city
    with pytest.raises(ValidationError) as exc:
        services.resolution_save(resolution=resolution, user=None)
    assert messages(exc, "municipality") == [str(ERROR_RESOLUTION_MOVED)]
    assert CouncilResolution.objects.get(pk=resolution.pk).municipality == agreement.partner


def test_resolution_save_refuses_moving_a_resolution_to_another_procedure(agreement):
    dropped = factories.ProcedureFactory(agreement=agreement, dropped_on=RESOLVED_ON)
    resolution = factories.CouncilResolutionFactory(procedure=dropped)
    resolution.procedure = factories.ProcedureFactory(agreement=agreement)
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.resolution_save(resolution=resolution, user=None)
    assert exc.value.message_dict == {"procedure": [str(ERROR_RESOLUTION_MOVED)]}
    assert CouncilResolution.objects.get(pk=resolution.pk).procedure == dropped


# ---------------------------------------------------------------------------------------------
# The whole life of an agreement
# ---------------------------------------------------------------------------------------------


def test_services_take_an_agreement_through_its_whole_life(area, user, today):
    partner = factories.AreaMembershipFactory(area=area).municipality
    central = area.central_city

    agreement = services.agreement_create(area=area, partner=partner, title="連携協約", user=user)
    assert agreement.status(today) == AgreementStatus.DRAFT

    conclusion = services.procedure_start(
        agreement=agreement, kind=ProcedureKind.CONCLUSION, summary="締結", user=user
    )
    assert agreement.status(today) == AgreementStatus.DRAFT

    conclusion.proposed_on = datetime.date(2016, 2, 24)
    with pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=conclusion, user=user)
    assert messages(exc, "proposed_on") == [str(ERROR_NOT_PUBLIC)]

    services.agreement_publish(agreement=agreement, user=user)
    services.procedure_save(procedure=conclusion, user=user)
    assert agreement.status(today) == AgreementStatus.PROPOSED

    agreement.is_public = False
    with pytest.raises(ValidationError) as exc:
        services.agreement_save(agreement=agreement, user=user)
    assert messages(exc, "is_public") == [str(ERROR_UNPUBLISH)]
    agreement.is_public = True

    _resolve(conclusion, central, Result.CARRIED_OVER, on=datetime.date(2016, 3, 1))
    assert agreement.status(today) == AgreementStatus.IN_COUNCIL
    _resolve(conclusion, central, on=datetime.date(2016, 3, 18))
    assert agreement.status(today) == AgreementStatus.IN_COUNCIL
    _resolve(conclusion, partner, on=datetime.date(2016, 3, 22))
    assert agreement.status(today) == AgreementStatus.PASSED

    services.procedure_put_into_effect(
        procedure=conclusion,
        effective_on=datetime.date(2016, 4, 1),
        central_notice_on=datetime.date(2016, 3, 29),
        governor_notified_on=datetime.date(2016, 3, 30),
        user=user,
    )
    assert agreement.status(datetime.date(2016, 3, 31)) == AgreementStatus.PASSED
    assert agreement.status(datetime.date(2016, 4, 1)) == AgreementStatus.IN_FORCE
    assert agreement.status(today) == AgreementStatus.IN_FORCE

    amendment = services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="事業の追加", user=user
    )
    assert agreement.status(today) == AgreementStatus.IN_FORCE  # still being drafted
    amendment.proposed_on = datetime.date(2018, 2, 20)
    services.procedure_save(procedure=amendment, user=user)
    assert agreement.status(today) == AgreementStatus.AMENDING
    _both_pass(amendment, on=datetime.date(2018, 3, 15))
    assert agreement.status(today) == AgreementStatus.AMENDING
    services.procedure_put_into_effect(procedure=amendment, effective_on=datetime.date(2018, 4, 1))
    assert agreement.status(today) == AgreementStatus.AMENDED

    abolition = services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.ABOLITION,
        summary="廃止",
        proposed_on=datetime.date(2020, 2, 20),
        user=user,
    )
    assert agreement.status(today) == AgreementStatus.ABOLISHING
    _resolve(abolition, partner, on=datetime.date(2020, 3, 16))
    assert agreement.status(today) == AgreementStatus.ABOLISHING
    _resolve(abolition, central, on=datetime.date(2020, 3, 17))
    services.procedure_put_into_effect(procedure=abolition, effective_on=datetime.date(2020, 4, 1))
    assert agreement.status(datetime.date(2020, 3, 31)) == AgreementStatus.ABOLISHING
    assert agreement.status(today) == AgreementStatus.ABOLISHED


# ---------------------------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------------------------


def _latest_history(obj):
    return type(obj).history.filter(id=obj.pk).order_by("-history_id").first()


def test_agreement_create_writes_history_with_user(area, user):
    partner = factories.AreaMembershipFactory(area=area).municipality
    agreement = services.agreement_create(area=area, partner=partner, title="協約", user=user)
    records = list(agreement.history.all())
    assert len(records) == 1
    assert records[0].history_type == "+"
    assert records[0].history_user == user
    assert records[0].history_change_reason is None


def test_procedure_start_and_resolution_record_write_history_with_user(agreement, user):
    procedure = services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.CONCLUSION,
        summary="締結",
        proposed_on=PROPOSED_ON,
        user=user,
    )
    resolution = _resolve(procedure, agreement.partner, user=user)
    for obj in (procedure, resolution):
        assert obj.history.count() == 1
        assert _latest_history(obj).history_user == user


def test_procedure_put_into_effect_writes_one_change_record(procedure, user):
    _both_pass(procedure)
    before = procedure.history.count()
    services.procedure_put_into_effect(procedure=procedure, effective_on=EFFECTIVE_ON, user=user)
    assert procedure.history.count() == before + 1
    record = _latest_history(procedure)
    assert record.history_type == "~"
    assert record.history_user == user
    assert record.effective_on == EFFECTIVE_ON


@pytest.mark.parametrize("entity", ["agreement", "item", "procedure", "resolution"])
def test_save_services_write_history_with_user_and_reason(procedure, user, entity):
    agreement = procedure.agreement
    objects = {
        "agreement": agreement,
        "item": factories.AgreementItemFactory(agreement=agreement),
        "procedure": procedure,
        "resolution": factories.CouncilResolutionFactory(procedure=procedure),
    }
    save = {
        "agreement": lambda obj, **kw: services.agreement_save(agreement=obj, **kw),
        "item": lambda obj, **kw: services.item_save(item=obj, **kw),
        "procedure": lambda obj, **kw: services.procedure_save(procedure=obj, **kw),
        "resolution": lambda obj, **kw: services.resolution_save(resolution=obj, **kw),
    }[entity]
    obj = objects[entity]
    before = obj.history.count()

    save(obj, user=user, reason="誤記の訂正")

    assert obj.history.count() == before + 1
    record = _latest_history(obj)
    assert record.history_type == "~"
    assert record.history_user == user
    assert record.history_change_reason == "誤記の訂正"


def test_save_service_without_user_leaves_history_user_empty(agreement):
    services.agreement_save(agreement=agreement, user=None)
    record = _latest_history(agreement)
    assert record.history_user is None
    assert record.history_change_reason is None


# ---------------------------------------------------------------------------------------------
# Database constraints, without the services
# ---------------------------------------------------------------------------------------------


def _violates(create):
    before = _counts()
    with pytest.raises(IntegrityError), transaction.atomic():
        create()
    assert _counts() == before


def test_database_refuses_second_agreement_for_area_and_partner(agreement):
    _violates(
        lambda: Agreement.objects.create(
            area=agreement.area, partner=agreement.partner, title="二つ目"
        )
    )


def test_database_refuses_term_end_before_start(agreement):
    agreement.term_start = datetime.date(2016, 4, 1)
    agreement.term_end = datetime.date(2016, 3, 31)
    _violates(agreement.save)


def test_database_refuses_second_live_conclusion(procedure):
    _violates(
        lambda: Procedure.objects.create(
            agreement=procedure.agreement, kind=ProcedureKind.CONCLUSION, summary="二つ目"
        )
    )


def test_database_accepts_new_conclusion_after_a_dropped_one(procedure):
    procedure.dropped_on = RESOLVED_ON
    procedure.save()
    Procedure.objects.create(
        agreement=procedure.agreement, kind=ProcedureKind.CONCLUSION, summary="二つ目"
    )
    assert procedure.agreement.procedures.count() == 2


@pytest.mark.parametrize(
    ("proposed_on", "effective_on"),
    [(None, EFFECTIVE_ON), (EFFECTIVE_ON, PROPOSED_ON)],
    ids=["no-proposal", "before-proposal"],
)
def test_database_refuses_effect_without_earlier_proposal(agreement, proposed_on, effective_on):
    _violates(
        lambda: Procedure.objects.create(
            agreement=agreement,
            kind=ProcedureKind.CONCLUSION,
            summary="締結",
            proposed_on=proposed_on,
            effective_on=effective_on,
        )
    )


def test_database_refuses_effective_and_dropped(agreement):
    _violates(
        lambda: Procedure.objects.create(
            agreement=agreement,
            kind=ProcedureKind.CONCLUSION,
            summary="締結",
            proposed_on=PROPOSED_ON,
            effective_on=EFFECTIVE_ON,
            dropped_on=EFFECTIVE_ON,
        )
    )


@pytest.mark.parametrize("field", [*NOTICE_FIELDS, "dropped_on"])
def test_database_refuses_dates_before_proposal(procedure, field):
    setattr(procedure, field, PROPOSED_ON - datetime.timedelta(1))
    _violates(procedure.save)


def test_database_refuses_invalid_procedure_kind(agreement):
    _violates(lambda: Procedure.objects.create(agreement=agreement, kind="merger", summary="合併"))


def test_database_refuses_invalid_result(procedure):
    _violates(
        lambda: CouncilResolution.objects.create(
            procedure=procedure,
            municipality=procedure.agreement.partner,
            session="3月定例会",
            bill_number="議案第1号",
            resolved_on=RESOLVED_ON,
            result="adjourned",
        )
    )


def test_database_refuses_second_pass_of_a_council(procedure):
    factories.CouncilResolutionFactory(procedure=procedure)
    _violates(lambda: factories.CouncilResolutionFactory(procedure=procedure))


def test_database_accepts_a_pass_after_a_rejection_of_the_same_council(procedure):
    factories.CouncilResolutionFactory(procedure=procedure, rejected=True)
    factories.CouncilResolutionFactory(procedure=procedure)
    factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    assert procedure.resolutions.count() == 3


def test_database_refuses_invalid_item_role(agreement):
    _violates(lambda: factories.AgreementItemFactory(agreement=agreement, role="defence"))


def test_agreement_status_expires_the_day_after_its_term_ends(agreement):
    agreement.term_start = EFFECTIVE_ON
    agreement.term_end = datetime.date(2021, 3, 31)
    services.agreement_save(agreement=agreement, user=None)
    _in_force_conclusion(agreement)
    assert agreement.status(datetime.date(2021, 3, 31)) == AgreementStatus.IN_FORCE
    assert agreement.status(datetime.date(2021, 4, 1)) == AgreementStatus.EXPIRED


def test_procedure_save_refuses_changing_a_procedure_a_later_one_builds_on(agreement):
    conclusion = _in_force_conclusion(agreement)
    amendment = _start(agreement, ProcedureKind.AMENDMENT, proposed_on=datetime.date(2017, 2, 20))
    conclusion.refresh_from_db()
    for field, value in (
        ("effective_on", datetime.date(2019, 1, 1)),
        ("dropped_on", datetime.date(2019, 1, 1)),
        ("proposed_on", datetime.date(2016, 3, 1)),
    ):
        setattr(conclusion, field, value)
        with nothing_saved(), pytest.raises(ValidationError) as exc:
            services.procedure_save(procedure=conclusion, user=None)
        assert str(ERROR_LATER_PROCEDURE) in messages(exc, field)
        conclusion.refresh_from_db()
    assert agreement.status(datetime.date(2026, 1, 1)) == AgreementStatus.AMENDING
    assert amendment.pk > conclusion.pk


def test_procedure_save_refuses_changing_the_kind(agreement):
    conclusion = _in_force_conclusion(agreement)
    conclusion.kind = ProcedureKind.ABOLITION
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=conclusion, user=None)
    assert str(ERROR_FIXED) in messages(exc, "kind")


# ---------------------------------------------------------------------------------------------
# What the create and start services store (the demo loader and scripts rely on it)
# ---------------------------------------------------------------------------------------------


def test_agreement_create_stores_the_given_texts_and_flags_and_defaults_to_an_empty_draft(area):
    first, second = (factories.AreaMembershipFactory(area=area).municipality for _ in range(2))

    bare = services.agreement_create(area=area, partner=first, title="協約")
    full = services.agreement_create(
        area=area,
        partner=second,
        title="協約",
        basic_policy="互いの強みを活かす。",
        text="甲と乙は次のとおり協約を締結する。\n第1条 目的",
        is_sample=True,
        is_public=True,
    )

    stored = Agreement.objects.values_list("basic_policy", "text", "is_sample", "is_public")
    assert stored.get(pk=bare.pk) == ("", "", False, False)
    assert stored.get(pk=full.pk) == (
        "互いの強みを活かす。",
        "甲と乙は次のとおり協約を締結する。\n第1条 目的",
        True,
        True,
    )


def test_procedure_start_stores_the_given_text_and_flag_and_defaults_to_none(agreement):
    bare = services.procedure_start(
        agreement=agreement, kind=ProcedureKind.CONCLUSION, summary="締結"
    )
    bare.dropped_on = PROPOSED_ON
    bare.proposed_on = PROPOSED_ON
    services.procedure_save(procedure=bare, user=None)
    full = services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.CONCLUSION,
        summary="締結（再提出）",
        proposed_text="第1条 目的",
        proposed_on=PROPOSED_ON,
        is_sample=True,
    )

    stored = Procedure.objects.values_list("proposed_text", "is_sample", "proposed_on")
    assert stored.get(pk=bare.pk) == ("", False, PROPOSED_ON)
    assert stored.get(pk=full.pk) == ("第1条 目的", True, PROPOSED_ON)


def test_procedure_services_mail_the_partners_clerks_only_on_the_save_that_submits(
    agreement, django_capture_on_commit_callbacks
):
    factories.clerk(agreement.partner, email="suzaka@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        procedure = services.procedure_start(
            agreement=agreement, kind=ProcedureKind.CONCLUSION, summary="締結"
        )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        procedure.proposed_on = PROPOSED_ON
        services.procedure_save(procedure=procedure, user=None)
        _both_pass(procedure)
        services.procedure_put_into_effect(procedure=procedure, effective_on=EFFECTIVE_ON)

    assert [m.to for m in mail.outbox] == [["suzaka@example.jp"]]


def test_resolution_record_stores_the_given_note_and_flag_and_defaults_to_none(procedure):
    agreement = procedure.agreement
    bare = _resolve(procedure, agreement.central_city)
    full = services.resolution_record(
        procedure=procedure,
        municipality=agreement.partner,
        session="平成28年3月定例会",
        bill_number="議案第2号",
        resolved_on=RESOLVED_ON,
        result=Result.PASSED,
        note="全会一致",
        is_sample=True,
    )

    stored = CouncilResolution.objects.values_list("note", "is_sample")
    assert stored.get(pk=bare.pk) == ("", False)
    assert stored.get(pk=full.pk) == ("全会一致", True)


def test_agreement_publish_writes_history_with_user_and_reason(user):
    draft = factories.AgreementFactory(internal=True)

    services.agreement_publish(agreement=draft, user=user)

    record = _latest_history(draft)
    assert (record.is_public, record.history_user, record.history_change_reason) == (
        True,
        user,
        "published",
    )
