from django.urls import path

from municipalities import converters  # noqa: F401  (registers the "code" converter)

from . import views

app_name = "agreements"

urlpatterns = [
    path(
        "areas/<slug:slug>/agreements/<code:code>/",
        views.agreement_detail,
        name="detail",
    ),
]
