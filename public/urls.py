from django.urls import path

from municipalities import converters  # noqa: F401  (registers the "code" converter)

from . import calendars, desk, exports, views
from .feeds import AreaEventsFeed, MunicipalityEventsFeed

app_name = "public"

urlpatterns = [
    path("", views.area_list, name="area_list"),
    path("areas.csv", exports.areas_csv, name="areas_csv"),
    path("areas.json", exports.areas_json, name="areas_json"),
    path("procedure/", views.procedure_guide, name="procedure_guide"),
    path("questions/", views.questions, name="questions"),
    path("areas/<slug:slug>/", views.area_detail, name="area_detail"),
    path("areas/<slug:slug>.json", exports.area_record_json, name="area_json"),
    path("areas/<slug:slug>/feed.atom", AreaEventsFeed(), name="area_feed"),
    path("areas/<slug:slug>/calendar.ics", calendars.area_calendar, name="area_calendar"),
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
    path("desk/", desk.desk, name="desk"),
]
