"""How the search finds projects and indicators (the rule is municipalities.search's), of
public visions only: a draft vision's projects are internal work and are never found.

Results list the current versions first: the adopted vision, then one in public comment,
then the earlier (superseded) versions, whose pages stay public.
"""

from django.db.models import Case, QuerySet, When

from municipalities.search import Query, SearchRule

from .models import Indicator, Project, VisionStatus
from .selectors import project_role_order, public_visions

PROJECT_RULE = SearchRule(fields=("code", "title", "title_en", "description"))
INDICATOR_RULE = SearchRule(fields=("name", "name_en"))


def _current_first(path: str) -> Case:
    return Case(
        When(**{path: VisionStatus.ADOPTED}, then=0),
        When(**{path: VisionStatus.PUBLIC_COMMENT}, then=1),
        default=2,
    )


def projects_listed() -> QuerySet[Project]:
    """Projects as the search results show them: with their vision, area and lead."""
    return Project.objects.select_related(
        "vision__area__central_city", "vision__area__joint_central_city", "lead"
    )


def public_projects_found(query: Query) -> QuerySet[Project]:
    """The projects of public visions the query finds by number, title, description or
    English title; by area, current versions first, in the roles' order."""
    projects = (
        projects_listed()
        .filter(vision__in=public_visions())
        .order_by(
            "vision__area__name",
            _current_first("vision__status"),
            "-vision__first_fiscal_year",
            "vision_id",
            project_role_order(),
            "order",
            "id",
        )
    )
    return PROJECT_RULE.matching(projects, query)


def indicators_listed() -> QuerySet[Indicator]:
    """Indicators as the search results show them: with their project, vision and area."""
    return Indicator.objects.select_related(
        "project__vision__area__central_city", "project__vision__area__joint_central_city"
    )


def public_indicators_found(query: Query) -> QuerySet[Indicator]:
    """The indicators of public visions' projects the query finds by name or English name;
    in the order of their projects."""
    indicators = (
        indicators_listed()
        .filter(project__vision__in=public_visions())
        .order_by(
            "project__vision__area__name",
            _current_first("project__vision__status"),
            "-project__vision__first_fiscal_year",
            "project__vision_id",
            project_role_order("project__role"),
            "project__order",
            "project_id",
            "order",
            "id",
        )
    )
    return INDICATOR_RULE.matching(indicators, query)
