from django.core.management.base import BaseCommand

from public import demo


class Command(BaseCommand):
    help = "Load the Nagano demo area (safe to run again: nothing is duplicated)."

    def handle(self, *args, **options):
        area = demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Nagano demo ready: {area.name} with {area.agreements.count()} agreements "
                f"— /areas/{area.slug}/"
            )
        )
