"""The status each agreement stores for SQL reads always equals the rule's answer."""

import datetime

import pytest
from django.utils import timezone

from agreements import stored_status
from agreements.models import Agreement
from agreements.status import AgreementStatus, Result
from tests import factories

pytestmark = pytest.mark.django_db


def _stored(agreement: Agreement) -> tuple[str, datetime.date | None]:
    row = Agreement.objects.values_list("stored_status", "stored_status_until").get(pk=agreement.pk)
    return row


def _assert_stored_is_the_rule(agreement: Agreement) -> None:
    fresh = Agreement.objects.get(pk=agreement.pk)
    assert fresh.stored_status == fresh.status().value


def test_every_change_of_procedure_and_resolution_is_stored():
    agreement = factories.AgreementFactory()
    assert _stored(agreement) == ("draft", None)

    procedure = factories.ProcedureFactory(agreement=agreement)
    assert _stored(agreement) == ("proposed", None)

    central = factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    assert _stored(agreement) == ("in_council", None)

    partner = factories.CouncilResolutionFactory(procedure=procedure, rejected=True)
    assert _stored(agreement) == ("rejected", None)

    partner.result = Result.PASSED
    partner.save()
    assert _stored(agreement) == ("passed", None)

    procedure.effective_on = factories.EFFECTIVE_ON
    procedure.save()
    assert _stored(agreement) == ("in_force", None)

    central.delete()
    assert _stored(agreement) == ("in_council", None)
    _assert_stored_is_the_rule(agreement)


def test_a_deleted_procedure_takes_its_status_with_it():
    agreement = factories.AgreementFactory()
    procedure = factories.ProcedureFactory(agreement=agreement)
    assert _stored(agreement)[0] == "proposed"
    procedure.delete()
    assert _stored(agreement)[0] == "draft"


def test_storing_the_status_adds_no_history():
    agreement = factories.agreement_in_force()
    before = agreement.history.count()
    assert stored_status.refresh([agreement.pk]) == 0
    Agreement.objects.filter(pk=agreement.pk).update(stored_status="draft")
    assert stored_status.refresh([agreement.pk]) == 1
    assert agreement.history.count() == before
    assert _stored(agreement)[0] == "in_force"


def test_a_coming_date_of_effect_is_stored_and_read_fresh_once_it_comes():
    today = timezone.localdate()
    effect = today + datetime.timedelta(days=10)
    agreement = factories.AgreementFactory()
    procedure = factories.ProcedureFactory(agreement=agreement)
    factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    factories.CouncilResolutionFactory(procedure=procedure)
    procedure.effective_on = effect
    procedure.save()
    assert _stored(agreement) == ("passed", effect)

    assert stored_status.refresh_due(effect - datetime.timedelta(days=1)) == 0
    assert stored_status.refresh_due(effect) == 1
    assert _stored(agreement) == ("in_force", None)


def test_a_fixed_term_ends_the_day_after_its_last_day():
    today = timezone.localdate()
    agreement = factories.agreement_in_force(
        term_start=datetime.date(2016, 4, 1), term_end=today + datetime.timedelta(days=3)
    )
    assert _stored(agreement) == ("in_force", today + datetime.timedelta(days=4))
    stored_status.refresh_due(today + datetime.timedelta(days=4))
    assert _stored(agreement) == ("expired", None)


def test_a_fixed_term_ending_today_is_still_in_force_today_and_ended_tomorrow():
    today = timezone.localdate()
    agreement = factories.agreement_in_force(term_start=datetime.date(2016, 4, 1), term_end=today)
    assert _stored(agreement) == ("in_force", today + datetime.timedelta(days=1))
    assert stored_status.refresh_due(today) == 0
    stored_status.refresh_due(today + datetime.timedelta(days=1))
    assert _stored(agreement) == ("expired", None)


def test_an_agreement_saved_with_a_term_that_has_ended_is_stored_as_expired():
    agreement = factories.agreement_in_force()
    agreement.term_start = datetime.date(2016, 4, 1)
    agreement.term_end = timezone.localdate() - datetime.timedelta(days=1)
    agreement.save()
    assert _stored(agreement) == ("expired", None)


def test_refreshing_agreements_that_do_not_exist_changes_nothing():
    assert stored_status.refresh([]) == 0
    assert stored_status.refresh([123456]) == 0


def test_the_admin_status_filter_sees_an_agreement_whose_day_has_come(admin_client):
    passed = factories.AgreementFactory()
    procedure = factories.ProcedureFactory(agreement=passed)
    factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    factories.CouncilResolutionFactory(procedure=procedure)
    procedure.effective_on = timezone.localdate() + datetime.timedelta(days=1)
    procedure.save()
    # The day of effect has come since the status was stored.
    Agreement.objects.filter(pk=passed.pk).update(
        stored_status_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    Agreement.objects.filter(pk=passed.pk).update(stored_status=AgreementStatus.IN_FORCE)

    response = admin_client.get("/admin/agreements/agreement/?status=passed")

    assert [a.pk for a in response.context["cl"].result_list] == [passed.pk]


@pytest.mark.parametrize("agreements", [2, 20])
def test_the_admin_status_filter_runs_in_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, agreements
):
    area = factories.CooperationAreaFactory()
    for _ in range(agreements):
        factories.agreement_in_force(area=area)
    with django_assert_num_queries(12):
        response = admin_client.get("/admin/agreements/agreement/?status=in_force")
    assert len(response.context["cl"].result_list) == agreements
