from django.core.management.base import BaseCommand

from public.bulk.package import ZIP_NAME, build


class Command(BaseCommand):
    help = (
        f"Build the bulk data of the public record ({ZIP_NAME} in the default storage, served "
        "at /data/rentai-open-data.zip) if the record changed since the last build. Run it "
        "nightly (docs/deploy.md); it takes a moment when nothing changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Build and store it even if nothing changed."
        )

    def handle(self, *args, force: bool = False, **options):
        result = build(force=force)
        if result.outcome == "skipped":
            self.stdout.write(f"Open data: {ZIP_NAME} is up to date; nothing changed.")
            return
        rows = sum(result.rows.values())
        if result.outcome == "unchanged":
            self.stdout.write(f"Open data: {ZIP_NAME} is up to date ({rows} rows, the same).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Open data: built {ZIP_NAME} ({len(result.rows)} tables, {rows} rows, "
                f"{result.size:,} bytes)."
            )
        )
