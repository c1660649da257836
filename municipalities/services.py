"""Writes to municipalities, areas, memberships and commuting ratios.

`save_validated` is the one way a domain object is written: it validates the whole object,
saves it and records the acting user and reason in its history. The services of every app
build on it; the admin calls the services.
"""

import inspect
from collections.abc import Callable

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from .models import (
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
    SignInUnlock,
    StaffRole,
)
from .signin import failures_in


def save_validated(
    instance: models.Model, *, user: AbstractBaseUser | None, reason: str = ""
) -> models.Model:
    """full_clean() then save(), with the history user and change reason set."""
    instance.full_clean()
    with_history(instance, user=user, reason=reason)
    instance.save()
    return instance


def with_history(instance: models.Model, *, user: AbstractBaseUser | None, reason: str = ""):
    """Name who makes the next save or delete of `instance`, and why, in its history."""
    if user is not None and user.is_authenticated:
        instance._history_user = user
    if reason:
        instance._change_reason = reason
    return instance


def save_with(
    service: Callable, instance: models.Model, *, user: AbstractBaseUser | None, reason: str = ""
) -> models.Model:
    """Call a `<entity>_save` service, whose first keyword is named after the entity."""
    keyword = next(iter(inspect.signature(service).parameters))
    return service(**{keyword: instance, "user": user, "reason": reason})


@transaction.atomic
def municipality_save(
    *, municipality: Municipality, user: AbstractBaseUser | None, reason: str = ""
) -> Municipality:
    return save_validated(municipality, user=user, reason=reason)


@transaction.atomic
def area_save(
    *, area: CooperationArea, user: AbstractBaseUser | None, reason: str = ""
) -> CooperationArea:
    return save_validated(area, user=user, reason=reason)


@transaction.atomic
def membership_save(
    *, membership: AreaMembership, user: AbstractBaseUser | None, reason: str = ""
) -> AreaMembership:
    """Record a partner joining (or leaving) an area; periods may not overlap."""
    list(CooperationArea.objects.select_for_update().filter(pk=membership.area_id))
    return save_validated(membership, user=user, reason=reason)


@transaction.atomic
def commuting_ratio_save(
    *, ratio: CommutingRatio, user: AbstractBaseUser | None, reason: str = ""
) -> CommutingRatio:
    return save_validated(ratio, user=user, reason=reason)


@transaction.atomic
def clerk_unlock(*, role: StaffRole, user: AbstractBaseUser) -> SignInUnlock:
    """Clear a clerk's failed sign-ins (django-axes), so that they can sign in again before
    the cool-off ends, and record who did it."""
    attempts = AccessAttempt.objects.filter(username=role.user.get_username())
    cleared = failures_in(attempts)
    attempts.delete()
    return SignInUnlock.objects.create(
        clerk=role.user, municipality=role.municipality, unlocked_by=user, failures_cleared=cleared
    )
