"""Sign-in safety: Django's password validators, and django-axes throttling failed sign-ins.

Failures are counted per user name and IP address (the test client signs in from 127.0.0.1).
The limit and cool-off are pinned here to the defaults (5 failures, 15 minutes), so that an
AXES_FAILURE_LIMIT or AXES_COOLOFF_MINUTES in the environment does not change the tests.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests import factories

PASSWORD = "correct horse battery staple"  # the password of UserFactory
WRONG = "not the password"
LIMIT = 5
LOCKED_MESSAGE = "15分後にもう一度お試しいただくか、企画担当にロックの解除を依頼してください。"
CLERK_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 30


@pytest.fixture(autouse=True)
def _axes_defaults(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_ACCOUNT_FAILURE_LIMIT = ACCOUNT_LIMIT
    settings.AXES_ADDRESS_FAILURE_LIMIT = ADDRESS_LIMIT
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    settings.TRUSTED_PROXY_COUNT = 0


@pytest.fixture
def clerk(db):
    return factories.UserFactory(username="iizuna-clerk")


def sign_in(client, username, password, url=CLERK_LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def assert_signed_in(client, user):
    assert client.session.get("_auth_user_id") == str(user.pk)


def assert_locked_out(response):
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert "ログインの失敗が続いたため" in content
    assert LOCKED_MESSAGE in content


def test_sixth_sign_in_is_refused_even_with_the_right_password(client, clerk):
    for _ in range(LIMIT - 1):
        response = sign_in(client, clerk.username, WRONG)
        assert response.status_code == 200  # the form again, with its error
        assert response.context["form"].non_field_errors()

    # The fifth failure reaches the limit: axes answers it with the lockout page already.
    assert_locked_out(sign_in(client, clerk.username, WRONG))

    response = sign_in(client, clerk.username, PASSWORD)

    assert_locked_out(response)
    assert "_auth_user_id" not in client.session
    # The refused attempt counts as a failure too, and starts the cool-off again.
    assert AccessAttempt.objects.get(username=clerk.username).failures_since_start == LIMIT + 1


def test_a_successful_sign_in_before_the_limit_resets_the_count(client, clerk):
    for _ in range(LIMIT - 1):
        sign_in(client, clerk.username, WRONG)

    response = sign_in(client, clerk.username, PASSWORD)

    assert response.status_code == 302
    assert_signed_in(client, clerk)
    assert not AccessAttempt.objects.filter(username=clerk.username).exists()

    client.logout()
    for _ in range(LIMIT - 1):
        assert sign_in(client, clerk.username, WRONG).status_code == 200
    assert sign_in(client, clerk.username, PASSWORD).status_code == 302
    assert_signed_in(client, clerk)


def test_the_admin_sign_in_is_throttled_too(client, staff_user):
    for _ in range(LIMIT - 1):
        assert sign_in(client, staff_user.username, WRONG, url=ADMIN_LOGIN).status_code == 200
    assert_locked_out(sign_in(client, staff_user.username, WRONG, url=ADMIN_LOGIN))

    assert_locked_out(sign_in(client, staff_user.username, PASSWORD, url=ADMIN_LOGIN))
    # The lockout holds for the user name on the clerks' sign-in page as well.
    assert_locked_out(sign_in(client, staff_user.username, PASSWORD))
    assert "_auth_user_id" not in client.session


def test_another_user_name_from_the_same_address_is_not_locked(client, clerk):
    colleague = factories.UserFactory(username="nagano-clerk")
    for _ in range(LIMIT):
        sign_in(client, clerk.username, WRONG)
    assert_locked_out(sign_in(client, clerk.username, PASSWORD))

    response = sign_in(client, colleague.username, PASSWORD)

    assert response.status_code == 302
    assert_signed_in(client, colleague)


def test_the_same_user_name_from_another_address_is_not_locked(client, clerk):
    for _ in range(LIMIT):
        sign_in(client, clerk.username, WRONG)

    response = sign_in(client, clerk.username, PASSWORD, REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 302
    assert_signed_in(client, clerk)


def test_one_account_is_locked_after_failures_spread_over_addresses(client, clerk):
    for n in range(ACCOUNT_LIMIT - 1):
        response = sign_in(client, clerk.username, WRONG, REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert response.status_code == 200

    # Each address stays under its own limit; the account's total reaches its limit.
    assert_locked_out(sign_in(client, clerk.username, WRONG, REMOTE_ADDR="198.51.100.1"))
    assert_locked_out(sign_in(client, clerk.username, PASSWORD, REMOTE_ADDR="198.51.100.2"))
    assert "_auth_user_id" not in client.session


def test_one_address_is_locked_after_failures_for_many_user_names(client, clerk):
    for n in range(ADDRESS_LIMIT - 1):
        assert sign_in(client, f"guess-{n}", WRONG).status_code == 200

    assert_locked_out(sign_in(client, "guess-last", WRONG))
    # Now every user name is refused from that address, but not from another.
    assert_locked_out(sign_in(client, clerk.username, PASSWORD))
    assert sign_in(client, clerk.username, PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302


def test_a_successful_sign_in_clears_only_that_accounts_failures(client, clerk):
    for n in range(3):
        sign_in(client, f"guess-{n}", WRONG)
    sign_in(client, clerk.username, WRONG)

    assert sign_in(client, clerk.username, PASSWORD).status_code == 302

    assert sorted(AccessAttempt.objects.values_list("username", flat=True)) == [
        "guess-0",
        "guess-1",
        "guess-2",
    ]


@pytest.mark.parametrize(
    ("proxies", "counted_for"), [(0, "10.0.0.2"), (1, "203.0.113.7"), (2, "198.51.100.9")]
)
def test_failures_count_for_the_address_the_trusted_proxies_pass_on(
    client, clerk, settings, proxies, counted_for
):
    settings.TRUSTED_PROXY_COUNT = proxies
    # The visitor wrote 6.6.6.6 into the header themselves; two proxies added the rest.
    forwarded = "6.6.6.6, 198.51.100.9, 203.0.113.7"

    sign_in(client, clerk.username, WRONG, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert AccessAttempt.objects.get(username=clerk.username).ip_address == counted_for


def test_the_user_can_sign_in_again_after_the_cool_off(client, clerk):
    for _ in range(LIMIT):
        sign_in(client, clerk.username, WRONG)
    assert_locked_out(sign_in(client, clerk.username, PASSWORD))

    # Fifteen minutes and a second pass (the attempt was stored when it last failed).
    AccessAttempt.objects.filter(username=clerk.username).update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=15, seconds=1)
    )
    response = sign_in(client, clerk.username, PASSWORD)

    assert response.status_code == 302
    assert_signed_in(client, clerk)


def test_the_lockout_lasts_through_the_cool_off(client, clerk):
    for _ in range(LIMIT):
        sign_in(client, clerk.username, WRONG)

    AccessAttempt.objects.filter(username=clerk.username).update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=14)
    )

    assert_locked_out(sign_in(client, clerk.username, PASSWORD))


def test_the_lockout_page_is_in_english_under_en(client, clerk):
    for _ in range(LIMIT):
        sign_in(client, clerk.username, WRONG)

    response = sign_in(client, clerk.username, PASSWORD, url="/en/accounts/login/")

    assert response.status_code == 429
    assert (
        "Too many failed sign-ins. Try again in 15 minutes, or ask the planning staff to "
        "unlock your account."
    ) in response.content.decode()


def test_force_login_is_not_throttled(client, clerk):
    """Other tests sign in with force_login, which bypasses authentication and axes."""
    for _ in range(LIMIT):
        sign_in(client, clerk.username, WRONG)

    client.force_login(clerk)

    assert client.get("/").wsgi_request.user == clerk


def test_django_password_validators_are_configured(settings):
    assert [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS] == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


@pytest.mark.parametrize("password", ["password", "12345678901", "short"])
def test_weak_passwords_are_rejected(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_password_like_the_user_name_is_rejected(db):
    user = factories.UserFactory(username="iizuna-clerk-tanaka")

    with pytest.raises(ValidationError):
        validate_password("iizuna-clerk-tanaka", user=user)


def test_a_long_random_passphrase_passes():
    assert validate_password("gravel-lantern-ochre-tidal-mosaic-91") is None


# Settings are read in a fresh process, as in tests/test_settings.py.
BASE_DIR = Path(__file__).resolve().parent.parent
SHOW_AXES = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds() // 60), "
    "s.AXES_ACCOUNT_FAILURE_LIMIT, s.AXES_ADDRESS_FAILURE_LIMIT, s.TRUSTED_PROXY_COUNT, "
    "s.AXES_LOCKOUT_PARAMETERS, s.AXES_HANDLER, s.AXES_RESET_ON_SUCCESS, "
    "s.AXES_HTTP_RESPONSE_CODE, s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1])"
)


def _axes_settings(**env: str) -> str:
    clean_env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x",
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW_AXES],
        cwd=BASE_DIR,
        env=clean_env | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_axes_settings_default_to_five_failures_and_fifteen_minutes():
    assert _axes_settings() == (
        "5 15 10 30 0 [['username', 'ip_address'], 'username', 'ip_address'] "
        "municipalities.signin.LayeredLimitsHandler True 429 "
        "axes.backends.AxesStandaloneBackend axes.middleware.AxesMiddleware"
    )


def test_axes_limits_cool_off_and_proxies_come_from_the_environment():
    output = _axes_settings(
        AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_MINUTES="60",
        AXES_ACCOUNT_FAILURE_LIMIT="20",
        AXES_ADDRESS_FAILURE_LIMIT="100",
        TRUSTED_PROXY_COUNT="1",
    )

    assert output.startswith("10 60 20 100 1 ")


# Signed out after an idle time


@pytest.mark.django_db
def test_a_signed_in_clerk_is_signed_out_after_the_idle_time(client, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    settings.SESSION_COOKIE_AGE = 2 * 60 * 60
    town = factories.MunicipalityFactory()
    client.force_login(factories.clerk(town))
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() + datetime.timedelta(minutes=1)  # idle almost 2 hours
    session.save()
    assert client.get("/desk/").status_code == 200
    session.refresh_from_db()
    # The request moved the expiry on: two hours from the last request, not from sign-in.
    assert abs(session.expire_date - (timezone.now() + datetime.timedelta(hours=2))) < (
        datetime.timedelta(minutes=1)
    )

    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)  # two idle hours
    session.save()
    response = client.get("/desk/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_idle_time_comes_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST)",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x",
            "SESSION_IDLE_MINUTES": "30",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == ["1800", "True"], result.stderr


# Forgotten passwords


def test_sign_in_page_links_to_password_reset_and_says_whom_to_ask(client):
    content = client.get(CLERK_LOGIN).content.decode()

    assert 'href="/accounts/password_reset/"' in content
    assert "中心市の企画担当" in content


@pytest.mark.django_db
def test_password_reset_mails_a_link_until_the_hourly_limit(client, settings, mailoutbox):
    settings.PASSWORD_RESET_LIMIT = 3
    factories.UserFactory(username="iizuna-clerk", email="clerk@example.jp")
    url = "/accounts/password_reset/"

    for _ in range(3):
        assert client.post(url, {"email": "clerk@example.jp"}).status_code == 302
    refused = client.post(url, {"email": "clerk@example.jp"}, REMOTE_ADDR="192.0.2.1")
    also_refused = client.post(url, {"email": "other@example.jp"})  # same address

    assert len(mailoutbox) == 3
    assert "/accounts/reset/" in mailoutbox[0].body
    for response in (refused, also_refused):
        assert response.status_code == 429
        assert "1時間" in response.content.decode()
