"""The permission matrix, through HTTP: each role × each action, with the exact status code.

Roles: anonymous, the clerk of the partner (須坂), the clerk of another partner of the same
area (千曲), planning staff of the area (長野), planning staff of another area (松本).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements import services
from agreements.models import Agreement
from agreements.status import ProcedureKind, Result
from municipalities.concurrency import edit_token
from municipalities.models import StaffRole
from municipalities.roles import setup_roles
from public import demo
from tests import factories

pytestmark = pytest.mark.django_db

PDF = demo.sample_pdf("Resolution")
ROLES = ["anonymous", "clerk", "other_clerk", "planning", "other_planning"]


@pytest.fixture
def world():
    """Area A: an agreement with the clerk's municipality (a resolution with a PDF, a
    procedure before the councils, a led project) and one with another partner; area B."""
    agreement = factories.agreement_in_force()
    area = agreement.area
    partner = agreement.partner
    other = factories.agreement_in_force(area=area)
    resolution = agreement.procedures.get().resolutions.get(municipality=partner)
    resolution.document = SimpleUploadedFile("gi.pdf", PDF, "application/pdf")
    resolution.save()
    # An amendment before the councils: waiting for the clerk's council.
    pending = services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.AMENDMENT,
        summary="連携事項の追加",
        proposed_on=datetime.date(2017, 2, 20),
    )
    project = factories.ProjectFactory(vision__area=area, vision__adopted=True, lead=partner)
    indicator = factories.IndicatorFactory(project=project)
    elsewhere = factories.agreement_in_force()

    group = setup_roles()

    def user(kind, municipality, **extra):
        person = factories.UserFactory(**extra)
        StaffRole.objects.create(user=person, kind=kind, municipality=municipality)
        if kind == StaffRole.Kind.PLANNING_STAFF:
            person.groups.add(group)
        return person

    users = {
        "anonymous": None,
        "clerk": user(StaffRole.Kind.CLERK, partner),
        "other_clerk": user(StaffRole.Kind.CLERK, other.partner),
        "planning": user(StaffRole.Kind.PLANNING_STAFF, area.central_city, is_staff=True),
        "other_planning": user(
            StaffRole.Kind.PLANNING_STAFF, elsewhere.area.central_city, is_staff=True
        ),
    }
    return {
        "users": users,
        "agreement": agreement,
        "resolution": resolution,
        "pending": pending,
        "indicator": indicator,
    }


RESOLUTION_FORM = {
    "session": "令和8年3月定例会",
    "bill_number": "議案第9号",
    "resolved_on": "2017-03-20",
    "result": Result.PASSED,
    "document_pending": "議決書は後日掲載します。",
    "note": "",
}

# action: (method, url template, data, {role: expected status})
MATRIX = {
    "desk": ("get", "/desk/", None, [302, 200, 200, 403, 403]),
    "record resolution": (
        "post",
        "/desk/procedures/{pending}/resolutions/new/",
        RESOLUTION_FORM,
        [302, 302, 404, 403, 403],
    ),
    "correct resolution": (
        "post",
        "/desk/resolutions/{resolution}/",
        RESOLUTION_FORM | {"resolved_on": "2016-03-18", "result": Result.PASSED},
        [302, 302, 404, 403, 403],
    ),
    "enter actual": (
        "post",
        "/desk/indicators/{indicator}/actuals/2019/",
        {"value": "150"},
        [302, 302, 404, 403, 403],
    ),
    "resolution document (public)": (
        "get",
        "/resolutions/{resolution}/document.pdf",
        None,
        [200, 200, 200, 200, 200],
    ),
    "admin index": ("get", "/admin/", None, [302, 302, 302, 200, 200]),
    "admin resolutions": (
        "get",
        "/admin/agreements/councilresolution/",
        None,
        [302, 302, 302, 200, 200],
    ),
    "admin view resolution": (
        "get",
        "/admin/agreements/councilresolution/{resolution}/change/",
        None,
        [302, 302, 302, 200, 302],
    ),
    "admin delete resolution": (
        "post",
        "/admin/agreements/councilresolution/{resolution}/delete/",
        {"post": "yes"},
        [302, 302, 302, 403, 403],
    ),
    "admin change agreement": (
        "get",
        "/admin/agreements/agreement/{agreement}/change/",
        None,
        [302, 302, 302, 200, 302],
    ),
    "admin delete agreement": (
        "post",
        "/admin/agreements/agreement/{agreement}/delete/",
        {"post": "yes"},
        [302, 302, 302, 403, 403],
    ),
    "admin add actual": (
        "get",
        "/admin/vision/indicatoractual/add/",
        None,
        [302, 302, 302, 200, 200],
    ),
}

CASES = [
    pytest.param(action, role, expected[i], id=f"{action}-{role}")
    for action, (_, _, _, expected) in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_matrix(client, world, action, role, expected):
    method, template, data, _ = MATRIX[action]
    url = template.format(
        pending=world["pending"].pk,
        resolution=world["resolution"].pk,
        indicator=world["indicator"].pk,
        agreement=world["agreement"].pk,
    )
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    resolutions = type(world["resolution"]).objects
    before = (Agreement.objects.count(), resolutions.count())

    if url.startswith("/desk/resolutions/"):  # a correction posts the version it corrects
        data = data | {"edit_token": edit_token(world["resolution"])}
    response = getattr(client, method)(url, data or {})

    assert response.status_code == expected
    # Nobody deletes what the public record depends on, whatever they are allowed to see.
    assert Agreement.objects.count() == before[0]
    assert resolutions.count() >= before[1]


def test_refused_posts_leave_the_resolution_as_it_was(client, world):
    resolution = world["resolution"]
    for role in ("other_clerk", "planning", "other_planning"):
        client.force_login(world["users"][role])
        client.post(f"/desk/resolutions/{resolution.pk}/", RESOLUTION_FORM | {"bill_number": "X"})
    resolution.refresh_from_db()
    assert resolution.bill_number != "X"
