from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from municipalities.models import Municipality, StaffRole
from municipalities.roles import create_account


class Command(BaseCommand):
    help = "Create a clerk account for the municipality with the given local government code."

    def add_arguments(self, parser):
        parser.add_argument("code", help="6-digit local government code, e.g. 202070")
        parser.add_argument("--username", help="default: clerk-<code>")
        parser.add_argument("--email", default="", help="where notifications are sent")
        parser.add_argument("--password", help="default: a new random password, printed once")

    @transaction.atomic
    def handle(self, *args, code, username=None, email="", password=None, **options):
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"No municipality has the code {code}.")
        try:
            user, password = create_account(
                kind=StaffRole.Kind.CLERK,
                municipality=municipality,
                username=username or f"clerk-{code}",
                email=email,
                password=password,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Clerk of {municipality.name} ({code}) created. Sign in at "
                f"{settings.SITE_URL}/accounts/login/ as '{user.username}' with password "
                f"'{password}', then open {settings.SITE_URL}/desk/."
            )
        )
