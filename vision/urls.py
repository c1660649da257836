from django.urls import path

from . import desk, views

app_name = "vision"

urlpatterns = [
    path("areas/<slug:slug>/vision/", views.vision_detail, name="detail"),
    path("areas/<slug:slug>/vision/<int:pk>/", views.vision_detail, name="version"),
    path("areas/<slug:slug>/vision/projects/<int:pk>/", views.project_detail, name="project"),
    path(
        "areas/<slug:slug>/vision/indicators/<int:pk>/chart.svg",
        views.indicator_chart_image,
        name="chart",
    ),
    path(
        "areas/<slug:slug>/vision/minutes/<int:pk>.pdf",
        views.minutes_document,
        name="minutes",
    ),
    path(
        "desk/indicators/<int:indicator_pk>/actuals/<int:year>/",
        desk.actual_new,
        name="actual_new",
    ),
    path("desk/actuals/<int:pk>/", desk.actual_edit, name="actual_edit"),
]
