"""Root URL configuration."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from config.health import healthz
from config.robots import robots_txt
from municipalities.admin_base import view_on_site
from municipalities.signin import ThrottledPasswordResetView
from public import records_admin


class FaviconView(RedirectView):
    """/favicon.ico: the site's icon at its static address (read per request, once the
    production manifest of hashed names is there)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


admin.site.site_header = _("Cooperation area records")
admin.site.site_title = _("Cooperation area records")
admin.site.index_title = _("Planning staff")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    # The read-only API: one address in every language (labels in Japanese and English).
    path("api/", include("public.api.urls")),
]
# Japanese at the plain address, English under /en/ (config.middleware).
urlpatterns += i18n_patterns(
    # Before the admin's own "view on site", which would redirect to any record's address.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path(
        "admin/records/import/",
        admin.site.admin_view(records_admin.import_page),
        name="record_import",
    ),
    path("admin/", admin.site.urls),
    # Before Django's own, which does not limit how often a reset e-mail is sent.
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("agreements.urls")),
    path("", include("vision.urls")),
    path("", include("public.urls")),
    prefix_default_language=False,
)
