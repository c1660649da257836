"""Reads of visions shared by pages."""

import dataclasses
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
    prefetch_related_objects,
)

from agreements.models import Role
from agreements.selectors import with_public_items
from municipalities.models import CooperationArea

from .models import (
    FiscalSupport,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectParticipant,
    PublicComment,
    Vision,
    VisionStatus,
)
from .progress import STATUS_ORDER

# What a project's public page and its entry on the vision page show of its indicators: all
# of them, in their order. with_details() adds their yearly values and the participants.
PROJECT_INDICATORS = Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id"))


@dataclasses.dataclass(slots=True)
class Participant:
    """A municipality taking part in a project, as the vision page lists it (`url` is the
    page's to set)."""

    code: str
    name: str
    url: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class YearlyValue:
    """An actual value or a yearly target of an indicator, as pages and charts read it."""

    fiscal_year: int
    value: Decimal
    is_sample: bool


def with_yearly_values(indicators) -> list[Indicator]:
    """Set each indicator's actual values (`yearly_actuals`) and yearly targets
    (`yearly_targets`), by fiscal year, and its progress (`progress_now`); return them.

    Two queries of plain values: a vision page reads a thousand of them, and a model instance
    for each would cost more than the rest of the page.
    """
    indicators = list(indicators)
    by_id = {indicator.pk: indicator for indicator in indicators}
    for indicator in indicators:
        indicator.yearly_actuals, indicator.yearly_targets = [], []
    lists = ((IndicatorActual, "yearly_actuals"), (IndicatorTarget, "yearly_targets"))
    for model, attribute in lists:
        rows = (
            model.objects.filter(indicator_id__in=list(by_id))
            .order_by("indicator_id", "fiscal_year")
            .values_list("indicator_id", "fiscal_year", "value", "is_sample")
        )
        for indicator_id, fiscal_year, value, is_sample in rows:
            getattr(by_id[indicator_id], attribute).append(
                YearlyValue(fiscal_year, value, is_sample)
            )
    return with_progress(indicators)


def with_details(projects) -> list[Project]:
    """Load each project's indicators (PROJECT_INDICATORS) with their yearly values and
    progress, and its participants in code order (`participant_list`, plain values); return
    the projects."""
    projects = list(projects)
    prefetch_related_objects(projects, PROJECT_INDICATORS)
    with_yearly_values(i for project in projects for i in project.indicators.all())
    by_id = {project.pk: project for project in projects}
    for project in projects:
        project.participant_list = []
    rows = (
        ProjectParticipant.objects.filter(project_id__in=list(by_id))
        .order_by("municipality__code")
        .values_list("project_id", "municipality__code", "municipality__name")
    )
    for project_id, code, name in rows:
        by_id[project_id].participant_list.append(Participant(code, name))
    return projects


def public_visions() -> QuerySet[Vision]:
    """Every vision the public may see: a draft is internal work and is never shown.

    Every public page and export of visions and their projects starts here.
    """
    return Vision.objects.exclude(status=VisionStatus.DRAFT)


def public_comments(today) -> QuerySet[PublicComment]:
    """The comments received on public visions whose comment period ended before `today`:
    Vision.comment_has_ended, in SQL."""
    return PublicComment.objects.filter(
        vision__in=public_visions(), vision__comment_ends_on__lt=today
    )


# Which public vision of an area is "the" vision: the adopted one, else the newest.
CURRENT_FIRST = (
    Case(When(status=VisionStatus.ADOPTED, then=0), default=1),
    "-first_fiscal_year",
    "-id",
)


def project_role_order(path: str = "role") -> Case:
    """Roles in the guideline's order ア, イ, ウ (not the alphabetical order of their codes)."""
    return Case(*(When(**{path: role}, then=i) for i, role in enumerate(Role.values)))


def _counted(vision: Vision | None) -> Vision | None:
    """Set the vision's numbers of projects and indicators from its prefetched projects."""
    if vision is not None:
        projects = vision.projects.all()
        vision.project_count = len(projects)
        vision.indicator_count = sum(len(project.indicators.all()) for project in projects)
    return vision


def current_vision(area: CooperationArea) -> Vision | None:
    """The adopted vision of an area, or else its most recent public one; with its projects
    (and their lead and indicators) and its numbers of projects and indicators.

    A draft is internal work of the planning staff and is never shown.
    """
    vision = (
        public_visions()
        .filter(area=area)
        .select_related("previous")
        .order_by(*CURRENT_FIRST)
        .first()
    )
    if vision is not None:
        prefetch_related_objects(
            [vision],
            Prefetch("projects", queryset=Project.objects.select_related("lead")),
            Prefetch("projects__indicators", queryset=Indicator.objects.order_by("order", "id")),
        )
    return _counted(vision)


def vision_for_detail(area: CooperationArea, pk: int | None = None) -> Vision | None:
    """The current vision (or the public version `pk`) with what its page shows of every
    project (with_details) and its numbers of projects and indicators."""
    visions = public_visions().filter(area=area).select_related("previous")
    if pk is None:
        vision = visions.order_by(*CURRENT_FIRST).first()
    else:
        vision = visions.filter(pk=pk).first()
    if vision is not None:
        prefetch_related_objects(
            [vision], Prefetch("projects", queryset=Project.objects.select_related("lead"))
        )
        with_details(vision.projects.all())
    return _counted(vision)


def with_progress(indicators) -> list[Indicator]:
    """Set `progress_now` on indicators with their yearly values (with_yearly_values, or
    plain prefetches of actuals and targets); return them."""
    indicators = list(indicators)
    for indicator in indicators:
        indicator.progress_now = indicator.progress()
    return indicators


