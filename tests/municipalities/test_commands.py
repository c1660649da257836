import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

from municipalities.access import clerk_municipality
from tests import factories

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    ("command", "password"),
    [("create_clerk", "12345678"), ("create_planning_staff", "password")],
)
def test_account_commands_refuse_a_weak_password_and_create_nothing(command, password):
    area = factories.CooperationAreaFactory()

    with pytest.raises(CommandError) as refused:
        call_command(command, area.central_city.code, "--password", password)

    assert gettext("This password is too common.") in str(refused.value)
    assert not get_user_model().objects.exists()


def test_account_commands_refuse_a_password_like_the_user_name():
    area = factories.CooperationAreaFactory()
    name = f"clerk-{area.central_city.code}"

    with pytest.raises(CommandError):
        call_command("create_clerk", area.central_city.code, "--password", name + "x")

    assert not get_user_model().objects.filter(username=name).exists()
