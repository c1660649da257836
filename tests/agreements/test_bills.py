"""Each council deliberates its own bill: a closing result ends it, a 専決処分 stands in for
the council's pass and is later approved or not, and a procedure can be closed as failed."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from agreements import services
from agreements.models import (
    ERROR_APPROVAL_BEFORE_DISPOSAL,
    ERROR_APPROVAL_BOTH,
    ERROR_APPROVAL_ONLY_FOR_DISPOSAL,
    ERROR_BILL_CLOSED,
    ERROR_BILL_SUBMITTED,
    CouncilResolution,
)
from agreements.status import STATUS_EXPLANATIONS, AgreementStatus, Approval, Result
from municipalities.templatetags.jpdates import jdate
from tests import factories
from tests.agreements.test_services import messages, nothing_saved
from tests.factories import PROPOSED_ON, RESOLVED_ON

pytestmark = pytest.mark.django_db

LATER = RESOLVED_ON + datetime.timedelta(days=90)


@pytest.fixture
def procedure():
    return factories.ProcedureFactory()


def _record(procedure, council, **values):
    defaults = {
        "session": "平成28年3月定例会",
        "bill_number": "議案第1号",
        "resolved_on": RESOLVED_ON,
        "result": Result.PASSED,
    }
    resolution = CouncilResolution(procedure=procedure, municipality=council, **defaults | values)
    return services.resolution_save(resolution=resolution, user=None)


@pytest.mark.parametrize("closing", [Result.REJECTED, Result.WITHDRAWN, Result.DISCARDED])
def test_a_closing_result_ends_its_bill_and_a_new_bill_goes_on(procedure, closing):
    partner = procedure.agreement.partner
    closed = _record(procedure, partner, result=closing)

    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _record(procedure, partner, resolved_on=LATER)
    assert messages(exc, "bill_number") == [
        ERROR_BILL_CLOSED
        % {
            "bill": "議案第1号",
            "session": "平成28年3月定例会",
            "date": RESOLVED_ON,
            "result": closed.get_result_display(),
        }
    ]
    _record(procedure, partner, resolved_on=LATER, bill_number="議案第40号")
    # The same number in a later session is another bill.
    _record(
        procedure,
        procedure.agreement.central_party,
        resolved_on=LATER,
        session="平成28年6月定例会",
    )
    assert procedure.agreement.status() == AgreementStatus.PASSED


def test_a_carried_over_bill_continues_under_its_number(procedure):
    partner = procedure.agreement.partner
    _record(procedure, partner, result=Result.CARRIED_OVER)
    _record(procedure, partner, resolved_on=LATER)
    assert procedure.agreement.status() == AgreementStatus.IN_COUNCIL


def test_a_bill_is_submitted_between_the_proposal_and_its_resolution(procedure):
    for day in (PROPOSED_ON - datetime.timedelta(days=1), RESOLVED_ON + datetime.timedelta(1)):
        with nothing_saved(), pytest.raises(ValidationError) as exc:
            _record(procedure, procedure.agreement.partner, submitted_on=day)
        assert messages(exc, "submitted_on") == [ERROR_BILL_SUBMITTED % {"date": PROPOSED_ON}]
    _record(procedure, procedure.agreement.partner, submitted_on=PROPOSED_ON)


@pytest.mark.parametrize(
    ("approval", "words"),
    [
        (Approval.APPROVED, "The council approved it on %(date)s."),
        (
            Approval.NOT_APPROVED,
            "The council did not approve it on %(date)s; the disposal stays valid (§179).",
        ),
    ],
)
def test_a_disposal_by_the_head_counts_as_the_councils_pass_approved_or_not(
    client, procedure, approval, words
):
    agreement = procedure.agreement
    _record(procedure, agreement.central_party)
    disposal = _record(procedure, agreement.partner, result=Result.SPECIAL_DISPOSAL)
    assert agreement.status() == AgreementStatus.PASSED
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert gettext("The head reports it to the council at its next session for approval.") in page

    disposal.approval, disposal.approval_on = approval, LATER
    services.resolution_save(resolution=disposal, user=None)
    services.procedure_put_into_effect(procedure=procedure, effective_on=RESOLVED_ON)

    # Approved or not, the disposal stays valid: the agreement is in force.
    assert agreement.status() == AgreementStatus.IN_FORCE
    cache.clear()  # the page as a new visitor gets it
    with_answer = client.get(agreement.get_absolute_url()).content.decode()
    assert gettext(words) % {"date": jdate(LATER)} in with_answer


def test_the_answer_to_a_disposal_is_checked(procedure):
    partner = procedure.agreement.partner
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _record(procedure, partner, approval=Approval.APPROVED, approval_on=LATER)
    assert messages(exc, "approval") == [ERROR_APPROVAL_ONLY_FOR_DISPOSAL]
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _record(procedure, partner, result=Result.SPECIAL_DISPOSAL, approval=Approval.APPROVED)
    assert messages(exc, "approval_on") == [ERROR_APPROVAL_BOTH]
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        _record(
            procedure,
            partner,
            result=Result.SPECIAL_DISPOSAL,
            approval=Approval.NOT_APPROVED,
            approval_on=RESOLVED_ON - datetime.timedelta(days=1),
        )
    assert messages(exc, "approval_on") == [ERROR_APPROVAL_BEFORE_DISPOSAL % {"date": RESOLVED_ON}]


def test_a_rejected_procedure_closed_is_failed_and_the_page_says_so(client, procedure):
    _record(procedure, procedure.agreement.partner, result=Result.REJECTED)
    procedure.dropped_on = LATER
    services.procedure_save(procedure=procedure, user=None)

    agreement = procedure.agreement
    assert agreement.status() == AgreementStatus.FAILED
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert str(AgreementStatus.FAILED.label) in page
    assert str(STATUS_EXPLANATIONS[AgreementStatus.FAILED]) in page
    # A new conclusion can start.
    services.procedure_start(agreement=agreement, kind="conclusion", summary="再度の締結")


def test_the_clerk_records_a_disposal_and_its_approval_at_the_desk(client, procedure):
    client.force_login(factories.clerk(procedure.agreement.partner))
    form = {
        "session": "平成28年3月定例会",
        "bill_number": "専決第3号",
        "submitted_on": "",
        "resolved_on": RESOLVED_ON.isoformat(),
        "result": Result.SPECIAL_DISPOSAL,
        "approval": "",
        "approval_on": "",
        "document_pending": "議決書に代わる専決処分書は追って掲載します。",
        "note": "",
    }
    url = f"/desk/procedures/{procedure.pk}/resolutions/new/"
    assert client.post(url, form).status_code == 302
    disposal = CouncilResolution.objects.get()

    edit = f"/desk/resolutions/{disposal.pk}/"
    answer = form | {"approval": Approval.APPROVED, "approval_on": LATER.isoformat()}
    assert client.post(edit, answer | factories.loaded_token(client, edit)).status_code == 302
    disposal.refresh_from_db()
    assert (disposal.approval, disposal.approval_on) == (Approval.APPROVED, LATER)
