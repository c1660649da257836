"""The services lock the agreement while they check a change against its other records, so
two saves at the same moment are checked one after the other: two people starting a procedure
at once cannot both succeed and leave two procedures open, and a clerk's correction cannot
slip in beside the date of effect that it contradicts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from agreements import services
from agreements.models import (
    ERROR_PROCEDURE_OPEN,
    ERROR_RESOLUTION_AFTER_EFFECT,
    Agreement,
    CouncilResolution,
    Procedure,
)
from agreements.status import ProcedureKind
from tests import factories
from tests.factories import EFFECTIVE_ON
from tests.sessions import at_the_same_moment

# The two sessions must see each other's committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


def _at_the_same_moment(first, second) -> tuple[bool, dict]:
    """Run `first` in one session and hold its transaction open after it saved a procedure;
    meanwhile run `second` in another. Whether the second had to wait, and each outcome."""

    def outcome(save):
        def run():
            try:
                save()
            except ValidationError as error:
                return error.message_dict
            return "saved"

        return run

    return at_the_same_moment(outcome(first), outcome(second), held=Procedure)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's in-memory test database shares one cache between threads, where a "
            "writer is refused at once instead of waiting."
        )


def test_two_procedures_started_at_the_same_moment_are_checked_one_after_the_other():
    agreement = factories.agreement_in_force()

    def start(summary):
        return lambda: services.procedure_start(
            agreement=Agreement.objects.get(pk=agreement.pk),
            kind=ProcedureKind.AMENDMENT,
            summary=summary,
        )

    waited, outcomes = _at_the_same_moment(start("第一の変更"), start("第二の変更"))

    assert waited
    assert outcomes == {
        "first": "saved",
        "second": {"kind": [str(ERROR_PROCEDURE_OPEN % {"procedure": "第一の変更"})]},
    }
    assert Procedure.objects.filter(kind=ProcedureKind.AMENDMENT).count() == 1


def test_a_correction_beside_the_date_of_effect_is_checked_after_it():
    procedure = factories.ProcedureFactory()
    factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    pass_pk = factories.CouncilResolutionFactory(procedure=procedure).pk
    later = EFFECTIVE_ON + datetime.timedelta(days=1)

    def put_into_effect():
        services.procedure_put_into_effect(
            procedure=Procedure.objects.get(pk=procedure.pk), effective_on=EFFECTIVE_ON
        )

    def correct():
        resolution = CouncilResolution.objects.get(pk=pass_pk)
        resolution.resolved_on = later
        services.resolution_save(resolution=resolution, user=None)

    waited, outcomes = _at_the_same_moment(put_into_effect, correct)

    assert waited
    assert outcomes == {
        "first": "saved",
        "second": {"result": [str(ERROR_RESOLUTION_AFTER_EFFECT % {"date": EFFECTIVE_ON})]},
    }
    assert CouncilResolution.objects.get(pk=pass_pk).resolved_on != later
