"""The API's addresses: a list and a detail for each kind of public record.

Each list reads its query parameters first (public.api.filters: a bad one is a 400), then one
page of records in a fixed number of queries whatever the page's size, each record with
what `modified` needs (public.api.modified). Answers are JSON; the middleware gives them an
ETag (a request naming it gets 304) and public Cache-Control, as for the pages.
"""

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import stored_status
from agreements.selectors import public_agreements, with_public_titles
from agreements.status import AgreementStatus
from municipalities.models import AreaMembership, CooperationArea, Municipality, MunicipalityKind
from vision.exports import (
    INDICATOR_VALUES,
    PROJECT_RECORD,
    name_covering_items,
    visions_for_export,
)
from vision.models import (
    Indicator,
    Project,
)
from vision.selectors import CURRENT_FIRST, led_or_joined, project_role_order, public_visions

from ..selectors import areas_with_figures, at_step, overviews
from . import filters, modified, records, serializers
from .paging import Pages

PUBLIC_VISION_STATUSES = [value for value, _ in serializers.PUBLIC_VISION_STATUSES]
STEPS = serializers.STEPS

ERRORS = {
    400: OpenApiResponse(
        serializers.PARAMETER_ERROR, description="A query parameter has a bad value."
    ),
    404: OpenApiResponse(
        serializers.ErrorSerializer, description="No such page (after the last one)."
    ),
    429: OpenApiResponse(
        serializers.ErrorSerializer, description="Too many requests from this address."
    ),
}
DETAIL_ERRORS = {
    404: OpenApiResponse(serializers.ErrorSerializer, description="No such public record."),
    429: ERRORS[429],
}


def _path(name: str, description: str, kind=OpenApiTypes.STR, pattern=None):
    return OpenApiParameter(
        name, kind, OpenApiParameter.PATH, description=description, pattern=pattern
    )


SLUG = _path("slug", "The area's slug, e.g. `nagano`.", pattern=r"^[-a-zA-Z0-9_]+$")
CODE = _path("code", "Local government code (6 digits), e.g. `202070`.", pattern=r"^[0-9]{6}$")


def _id(what: str) -> OpenApiParameter:
    return _path("id", f"The {what}'s id, which never changes.", OpenApiTypes.INT)


def _current_vision(area: str = "area_id") -> Subquery:
    """The id of the current public vision (the adopted one, else the newest) of the area
    whose id is the outer row's `area`."""
    visions = public_visions().filter(area=OuterRef(area)).order_by(*CURRENT_FIRST)
    return Subquery(visions.values("pk")[:1])


def _takes_part(municipality: Municipality, path: str = "pk") -> Q:
    """Areas (through `path` to the area's id) the municipality is a central city or a
    member of, now or before."""
    members = AreaMembership.objects.filter(municipality=municipality).values("area_id")
    central = Q(central_city=municipality) | Q(joint_central_city=municipality)
    return Q(**{f"{path}__in": members}) | Q(
        **{f"{path}__in": CooperationArea.objects.filter(central).values("pk")}
    )


class RecordList(generics.ListAPIView):
    """A list of one kind of record, a page at a time, filtered by its query parameters."""

    pagination_class = Pages
    changes: modified.Changes

    def rows(self, params, today):
        """The records the parameters select, in their order (a QuerySet)."""
        raise NotImplementedError

    def records(self, rows: list, today) -> list[dict]:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        today = timezone.localdate()
        params = request.query_params
        since, queryset = filters.checked(
            lambda: filters.moment(params), lambda: self.rows(params, today)
        )
        if since is not None:
            queryset = self.changes.since(queryset, since, today)
        page = self.paginate_queryset(self.changes.annotate(queryset, today))
        data = self.get_serializer(self.records(page, today), many=True).data
        return self.get_paginated_response(data)


def _list_schema(serializer, summary: str, description: str, parameters: list):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[*parameters, filters.MODIFIED_SINCE],
        responses={200: OpenApiResponse(serializer, description="A page of the list."), **ERRORS},
    )


def _detail_schema(serializer, summary: str, description: str, parameters: list):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=parameters,
        responses={200: OpenApiResponse(serializer, description="The record."), **DETAIL_ERRORS},
    )


# Areas ---------------------------------------------------------------------------------------


