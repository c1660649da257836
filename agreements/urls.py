from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path(
        "areas/<slug:slug>/agreements/<str:code>/",
        views.agreement_detail,
        name="detail",
    ),
]
