"""The admin site: the domain's apps first, the operator's sign-in records (django-axes) after
them, and django-axes' names in the site's languages (it ships no Japanese)."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

# Apps listed after the domain's, in this order.
LAST_APPS = ("axes",)

# django-axes' model names, translated by this project's catalogue (django-axes has no
# Japanese); the strings are its own, so its models pick the translations up.
AXES_NAMES = (
    _("access failure"),
    _("access failures"),
    _("access attempt"),
    _("access attempts"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access log"),
    _("access logs"),
    _("User Agent"),
    _("IP Address"),
    _("Username"),
    _("Path"),
    _("Attempt Time"),
    _("Failed Logins"),
    _("Logout Time"),
    _("Access lock out"),
    _("Expires At"),
)


class Site(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        last = {label: index for index, label in enumerate(LAST_APPS)}
        # Stable: the domain's apps keep their order, the others follow in LAST_APPS order.
        return sorted(apps, key=lambda app: last.get(app["app_label"], -1))


class SiteConfig(AdminConfig):
    default_site = "config.admin.Site"


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts (django-axes)")