@_list_schema(
    serializers.AreaSerializer,
    "Areas",
    "Every cooperation area, by region (its central city's code) and name, with its figures "
    "and the step of the procedure it is at. Areas of the national directory whose procedure "
    "is not recorded here have `recorded` false and null figures.",
    [
        filters.municipality_parameter(
            "areas this municipality is a central city or a member of (now or before)"
        ),
        filters.choice_parameter("step", STEPS, "Only areas at this step (`current_step`)."),
    ],
)
class AreaList(RecordList):
    serializer_class = serializers.AreaSerializer
    changes = modified.AREA

    def rows(self, params, today):
        municipality, step = filters.checked(
            lambda: filters.municipality(params),
            lambda: filters.choice(params, "step", STEPS),
        )
        stored_status.refresh_due(today)
        areas = areas_with_figures(today)
        if municipality is not None:
            areas = areas.filter(_takes_part(municipality))
        if step is not None:
            areas = areas.filter(at_step(step))
        return areas

    def records(self, rows, today):
        absolute = self.request.build_absolute_uri
        return [
            records.area_summary(
                area, progress, absolute=absolute, modified=self.changes.modified(area)
            )
            for area, progress in overviews(rows)
        ]


@_detail_schema(
    serializers.AreaDetailSerializer,
    "One area",
    "An area with its figures, declaration, formation policy, members, current vision and "
    "links to its agreements, its visions and its whole record as one JSON document.",
    [SLUG],
)
class AreaDetail(generics.RetrieveAPIView):
    serializer_class = serializers.AreaDetailSerializer
    changes = modified.AREA

    def retrieve(self, request, slug: str):
        today = timezone.localdate()
        stored_status.refresh_due(today)
        memberships = AreaMembership.objects.select_related("municipality").order_by(
            "municipality__code", "joined_on"
        )
        area = (
            self.changes.annotate(areas_with_figures(today), today)
            .annotate(current_vision_id=_current_vision("pk"))
            .prefetch_related(Prefetch("memberships", queryset=memberships))
            .filter(slug=slug)
            .first()
        )
        if area is None:
            raise Http404
        [(area, progress)] = overviews([area])
        record = records.area_detail(
            area,
            progress,
            absolute=request.build_absolute_uri,
            modified=self.changes.modified(area),
            current_vision=area.current_vision_id,
            today=today,
        )
        return Response(self.get_serializer(record).data)


# Municipalities ------------------------------------------------------------------------------


@_list_schema(
    serializers.MunicipalitySerializer,
    "Municipalities",
    "Every local government of the national registry (municipalities, and the prefectures "
    "and wards of designated cities it also holds), by code.",
    [
        filters.area_parameter("the central cities and members (now or before)"),
        filters.choice_parameter(
            "kind", MunicipalityKind.values, "Only local governments of this kind."
        ),
    ],
)
class MunicipalityList(RecordList):
    serializer_class = serializers.MunicipalitySerializer
    changes = modified.MUNICIPALITY

    def rows(self, params, today):
        area, kind = filters.checked(
            lambda: filters.area(params),
            lambda: filters.choice(params, "kind", MunicipalityKind.values),
        )
        municipalities = Municipality.objects.order_by("code")
        if area is not None:
            members = AreaMembership.objects.filter(area=area).values("municipality_id")
            municipalities = municipalities.filter(
                Q(pk__in=members) | Q(pk__in=area.central_city_ids)
            )
        if kind is not None:
            municipalities = municipalities.filter(kind=kind)
        return municipalities

    def records(self, rows, today):
        absolute = self.request.build_absolute_uri
        return [
            records.municipality_summary(m, absolute=absolute, modified=self.changes.modified(m))
            for m in rows
        ]


@_detail_schema(
    serializers.MunicipalityDetailSerializer,
    "One municipality",
    "A local government of the national registry, with the areas it is a central city or a "
    "partner of.",
    [CODE],
)
class MunicipalityDetail(generics.RetrieveAPIView):
    serializer_class = serializers.MunicipalityDetailSerializer
    changes = modified.MUNICIPALITY

    def retrieve(self, request, code: str):
        today = timezone.localdate()
        municipality = self.changes.annotate(Municipality.objects, today).filter(code=code).first()
        if municipality is None:
            raise Http404
        central_of = list(
            CooperationArea.objects.filter(
                Q(central_city=municipality) | Q(joint_central_city=municipality)
            ).order_by("slug")
        )
        memberships = list(
            AreaMembership.objects.filter(municipality=municipality)
            .select_related("area")
            .order_by("area__slug", "joined_on")
        )
        record = records.municipality_detail(
            municipality,
            absolute=request.build_absolute_uri,
            modified=self.changes.modified(municipality),
            central_of=central_of,
            memberships=memberships,
            today=today,
        )
        return Response(self.get_serializer(record).data)


