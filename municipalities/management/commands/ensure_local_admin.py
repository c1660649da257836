from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "nagano-demo-2016"


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
        self.stdout.write(
            self.style.SUCCESS(
                "Sign in at http://127.0.0.1:8000/admin/ as "
                f"'{USERNAME}' with password '{PASSWORD}'"
                + ("" if created else " (unless you changed it)")
                + "."
            )
        )
