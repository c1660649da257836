"""The local accounts of `make run`: the planning-staff admin and the demo's clerk."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from agreements.desk import procedures_awaiting
from municipalities.access import clerk_municipality
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
