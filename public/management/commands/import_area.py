import json

from django.core.management.base import BaseCommand, CommandError

from public import records


class Command(BaseCommand):
    help = (
        "Import the whole record of an area (the JSON of /areas/<slug>.json): all or nothing, "
        "updating in place what is already there. With --dry-run, only check it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the record, as /areas/<slug>.json gives it")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the record and save nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, encoding="utf-8-sig") as f:
                data = json.load(f)
        except (OSError, ValueError) as error:
            raise CommandError(f"{file}: {error}") from None
        report = records.import_record(data, user=None, commit=not dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{error.path or '(record)'}: {error.message}")
            raise CommandError(f"{len(report.errors)} errors; nothing was saved.")
        for kind, created, updated, unchanged in report.kinds():
            self.stdout.write(
                f"{kind}: {created} created, {updated} updated, {unchanged} unchanged"
            )
        slug = report.area.slug if report.area else data["area"].get("slug")
        verb = "checked (dry run, nothing saved)" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"Area {slug} {verb}: /areas/{slug}/"))
