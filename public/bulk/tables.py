"""The tables of the bulk data: their columns, types, keys and the keys that join them.

Column names are the machine names of the site's other exports (public.exports and the
exports of agreements and vision) where those have the column; each table's rows come from
public.bulk.record. A column that holds a model field as it is takes its type, title and
codes from the field (`_of`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agreements.exports import AGREEMENT_CSV_COLUMNS
from agreements.models import Agreement, AgreementItem, CouncilResolution, Procedure
from agreements.status import AgreementStatus, ProcedureStage
from municipalities.models import (
    AreaDirectoryEntry,
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
)
from vision.exports import PROJECT_CSV_COLUMNS
from vision.models import (
    FiscalSupport,
    FiscalYearClosure,
    Indicator,
    Project,
    ProjectBudget,
    PublicComment,
    RoundtableMeeting,
    RoundtableMember,
    Vision,
    VisionStatus,
)
from vision.progress import ProgressStatus

from ..exports import AREA_CSV_COLUMNS
from ..selectors import STEP_LABELS


@dataclass(frozen=True)
class Column:
    """A column: its machine name, its Table Schema type, its title, the codes it allows."""

    name: str
    type: str
    title: Promise | str
    enum: tuple[str, ...] = ()

    def descriptor(self) -> dict:
        described = {"name": self.name, "type": self.type, "title": str(self.title)}
        if self.enum:
            described["constraints"] = {"enum": list(self.enum)}
        return described


# A foreign key: (its columns, the table it refers to, that table's columns); the table ""
# is the table itself.
ForeignKey = tuple[tuple[str, ...], str, tuple[str, ...]]


@dataclass(frozen=True)
class Table:
    name: str
    title: Promise
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    def descriptor(self) -> dict:
        """The table as a tabular data resource of the package."""
        schema = {"fields": [c.descriptor() for c in self.columns], "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(mine), "reference": {"resource": table, "fields": list(theirs)}}
                for mine, table, theirs in self.foreign_keys
            ]
        return {
            "name": self.name,
            "title": str(self.title),
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            # With a byte-order mark, as every CSV of the site: UTF-8's own signature, which
            # Excel needs and CSV readers skip (docs/open-data.md).
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": schema,
        }


TYPES = {
    "CharField": "string",
    "SlugField": "string",
    "TextField": "string",
    "URLField": "string",
    "DateField": "date",
    "BooleanField": "boolean",
    "PositiveSmallIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "DecimalField": "number",
}


def _of(model, *names: str) -> tuple[Column, ...]:
    """Columns holding these fields of the model as they are: type, verbose name, codes."""
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        codes = tuple(value for value, _label in field.choices or ())
        columns.append(
            Column(name, TYPES[field.get_internal_type()], capfirst(field.verbose_name), codes)
        )
    return tuple(columns)


def _code(name: str, title) -> Column:
    return Column(name, "string", title)


def _id(name: str, title) -> Column:
    return Column(name, "integer", title)


def _to(column: str, table: str, key: str) -> ForeignKey:
    return ((column,), table, (key,))


def _to_municipality(column: str) -> ForeignKey:
    return _to(column, "municipalities", "code")


AREA = _code("area", AREA_CSV_COLUMNS["area"])
MUNICIPALITY = _code("municipality", _("Municipality (code)"))
SAMPLE = Column("sample_values", "boolean", AGREEMENT_CSV_COLUMNS["sample_values"])
FISCAL_YEAR = Column("fiscal_year", "integer", _("Fiscal year"))
URL = Column("url", "string", AREA_CSV_COLUMNS["url"])
VISION = _id("vision", PROJECT_CSV_COLUMNS["vision"])
PROJECT = _id("project", PROJECT_CSV_COLUMNS["project"])
INDICATOR = _id("indicator", PROJECT_CSV_COLUMNS["indicator"])
PROCEDURE = _id("procedure", _("Procedure (id)"))

# An agreement is named by its area and its two parties, as its address names it.
AGREEMENT_KEY = ("area", "central_city", "partner")
AGREEMENT = (
    AREA,
    _code("central_city", AGREEMENT_CSV_COLUMNS["central_city"]),
    _code("partner", AGREEMENT_CSV_COLUMNS["partner"]),
)
TO_AGREEMENT = (AGREEMENT_KEY, "agreements", AGREEMENT_KEY)
TO_AREA = _to("area", "areas", "area")
TO_MUNICIPALITY = _to_municipality("municipality")
TO_VISION = _to("vision", "visions", "vision")
TO_PROJECT = _to("project", "projects", "project")

PUBLIC_VISION_STATUSES = tuple(s for s in VisionStatus.values if s != VisionStatus.DRAFT)

TABLES = (
    Table(
        "areas",
        _("Cooperation areas"),
        (
            AREA,
            Column("name", "string", AREA_CSV_COLUMNS["name"]),
            Column("name_en", "string", _("English name")),
            _code("central_city", AREA_CSV_COLUMNS["central_city"]),
            _code("joint_central_city", AREA_CSV_COLUMNS["joint_central_city"]),
            *_of(CooperationArea, "declared_on", "declaration_text"),
            *_of(CooperationArea, "formation_policy_on", "formation_policy_text"),
            *_of(CooperationArea, "description", "recorded"),
            Column("partners", "integer", AREA_CSV_COLUMNS["partners"]),
            Column("agreements_in_force", "integer", AREA_CSV_COLUMNS["agreements_in_force"]),
            Column("current_step", "string", AREA_CSV_COLUMNS["current_step"], tuple(STEP_LABELS)),
            SAMPLE,
            URL,
        ),
        ("area",),
        (_to_municipality("central_city"), _to_municipality("joint_central_city")),
    ),
    Table(
        "municipalities",
        _("Municipalities of the areas"),
        (
            _code("code", _("Local government code")),
            *_of(Municipality, "name", "name_kana"),
            Column("name_en", "string", _("English name")),
            *_of(Municipality, "kind", "prefecture"),
        ),
        ("code",),
    ),
    Table(
        "area_directory",
        _("The national directory of areas"),
        (
            AREA,
            *_of(AreaDirectoryEntry, "central_cities", "declaration", "vision", "member_count"),
            *_of(AreaDirectoryEntry, "as_of", "sources", "notes"),
        ),
        ("area",),
        (TO_AREA,),
    ),
    Table(
        "area_directory_members",
        _("Members of the areas in the national directory"),
        (AREA, MUNICIPALITY),
        ("area", "municipality"),
        (TO_AREA, TO_MUNICIPALITY),
    ),
    Table(
        "area_memberships",
        _("Partner memberships"),
        (
            AREA,
            MUNICIPALITY,
            *_of(AreaMembership, "joined_on", "left_on", "did_not_conclude"),
            Column("current", "boolean", _("Current partner")),
        ),
        ("area", "municipality", "joined_on"),
        (TO_AREA, TO_MUNICIPALITY),
    ),
    Table(
        "commuting_ratios",
        _("Commuting ratios"),
        (
            AREA,
            MUNICIPALITY,
            *_of(CommutingRatio, "ratio", "survey_year", "meets_rule"),
            Column("member", "boolean", _("Member of the area")),
            *_of(CommutingRatio, "outside_reason", "source"),
            SAMPLE,
        ),
        ("area", "municipality"),
        (TO_AREA, TO_MUNICIPALITY),
    ),
    Table(
        "agreements",
        _("Agreements"),
        (
            *AGREEMENT,
            Column("title", "string", AGREEMENT_CSV_COLUMNS["title"]),
            Column(
                "status", "string", AGREEMENT_CSV_COLUMNS["status"], tuple(AgreementStatus.values)
            ),
            Column("version", "integer", _("Version in force")),
            *_of(Agreement, "basic_policy", "text", "term_start", "term_end"),
            *_of(Agreement, "lapse_notice_months"),
            Column("notified_to", "string", _("Notified to"), ("governor", "minister")),
            SAMPLE,
            Column("url", "string", AGREEMENT_CSV_COLUMNS["url"]),
        ),
        AGREEMENT_KEY,
        (TO_AREA, _to_municipality("central_city"), _to_municipality("partner")),
    ),
    Table(
        "agreement_items",
        _("Agreement items"),
        (
            *AGREEMENT,
            Column("item", "integer", _("Item number")),
            *_of(AgreementItem, "role", "field", "title", "title_en"),
            *_of(AgreementItem, "central_city_part", "partner_part"),
            SAMPLE,
        ),
        (*AGREEMENT_KEY, "item"),
        (TO_AGREEMENT,),
    ),
    Table(
        "procedures",
        _("Procedures"),
        (
            PROCEDURE,
            *AGREEMENT,
            *_of(Procedure, "kind", "summary", "proposed_text"),
            Column("stage", "string", _("Stage (code)"), tuple(ProcedureStage.values)),
            *_of(Procedure, "proposed_on", "signed_on", "signing_ceremony", "effective_on"),
            *_of(Procedure, "central_notice_on"),
            Column("central_notice_number", "string", _("Central city's notice number")),
            *_of(Procedure, "partner_notice_on"),
            Column("partner_notice_number", "string", _("Partner's notice number")),
            *_of(Procedure, "governor_notified_on", "partner_notified_on", "dropped_on"),
            _code("notice_by", _("Notice given by (code)")),
            *_of(Procedure, "notice_given_on"),
            Column("central_notice_url", "string", _("Central city's public notice (URL)")),
            Column("partner_notice_url", "string", _("Partner's public notice (URL)")),
            Column("comparison_url", "string", _("Comparison table (URL)")),
            SAMPLE,
        ),
        ("procedure",),
        (TO_AGREEMENT, _to_municipality("notice_by")),
    ),
    Table(
        "council_resolutions",
        _("Council resolutions"),
        (
            _id("resolution", _("Resolution (id)")),
            PROCEDURE,
            _code("council", _("Council of (code)")),
            *_of(CouncilResolution, "session", "bill_number"),
            Column("bill", "string", _("Bill")),
            *_of(CouncilResolution, "submitted_on", "resolved_on", "result"),
            *_of(CouncilResolution, "approval", "approval_on"),
            Column("document_url", "string", _("Resolution document (URL)")),
            SAMPLE,
        ),
        ("resolution",),
        (_to("procedure", "procedures", "procedure"), _to_municipality("council")),
    ),
    Table(
        "visions",
        _("Visions"),
        (
            VISION,
            AREA,
            *_of(Vision, "title"),
            Column(
                "status",
                "string",
                capfirst(Vision._meta.get_field("status").verbose_name),
                PUBLIC_VISION_STATUSES,
            ),
            *_of(Vision, "first_fiscal_year", "last_fiscal_year", "adopted_on"),
            _id("previous", _("Earlier version (id)")),
            *_of(Vision, "revision_reason", "changes_note", "future_image"),
            *_of(Vision, "comment_starts_on", "comment_ends_on"),
            SAMPLE,
        ),
        ("vision",),
        (TO_AREA, _to("previous", "", "vision")),
    ),
    Table(
        "roundtable_members",
        _("Roundtable members"),
        (
            VISION,
            Column("name", "string", _("Member's name")),
            *_of(RoundtableMember, "sector", "affiliation", "is_chair", "order"),
            SAMPLE,
        ),
        foreign_keys=(TO_VISION,),
    ),
    Table(
        "roundtable_meetings",
        _("Roundtable meetings"),
        (
            VISION,
            *_of(RoundtableMeeting, "held_on", "agenda"),
            Column("minutes", "string", _("Minutes (URL)")),
            SAMPLE,
        ),
        foreign_keys=(TO_VISION,),
    ),
    Table(
        "public_comments",
        _("Public comments"),
        (
            VISION,
            *_of(PublicComment, "number", "summary", "response", "draft_changed", "change_made"),
            SAMPLE,
        ),
        ("vision", "number"),
        (TO_VISION,),
    ),
    Table(
        "projects",
        _("Projects of the visions"),
        (
            PROJECT,
            VISION,
            Column("project_number", "string", PROJECT_CSV_COLUMNS["project_number"]),
            *_of(Project, "role", "field", "title", "title_en", "description"),
            _code("lead", PROJECT_CSV_COLUMNS["lead"]),
            *_of(Project, "order"),
            SAMPLE,
        ),
        ("project",),
        (TO_VISION, _to_municipality("lead")),
    ),
    Table(
        "project_participants",
        _("Project participants"),
        (
            PROJECT,
            MUNICIPALITY,
            Column("agreement_item", "string", _("Agreement item that covers its part")),
        ),
        ("project", "municipality"),
        (TO_PROJECT, TO_MUNICIPALITY),
    ),
    Table(
        "project_budgets",
        _("Project costs"),
        (PROJECT, MUNICIPALITY, FISCAL_YEAR, *_of(ProjectBudget, "amount"), SAMPLE),
        ("project", "municipality", "fiscal_year"),
        (TO_PROJECT, TO_MUNICIPALITY),
    ),
    Table(
        "indicators",
        _("Indicators"),
        (
            INDICATOR,
            PROJECT,
            Column("indicator_number", "string", PROJECT_CSV_COLUMNS["indicator_number"]),
            *_of(Indicator, "name", "name_en", "unit", "unit_en", "kind", "direction"),
            *_of(Indicator, "baseline_value", "baseline_fiscal_year"),
            *_of(Indicator, "target_value", "target_fiscal_year", "order"),
            Column(
                "progress", "string", PROJECT_CSV_COLUMNS["progress"], tuple(ProgressStatus.values)
            ),
            SAMPLE,
        ),
        ("indicator",),
        (TO_PROJECT,),
    ),
    Table(
        "indicator_values",
        _("Yearly targets and actual values of the indicators"),
        (
            INDICATOR,
            Column("kind", "string", _("Target or actual"), ("target", "actual")),
            FISCAL_YEAR,
            Column("value", "number", _("Value")),
            SAMPLE,
        ),
        ("indicator", "kind", "fiscal_year"),
        (_to("indicator", "indicators", "indicator"),),
    ),
    Table(
        "fiscal_support",
        _("Allocation tax"),
        (
            AREA,
            MUNICIPALITY,
            FISCAL_YEAR,
            *_of(FiscalSupport, "special_amount", "ordinary_amount", "note"),
            SAMPLE,
        ),
        ("area", "municipality", "fiscal_year"),
        (TO_AREA, TO_MUNICIPALITY),
    ),
    Table(
        "closed_fiscal_years",
        _("Closed fiscal years"),
        (AREA, FISCAL_YEAR, *_of(FiscalYearClosure, "closed_on")),
        ("area", "fiscal_year"),
        (TO_AREA,),
    ),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}