def versions(area: CooperationArea) -> list[Vision]:
    """Every public version of an area's vision, the newest first."""
    return list(
        public_visions().filter(area=area).order_by("-first_fiscal_year", "-adopted_on", "-id")
    )


def current_of(all_versions: list[Vision]) -> Vision | None:
    """Of an area's public versions (newest first), the current one, as CURRENT_FIRST says."""
    adopted = [v for v in all_versions if v.status == VisionStatus.ADOPTED]
    return (adopted or all_versions or [None])[0]


def progress_counts(vision: Vision) -> list[tuple]:
    """(progress status, number of indicators) for every status, best first."""
    counts = Counter(
        indicator.progress_now.status
        for project in vision.projects.all()
        for indicator in project.indicators.all()
    )
    return [(status, counts.get(status, 0)) for status in STATUS_ORDER]


@dataclasses.dataclass
class BudgetYear:
    fiscal_year: int
    by_role: list[Decimal]
    total: Decimal
    is_sample: bool = False

    @property
    def role_cells(self) -> list[tuple[str, Decimal]]:
        """(role's label, amount), in the roles' order: each cell names its column, so that
        the table can stand as one card per year on a phone."""
        return list(zip((role.label for role in Role), self.by_role, strict=True))


def budget_by_year(vision: Vision) -> list[BudgetYear]:
    """The project costs of a vision per fiscal year, by role (ア, イ, ウ) and in total."""
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    samples: set[int] = set()
    for row in (
        ProjectBudget.objects.filter(project__vision=vision)
        .values("fiscal_year", "project__role")
        .annotate(amount=Sum("amount"), samples=Count("id", filter=Q(is_sample=True)))
    ):
        sums[row["fiscal_year"]][row["project__role"]] = row["amount"]
        if row["samples"]:
            samples.add(row["fiscal_year"])
    return [
        BudgetYear(
            year,
            [sums[year].get(role, Decimal(0)) for role in Role.values],
            sum(sums[year].values(), Decimal(0)),
            year in samples,
        )
        for year in sorted(sums)
    ]


@dataclasses.dataclass
class Retarget:
    project: Project
    indicator: Indicator
    before: Indicator


@dataclasses.dataclass
class Changes:
    added: list[Project]
    removed: list[Project]
    retargeted: list[Retarget]


def revision_changes(vision: Vision) -> Changes | None:
    """What a revision changed against the version it revises, by project and indicator
    number: projects added and removed, indicators whose target (value or year) changed."""
    if vision.previous_id is None:
        return None
    before = {
        project.code: project
        for project in Project.objects.filter(vision_id=vision.previous_id).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id"))
        )
    }
    after = {project.code: project for project in vision.projects.all()}
    retargeted = []
    for code, project in after.items():
        if code not in before:
            continue
        earlier = {indicator.code: indicator for indicator in before[code].indicators.all()}
        for indicator in project.indicators.all():
            old = earlier.get(indicator.code)
            if old is not None and (old.target_value, old.target_fiscal_year) != (
                indicator.target_value,
                indicator.target_fiscal_year,
            ):
                retargeted.append(Retarget(project, indicator, old))

    def in_role_order(projects):
        return sorted(projects, key=lambda p: (Role.values.index(p.role), p.order, p.code))

    return Changes(
        added=in_role_order(p for code, p in after.items() if code not in before),
        removed=in_role_order(p for code, p in before.items() if code not in after),
        retargeted=sorted(
            retargeted,
            key=lambda r: (Role.values.index(r.project.role), r.project.order, r.indicator.order),
        ),
    )


def project_participations(project: Project) -> list[ProjectParticipant]:
    """The participants of a project with the agreement item that covers each, the item
    named as the public reads it (its public_title and public_label: an amendment being
    drafted may rename it)."""
    participations = list(
        project.participations.select_related(
            "municipality",
            "agreement_item__agreement__partner",
            "agreement_item__agreement__central_party",
            "agreement_item__agreement__area",
        ).order_by("municipality__code")
    )
    with_public_items(p.agreement_item for p in participations if p.agreement_item_id)
    return participations


def led_or_joined(municipality, path: str = "") -> Q:
    """Projects (through `path` to the project) the municipality leads or takes part in,
    found through two indexed lookups (no scan of every project)."""
    led = Project.objects.filter(lead=municipality).values("pk")
    joined = ProjectParticipant.objects.filter(municipality=municipality).values("project_id")
    return Q(**{f"{path}pk__in": led}) | Q(**{f"{path}pk__in": joined})


def public_projects() -> QuerySet[Project]:
    """Projects of every vision that is not a draft, with their vision, area and details."""
    return (
        Project.objects.filter(vision__in=public_visions())
        .select_related("vision__area__central_city", "vision__area__joint_central_city", "lead")
        .prefetch_related(PROJECT_INDICATORS)
    )


def fiscal_support_by_year(area: CooperationArea) -> list[dict]:
    """The allocation tax of an area per fiscal year: the central city's ordinary and special
    tax, the partners' special tax (and how many partners), and the total; oldest first."""
    central = Q(municipality_id=area.central_city_id)
    rows = (
        FiscalSupport.objects.filter(area=area)
        .values("fiscal_year")
        .annotate(
            central_ordinary=Sum("ordinary_amount", filter=central),
            central_special=Sum("special_amount", filter=central),
            partners_special=Sum("special_amount", filter=~central),
            partners=Count("id", filter=~central),
            samples=Count("id", filter=Q(is_sample=True)),
            total=Sum("ordinary_amount") + Sum("special_amount"),
        )
        .order_by("fiscal_year")
    )
    zero = Decimal(0)
    return [
        {
            **row,
            "central_ordinary": row["central_ordinary"] or zero,
            "central_special": row["central_special"] or zero,
            "partners_special": row["partners_special"] or zero,
        }
        for row in rows
    ]
