from django.urls import path

from municipalities import converters  # noqa: F401  (registers the "code" converter)

from . import desk, views

app_name = "agreements"

# Each public page of an agreement, at the partner's address, and for an agreement of the
# joint central city (the area's second central city) under "with/<its code>/".
PAGES = [
    ("", views.agreement_detail, "detail"),
    ("versions/<int:number>/", views.agreement_detail, "version"),
    ("amendments/<int:pk>/", views.comparison, "comparison"),
    ("amendments/<int:pk>/comparison.xlsx", views.comparison_xlsx, "comparison_xlsx"),
    ("procedures/<int:pk>/notice-<code:party>.txt", views.notice, "notice"),
]

urlpatterns = [
    *[
        path(f"areas/<slug:slug>/agreements/<code:code>/{tail}", view, name=name)
        for tail, view, name in PAGES
    ],
    *[
        path(
            f"areas/<slug:slug>/agreements/<code:code>/with/<code:central>/{tail}",
            view,
            name=f"{name}_of",
        )
        for tail, view, name in PAGES
    ],
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
