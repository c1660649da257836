"""Reading the public record for the bulk data, one table at a time.

Each table is read in one query (plus the prefetches of its chunk), its rows streamed a chunk
of instances at a time: the number of queries does not grow with the rows below CHUNK_SIZE
per table, and grows by one set per chunk above. The rules of what is public are the
selectors': `public_agreements` and `agreement_record` (the procedures on the public record,
the content the public sees today), `public_visions`, and the comments of a public comment
period only once it has ended, as the vision's export has them.

Rows go to `write(table, source, **values)`: each column of the table takes its value from
`values`, else from the source's attribute or key of the same name (public.bulk.package).
"""

import datetime
from collections.abc import Callable

from django.db.models import Prefetch, Q, QuerySet

from agreements.exports import Absolute, agreement_record
from agreements.models import Agreement, CouncilResolution, Procedure
from agreements.selectors import on_public_record, public_agreements, public_contents, public_item
from municipalities.models import (
    AreaDirectoryEntry,
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
)
from vision.exports import _minutes
from vision.models import (
    FiscalSupport,
    FiscalYearClosure,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectParticipant,
    RoundtableMeeting,
    RoundtableMember,
    VisionStatus,
)
from vision.selectors import public_comments, public_visions

from ..exports import area_rows

CHUNK_SIZE = 500
# What the areas table takes of the rows of /areas.csv (public.exports.area_rows).
AREA_FIGURES = (
    "area",
    "central_city",
    "joint_central_city",
    "partners",
    "agreements_in_force",
    "current_step",
    "url",
)

Write = Callable[..., None]


def _chunks(queryset: QuerySet):
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def read_record(write: Write, *, today: datetime.date, absolute: Absolute) -> None:
    """Write every row of every table (public.bulk.tables) through `write`."""
    _areas(write, today, absolute)
    _municipalities(write)
    _directory(write)
    _memberships(write, today)
    _agreements(write, today, absolute)
    _visions(write, today, absolute)
    _projects(write, today)
    _indicators(write)
    _money(write)


def _areas(write: Write, today: datetime.date, absolute: Absolute) -> None:
    """The areas, with their figures as /areas.csv counts them (public.exports.area_rows)."""
    figures = {row["area"]: row for row in area_rows(absolute, today)}
    areas = CooperationArea.objects.select_related("central_city", "joint_central_city")
    for area in _chunks(areas.order_by("slug")):
        row = figures[area.slug]
        write(
            "areas",
            area,
            **{name: row[name] for name in AREA_FIGURES},
            sample_values=area.declaration_is_sample,
        )


def municipalities_on_record() -> QuerySet[Municipality]:
    """Every municipality a table names, so that each code finds its row."""
    visions = public_visions()
    agreements = Agreement.objects.filter(is_public=True)
    named_by = (
        CooperationArea.objects.values("central_city"),
        CooperationArea.objects.values("joint_central_city"),
        AreaDirectoryEntry.members.through.objects.values("municipality"),
        AreaMembership.objects.values("municipality"),
        CommutingRatio.objects.values("municipality"),
        agreements.values("central_party"),
        agreements.values("partner"),
        Procedure.objects.filter(on_public_record()).values("notice_by"),
        CouncilResolution.objects.filter(on_public_record("procedure__")).values("municipality"),
        Project.objects.filter(vision__in=visions).values("lead"),
        ProjectParticipant.objects.filter(project__vision__in=visions).values("municipality"),
        ProjectBudget.objects.filter(project__vision__in=visions).values("municipality"),
        FiscalSupport.objects.values("municipality"),
    )
    named = Q()
    for ids in named_by:
        named |= Q(pk__in=ids)
    return Municipality.objects.filter(named).order_by("code")


def _municipalities(write: Write) -> None:
    for municipality in _chunks(municipalities_on_record()):
        write("municipalities", municipality)


def _directory(write: Write) -> None:
    entries = AreaDirectoryEntry.objects.select_related("area").order_by("area__slug")
    for entry in _chunks(entries):
        write("area_directory", entry, area=entry.area.slug)
    members = AreaDirectoryEntry.members.through.objects.order_by(
        "areadirectoryentry__area__slug", "municipality__code"
    ).values_list("areadirectoryentry__area__slug", "municipality__code")
    for slug, code in _chunks(members):
        write("area_directory_members", area=slug, municipality=code)


def _memberships(write: Write, today: datetime.date) -> None:
    """Memberships, then commuting ratios, each saying whether its municipality is a member
    (now or once, or a central city), as the area's record does."""
    members = {
        (slug, code)
        for slug, *cities in CooperationArea.objects.values_list(
            "slug", "central_city__code", "joint_central_city__code"
        )
        for code in cities
    }
    memberships = AreaMembership.objects.select_related("area", "municipality")
    for m in _chunks(memberships.order_by("area__slug", "municipality__code", "joined_on")):
        members.add((m.area.slug, m.municipality.code))
        write(
            "area_memberships",
            m,
            area=m.area.slug,
            municipality=m.municipality.code,
            current=m.is_current_on(today),
        )
    ratios = CommutingRatio.objects.select_related("area", "municipality")
    for r in _chunks(ratios.order_by("area__slug", "municipality__code")):
        key = (r.area.slug, r.municipality.code)
        write(
            "commuting_ratios",
            r,
            area=key[0],
            municipality=key[1],
            member=key in members,
            sample_values=r.is_sample,
        )


