import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from municipalities.models import Municipality, StaffRole


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
        username = username or f"clerk-{code}"
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The user name {username} is taken.")
        password = password or secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, email=email, password=password)
        StaffRole.objects.create(user=user, kind=StaffRole.Kind.CLERK, municipality=municipality)
        site = getattr(settings, "SITE_URL", "")
        self.stdout.write(
            self.style.SUCCESS(
                f"Clerk of {municipality.name} ({code}) created. Sign in at {site}/accounts/login/ "
                f"as '{username}' with password '{password}', then open {site}/desk/."
            )
        )
