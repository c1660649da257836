"""The API's addresses, under /api/ in every language (config/urls.py)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from municipalities import converters  # noqa: F401  (registers the "code" converter)

from . import views

app_name = "api"


class DocsView(SpectacularSwaggerView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), started by a script
    file of ours instead of an inline one, so that it runs under the site's CSP."""

    template_name = "public/api_docs.html"
    title = "API — 連携中枢都市圏の記録 / Cooperation area records"


urlpatterns = [
    path("", views.Index.as_view(), name="index"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("areas/", views.AreaList.as_view(), name="areas"),
    path("areas/<slug:slug>/", views.AreaDetail.as_view(), name="area"),
    path("municipalities/", views.MunicipalityList.as_view(), name="municipalities"),
    path("municipalities/<code:code>/", views.MunicipalityDetail.as_view(), name="municipality"),
    path("agreements/", views.AgreementList.as_view(), name="agreements"),
    path(
        "agreements/<slug:slug>/<code:code>/",
        views.AgreementDetail.as_view(),
        name="agreement",
    ),
    path(
        "agreements/<slug:slug>/<code:code>/with/<code:central>/",
        views.JointAgreementDetail.as_view(),
        name="agreement_of",
    ),
    path("visions/", views.VisionList.as_view(), name="visions"),
    path("visions/<int:pk>/", views.VisionDetail.as_view(), name="vision"),
    path("projects/", views.ProjectList.as_view(), name="projects"),
    path("projects/<int:pk>/", views.ProjectDetail.as_view(), name="project"),
    path("indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("indicators/<int:pk>/", views.IndicatorDetail.as_view(), name="indicator"),
]
