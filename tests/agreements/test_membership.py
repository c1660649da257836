"""A municipality becomes a partner when its agreement takes effect and stops being one when
the agreement is abolished or lapses; before that it is in talks (協議中)."""

import datetime

import pytest
from django.core.cache import cache

from agreements import services
from agreements.status import ProcedureKind, Result
from municipalities.models import AreaMembership
from tests import factories

pytestmark = pytest.mark.django_db

IN_FORCE_FROM = datetime.date(2020, 4, 1)
ABOLISHED_ON = datetime.date(2024, 4, 1)


def _through_both_councils(agreement, kind, proposed_on, effective_on):
    procedure = services.procedure_start(
        agreement=agreement, kind=kind, summary=str(kind), proposed_on=proposed_on
    )
    for council in (agreement.central_party, agreement.partner):
        services.resolution_record(
            procedure=procedure,
            municipality=council,
            session="定例会",
            bill_number="議案第1号",
            resolved_on=proposed_on + datetime.timedelta(days=20),
            result=Result.PASSED,
        )
    return services.procedure_put_into_effect(procedure=procedure, effective_on=effective_on)


@pytest.fixture
def area():
    """An area whose one partner's agreement is in force: its agreements step is done."""
    existing = factories.agreement_in_force()
    return existing.area


def _area_page(client, area):
    cache.clear()
    return client.get(area.get_absolute_url())


def test_a_municipality_in_talks_is_not_a_partner_and_the_pipeline_holds(client, area):
    before = _area_page(client, area).context["progress"]
    assert before.current_step == "vision" and before.partners == 1

    newcomer = factories.MunicipalityFactory(name="新町")
    agreement = services.agreement_create(
        area=area, partner=newcomer, title="新町との連携協約", is_public=True
    )
    services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.CONCLUSION,
        summary="締結",
        proposed_on=datetime.date(2020, 2, 1),
    )

    response = _area_page(client, area)
    progress = response.context["progress"]
    assert (progress.partners, progress.in_force, progress.current_step) == (1, 1, "vision")
    (row,) = [r for r in response.context["rows"] if r.partner == newcomer]
    assert row.in_talks
    assert "協議中" in response.content.decode()
    assert not AreaMembership.objects.filter(municipality=newcomer).exists()


def test_membership_starts_with_effect_and_ends_with_abolition(client, area):
    newcomer = factories.MunicipalityFactory()
    agreement = services.agreement_create(
        area=area, partner=newcomer, title="連携協約", is_public=True
    )
    _through_both_councils(
        agreement, ProcedureKind.CONCLUSION, datetime.date(2020, 2, 1), IN_FORCE_FROM
    )

    membership = AreaMembership.objects.get(area=area, municipality=newcomer)
    assert (membership.joined_on, membership.left_on) == (IN_FORCE_FROM, None)
    assert "締結" in membership.history.get().history_change_reason  # why it joined
    response = _area_page(client, area)
    assert response.context["progress"].partners == 2
    assert not [r for r in response.context["rows"] if r.in_talks]

    _through_both_councils(
        agreement, ProcedureKind.ABOLITION, datetime.date(2024, 2, 1), ABOLISHED_ON
    )
    membership.refresh_from_db()
    assert membership.left_on == ABOLISHED_ON
    assert not membership.is_current_on(ABOLISHED_ON)
    assert _area_page(client, area).context["progress"].partners == 1


def test_a_typed_membership_takes_the_date_of_the_effect(area):
    newcomer = factories.MunicipalityFactory()
    typed = AreaMembership.objects.create(
        area=area, municipality=newcomer, joined_on=datetime.date(2019, 1, 1)
    )
    agreement = services.agreement_create(
        area=area, partner=newcomer, title="連携協約", is_public=True
    )
    _through_both_councils(
        agreement, ProcedureKind.CONCLUSION, datetime.date(2020, 2, 1), IN_FORCE_FROM
    )
    typed.refresh_from_db()
    assert typed.joined_on == IN_FORCE_FROM
    assert AreaMembership.objects.filter(municipality=newcomer).count() == 1
