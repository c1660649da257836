from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from municipalities.models import Municipality, StaffRole

USERNAME = "admin"
PASSWORD = "nagano-demo-2016"
CLERK_USERNAME = "iizuna-clerk"
CLERK_CODE = "205907"  # 飯綱町: the demo has an amendment waiting for its council


class Command(BaseCommand):
    help = "Create the local planning-staff account for development (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a known local account while DEBUG is off.")
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
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
                    f"Clerk of {town.name}: sign in at http://127.0.0.1:8000/accounts/login/ as "
                    f"'{CLERK_USERNAME}' with password '{PASSWORD}', then open /desk/."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Sign in at http://127.0.0.1:8000/admin/ as "
                f"'{USERNAME}' with password '{PASSWORD}'"
                + ("" if created else " (unless you changed it)")
                + "."
            )
        )
