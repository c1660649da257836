from django.urls import path

from municipalities import converters  # noqa: F401  (registers the "code" converter)

from . import desk, views

app_name = "agreements"

urlpatterns = [
    path(
        "areas/<slug:slug>/agreements/<code:code>/",
        views.agreement_detail,
        name="detail",
    ),
    # An agreement of the joint central city (the area's second central city) with a partner.
    path(
        "areas/<slug:slug>/agreements/<code:code>/with/<code:central>/",
        views.agreement_detail,
        name="detail_of",
    ),
    path(
        "desk/procedures/<int:procedure_pk>/resolutions/new/",
        desk.resolution_new,
        name="resolution_new",
    ),
    path("desk/resolutions/<int:pk>/", desk.resolution_edit, name="resolution_edit"),
    path(
        "resolutions/<int:pk>/document.pdf",
        desk.resolution_document,
        name="resolution_document",
    ),
]
