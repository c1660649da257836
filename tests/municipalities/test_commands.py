import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from agreements.desk import procedures_awaiting
from municipalities import demo
from municipalities.access import clerk_municipality
from municipalities.management.commands import ensure_local_admin
from tests import factories

pytestmark = pytest.mark.django_db


def test_ensure_local_admin_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("ensure_local_admin")

    assert not get_user_model().objects.exists()


def test_ensure_local_admin_creates_staff_account_once(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

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
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()
    out = io.StringIO()

    call_command("ensure_local_admin", stdout=out)
    call_command("ensure_local_admin", stdout=out)

    clerk = get_user_model().objects.get(username=ensure_local_admin.CLERK_USERNAME)
    assert clerk_municipality(clerk).code == "205907"
    assert [p.summary for p in procedures_awaiting(clerk_municipality(clerk))] == [
        "連携事項の追加（防災）"
    ]
    assert not clerk.is_staff
    assert "iizuna-clerk" in out.getvalue() and "/desk/" in out.getvalue()


def test_create_clerk_makes_an_account_bound_to_the_municipality_and_prints_how_to_sign_in():
    town = factories.MunicipalityFactory(name="須坂市", code="202070")
    out = io.StringIO()

    call_command("create_clerk", "202070", "--email", "clerk@example.jp", stdout=out)

    clerk = get_user_model().objects.get(username="clerk-202070")
    assert clerk_municipality(clerk) == town
    assert clerk.email == "clerk@example.jp" and not clerk.is_staff
    printed = out.getvalue()
    assert "clerk-202070" in printed and "/accounts/login/" in printed
    password = printed.split("with password '")[1].split("'")[0]
    assert clerk.check_password(password)


def test_create_clerk_refuses_an_unknown_code():
    with pytest.raises(CommandError, match="999999"):
        call_command("create_clerk", "999999")
