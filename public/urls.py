from django.urls import path

from municipalities import converters  # noqa: F401  (registers the "code" converter)

from . import alerts, calendars, desk, exports, search, views
from .bulk.views import bulk_descriptor, bulk_download
from .feeds import AreaEventsFeed, MunicipalityEventsFeed

app_name = "public"

urlpatterns = [
    path("", views.area_list, name="area_list"),
    path("areas.csv", exports.areas_csv, name="areas_csv"),
    path("areas.json", exports.areas_json, name="areas_json"),
    path("data/rentai-open-data.zip", bulk_download, name="bulk_download"),
    path("data/datapackage.json", bulk_descriptor, name="bulk_descriptor"),
    path("procedure/", views.procedure_guide, name="procedure_guide"),
    path("questions/", views.questions, name="questions"),
    path("search/", search.search, name="search"),
    path("areas/<slug:slug>/", views.area_detail, name="area_detail"),
    path("areas/<slug:slug>.json", exports.area_record_json, name="area_json"),
    path("areas/<slug:slug>/feed.atom", AreaEventsFeed(), name="area_feed"),
    path("areas/<slug:slug>/calendar.ics", calendars.area_calendar, name="area_calendar"),
    path("areas/<slug:slug>/follow/", alerts.follow_area, name="area_follow"),
    path(
        "areas/<slug:slug>/agreements.csv",
        exports.area_agreements_csv,
        name="area_agreements_csv",
    ),
    path(
        "areas/<slug:slug>/agreements.json",
        exports.area_agreements_json,
        name="area_agreements_json",
    ),
    path(
        "areas/<slug:slug>/vision/projects.csv",
        exports.vision_projects_csv,
        name="vision_projects_csv",
    ),
    path(
        "areas/<slug:slug>/vision/projects.json",
        exports.vision_projects_json,
        name="vision_projects_json",
    ),
    path("municipalities/<code:code>/", views.municipality_detail, name="municipality_detail"),
    path(
        "municipalities/<code:code>/feed.atom",
        MunicipalityEventsFeed(),
        name="municipality_feed",
    ),
    path(
        "municipalities/<code:code>/calendar.ics",
        calendars.municipality_calendar,
        name="municipality_calendar",
    ),
    path(
        "municipalities/<code:code>/follow/",
        alerts.follow_municipality,
        name="municipality_follow",
    ),
    path("alerts/confirm/<str:token>/", alerts.confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alert_unsubscribe"),
    path("desk/", desk.desk, name="desk"),
]
