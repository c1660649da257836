from django.core.management.base import BaseCommand, CommandError

from municipalities import directory


class Command(BaseCommand):
    help = (
        "Load the national directory of areas (the real areas of Japan, with their sources) "
        "from municipalities/data/areas-national.csv; needs load_registry first. An area not "
        "recorded here becomes a directory entry; run again, it updates in place (safe to run "
        "again)."
    )

    def handle(self, *args, **options):
        try:
            result = directory.load()
        except directory.DirectoryError as error:
            raise CommandError(f"{error} (run load_registry first)") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"National directory: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
