"""The public agreement page: what a resident sees, and what stays internal."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext

from agreements import services
from agreements.status import STATUS_EXPLANATIONS, AgreementStatus, ProcedureKind, Result
from tests import factories
from tests.factories import RESOLVED_ON

pytestmark = pytest.mark.django_db


def _url(agreement):
    return f"/areas/{agreement.area.slug}/agreements/{agreement.partner.code}/"


def test_agreement_page_shows_parties_items_status_and_both_councils(client):
    item = factories.AgreementItemFactory(title="移住・交流の促進")
    agreement = factories.agreement_in_force(item.agreement)

    response = client.get(_url(agreement))

    content = response.content.decode()
    assert response.status_code == 200
    assert agreement.get_absolute_url() == _url(agreement)
    assert agreement.title in content
    assert agreement.area.central_city.name in content and agreement.partner.name in content
    assert str(AgreementStatus.IN_FORCE.label) in content
    assert str(STATUS_EXPLANATIONS[AgreementStatus.IN_FORCE]) in content
    assert 'href="/procedure/#status-in_force"' in content
    assert item.title in content and item.central_city_part in content
    bills = [r.bill_number for r in agreement.procedures.get().resolutions.all()]
    assert len(bills) == 2 and all(bill in content for bill in bills)
    assert gettext("No fixed term (as the guideline provides in principle)") in content
    assert gettext("Last updated") in content


def test_agreement_page_timeline_shows_a_rejection_and_the_pass_that_followed(client):
    agreement = factories.AgreementFactory()
    procedure = factories.ProcedureFactory(agreement=agreement)
    factories.CouncilResolutionFactory(procedure=procedure, rejected=True, bill_number="議案第5号")
    factories.CouncilResolutionFactory(
        procedure=procedure,
        resolved_on=RESOLVED_ON + datetime.timedelta(90),
        bill_number="議案第9号",
    )

    content = client.get(_url(agreement)).content.decode()

    assert "議案第5号" in content and "議案第9号" in content
    assert str(Result.REJECTED.label) in content and str(Result.PASSED.label) in content


def test_agreement_page_shows_what_an_amendment_changes(client):
    agreement = factories.agreement_in_force()
    services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.AMENDMENT,
        summary="連携事項の追加",
        proposed_text="第3条に防災の連携を加える。",
        proposed_on=datetime.date(2018, 2, 20),
    )

    content = client.get(_url(agreement)).content.decode()

    assert "連携事項の追加" in content
    assert "第3条に防災の連携を加える。" in content
    assert gettext("What it changes") in content
    assert str(AgreementStatus.AMENDING.label) in content


def test_agreement_page_hides_an_amendment_still_being_drafted(client):
    agreement = factories.agreement_in_force()
    services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="内部で検討中の変更"
    )

    content = client.get(_url(agreement)).content.decode()

    assert "内部で検討中の変更" not in content
    assert str(AgreementStatus.IN_FORCE.label) in content


def test_agreement_page_of_an_internal_draft_is_not_found(client):
    agreement = factories.AgreementFactory(internal=True)

    assert client.get(_url(agreement)).status_code == 404

    services.agreement_publish(agreement=agreement, user=None)
    assert client.get(_url(agreement)).status_code == 200


@pytest.mark.parametrize("path", ["/areas/nowhere/agreements/202070/", "{area}agreements/999999/"])
def test_agreement_page_of_unknown_area_or_partner_is_not_found(client, path):
    agreement = factories.agreement_in_force()
    assert client.get(path.format(area=agreement.area.get_absolute_url())).status_code == 404


def test_agreement_page_in_english(client):
    agreement = factories.agreement_in_force()
    content = client.get("/en" + _url(agreement)).content.decode()

    assert '<html lang="en"' in content
    assert "In force" in content
    assert "Procedures and council resolutions" in content


@pytest.mark.parametrize("amendments", [1, 10])
def test_agreement_page_queries_do_not_grow_with_procedures(
    client, django_assert_num_queries, amendments
):
    agreement = factories.agreement_in_force()
    for year in range(amendments):
        # Each amendment adds an item: its version holds one item more.
        factories.AgreementItemFactory(agreement=agreement)
        amendment = services.procedure_start(
            agreement=agreement,
            kind=ProcedureKind.AMENDMENT,
            summary=f"変更{year}",
            proposed_on=datetime.date(2017 + year, 2, 1),
        )
        for council in (agreement.area.central_city, agreement.partner):
            services.resolution_record(
                procedure=amendment,
                municipality=council,
                session="3月定例会",
                bill_number="議案第1号",
                resolved_on=datetime.date(2017 + year, 3, 1),
                result=Result.PASSED,
            )
        services.procedure_put_into_effect(
            procedure=amendment, effective_on=datetime.date(2017 + year, 3, 10)
        )

    # area; agreement, procedures, resolutions; the latest change of agreement, items,
    # procedures and resolutions (the text and items shown are the version's, in its row)
    with django_assert_num_queries(5):
        response = client.get(_url(agreement))

    assert len(response.context["timeline"]) == amendments + 1
    assert len(response.context["versions"]) == amendments + 1
    assert sum(len(items) for _role, items in response.context["roles"]) == amendments
    assert response.context["status"] == AgreementStatus.AMENDED


@pytest.mark.parametrize("change", ["agreement", "item", "procedure", "resolution"])
def test_agreement_page_last_updated_moves_with_each_part_of_the_record(client, change):
    agreement = factories.agreement_in_force()
    amendment = services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.AMENDMENT,
        summary="公表した変更案",
        proposed_on=datetime.date(2017, 2, 1),
    )
    before = client.get(_url(agreement)).context["last_changed"]
    assert before == datetime.date(2017, 2, 1)  # its latest event: no one has changed it since
    staff = factories.UserFactory()

    if change == "agreement":
        agreement.title += "（改）"
        changed = agreement
    elif change == "item":
        changed = factories.AgreementItemFactory.build(agreement=agreement)
    elif change == "procedure":
        amendment.summary = "公表した変更案（修正）"
        changed = amendment
    else:
        changed = factories.CouncilResolutionFactory.build(
            procedure=amendment,
            municipality=agreement.partner,
            resolved_on=datetime.date(2017, 3, 1),
        )
    changed._history_user = staff
    changed.save()
    cache.clear()

    assert client.get(_url(agreement)).context["last_changed"] == timezone.localdate()


def test_agreement_page_last_updated_is_its_latest_event_when_loaded_by_a_command(client):
    """Loading a record without a person (the demo, the import command) changes nothing
    anyone did: the page dates the record by its own latest event."""
    agreement = factories.agreement_in_force()  # saved without a user, as the demo is
    effect = agreement.procedures.get().effective_on

    assert client.get(_url(agreement)).context["last_changed"] == effect < timezone.localdate()


def test_agreement_page_last_updated_ignores_an_amendment_being_drafted(client):
    agreement = factories.agreement_in_force()
    before = client.get(_url(agreement)).context["last_changed"]

    services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="内部で検討中の変更"
    )

    assert client.get(_url(agreement)).context["last_changed"] == before


@pytest.mark.parametrize("code", ["%00", "20207", "2020700", "abcdef"])
def test_agreement_and_municipality_pages_refuse_codes_that_are_not_six_digits(client, code):
    agreement = factories.agreement_in_force()
    assert client.get(f"/areas/{agreement.area.slug}/agreements/{code}/").status_code == 404
    assert client.get(f"/municipalities/{code}/").status_code == 404
