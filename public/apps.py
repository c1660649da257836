from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The top layer: pages, open data and feeds that read across the registry, the
    agreements and the vision (and the clerk's desk, which gathers both apps' work)."""

    name = "public"
    verbose_name = _("Public site")
