"""The admin site: the domain's apps first, the operator's sign-in records (django-axes) after
them, and the texts of django-axes (which ships no Japanese) and django-import-export (whose
Japanese is incomplete) in the site's languages."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# Apps listed after the domain's, in this order: the e-mail followers and the sign-in
# records, both the operator's alone.
LAST_APPS = ("public", "axes")

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


# The texts of django-import-export's pages that its Japanese catalogue leaves untranslated,
# in its own words, so that this project's catalogue translates them.
IMPORT_EXPORT_TEXTS = (
    _("%s through import_export"),
    _("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    _(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the "
        "correct format for the file."
    ),
    _("No valid data to import. Ensure your file has the correct headers or data for import."),
    _("Resource"),
    _('Select at least 1 field for "%(resource_name)s" to export'),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", 1),
    _("This exporter will export the following fields: "),
    _("Select all"),
    _("Some rows failed to validate"),
    _(
        "Please correct these errors in your data where possible, then reupload it using the "
        "form above."
    ),
    _("Row"),
    _("Non field specific"),
    _("Value could not be parsed."),
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
