"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Cooperation area records")
admin.site.site_title = _("Cooperation area records")
admin.site.index_title = _("Planning staff")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("agreements.urls")),
    path("", include("vision.urls")),
    path("", include("public.urls")),
]
