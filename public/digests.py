"""The daily digest of the e-mail alerts: `manage.py send_alerts`, run on a schedule
(docs/deploy.md, "E-mail alerts").

Each confirmed follower gets the public events of what it follows — the events of its Atom
feed (public.feeds.latest_events), by the same rules, so a draft never appears — that it has
not been sent yet: those whose key is not among its `known_events`, the keys of the events as
they stood when it confirmed or when its last digest went out. An event counts from when it
reaches the public record, whatever its date: a resolution dated last week and recorded
today goes out in the next digest, once; a date of effect counts on the day it is reached.
A follower with nothing new gets no e-mail, and its row is left as it is.

When, and how often:

- At most one digest per follower per day (the local date of `sent_at`), however often the
  command runs.
- For each followed area or municipality, one transaction locks its due followers, marks
  them sent (their new `known_events` and `sent_at`) and, once committed, sends
  (transaction.on_commit). A second run at the same time waits for the lock (PostgreSQL), then
  finds them sent today; on SQLite, which locks the whole database, one of the two fails and
  sends nothing. A digest the mail server refuses is logged and its follower's mark put back, so
  the next run sends it again. A crash between the commit and the sending loses that day's
  digest: delivery is at most once — an event is never sent twice, at worst not at all.

Limits: only the feed's latest MAX_EVENTS events are compared, so an event older than all of
those (a history back-filled into a busy area) is not sent. An event taken off the public
record and later put back is news again.

Each run also deletes the sign-ups left unconfirmed for UNCONFIRMED_DAYS.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from municipalities.templatetags.names import name_text

from .feeds import Event
from .followers import (
    UNCONFIRMED_DAYS,
    absolute_url,
    alert_message,
    followed_events,
    followed_url,
    unsubscribe_url,
)
from .models import Follower, FollowRequest

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a run did: digests sent and refused by the mail server, sign-ups expired."""

    sent: int = 0
    failed: int = 0
    expired: int = 0


def _start_of_today() -> datetime.datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time()))


def due_followers():
    """Confirmed followers not sent a digest today."""
    return Follower.objects.filter(confirmed_at__isnull=False).exclude(
        sent_at__gte=_start_of_today()
    )


def expired_sign_ups_delete() -> int:
    """Delete the sign-ups left unconfirmed for UNCONFIRMED_DAYS, and the throttle's sign-ups
    older than a day; returns how many sign-ups expired."""
    now = timezone.now()
    FollowRequest.objects.filter(requested_at__lt=now - datetime.timedelta(days=1)).delete()
    expired = Follower.objects.filter(
        confirmed_at__isnull=True,
        requested_at__lt=now - datetime.timedelta(days=UNCONFIRMED_DAYS),
    )
    count, _deleted = expired.delete()
    return count


def digest_message(follower: Follower, events: list[Event]) -> EmailMessage:
    """The digest of `events` (in the follower's language), oldest first."""
    with override(follower.language):
        name = name_text(follower.followed)
        subject = _("%(name)s: new events (%(count)d)") % {"name": name, "count": len(events)}
        body = render_to_string(
            "public/alerts/digest_email.txt",
            {
                "follower": follower,
                "name": name,
                "events": sorted(events, key=lambda event: event.order),
                "page_url": followed_url(follower.followed),
                "site_url": absolute_url(""),
                "unsubscribe_url": unsubscribe_url(follower),
            },
        )
        return alert_message(follower, subject, body)


def digests_send() -> Outcome:
    """Send the day's digests (see the module's docstring); returns what was done."""
    outcome = Outcome(expired=expired_sign_ups_delete())
    followed = due_followers().values_list("area_id", "municipality_id").distinct().order_by()
    for area_id, municipality_id in list(followed):
        _send_for(area_id, municipality_id, outcome)
    return outcome


def _send_for(area_id: int | None, municipality_id: int | None, outcome: Outcome) -> None:
    """The digests of the followers of one area or municipality, in one transaction."""
    with transaction.atomic():
        followers = list(
            due_followers()
            .filter(area_id=area_id, municipality_id=municipality_id)
            .select_related("area__central_city", "area__joint_central_city", "municipality")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        if not followers:
            return
        events_in: dict[str, list[Event]] = {}  # by language, read once each
        marked = []  # (follower, its known events and sent_at before, the digest)
        now = timezone.now()
        for follower in followers:
            if follower.language not in events_in:
                with override(follower.language):
                    events_in[follower.language] = followed_events(follower.followed)
            events = events_in[follower.language]
            known = set(follower.known_events)
            new = [event for event in events if event.key not in known]
            if not new:
                continue
            before = (follower.known_events, follower.sent_at)
            marked.append((follower, before, digest_message(follower, new)))
            follower.known_events = [event.key for event in events]
            follower.sent_at = now
        if marked:
            Follower.objects.bulk_update(
                [follower for follower, _before, _message in marked], ["known_events", "sent_at"]
            )
            transaction.on_commit(lambda: _deliver(marked, outcome))


def _deliver(marked, outcome: Outcome) -> None:
    """Send the marked digests over one connection; put back the marks of those the mail
    server refused, so that the next run sends them again."""
    refused = []
    connection = get_connection()
    try:
        connection.open()  # one connection for them all
    except Exception:  # each digest below tries again, and fails alone
        logger.exception("The mail server does not answer")
    try:
        for follower, before, message in marked:
            message.connection = connection
            try:
                message.send()
            except Exception:  # refused, or no server: the next run tries again
                logger.exception("The digest to follower %s was not sent", follower.pk)
                follower.known_events, follower.sent_at = before
                refused.append(follower)
            else:
                outcome.sent += 1
    finally:
        connection.close()
    if refused:
        outcome.failed += len(refused)
        Follower.objects.bulk_update(refused, ["known_events", "sent_at"])
