import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from municipalities.models import CooperationArea, Municipality, StaffRole
from municipalities.roles import setup_roles


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
        username = username or f"planning-{code}"
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The user name {username} is taken.")
        password = password or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username, email=email, password=password, is_staff=True
        )
        user.groups.add(setup_roles())
        StaffRole.objects.create(user=user, kind=StaffRole.Kind.PLANNING_STAFF, municipality=city)
        site = getattr(settings, "SITE_URL", "")
        self.stdout.write(
            self.style.SUCCESS(
                f"Planning staff of {city.name} created. Sign in at {site}/admin/ as "
                f"'{username}' with password '{password}'."
            )
        )
