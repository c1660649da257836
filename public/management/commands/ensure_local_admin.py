from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from municipalities.models import Municipality, StaffRole
from municipalities.roles import create_account

USERNAME = "admin"
PASSWORD = "nagano-demo-2016"
CLERK_USERNAME = "iizuna-clerk"
CLERK_CODE = "205907"  # 飯綱町: the demo has an amendment waiting for its council
# 長野市's planning staff, with an address: the notification e-mails of the demo (printed in
# the terminal by the console backend) have someone to go to when the clerk records.
PLANNING_USERNAME = "nagano-planning"
PLANNING_EMAIL = "nagano-planning@example.com"
PLANNING_CODE = "202011"  # 長野市, the central city of the demo


class Command(BaseCommand):
    help = (
        "Create the local accounts for development (DEBUG only): the operator, the demo's "
        "planning staff of 長野市 and the demo's clerk of 飯綱町."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a known local account while DEBUG is off.")
        site = settings.SITE_URL
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Operator: sign in at {site}/admin/ as '{USERNAME}' with password '{PASSWORD}'"
                + ("" if created else " (unless you changed it)")
                + "."
            )
        )
        city = Municipality.objects.filter(code=PLANNING_CODE).first()
        if city is not None:
            self._planning_staff(city, site)
        clerk, clerk_created = get_user_model().objects.get_or_create(username=CLERK_USERNAME)
        if clerk_created:
            clerk.set_password(PASSWORD)
            clerk.save()
        town = Municipality.objects.filter(code=CLERK_CODE).first()
        if town is not None:
            StaffRole.objects.get_or_create(
                user=clerk, defaults={"kind": StaffRole.Kind.CLERK, "municipality": town}
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Clerk of {town.name}: sign in at {site}/accounts/login/ as "
                    f"'{CLERK_USERNAME}' with password '{PASSWORD}', then open {site}/desk/."
                )
            )

    def _planning_staff(self, city: Municipality, site: str) -> None:
        """The planning staff of the demo's central city, made once like any planning staff
        (create_account: the group, the role, the address)."""
        exists = get_user_model().objects.filter(username=PLANNING_USERNAME).exists()
        if not exists:
            create_account(
                kind=StaffRole.Kind.PLANNING_STAFF,
                municipality=city,
                username=PLANNING_USERNAME,
                email=PLANNING_EMAIL,
                password=PASSWORD,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Planning staff of {city.name}: sign in at {site}/admin/ as "
                f"'{PLANNING_USERNAME}' with password '{PASSWORD}'"
                + (" (unless you changed it)" if exists else "")
                + f". When a clerk records a resolution, the e-mail to {PLANNING_EMAIL} is "
                "printed in this terminal."
            )
        )
