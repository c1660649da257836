"""The roles as Django groups and permissions, made by code (never by hand)."""

import secrets

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

PLANNING_STAFF_GROUP = "planning staff"

# What planning staff may do in the admin, model by model; the admin further limits every
# list and choice to the areas of their own central city.
PLANNING_STAFF_PERMISSIONS = {
    # "change": the English name only, of their areas' municipalities (MunicipalityAdmin).
    "municipalities.municipality": ("view", "change"),
    "municipalities.cooperationarea": ("view", "change"),
    "municipalities.areamembership": ("view", "add", "change"),
    "municipalities.commutingratio": ("view", "add", "change"),
    "agreements.agreement": ("view", "add", "change", "delete"),
    "agreements.agreementitem": ("view", "add", "change", "delete"),
    "agreements.procedure": ("view", "add", "change", "delete"),
    "agreements.councilresolution": ("view", "add", "change"),
    "vision.vision": ("view", "add", "change", "delete"),
    "vision.project": ("view", "add", "change", "delete"),
    "vision.projectparticipant": ("view", "add", "change", "delete"),
    "vision.indicator": ("view", "add", "change", "delete"),
    "vision.indicatoractual": ("view", "add", "change"),
    "vision.indicatortarget": ("view", "add", "change", "delete"),
    "vision.projectbudget": ("view", "add", "change"),
    "vision.roundtablemember": ("view", "add", "change", "delete"),
    "vision.roundtablemeeting": ("view", "add", "change"),
    "vision.publiccomment": ("view", "add", "change"),
    "vision.fiscalsupport": ("view", "add", "change"),
    "vision.fiscalyearclosure": ("view", "add"),
    "vision.allocationtaxrule": ("view",),
    # Their areas' clerks locked out after failed sign-ins: seeing and unlocking them, and
    # the record of who unlocked whom (the sign-in records themselves are the operator's).
    "municipalities.clerkaccount": ("view",),
    "municipalities.signinunlock": ("view",),
}


def setup_roles() -> Group:
    """Create or bring up to date the planning-staff group; return it."""
    group, _ = Group.objects.get_or_create(name=PLANNING_STAFF_GROUP)
    permissions = []
    for label, actions in PLANNING_STAFF_PERMISSIONS.items():
        app_label, model = label.split(".")
        content_type = ContentType.objects.get(app_label=app_label, model=model)
        permissions += Permission.objects.filter(
            content_type=content_type, codename__in=[f"{a}_{model}" for a in actions]
        )
    group.permissions.set(permissions)
    return group


def create_account(
    *, kind: str, municipality, username: str, email: str = "", password: str | None = None
) -> tuple:
    """A new account with its role; returns (user, password). Planning staff join the group
    and may use the admin; clerks use only the desk."""
    from django.contrib.auth import get_user_model

    from .models import StaffRole

    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValueError(f"The user name {username} is taken.")
    password = password or secrets.token_urlsafe(12)
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error
    planning = kind == StaffRole.Kind.PLANNING_STAFF
    user = User.objects.create_user(
        username=username, email=email, password=password, is_staff=planning
    )
    if planning:
        user.groups.add(setup_roles())
    StaffRole.objects.create(user=user, kind=kind, municipality=municipality)
    return user, password
