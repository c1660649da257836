"""Throttling of failed sign-ins (django-axes), with three limits instead of one.

Failures are counted within the cool-off (AXES_COOLOFF_TIME) and a sign-in is refused once
any of these is reached:

- one account from one address: AXES_FAILURE_LIMIT (a clerk who mistypes);
- one account from any address: AXES_ACCOUNT_FAILURE_LIMIT (guessing spread over addresses);
- one address for any account: AXES_ADDRESS_FAILURE_LIMIT (trying many user names).

The last is higher than the others because a town hall's staff may share one address. Behind
a reverse proxy, the client's address must be passed on (see README, "Settings"), or every
sign-in would share the proxy's address.
"""

import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone

from .models import PasswordResetRequest

# Each of AXES_LOCKOUT_PARAMETERS with the setting that limits it.
LIMITS = {
    ("username", "ip_address"): "AXES_FAILURE_LIMIT",
    "username": "AXES_ACCOUNT_FAILURE_LIMIT",
    "ip_address": "AXES_ADDRESS_FAILURE_LIMIT",
}


def _key(parameter) -> tuple | str:
    return parameter if isinstance(parameter, str) else tuple(parameter)


def failures_in(attempts) -> int:
    """The failed sign-ins the AccessAttempt rows count together."""
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LayeredLimitsHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures of the most exhausted limit, scaled to AXES_FAILURE_LIMIT: django-axes
        refuses a sign-in when this reaches AXES_FAILURE_LIMIT, which happens exactly when
        one of the three counts reaches its own limit."""
        scale = settings.AXES_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        return max(
            failures_in(matching) * scale // getattr(settings, LIMITS[_key(parameter)])
            for parameter, matching in zip(parameters, attempts, strict=True)
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that account's failures only: never those of other
        user names tried from the same address."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def client_address(request) -> str | None:
    """The visitor's address. With TRUSTED_PROXY_COUNT proxies in front, each of which adds
    the address it was reached from to X-Forwarded-For, it is that many entries from the
    right: what a visitor writes into the header themselves stays to the left, unread."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def with_recent_failures(roles):
    """Staff roles annotated with their account's failed sign-ins within the cool-off:
    `failures` from every address, and `most_from_one_address`; one query for the list."""
    attempts = (
        AccessAttempt.objects.filter(
            username=OuterRef("user__username"),
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        )
        .order_by()
        .values("username")
    )

    def per_account(aggregate):
        return Coalesce(Subquery(attempts.annotate(n=aggregate).values("n")), 0)

    return roles.annotate(
        failures=per_account(Sum("failures_since_start")),
        most_from_one_address=per_account(Max("failures_since_start")),
    )


def is_locked_out(role) -> bool:
    """Whether the account's own limits (alone or from one address) refuse it now; `role`
    comes from `with_recent_failures`."""
    return (
        role.most_from_one_address >= settings.AXES_FAILURE_LIMIT
        or role.failures >= settings.AXES_ACCOUNT_FAILURE_LIMIT
    )


# Password-reset e-mails: at most this many requests an hour per address and per e-mail.
RESET_WINDOW = datetime.timedelta(hours=1)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, refused (429) after PASSWORD_RESET_LIMIT requests within an
    hour from one address or for one e-mail address, so that it cannot flood a mailbox."""

    template_name = "registration/password_reset_form.html"

    def form_valid(self, form):
        now = timezone.now()
        address, email = client_address(self.request), form.cleaned_data["email"]
        PasswordResetRequest.objects.filter(
            requested_at__lt=now - datetime.timedelta(days=1)
        ).delete()
        recent = PasswordResetRequest.objects.filter(requested_at__gte=now - RESET_WINDOW)
        limit = settings.PASSWORD_RESET_LIMIT
        if (
            recent.filter(ip_address=address).count() >= limit
            or recent.filter(email__iexact=email).count() >= limit
        ):
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        PasswordResetRequest.objects.create(ip_address=address, email=email)
        return super().form_valid(form)