# Agreements ----------------------------------------------------------------------------------


@_list_schema(
    serializers.AgreementSerializer,
    "Agreements",
    "Every public agreement (連携協約), by area, partner and central city; an agreement the "
    "planning staff have not published is never listed. Its whole record, with procedures and "
    "council resolutions, is at its `api_url`.",
    [
        filters.area_parameter("agreements"),
        filters.municipality_parameter("agreements this municipality is a party to (甲 or 乙)"),
        filters.choice_parameter(
            "status", AgreementStatus.values, "Only agreements with this status today."
        ),
    ],
)
class AgreementList(RecordList):
    serializer_class = serializers.AgreementSerializer
    changes = modified.AGREEMENT

    def rows(self, params, today):
        area, municipality, status = filters.checked(
            lambda: filters.area(params),
            lambda: filters.municipality(params),
            lambda: filters.choice(params, "status", AgreementStatus.values),
        )
        agreements = public_agreements().order_by(
            "area__slug", "partner__code", "central_party__code", "pk"
        )
        if area is not None:
            agreements = agreements.filter(area=area)
        if municipality is not None:
            agreements = agreements.filter(Q(partner=municipality) | Q(central_party=municipality))
        if status is not None:
            stored_status.refresh_due(today)
            agreements = agreements.filter(stored_status=status)
        return agreements

    def records(self, rows, today):
        absolute = self.request.build_absolute_uri
        return [
            records.agreement_summary(
                a, absolute=absolute, today=today, modified=self.changes.modified(a)
            )
            # Titles as the public reads them, not a drafted amendment's.
            for a in with_public_titles(rows, today)
        ]


AGREEMENT_DETAIL = (
    "The whole public record of an agreement, as `/areas/<slug>/agreements.json` gives it: "
    "its content as the public sees it today, its items, versions, and its procedures on the "
    "public record with their council resolutions (an amendment or abolition still being "
    "drafted is not shown)."
)


class _AgreementDetail(generics.RetrieveAPIView):
    serializer_class = serializers.AgreementDetailSerializer
    changes = modified.AGREEMENT

    def agreement(self, slug: str, code: str, central: str | None):
        agreements = public_agreements().prefetch_related("items")
        found = agreements.filter(area__slug=slug, partner__code=code)
        if central is None:
            found = found.filter(central_party=F("area__central_city"))
        else:
            found = found.filter(central_party__code=central).exclude(
                central_party=F("area__central_city")
            )
        today = timezone.localdate()
        agreement = self.changes.annotate(found, today).first()
        if agreement is None:
            raise Http404
        record = records.agreement_detail(
            agreement,
            absolute=self.request.build_absolute_uri,
            today=today,
            modified=self.changes.modified(agreement),
        )
        return Response(self.get_serializer(record).data)


@_detail_schema(
    serializers.AgreementDetailSerializer,
    "One agreement",
    AGREEMENT_DETAIL + " The agreement of the area's central city with the partner.",
    [SLUG, _path("code", "The partner's local government code.", pattern=r"^[0-9]{6}$")],
)
class AgreementDetail(_AgreementDetail):
    def retrieve(self, request, slug: str, code: str):
        return self.agreement(slug, code, None)


@_detail_schema(
    serializers.AgreementDetailSerializer,
    "One agreement of a joint central city",
    AGREEMENT_DETAIL + " The agreement of the area's joint central city with the partner.",
    [
        SLUG,
        _path("code", "The partner's local government code.", pattern=r"^[0-9]{6}$"),
        _path("central", "The joint central city's code.", pattern=r"^[0-9]{6}$"),
    ],
)
class JointAgreementDetail(_AgreementDetail):
    def retrieve(self, request, slug: str, code: str, central: str):
        return self.agreement(slug, code, central)


# Visions -------------------------------------------------------------------------------------


