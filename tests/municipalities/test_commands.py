import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from municipalities.management.commands import ensure_local_admin

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
    user = get_user_model().objects.get()
    user.set_password("changed by the developer")
    user.save()
    call_command("ensure_local_admin")

    user = get_user_model().objects.get()
    assert user.username == ensure_local_admin.USERNAME
    assert user.is_staff and user.is_superuser
    assert user.check_password("changed by the developer")
