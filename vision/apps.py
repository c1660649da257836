from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class VisionConfig(AppConfig):
    name = "vision"
    verbose_name = _("Area vision")

    def ready(self) -> None:
        from .allocation import ensure_first_rule

        post_migrate.connect(ensure_first_rule, sender=self, dispatch_uid="vision_first_rule")
