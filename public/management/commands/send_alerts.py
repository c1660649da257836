"""Send the day's e-mail alerts: `manage.py send_alerts`, on a schedule (docs/deploy.md)."""

from django.core.management.base import BaseCommand

from public.digests import digests_send


class Command(BaseCommand):
    help = (
        "Send each confirmed follower the public events of its area or municipality that it "
        "has not been sent yet (one e-mail a day at most; none without news), and delete the "
        "sign-ups left unconfirmed. Safe to run more often than daily."
    )

    def handle(self, *args, **options):
        outcome = digests_send()
        self.stdout.write(
            f"Digests sent: {outcome.sent}; refused by the mail server (sent again on the "
            f"next run): {outcome.failed}; unconfirmed sign-ups deleted: {outcome.expired}."
        )
        if outcome.failed:
            self.stderr.write(self.style.WARNING(f"{outcome.failed} digests were not sent."))
