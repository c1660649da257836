"""Following an area or a municipality by e-mail, without an account: signing up (double
opt-in), confirming, removing, and the e-mails these send. The digests are public.digests'.

Links carry tokens signed with django.core.signing, each purpose with a salt of its own, of
the follower's `reference` (a random UUID). Nothing secret is stored: a copy of the database
opens no link, and no one can make one without SECRET_KEY. The confirmation link carries the
time it was made and expires after UNCONFIRMED_DAYS, when the unconfirmed sign-up is deleted
too. The unsubscribe link never expires and is the same in every e-mail, so that the link of
an old e-mail still works; once the row is gone it says so. An address removed and signed up
again is a new row with a new reference, which the old links do not reach.
"""

import datetime
import uuid

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from municipalities.models import CooperationArea, Municipality
from municipalities.templatetags.names import name_text

from .feeds import Event, latest_events
from .models import Follower, FollowRequest
from .scopes import area_scope, municipality_scope

# An unconfirmed sign-up, and its confirmation link, last this long.
UNCONFIRMED_DAYS = 7
# Sign-ups within SIGN_UP_WINDOW from one client's address, or for one e-mail address.
SIGN_UP_LIMIT = 5
SIGN_UP_WINDOW = datetime.timedelta(hours=1)

CONFIRM_SALT = "public.followers.confirm"
UNSUBSCRIBE_SALT = "public.followers.unsubscribe"
THROTTLE_SALT = "public.followers.throttle"


class LinkGone(Exception):
    """A genuine link whose sign-up no longer exists, or that expired before it was used."""


# Tokens -------------------------------------------------------------------------------------


def confirm_token(follower: Follower) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(follower.reference.hex)


def unsubscribe_token(follower: Follower) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(follower.reference.hex)


def _followers():
    return Follower.objects.select_related(
        "area__central_city", "area__joint_central_city", "municipality"
    )


def follower_to_confirm(token: str) -> Follower:
    """The follower a confirmation link names. Raises signing.BadSignature for a link this
    site did not make (or one cut short), LinkGone when the sign-up is no longer there or
    the link of an unconfirmed one is older than UNCONFIRMED_DAYS."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    follower = _followers().filter(reference=uuid.UUID(signer.unsign(token))).first()
    if follower is None:
        raise LinkGone
    if follower.confirmed_at is None:
        try:
            signer.unsign(token, max_age=datetime.timedelta(days=UNCONFIRMED_DAYS))
        except signing.SignatureExpired as expired:
            raise LinkGone from expired
    return follower


def follower_to_remove(token: str) -> Follower | None:
    """The follower an unsubscribe link names, or None when it is already removed. Raises
    signing.BadSignature for a link this site did not make."""
    reference = uuid.UUID(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    return _followers().filter(reference=reference).first()


# Services -----------------------------------------------------------------------------------


def _digest(value: str) -> str:
    return salted_hmac(THROTTLE_SALT, value, algorithm="sha256").hexdigest()


def sign_up_allowed(*, client: str | None, email: str) -> bool:
    """Whether one more sign-up may come from the client's address and for the e-mail
    address (fewer than SIGN_UP_LIMIT within SIGN_UP_WINDOW for each); if so, it is counted.
    Only keyed digests of the addresses are kept, for a day."""
    now = timezone.now()
    FollowRequest.objects.filter(requested_at__lt=now - datetime.timedelta(days=1)).delete()
    client_digest, email_digest = _digest(client or ""), _digest(email.lower())
    recent = FollowRequest.objects.filter(requested_at__gte=now - SIGN_UP_WINDOW)
    if (
        recent.filter(client_digest=client_digest).count() >= SIGN_UP_LIMIT
        or recent.filter(email_digest=email_digest).count() >= SIGN_UP_LIMIT
    ):
        return False
    FollowRequest.objects.create(client_digest=client_digest, email_digest=email_digest)
    return True


def follower_sign_up(
    *, email: str, followed: CooperationArea | Municipality, language: str
) -> Follower:
    """Sign the address up for `followed`, unconfirmed, and e-mail it the link to confirm
    once committed.

    Signing up again renews an unconfirmed sign-up (a new link, UNCONFIRMED_DAYS more, the
    new language) and leaves a confirmed one as it is, with an e-mail that says so: either
    way the answer on the page is the same, and only the address's owner learns which.
    """
    validate_email(email)
    field = "area" if isinstance(followed, CooperationArea) else "municipality"
    with transaction.atomic():
        follower, created = Follower.objects.get_or_create(
            email__iexact=email,
            **{field: followed},
            defaults={"email": email, "language": language},
        )
        if not created and follower.confirmed_at is None:
            follower.email, follower.language = email, language
            follower.requested_at = timezone.now()
            follower.save(update_fields=["email", "language", "requested_at"])
        message = confirmation_message(follower)
        transaction.on_commit(message.send)
    return follower


def followed_events(followed: CooperationArea | Municipality) -> list[Event]:
    """The latest public events of an area or a municipality, as its Atom feed lists them, in
    the active language."""
    if isinstance(followed, CooperationArea):
        return latest_events(*area_scope(followed))
    return latest_events(*municipality_scope(followed, timezone.localdate()))


def follower_confirm(*, follower: Follower) -> Follower:
    """Confirm the sign-up: digests go to the address from now on. The events already public
    are known to it, so the first digest brings only what becomes public later. Confirming
    again changes nothing."""
    if follower.confirmed_at is None:
        follower.known_events = [event.key for event in followed_events(follower.followed)]
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["known_events", "confirmed_at"])
    return follower


def follower_remove(*, follower: Follower) -> None:
    """Remove the address at once: the row is deleted, and nothing of it is kept."""
    follower.delete()


# E-mails ------------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def followed_page(followed: CooperationArea | Municipality) -> str:
    """The followed area's or municipality's page, in the active language."""
    if isinstance(followed, CooperationArea):
        return followed.get_absolute_url()
    return reverse("public:municipality_detail", kwargs={"code": followed.code})


def followed_url(followed: CooperationArea | Municipality) -> str:
    """followed_page, absolute (for e-mails)."""
    return absolute_url(followed_page(followed))


def unsubscribe_url(follower: Follower) -> str:
    return absolute_url(
        reverse("public:alert_unsubscribe", kwargs={"token": unsubscribe_token(follower)})
    )


def alert_message(follower: Follower, subject: str, body: str) -> EmailMessage:
    """A plain-text e-mail to the follower with its one-click unsubscribe (RFC 8058: the mail
    server must sign both headers with DKIM for mailbox providers to offer the button).
    Called in the follower's language."""
    return EmailMessage(
        # A subject is one line: a line break in a name must not stop the mail.
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[follower.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url(follower)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies
        },
    )


def confirmation_message(follower: Follower) -> EmailMessage:
    """The e-mail with the link to confirm, or, to an address that already follows, one that
    says so (with the link to stop)."""
    with override(follower.language):
        name = name_text(follower.followed)
        if follower.confirmed_at:
            subject = _("You already receive e-mail alerts for %(name)s") % {"name": name}
        else:
            subject = _("Confirm e-mail alerts for %(name)s") % {"name": name}
        confirm = reverse("public:alert_confirm", kwargs={"token": confirm_token(follower)})
        body = render_to_string(
            "public/alerts/confirmation_email.txt",
            {
                "follower": follower,
                "name": name,
                "confirm_url": absolute_url(confirm),
                "unsubscribe_url": unsubscribe_url(follower),
                "page_url": followed_url(follower.followed),
                "days": UNCONFIRMED_DAYS,
            },
        )
        return alert_message(follower, subject, body)
