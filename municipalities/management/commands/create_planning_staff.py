from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from municipalities.models import CooperationArea, Municipality, StaffRole
from municipalities.roles import create_account


class Command(BaseCommand):
    help = "Create a planning-staff account for the central city with the given code."

    def add_arguments(self, parser):
        parser.add_argument("code", help="6-digit local government code of the central city")
        parser.add_argument("--username", help="default: planning-<code>")
        parser.add_argument("--email", default="", help="where notifications are sent")
        parser.add_argument("--password", help="default: a new random password, printed once")

    @transaction.atomic
    def handle(self, *args, code, username=None, email="", password=None, **options):
        city = Municipality.objects.filter(code=code).first()
        if city is None:
            raise CommandError(f"No municipality has the code {code}.")
        if not CooperationArea.objects.filter(central_city=city).exists():
            raise CommandError(f"{city.name} is not the central city of any area.")
        try:
            user, password = create_account(
                kind=StaffRole.Kind.PLANNING_STAFF,
                municipality=city,
                username=username or f"planning-{code}",
                email=email,
                password=password,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Planning staff of {city.name} created. Sign in at {settings.SITE_URL}/admin/ "
                f"as '{user.username}' with password '{password}'."
            )
        )