@_list_schema(
    serializers.VisionSerializer,
    "Visions",
    "Every public vision (連携中枢都市圏ビジョン) and its earlier versions, by area, newest "
    "first; a draft is never listed. The whole vision, with its projects, indicators and "
    "values, is at its `api_url`.",
    [
        filters.area_parameter("visions"),
        filters.municipality_parameter(
            "visions of the areas this municipality is a central city or a member of"
        ),
        filters.choice_parameter(
            "status", PUBLIC_VISION_STATUSES, "Only visions with this status."
        ),
    ],
)
class VisionList(RecordList):
    serializer_class = serializers.VisionSerializer
    changes = modified.VISION

    def rows(self, params, today):
        area, municipality, status = filters.checked(
            lambda: filters.area(params),
            lambda: filters.municipality(params),
            lambda: filters.choice(params, "status", PUBLIC_VISION_STATUSES),
        )
        visions = (
            public_visions()
            .select_related("area")
            .annotate(current_id=_current_vision())
            .order_by("area__slug", "-first_fiscal_year", "-pk")
        )
        if area is not None:
            visions = visions.filter(area=area)
        if municipality is not None:
            visions = visions.filter(_takes_part(municipality, "area_id"))
        if status is not None:
            visions = visions.filter(status=status)
        return visions

    def records(self, rows, today):
        absolute = self.request.build_absolute_uri
        return [
            records.vision_summary(
                v,
                absolute=absolute,
                modified=self.changes.modified(v),
                current=v.pk == v.current_id,
            )
            for v in rows
        ]


@_detail_schema(
    serializers.VisionDetailSerializer,
    "One vision",
    "The whole public vision, as `/areas/<slug>/vision/projects.json` gives it: its "
    "roundtable, its public comment (the comments once the period has ended), and its "
    "projects with their indicators, yearly targets, actual values and progress.",
    [_id("vision")],
)
class VisionDetail(generics.RetrieveAPIView):
    serializer_class = serializers.VisionDetailSerializer
    changes = modified.VISION

    def retrieve(self, request, pk: int):
        today = timezone.localdate()
        found = public_visions().select_related("area").filter(pk=pk).first()
        if found is None:
            raise Http404
        vision = (
            self.changes.annotate(visions_for_export(found.area), today)
            .annotate(current_id=_current_vision())
            .get(pk=pk)
        )
        record = records.vision_detail(
            vision,
            absolute=request.build_absolute_uri,
            today=today,
            modified=self.changes.modified(vision),
            current=vision.pk == vision.current_id,
        )
        return Response(self.get_serializer(record).data)


# Projects and indicators ---------------------------------------------------------------------


def public_projects_with_record():
    """The projects of public visions with everything their record shows, in a fixed number
    of queries (vision.exports.PROJECT_RECORD)."""
    return (
        Project.objects.filter(vision__in=public_visions())
        .select_related("vision__area", "lead")
        .prefetch_related(*PROJECT_RECORD)
    )


def _public_vision_id(params, name: str = "vision"):
    return filters.record_id(params, name, public_visions())


@_list_schema(
    serializers.ProjectSerializer,
    "Projects",
    "Every project of the public visions (current and earlier versions; `vision` says "
    "which), with its participants, costs and indicators with their values.",
    [
        filters.area_parameter("projects"),
        filters.municipality_parameter("projects this municipality leads or takes part in"),
        filters.id_parameter("vision", "Only projects of this vision."),
    ],
)
class ProjectList(RecordList):
    serializer_class = serializers.ProjectSerializer
    changes = modified.PROJECT

    def rows(self, params, today):
        area, municipality, vision = filters.checked(
            lambda: filters.area(params),
            lambda: filters.municipality(params),
            lambda: _public_vision_id(params),
        )
        projects = public_projects_with_record().order_by(
            "vision__area__slug",
            "-vision__first_fiscal_year",
            "vision_id",
            project_role_order(),
            "order",
            "pk",
        )
        if area is not None:
            projects = projects.filter(vision__area=area)
        if municipality is not None:
            projects = projects.filter(led_or_joined(municipality))
        if vision is not None:
            projects = projects.filter(vision_id=vision)
        return projects

    def records(self, rows, today):
        absolute = self.request.build_absolute_uri
        # The covering items of the whole page named at once, as the public reads them.
        name_covering_items(rows, today)
        return [
            records.project_detail(p, absolute=absolute, modified=self.changes.modified(p))
            for p in rows
        ]