def _agreements(write: Write, today: datetime.date, absolute: Absolute) -> None:
    """Each public agreement as its record reads (agreement_record): the agreement, the items
    of the content the public sees today, its public procedures and their resolutions."""
    agreements = (
        public_agreements()
        .prefetch_related("items")
        .order_by("area__slug", "partner__code", "central_party__code")
    )
    for agreement in _chunks(agreements):
        record = agreement_record(agreement, absolute=absolute, today=today)
        key = {name: record[name] for name in ("area", "central_city", "partner")}
        write("agreements", record, sample_values=record["is_sample"])
        for number, item in enumerate(record["items"], start=1):
            write("agreement_items", item, **key, item=number, sample_values=item["is_sample"])
        procedures = {p.pk: p for p in agreement.procedures.all()}
        for procedure in record["procedures"]:
            write(
                "procedures",
                procedure,
                **key,
                procedure=procedure["id"],
                sample_values=procedure["is_sample"],
            )
            resolutions = procedures[procedure["id"]].resolutions.all()
            for resolution, described in zip(resolutions, procedure["resolutions"], strict=True):
                write(
                    "council_resolutions",
                    described,
                    resolution=resolution.pk,
                    procedure=procedure["id"],
                    sample_values=described["is_sample"],
                )


def _visions(write: Write, today: datetime.date, absolute: Absolute) -> None:
    """The public visions (never a draft), their roundtables, and the public comments of
    periods that have ended."""
    visions = public_visions().select_related("area", "previous")
    for v in _chunks(visions.order_by("area__slug", "first_fiscal_year", "id")):
        # The version it revises, unless that is a draft (which is in no table).
        previous = v.previous if v.previous and v.previous.status != VisionStatus.DRAFT else None
        write(
            "visions",
            v,
            vision=v.pk,
            area=v.area.slug,
            previous=previous.pk if previous else None,
            **_sample(v),
        )
    public = {"vision__in": public_visions()}
    members = RoundtableMember.objects.filter(**public).order_by("vision_id", "order", "id")
    for m in _chunks(members):
        write("roundtable_members", m, vision=m.vision_id, **_sample(m))
    meetings = RoundtableMeeting.objects.filter(**public).select_related("vision__area")
    for m in _chunks(meetings.order_by("vision_id", "held_on", "id")):
        minutes = _minutes(m, absolute)
        write("roundtable_meetings", m, vision=m.vision_id, minutes=minutes, **_sample(m))
    for c in _chunks(public_comments(today).order_by("vision_id", "number")):
        write("public_comments", c, vision=c.vision_id, **_sample(c))


def _sample(instance) -> dict:
    return {"sample_values": instance.is_sample}


def _projects(write: Write, today: datetime.date) -> None:
    """The projects of the public visions, their participants (each partner's covering
    agreement item by the title the public reads: agreements.selectors.public_item) and
    costs."""
    public = {"project__vision__in": public_visions()}
    projects = Project.objects.filter(vision__in=public_visions()).select_related("lead")
    for p in _chunks(projects.order_by("vision_id", "order", "id")):
        write(
            "projects",
            p,
            project=p.pk,
            vision=p.vision_id,
            project_number=p.code,
            lead=p.lead.code,
            **_sample(p),
        )
    participants = (
        ProjectParticipant.objects.filter(**public)
        .order_by("project_id", "municipality__code")
        .values_list(
            "project_id",
            "municipality__code",
            "agreement_item_id",
            "agreement_item__agreement_id",
            "agreement_item__role",
            "agreement_item__title",
        )
    )
    contents = public_contents(Agreement.objects.filter(is_public=True), today)
    for project, code, item_id, agreement_id, role, title in _chunks(participants):
        entry = item_id and public_item(
            contents, agreement_id=agreement_id, item_id=item_id, role=role, title=title
        )
        write(
            "project_participants",
            project=project,
            municipality=code,
            agreement_item=entry["title"] if entry else None,
        )
    budgets = ProjectBudget.objects.filter(**public).select_related("municipality")
    for b in _chunks(budgets.order_by("project_id", "fiscal_year", "municipality__code")):
        write(
            "project_budgets",
            b,
            project=b.project_id,
            municipality=b.municipality.code,
            **_sample(b),
        )


def _indicators(write: Write) -> None:
    """The indicators of the public visions' projects, with their progress as the vision
    pages judge it, and their yearly targets and actual values."""
    public = Indicator.objects.filter(project__vision__in=public_visions())
    indicators = public.prefetch_related(
        Prefetch("actuals", queryset=IndicatorActual.objects.order_by("fiscal_year")),
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("fiscal_year")),
    )
    for i in _chunks(indicators.order_by("project_id", "order", "id")):
        write(
            "indicators",
            i,
            indicator=i.pk,
            project=i.project_id,
            indicator_number=i.code,
            progress=i.progress().status,
            **_sample(i),
        )
    for kind, model in (("target", IndicatorTarget), ("actual", IndicatorActual)):
        values = model.objects.filter(indicator__in=public).order_by("indicator_id", "fiscal_year")
        for v in _chunks(values):
            write("indicator_values", v, indicator=v.indicator_id, kind=kind, **_sample(v))


def _money(write: Write) -> None:
    """The allocation tax of every area, and the fiscal years closed."""
    support = FiscalSupport.objects.select_related("area", "municipality")
    for s in _chunks(support.order_by("area__slug", "fiscal_year", "municipality__code")):
        write(
            "fiscal_support",
            s,
            area=s.area.slug,
            municipality=s.municipality.code,
            **_sample(s),
        )
    closed = FiscalYearClosure.objects.select_related("area").order_by("area__slug", "fiscal_year")
    for c in _chunks(closed):
        write("closed_fiscal_years", c, area=c.area.slug)
