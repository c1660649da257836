from django.core.management.base import BaseCommand

from municipalities import registry


class Command(BaseCommand):
    help = (
        "Load every local government of Japan (47 prefectures, 1,916 municipalities and wards "
        "of designated cities) from the data shipped in municipalities/data; run again, it "
        "updates what changed, with history, and deletes nothing (safe to run again)."
    )

    def handle(self, *args, **options):
        result = registry.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"National registry: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
        if result.not_listed:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.not_listed)} local governments are no longer in the data "
                    f"and were kept (records may name them): {', '.join(result.not_listed)}"
                )
            )
