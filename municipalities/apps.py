from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Municipalities and cooperation areas")

    def ready(self) -> None:
        from . import page_versions

        page_versions.connect()
