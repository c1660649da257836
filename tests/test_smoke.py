import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_factories_build_valid_objects():
    agreement = factories.agreement_in_force()
    for obj in [
        agreement,
        *agreement.procedures.all(),
        *factories.CouncilResolutionFactory._meta.model.objects.all(),
        factories.AgreementItemFactory(agreement=agreement),
        factories.CommutingRatioFactory(),
        factories.IndicatorActualFactory(),
        factories.ProjectParticipantFactory(),
    ]:
        obj.full_clean()
    assert agreement.status().value == "in_force"
