from django.urls import path

from . import views

app_name = "vision"

urlpatterns = [
    path("areas/<slug:slug>/vision/", views.vision_detail, name="detail"),
    path("areas/<slug:slug>/vision/projects/<int:pk>/", views.project_detail, name="project"),
]
