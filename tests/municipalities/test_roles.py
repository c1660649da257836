"""Roles through HTTP: planning staff keep their own areas only; clerks stay out of the admin."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from agreements.models import Agreement, CouncilResolution, Procedure
from municipalities.admin import ClerkAccountAdmin
from municipalities.models import SignInUnlock, StaffRole
from tests import factories

pytestmark = pytest.mark.django_db


def _planning_staff_of(area):
    out = io.StringIO()
    call_command("create_planning_staff", area.central_city.code, stdout=out)
    return get_user_model().objects.get(username=f"planning-{area.central_city.code}")


@pytest.fixture
def two_areas():
    mine = factories.agreement_in_force()
    theirs = factories.agreement_in_force()
    return mine, theirs


@pytest.fixture
def planning_client(client, two_areas):
    mine, _ = two_areas
    client.force_login(_planning_staff_of(mine.area))
    return client


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/admin/agreements/agreement/", Agreement),
        ("/admin/agreements/procedure/", Procedure),
        ("/admin/agreements/councilresolution/", CouncilResolution),
    ],
)
def test_planning_staff_lists_only_their_own_area(planning_client, two_areas, url, model):
    mine, theirs = two_areas

    response = planning_client.get(url)

    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    ours = {
        Agreement: {mine.pk},
        Procedure: set(mine.procedures.values_list("pk", flat=True)),
        CouncilResolution: set(
            CouncilResolution.objects.filter(procedure__agreement=mine).values_list("pk", flat=True)
        ),
    }[model]
    assert listed == ours


def test_planning_staff_cannot_open_or_change_another_areas_records(planning_client, two_areas):
    _, theirs = two_areas
    procedure = theirs.procedures.get()

    for url in (
        f"/admin/agreements/agreement/{theirs.pk}/change/",
        f"/admin/agreements/procedure/{procedure.pk}/change/",
        f"/admin/municipalities/cooperationarea/{theirs.area.pk}/change/",
    ):
        response = planning_client.get(url)
        assert response.status_code == 302, url  # the admin's "does not exist" redirect
    response = planning_client.post(
        f"/admin/agreements/agreement/{theirs.pk}/change/", {"title": "書き換え"}
    )
    assert response.status_code == 302
    assert Agreement.objects.get(pk=theirs.pk).title != "書き換え"


def test_planning_staff_choices_offer_only_their_own_areas(planning_client, two_areas):
    mine, theirs = two_areas

    response = planning_client.get("/admin/agreements/agreement/add/")

    choices = {str(pk) for pk, _ in response.context["adminform"].form.fields["area"].choices}
    assert str(mine.area.pk) in choices and str(theirs.area.pk) not in choices


def test_planning_staff_cannot_change_municipalities_or_add_areas(planning_client, two_areas):
    mine, _ = two_areas
    code_page = f"/admin/municipalities/municipality/{mine.partner.pk}/change/"

    assert planning_client.get("/admin/municipalities/municipality/").status_code == 200
    planning_client.post(code_page, {"name": "改名"})
    mine.partner.refresh_from_db()
    assert mine.partner.name != "改名"
    assert planning_client.get("/admin/municipalities/cooperationarea/add/").status_code == 403


def test_clerk_has_no_admin_at_all(client, two_areas):
    mine, _ = two_areas
    clerk = factories.UserFactory()
    StaffRole.objects.create(user=clerk, kind=StaffRole.Kind.CLERK, municipality=mine.partner)
    client.force_login(clerk)

    for url in ("/admin/", "/admin/agreements/agreement/", "/admin/agreements/councilresolution/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_create_planning_staff_refuses_a_city_that_is_not_central():
    town = factories.MunicipalityFactory()
    with pytest.raises(CommandError, match="not the central city"):
        call_command("create_planning_staff", town.code)


def test_setup_roles_is_safe_to_run_twice():
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    call_command("setup_roles", stdout=out)
    assert out.getvalue().count("permissions") == 2


def test_planning_staff_see_who_recorded_and_who_corrected_each_resolution(
    planning_client, two_areas
):
    from agreements import services

    mine, _ = two_areas
    clerk = factories.UserFactory(username="iizuna-clerk")
    StaffRole.objects.create(user=clerk, kind=StaffRole.Kind.CLERK, municipality=mine.partner)
    staff = factories.UserFactory(username="kikaku")
    resolution = CouncilResolution.objects.get(procedure__agreement=mine, municipality=mine.partner)
    resolution._history_user = clerk
    resolution.session = "訂正後の会議"
    services.resolution_save(resolution=resolution, user=clerk)
    resolution.note = "確認済み"
    services.resolution_save(resolution=resolution, user=staff)

    page = planning_client.get("/admin/agreements/councilresolution/").content.decode()
    assert "kikaku (" in page
    history = planning_client.get(
        f"/admin/agreements/councilresolution/{resolution.pk}/history/"
    ).content.decode()
    assert "iizuna-clerk" in history and "kikaku" in history


def _locked_out_clerk(municipality, username):
    from axes.models import AccessAttempt

    clerk = factories.clerk(municipality, username=username)
    AccessAttempt.objects.create(username=username, ip_address="10.0.0.1", failures_since_start=5)
    return clerk


def test_only_operators_see_the_sign_in_records(planning_client):
    operator = Client()
    operator.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    for url in (
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/axes/accessfailurelog/",
    ):
        assert planning_client.get(url).status_code == 403, url
        assert operator.get(url).status_code == 200, url


def test_planning_staff_unlock_a_clerk_of_their_area_and_it_is_recorded(planning_client, two_areas):
    from axes.models import AccessAttempt

    mine, _ = two_areas
    clerk = _locked_out_clerk(mine.partner, "iizuna-clerk")
    url = "/admin/municipalities/clerkaccount/"
    listed = planning_client.get(url).context["cl"].result_list
    assert [(role.user, ClerkAccountAdmin.locked_out(None, role)) for role in listed] == [
        (clerk, True)
    ]

    response = planning_client.post(
        url, {"action": "unlock", "_selected_action": [clerk.staff_role.pk]}, follow=True
    )

    assert not AccessAttempt.objects.filter(username="iizuna-clerk").exists()
    unlock = SignInUnlock.objects.get()
    planner = get_user_model().objects.get(username=f"planning-{mine.area.central_city.code}")
    assert (unlock.clerk, unlock.municipality, unlock.unlocked_by) == (clerk, mine.partner, planner)
    assert unlock.failures_cleared == 5
    assert "iizuna-clerk" in response.content.decode()
    unlocks = planning_client.get("/admin/municipalities/signinunlock/").context["cl"]
    assert list(unlocks.result_list) == [unlock]


def test_planning_staff_cannot_see_or_unlock_another_areas_clerk(planning_client, two_areas):
    from axes.models import AccessAttempt

    _, theirs = two_areas
    clerk = _locked_out_clerk(theirs.partner, "other-clerk")
    url = "/admin/municipalities/clerkaccount/"

    assert list(planning_client.get(url).context["cl"].result_list) == []
    planning_client.post(url, {"action": "unlock", "_selected_action": [clerk.staff_role.pk]})

    assert AccessAttempt.objects.filter(username="other-clerk").exists()
    assert not SignInUnlock.objects.exists()


@pytest.mark.parametrize("clerks", [1, 6])
def test_clerks_sign_in_page_queries_do_not_grow_with_clerks(planning_client, two_areas, clerks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine, _ = two_areas
    for n in range(clerks):
        _locked_out_clerk(mine.partner, f"clerk-{n}")

    with CaptureQueriesContext(connection) as queries:
        response = planning_client.get("/admin/municipalities/clerkaccount/")

    assert len(response.context["cl"].result_list) == clerks
    # The failures come with the page's rows (subqueries): one clerk or six, the same queries.
    assert len(queries) == 11
