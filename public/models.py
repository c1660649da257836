"""E-mail alerts without an account (public.followers, public.digests): who follows an area
or a municipality, and the recent sign-ups that throttle new ones.

Of a person, only the e-mail address is kept, with what it follows: no name, no account, no
history (removing a follower deletes the row). The throttle keeps no address at all, only
keyed digests of it, for a day.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import CooperationArea, Municipality


class AlertLanguage(models.TextChoices):
    """The language of the page someone signed up on: their e-mails are in it."""

    JAPANESE = "ja", "日本語"
    ENGLISH = "en", "English"


class Follower(models.Model):
    """An e-mail address that follows one area or one municipality.

    Unconfirmed until its owner opens the link of the confirmation e-mail (double opt-in);
    only then do digests go to it. `known_events` holds the keys (public.feeds.Event.key) of
    the followed events as they stood at confirmation or at the last digest sent: the next
    digest sends the public events not among them (public.digests).
    """

    email = models.EmailField(_("e-mail address"))
    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=2, choices=AlertLanguage.choices)
    # What the e-mailed links name, signed (public.followers): never the row's number, which
    # would tell how many follow, and never reused.
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    known_events = models.JSONField(_("events known at the last digest"), default=list)

    class Meta:
        verbose_name = _("e-mail follower")
        verbose_name_plural = _("e-mail followers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False, municipality__isnull=True)
                | Q(area__isnull=True, municipality__isnull=False),
                name="%(app_label)s_%(class)s_follows_one",
                violation_error_message=_("Follow either an area or a municipality."),
            ),
            models.CheckConstraint(
                condition=Q(language__in=AlertLanguage.values),
                name="%(app_label)s_%(class)s_language",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "area",
                condition=Q(area__isnull=False),
                name="%(app_label)s_%(class)s_once_per_area",
                violation_error_message=_("This address already follows this area."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "municipality",
                condition=Q(municipality__isnull=False),
                name="%(app_label)s_%(class)s_once_per_municipality",
                violation_error_message=_("This address already follows this municipality."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.followed}"

    @property
    def followed(self) -> CooperationArea | Municipality:
        return self.area or self.municipality


class FollowRequest(models.Model):
    """A sign-up, kept a day to throttle further ones (public.followers.sign_up_throttled):
    keyed digests of the client's address and of the e-mail address, never the addresses."""

    client_digest = models.CharField(max_length=64, db_index=True)
    email_digest = models.CharField(max_length=64, db_index=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("alert sign-up")
        verbose_name_plural = _("alert sign-ups")

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M}"