@_detail_schema(
    serializers.ProjectSerializer,
    "One project",
    "A project of a public vision, with its participants, costs and indicators.",
    [_id("project")],
)
class ProjectDetail(generics.RetrieveAPIView):
    serializer_class = serializers.ProjectSerializer
    changes = modified.PROJECT

    def retrieve(self, request, pk: int):
        today = timezone.localdate()
        project = self.changes.annotate(public_projects_with_record(), today).filter(pk=pk).first()
        if project is None:
            raise Http404
        record = records.project_detail(
            project, absolute=request.build_absolute_uri, modified=self.changes.modified(project)
        )
        return Response(self.get_serializer(record).data)


def public_indicators_with_values():
    """The indicators of the projects of public visions, with their yearly values."""
    return (
        Indicator.objects.filter(project__vision__in=public_visions())
        .select_related("project__vision__area")
        .prefetch_related(*INDICATOR_VALUES)
    )


@_list_schema(
    serializers.IndicatorSerializer,
    "Indicators",
    "Every performance indicator (成果指標) of the projects of the public visions, with its "
    "baseline, target, yearly targets, actual values and progress.",
    [
        filters.area_parameter("indicators"),
        filters.municipality_parameter(
            "indicators of the projects this municipality leads or takes part in"
        ),
        filters.id_parameter("vision", "Only indicators of this vision's projects."),
        filters.id_parameter("project", "Only indicators of this project."),
    ],
)
class IndicatorList(RecordList):
    serializer_class = serializers.IndicatorSerializer
    changes = modified.INDICATOR

    def rows(self, params, today):
        area, municipality, vision, project = filters.checked(
            lambda: filters.area(params),
            lambda: filters.municipality(params),
            lambda: _public_vision_id(params),
            lambda: filters.record_id(
                params, "project", Project.objects.filter(vision__in=public_visions())
            ),
        )
        indicators = public_indicators_with_values().order_by(
            "project__vision__area__slug",
            "-project__vision__first_fiscal_year",
            "project__vision_id",
            project_role_order("project__role"),
            "project__order",
            "project_id",
            "order",
            "pk",
        )
        if area is not None:
            indicators = indicators.filter(project__vision__area=area)
        if municipality is not None:
            indicators = indicators.filter(led_or_joined(municipality, "project__"))
        if vision is not None:
            indicators = indicators.filter(project__vision_id=vision)
        if project is not None:
            indicators = indicators.filter(project_id=project)
        return indicators

    def records(self, rows, today):
        absolute = self.request.build_absolute_uri
        return [
            records.indicator_detail(i, absolute=absolute, modified=self.changes.modified(i))
            for i in rows
        ]


@_detail_schema(
    serializers.IndicatorSerializer,
    "One indicator",
    "A performance indicator of a public vision's project, with its values and progress.",
    [_id("indicator")],
)
class IndicatorDetail(generics.RetrieveAPIView):
    serializer_class = serializers.IndicatorSerializer
    changes = modified.INDICATOR

    def retrieve(self, request, pk: int):
        today = timezone.localdate()
        indicator = (
            self.changes.annotate(public_indicators_with_values(), today).filter(pk=pk).first()
        )
        if indicator is None:
            raise Http404
        record = records.indicator_detail(
            indicator,
            absolute=request.build_absolute_uri,
            modified=self.changes.modified(indicator),
        )
        return Response(self.get_serializer(record).data)


# The index -----------------------------------------------------------------------------------


class Index(APIView):
    @extend_schema(
        summary="The API's addresses",
        tags=["index"],
        description="Where each list, the schema and the documentation are.",
        responses={
            200: OpenApiResponse(serializers.IndexSerializer, description="The addresses."),
            429: ERRORS[429],
        },
    )
    def get(self, request):
        absolute = request.build_absolute_uri
        names = ["areas", "municipalities", "agreements", "visions", "projects", "indicators"]
        links = {name: absolute(reverse(f"api:{name}")) for name in names}
        links |= {"schema": absolute(reverse("api:schema")), "docs": absolute(reverse("api:docs"))}
        return Response(serializers.IndexSerializer(links).data)
