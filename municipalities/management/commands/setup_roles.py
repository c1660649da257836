from django.core.management.base import BaseCommand

from municipalities.roles import PLANNING_STAFF_GROUP, setup_roles


class Command(BaseCommand):
    help = "Create or update the roles' groups and permissions (safe to run again)."

    def handle(self, *args, **options):
        group = setup_roles()
        self.stdout.write(
            self.style.SUCCESS(
                f"Group '{PLANNING_STAFF_GROUP}' has {group.permissions.count()} permissions."
            )
        )
