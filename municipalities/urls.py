from django.urls import path

from . import views

app_name = "municipalities"

urlpatterns = [
    path("", views.area_list, name="area_list"),
    path("areas/<slug:slug>/", views.area_detail, name="area_detail"),
]
