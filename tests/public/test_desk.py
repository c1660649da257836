"""The clerk's desk page: only for clerks; the resolutions their council made, with who first
recorded each; what waits in agreements and vision is tested with the forms that fill it
(tests/agreements/test_desk.py, tests/vision/test_desk.py)."""

import pytest

from agreements.status import Result
from tests import factories
from tests.factories import RESOLVED_ON

pytestmark = pytest.mark.django_db

FORM = {
    "session": "令和8年3月定例会",
    "bill_number": "議案第12号",
    "resolved_on": RESOLVED_ON.isoformat(),
    "result": Result.PASSED,
    "document_pending": "議決書は後日掲載します。",
    "note": "",
}


def test_desk_is_for_clerks_only(client):
    factories.ProcedureFactory()
    assert client.get("/desk/").status_code == 302  # to the sign-in page
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/desk/").status_code == 403


def test_desk_lists_the_councils_resolutions_with_who_first_recorded_them(client):
    procedure = factories.ProcedureFactory()
    partner = procedure.agreement.partner
    first = factories.clerk(partner, username="first-clerk")
    second = factories.clerk(partner, username="second-clerk")
    client.force_login(first)
    client.post(f"/desk/procedures/{procedure.pk}/resolutions/new/", FORM)
    resolution = procedure.resolutions.get()
    # The other council's resolution of the same procedure is not this clerk's to list.
    factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    client.force_login(second)
    url = f"/desk/resolutions/{resolution.pk}/"
    client.post(url, FORM | {"bill_number": "議案第13号"} | factories.loaded_token(client, url))

    response = client.get("/desk/")

    assert [(r, version.history_user) for r, version in response.context["recorded"]] == [
        (resolution, first)
    ]
    content = response.content.decode()
    assert "議案第13号" in content and "first-clerk" in content
    assert "second-clerk" not in content


@pytest.mark.parametrize("agreements", [1, 6])
def test_desk_queries_do_not_grow_with_what_it_lists(client, django_assert_num_queries, agreements):
    """The central city's clerk: every agreement of the area has its council's resolution, and
    an amendment of each waits for it."""
    area = factories.CooperationAreaFactory()
    for _ in range(agreements):
        agreement = factories.agreement_in_force(area=area)
        factories.ProcedureFactory(agreement=agreement, amendment=True)
    client.force_login(factories.clerk(area.central_city))

    # session and user; procedures waiting with their resolutions; indicators with their
    # actuals; the council's resolutions and their first versions with who recorded them;
    # the values entered (and the closed years of their areas, when there are any); the
    # session's new expiry (an update in a savepoint)
    with django_assert_num_queries(13):
        response = client.get("/desk/")

    assert len(response.context["waiting"]) == agreements
    assert len(response.context["recorded"]) == agreements
