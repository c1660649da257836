"""The local accounts of `make run`: the operator, the demo's planning staff (who get the
notification e-mails) and the demo's clerk."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from agreements.desk import procedures_awaiting
from agreements.status import Result
from municipalities.access import clerk_municipality, planning_staff_emails
from municipalities.models import StaffRole
from municipalities.roles import PLANNING_STAFF_GROUP
from public import demo
from public.management.commands import ensure_local_admin

pytestmark = pytest.mark.django_db


def test_ensure_local_admin_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("ensure_local_admin")

    assert not get_user_model().objects.exists()


def test_ensure_local_admin_creates_staff_account_once(settings):
    settings.DEBUG = True

    call_command("ensure_local_admin")
    user = get_user_model().objects.get(username=ensure_local_admin.USERNAME)
    user.set_password("changed by the developer")
    user.save()
    call_command("ensure_local_admin")

    user = get_user_model().objects.get(username=ensure_local_admin.USERNAME)
    assert user.is_staff and user.is_superuser
    assert user.check_password("changed by the developer")


def test_ensure_local_admin_makes_a_demo_clerk_with_a_resolution_to_record(settings):
    settings.DEBUG = True
    demo.load()
    out = io.StringIO()

    call_command("ensure_local_admin", stdout=out)
    call_command("ensure_local_admin", stdout=out)

    clerk = get_user_model().objects.get(username=ensure_local_admin.CLERK_USERNAME)
    assert clerk_municipality(clerk).code == "205907"
    assert [p.summary for p in procedures_awaiting(clerk_municipality(clerk))] == [
        "連携する取組の追加（防災）"
    ]
    assert not clerk.is_staff
    assert "iizuna-clerk" in out.getvalue() and "/desk/" in out.getvalue()


def test_ensure_local_admin_makes_the_demo_planning_staff_with_an_address(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8001"  # what `make run PORT=8001` sets
    area = demo.load()
    out = io.StringIO()

    call_command("ensure_local_admin", stdout=out)
    call_command("ensure_local_admin", stdout=out)

    staff = get_user_model().objects.get(username=ensure_local_admin.PLANNING_USERNAME)
    assert staff.email == ensure_local_admin.PLANNING_EMAIL == "nagano-planning@example.com"
    assert staff.is_staff and not staff.is_superuser
    assert staff.check_password(ensure_local_admin.PASSWORD)
    assert list(staff.groups.values_list("name", flat=True)) == [PLANNING_STAFF_GROUP]
    assert (staff.staff_role.kind, staff.staff_role.municipality) == (
        StaffRole.Kind.PLANNING_STAFF,
        area.central_city,
    )
    assert planning_staff_emails(area) == ["nagano-planning@example.com"]
    printed = out.getvalue()
    assert "'nagano-planning' with password 'nagano-demo-2016'" in printed
    assert "nagano-planning@example.com" in printed
    # Every address printed follows the port `make run` serves on.
    assert "http://127.0.0.1:8001/admin/" in printed
    assert "http://127.0.0.1:8001/accounts/login/" in printed
    assert ":8000" not in printed


def test_the_demo_clerk_recording_a_resolution_mails_the_demo_planning_staff(
    client, settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8001"
    demo.load()
    call_command("ensure_local_admin", stdout=io.StringIO())
    clerk = get_user_model().objects.get(username=ensure_local_admin.CLERK_USERNAME)
    (procedure,) = procedures_awaiting(clerk_municipality(clerk))
    client.force_login(clerk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/desk/procedures/{procedure.pk}/resolutions/new/",
            {
                "session": "令和8年12月定例会",
                "bill_number": "議案第1号",
                "resolved_on": timezone.localdate().isoformat(),
                "result": Result.PASSED,
                "document_pending": "議決書は後日掲載します。",
                "note": "",
            },
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["nagano-planning@example.com"]
    assert "飯綱町" in message.subject
    assert f"http://127.0.0.1:8001{procedure.agreement.get_absolute_url()}" in message.body
