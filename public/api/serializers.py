"""The API's answers (public.api.records) described field by field, for the OpenAPI schema.

The views pass each record (a plain dictionary) through its serializer, so an answer holds
exactly the fields described here. Field names and codes are the open data's
(docs/open-data.md); a field that only some records have (an amendment's `changes`) is left
out, not null, where the JSON downloads leave it out.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from agreements.models import Role
from agreements.status import AgreementStatus, Approval, ProcedureKind, ProcedureStage, Result
from municipalities.models import MunicipalityKind
from vision.models import IndicatorKind, ProjectField, Sector, VisionStatus
from vision.progress import Direction, ProgressStatus

from ..selectors import STEP_LABELS

STEPS = list(STEP_LABELS)
# A draft is never public.
PUBLIC_VISION_STATUSES = [c for c in VisionStatus.choices if c[0] != VisionStatus.DRAFT]
AREA_ROLES = ["central_city", "joint_central_city", "partner"]


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"})
class DecimalText(serializers.CharField):
    """A decimal written exactly as recorded, as a string without trailing zeros (`"12.5"`)."""


class OptionalLink(serializers.URLField):
    """A link only some records have (an amendment's): left out where the record has no
    such key, null where it has one without a link."""

    def get_attribute(self, instance):
        if self.field_name not in instance:
            raise SkipField()
        return super().get_attribute(instance)


def _text(help_text: str, **options) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, allow_blank=True, **options)


def _date(help_text: str, **options) -> serializers.DateField:
    return serializers.DateField(help_text=help_text, **options)


def _link(help_text: str, **options) -> serializers.URLField:
    return serializers.URLField(help_text=help_text, **options)


def _labels(what: str) -> tuple[serializers.CharField, serializers.CharField]:
    return (
        serializers.CharField(help_text=f"The label of {what}, in Japanese."),
        serializers.CharField(help_text=f"The label of {what}, in English."),
    )


def _nullable_labels(what: str) -> tuple[serializers.CharField, serializers.CharField]:
    return (
        serializers.CharField(help_text=f"The label of {what}, in Japanese.", allow_null=True),
        serializers.CharField(help_text=f"The label of {what}, in English.", allow_null=True),
    )


IS_SAMPLE = "true: the values are invented for the demonstration, not recorded facts."
URL = "Its public page, in Japanese (full address)."
URL_EN = "Its public page, in English (full address)."
API_URL = "Its address in this API."
MODIFIED = (
    "When it was last modified: the latest write to {what} (by anyone: the admin, the desk, "
    "an import, a command; deletions included), or the start (00:00 in Japan) of the latest "
    "day that has come of {days}. `modified_since` filters on it."
)


def _modified(what: str, days: str = "none") -> serializers.DateTimeField:
    return serializers.DateTimeField(
        help_text=MODIFIED.format(what=what, days=days), allow_null=True
    )


class RecordSerializer(serializers.Serializer):
    """A record of a list or a detail: its links and `modified` come last."""

    LAST = ("url", "url_en", "api_url", "modified")

    def get_fields(self):
        fields = super().get_fields()
        for name in self.LAST:
            if name in fields:
                fields[name] = fields.pop(name)
        return fields


class MunicipalityNameSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Local government code (6 digits).")
    name = serializers.CharField(help_text="Name in Japanese.")
    name_en = serializers.CharField(help_text="Name in English.")


# Areas ---------------------------------------------------------------------------------------


class AreaSerializer(RecordSerializer):
    slug = serializers.SlugField(help_text="The area's identifier, e.g. `nagano`.")
    name = serializers.CharField(help_text="Name in Japanese.")
    name_en = serializers.CharField(help_text="Name in English.")
    central_city = MunicipalityNameSerializer(help_text="The central city (連携中枢都市).")
    joint_central_city = MunicipalityNameSerializer(
        allow_null=True,
        help_text="Where two cities are the central city together, the second one; else null.",
    )
    declared_on = _date(
        "Day of the central city's declaration (連携中枢都市宣言).", allow_null=True
    )
    recorded = serializers.BooleanField(
        help_text="false for an area known only from the national directory: its procedure "
        "is not recorded here, and its figures are null."
    )
    partners = serializers.IntegerField(help_text="Number of current partners.", allow_null=True)
    agreements_in_force = serializers.IntegerField(
        help_text="Number of current partners whose agreement is in force.", allow_null=True
    )
    current_step = serializers.ChoiceField(
        choices=STEPS,
        allow_null=True,
        help_text="The step of the procedure the area is at: `declaration`, `agreements`, "
        "`vision`, or `done` when all three are.",
    )
    current_step_label, current_step_label_en = _nullable_labels("the step")
    url = _link(URL)
    url_en = _link(URL_EN)
    api_url = _link(API_URL)
    modified = _modified(
        "the area or its memberships",
        "a member joining or leaving (its figures follow its "
        "agreements and visions, which have their own `modified`)",
    )


class DeclarationSerializer(serializers.Serializer):
    declared_on = _date("Day of the declaration.", allow_null=True)
    text = _text("Its text.")
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)


class FormationPolicySerializer(serializers.Serializer):
    resolved_on = _date("Day the central city's council resolved it.")
    text = _text("Its text or gist.")


class MembershipSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="The member's local government code.")
    name = serializers.CharField(help_text="Its name in Japanese.")
    name_en = serializers.CharField(help_text="Its name in English.")
    joined_on = _date("Day it joined.")
    left_on = _date("First day it was no longer a member; null while it is.", allow_null=True)
    did_not_conclude = serializers.BooleanField(
        help_text="Named in the declaration, but never concluded an agreement."
    )
    current = serializers.BooleanField(help_text="A member today.")


class AreaDetailSerializer(AreaSerializer):
    description = _text("Description.")
    declaration = DeclarationSerializer(help_text="The central city's declaration.")
    formation_policy = FormationPolicySerializer(
        allow_null=True,
        help_text="形成方針: the policy an area with no partner yet stands on; else null.",
    )
    memberships = MembershipSerializer(many=True, help_text="Every member, past and present.")
    current_vision = serializers.IntegerField(
        allow_null=True, help_text="Id of the area's current public vision, or null."
    )
    record_url = _link("The area's whole public record as one JSON document.")
    agreements_url = _link("Its agreements in this API.")
    visions_url = _link("Its visions in this API.")


# Municipalities ------------------------------------------------------------------------------


class MunicipalitySerializer(RecordSerializer):
    code = serializers.CharField(
        help_text="Local government code (全国地方公共団体コード), 6 digits with check digit."
    )
    name = serializers.CharField(help_text="Name in Japanese.")
    name_kana = serializers.CharField(help_text="Name in kana.")
    name_en = serializers.CharField(
        help_text="Name in English: the one given, else romanised from the kana."
    )
    kind = serializers.ChoiceField(
        choices=MunicipalityKind.choices,
        help_text="city, town, village, special ward; the registry also holds prefectures "
        "and the wards of designated cities.",
    )
    kind_label, kind_label_en = _labels("the kind")
    prefecture = serializers.CharField(help_text="Prefecture, in Japanese.")
    population = serializers.IntegerField(allow_null=True, help_text="Population (census).")
    population_census_year = serializers.IntegerField(
        allow_null=True, help_text="Year of the census the population is from."
    )
    area_km2 = DecimalText(allow_null=True, help_text="Area in km².")
    latitude = DecimalText(allow_null=True, help_text="Latitude of the office.")
    longitude = DecimalText(allow_null=True, help_text="Longitude of the office.")
    website = _text("Its website.")
    url = _link(URL)
    url_en = _link(URL_EN)
    api_url = _link(API_URL)
    modified = _modified("its row (the national registry's, or its English name)")


class MunicipalityAreaSerializer(serializers.Serializer):
    area = serializers.SlugField(help_text="The area's slug.")
    area_name = serializers.CharField(help_text="The area's name in Japanese.")
    role = serializers.ChoiceField(
        choices=AREA_ROLES, help_text="What it is in the area: central city, or partner."
    )
    joined_on = _date("Day it joined, for a partner.", allow_null=True)
    left_on = _date("First day it was no longer a partner.", allow_null=True)
    current = serializers.BooleanField(help_text="Its role holds today.")


class MunicipalityDetailSerializer(MunicipalitySerializer):
    areas = MunicipalityAreaSerializer(
        many=True, help_text="The areas it is a central city or a partner of."
    )
    agreements_url = _link("Its agreements (as either party) in this API.")


# Agreements ----------------------------------------------------------------------------------


class AgreementNamesMixin(RecordSerializer):
    area = serializers.SlugField(help_text="The area's slug.")
    central_city = serializers.CharField(
        help_text="The party 甲: the central city's code (the joint central city's for its "
        "own agreements)."
    )
    central_city_name = serializers.CharField(help_text="The central city's name in Japanese.")
    central_city_name_en = serializers.CharField(help_text="The central city's name in English.")
    partner = serializers.CharField(help_text="The party 乙: the partner's code.")
    partner_name = serializers.CharField(help_text="The partner's name in Japanese.")
    partner_name_en = serializers.CharField(help_text="The partner's name in English.")
    title = serializers.CharField(help_text="Title of the agreement.")
    status = serializers.ChoiceField(
        choices=AgreementStatus.choices,
        help_text="Where it stands today (docs/open-data.md, Vocabularies).",
    )
    status_label, status_label_en = _labels("the status")
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)
    url = _link(URL)
    url_en = _link(URL_EN)
    api_url = _link(API_URL)
    modified = _modified(
        "the agreement, its items, its procedures on the public record or their resolutions",
        "its procedures' submission, signing, effect and notices, its resolutions, or the end "
        "of its fixed term",
    )


class AgreementSerializer(AgreementNamesMixin):
    signed_on = _date("Day the heads signed the conclusion (締結日).", allow_null=True)
    effective_on = _date("Day the conclusion took or takes effect.", allow_null=True)


class ItemSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, help_text="The role it serves.")
    field = _text("Field, in the record's words (e.g. 観光).")
    title = serializers.CharField(help_text="The item, in Japanese.")
    central_city_part = _text("What the central city does.")
    partner_part = _text("What the partner does.")
    order = serializers.IntegerField(help_text="Its place in the annexed table.")


class AgreementItemSerializer(ItemSerializer):
    title_en = _text("The item in English, or empty.")
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)


class ContentItemSerializer(ItemSerializer):
    id = serializers.IntegerField(required=False, help_text="The item's id when it was put.")
    field = _text("Field, in the record's words.", required=False)
    order = serializers.IntegerField(required=False, help_text="Its place in the table.")
    title_en = _text("The item in English.", required=False)
    is_sample = serializers.BooleanField(required=False, help_text=IS_SAMPLE)


class ContentSerializer(serializers.Serializer):
    title = _text("Title.", required=False)
    basic_policy = _text("Basic policy (基本的な方針).", required=False)
    text = _text("The full text.", required=False)
    items = ContentItemSerializer(many=True, required=False, help_text="Its items (別表).")


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1 as concluded, then one per amendment.")
    procedure = serializers.IntegerField(help_text="Id of the procedure that made it.")
    effective_on = _date("Day it took or takes effect.", allow_null=True)
    url = _link("Its page.")


class ResolutionSerializer(serializers.Serializer):
    council = serializers.CharField(help_text="Code of the municipality whose council resolved.")
    council_name = serializers.CharField(help_text="Its name in Japanese.")
    session = _text("The session, as the council names it (e.g. 平成28年3月定例会).")
    bill_number = _text("The bill's number, as the council names it (e.g. 議案第31号).")
    bill = _text("Session and number together.")
    submitted_on = _date("Day the bill was submitted to this council.", allow_null=True)
    resolved_on = _date("Day of the resolution.")
    result = serializers.ChoiceField(choices=Result.choices, help_text="The result.")
    approval = serializers.ChoiceField(
        choices=Approval.choices,
        allow_null=True,
        help_text="For a 専決処分, the council's answer when the head reported it; else null.",
    )
    approval_on = _date("Day of that answer.", allow_null=True)
    document_url = _link("The 議決書 (PDF), once attached; else null.", allow_null=True)
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)
    sample_fields = serializers.ListField(
        child=serializers.CharField(), help_text="The names of its invented values."
    )


class ChangeSerializer(serializers.Serializer):
    provision = serializers.CharField(help_text="The provision (e.g. 第3条, 別表).")
    before = _text("Its text before; null where it is new.", allow_null=True)
    after = _text("Its text after; null where it is removed.", allow_null=True)


class ProcedureSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The procedure's id, which never changes.")
    kind = serializers.ChoiceField(choices=ProcedureKind.choices, help_text="Its kind.")
    summary = serializers.CharField(help_text="Summary.")
    proposed_text = _text("The text of the proposal.")
    stage = serializers.ChoiceField(choices=ProcedureStage.choices, help_text="Its stage today.")
    proposed_on = _date("Day it was submitted to the councils.", allow_null=True)
    signed_on = _date("Day the heads signed it.", allow_null=True)
    signing_ceremony = _text("The signing ceremony, where there was one.")
    effective_on = _date("Day it took or takes effect.", allow_null=True)
    central_notice_on = _date("Day of the central city's public notice (告示).", allow_null=True)
    partner_notice_on = _date("Day of the partner's public notice.", allow_null=True)
    governor_notified_on = _date(
        "Day the central city notified the governor (or the minister).", allow_null=True
    )
    central_notice_number = _text("Number of the central city's notice.")
    partner_notice_number = _text("Number of the partner's notice.")
    partner_notified_on = _date("Day the partner notified.", allow_null=True)
    central_notice_url = _link(
        "The central city's notice text, once there is one.", allow_null=True
    )
    partner_notice_url = _link("The partner's notice text, once there is one.", allow_null=True)
    dropped_on = _date("Day it was dropped.", allow_null=True)
    notice_by = serializers.CharField(
        allow_null=True, help_text="For a lapse by notice: the code of the party that gave it."
    )
    notice_given_on = _date("For a lapse by notice: the day it was given.", allow_null=True)
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)
    sample_fields = serializers.ListField(
        child=serializers.CharField(), help_text="The names of its invented values."
    )
    content = ContentSerializer(
        allow_null=True,
        help_text="What it put before the councils: title, basic policy, text, items.",
    )
    changes = ChangeSerializer(
        many=True, required=False, help_text="An amendment's changes, provision by provision."
    )
    comparison_url = OptionalLink(
        help_text="An amendment's 新旧対照表 page; null where no version came before it.",
        required=False,
        allow_null=True,
    )
    comparison_xlsx_url = OptionalLink(
        help_text="The same as a workbook.", required=False, allow_null=True
    )
    resolutions = ResolutionSerializer(many=True, help_text="One per council and bill, in order.")


class AgreementDetailSerializer(AgreementNamesMixin):
    version = serializers.IntegerField(
        allow_null=True, help_text="Number of the version in force; null for a draft."
    )
    basic_policy = _text("Basic policy, as the public sees it today.")
    text = _text("The full text, as the public sees it today.")
    term_start = _date("Start of a fixed term (normally none).", allow_null=True)
    term_end = _date("End of a fixed term.", allow_null=True)
    lapse_notice_months = serializers.IntegerField(
        allow_null=True, help_text="Months after a notice at which it lapses, or null."
    )
    notified_to = serializers.ChoiceField(
        choices=["governor", "minister"], help_text="Whom the conclusion is notified to."
    )
    items = AgreementItemSerializer(many=True, help_text="Its items (別表).")
    versions = VersionSerializer(many=True, help_text="Its versions.")
    procedures = ProcedureSerializer(
        many=True,
        help_text="Its procedures on the public record, with their council resolutions.",
    )


# Visions, projects, indicators ---------------------------------------------------------------


class VisionSerializer(RecordSerializer):
    id = serializers.IntegerField(help_text="The vision's id, which never changes.")
    area = serializers.SlugField(help_text="The area's slug.")
    title = serializers.CharField(help_text="Title.")
    status = serializers.ChoiceField(
        choices=PUBLIC_VISION_STATUSES,
        help_text="public_comment, adopted or superseded (a draft is never public).",
    )
    status_label, status_label_en = _labels("the status")
    is_current = serializers.BooleanField(
        help_text="The area's current vision: the adopted one, else its newest."
    )
    first_fiscal_year = serializers.IntegerField(help_text="First fiscal year of its period.")
    last_fiscal_year = serializers.IntegerField(help_text="Last fiscal year of its period.")
    adopted_on = _date("Day it was adopted.", allow_null=True)
    previous = serializers.IntegerField(
        allow_null=True, help_text="Id of the version it revises, or null."
    )
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)
    url = _link(URL)
    url_en = _link(URL_EN)
    api_url = _link(API_URL)
    modified = _modified(
        "the vision, its roundtable, its public comments, or its projects and their "
        "participants, costs, indicators and values",
        "its public comment's first day, or the day after it ends (its comments are public "
        "from then)",
    )


class YearlyValueSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(help_text="Fiscal year.")
    value = DecimalText(help_text="Value.")
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)


class ValueInYearSerializer(serializers.Serializer):
    value = DecimalText(help_text="Value.")
    fiscal_year = serializers.IntegerField(help_text="Fiscal year.")


class IndicatorRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The indicator's id, which never changes.")
    number = serializers.CharField(help_text="Its number in the project.")
    name = serializers.CharField(help_text="Name in Japanese.")
    name_en = _text("Name in English, or empty.")
    unit = _text("Unit in Japanese.")
    unit_en = _text("Unit in English, or empty.")
    kind = serializers.ChoiceField(choices=IndicatorKind.choices, help_text="What its values are.")
    direction = serializers.ChoiceField(choices=Direction.choices, help_text="Which way is better.")
    order = serializers.IntegerField(help_text="Its place in the project.")
    baseline = ValueInYearSerializer(help_text="Baseline value and its fiscal year.")
    target = ValueInYearSerializer(help_text="Target value and its fiscal year.")
    yearly_targets = YearlyValueSerializer(many=True, help_text="Targets set for each year.")
    actuals = YearlyValueSerializer(many=True, help_text="Actual values by fiscal year.")
    progress = serializers.ChoiceField(
        choices=ProgressStatus.choices, help_text="Progress, by the rule in vision/progress.py."
    )
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)


class BudgetSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="Code of the municipality that bears it.")
    fiscal_year = serializers.IntegerField(help_text="Fiscal year.")
    amount = DecimalText(help_text="Cost in yen.")
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)


class ProjectRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The project's id, which never changes.")
    number = serializers.CharField(help_text="Its number, e.g. ア-01.")
    role = serializers.ChoiceField(choices=Role.choices, help_text="The role it serves.")
    field = serializers.ChoiceField(choices=ProjectField.choices, help_text="Its field.")
    title = serializers.CharField(help_text="Title in Japanese.")
    title_en = _text("Title in English, or empty.")
    description = _text("Description.")
    lead = serializers.CharField(help_text="Code of the lead municipality.")
    order = serializers.IntegerField(help_text="Its place under its role.")
    participants = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the participating municipalities."
    )
    covered_by = serializers.DictField(
        child=serializers.CharField(),
        help_text="For each participating partner (by code), the title of the agreement item "
        "that covers its part.",
    )
    budgets = BudgetSerializer(many=True, help_text="Costs by municipality and fiscal year.")
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)
    indicators = IndicatorRecordSerializer(many=True, help_text="Its performance indicators.")


class RoundtableMemberSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Name.")
    sector = serializers.ChoiceField(choices=Sector.choices, help_text="Sector.")
    affiliation = _text("Affiliation.")
    is_chair = serializers.BooleanField(help_text="The chair (座長).")
    order = serializers.IntegerField(help_text="Order.")
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)


class RoundtableMeetingSerializer(serializers.Serializer):
    held_on = _date("Day it was held.")
    agenda = _text("Agenda.")
    minutes = _link(
        "The minutes: the PDF kept here, or the link given; else null.", allow_null=True
    )
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)


class RoundtableSerializer(serializers.Serializer):
    members = RoundtableMemberSerializer(many=True, help_text="Its members.")
    meetings = RoundtableMeetingSerializer(many=True, help_text="Its meetings.")


class CommentSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Number.")
    summary = _text("Summary of the opinion.")
    response = _text("The city's response (市の考え方).")
    draft_changed = serializers.BooleanField(help_text="The draft was changed.")
    change_made = _text("How the draft changed.")
    is_sample = serializers.BooleanField(help_text=IS_SAMPLE)


class PublicCommentSerializer(serializers.Serializer):
    starts_on = _date("First day of the period.")
    ends_on = _date("Last day of the period.")
    comments = CommentSerializer(
        many=True,
        allow_null=True,
        help_text="The comments, once the period has ended; null before.",
    )


class VisionDetailSerializer(VisionSerializer):
    revision_reason = _text("For a revision, why.")
    changes_note = _text("What changed, in words.")
    future_image = _text("The area's future (将来像).")
    roundtable = RoundtableSerializer(help_text="Its roundtable (連携中枢都市圏ビジョン懇談会).")
    public_comment = PublicCommentSerializer(
        allow_null=True, help_text="Its public comment, or null."
    )
    projects = ProjectRecordSerializer(many=True, help_text="Its projects.")


class ProjectSerializer(RecordSerializer, ProjectRecordSerializer):
    area = serializers.SlugField(help_text="The area's slug.")
    vision = serializers.IntegerField(help_text="Id of its vision.")
    role_label, role_label_en = _labels("the role")
    field_label, field_label_en = _labels("the field")
    lead_name = serializers.CharField(help_text="The lead municipality's name in Japanese.")
    lead_name_en = serializers.CharField(help_text="The lead municipality's name in English.")
    url = _link(URL)
    url_en = _link(URL_EN)
    api_url = _link(API_URL)
    modified = _modified("the project, its participants and costs, or its indicators and values")


class IndicatorSerializer(RecordSerializer, IndicatorRecordSerializer):
    progress_label, progress_label_en = _labels("the progress")
    project = serializers.IntegerField(help_text="Id of its project.")
    project_number = serializers.CharField(help_text="Its project's number.")
    vision = serializers.IntegerField(help_text="Id of its vision.")
    area = serializers.SlugField(help_text="The area's slug.")
    url = _link("Where its project's page shows it, in Japanese.")
    url_en = _link("Where its project's page shows it, in English.")
    api_url = _link(API_URL)
    modified = _modified("the indicator, its yearly targets or actual values")


# Errors and the index ------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


# A refused query parameter: {"<parameter>": ["what is wrong with its value"]}.
PARAMETER_ERROR = {
    "type": "object",
    "description": "Each refused query parameter, with what is wrong with its value.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"status": ["“in-force” is not one of: draft, proposed, in_council, …"]},
}


class IndexSerializer(serializers.Serializer):
    areas = _link("The areas.")
    municipalities = _link("The municipalities of the national registry.")
    agreements = _link("The public agreements.")
    visions = _link("The public visions.")
    projects = _link("The projects of the public visions.")
    indicators = _link("Their performance indicators.")
    schema = _link("This API's OpenAPI 3 schema.")
    docs = _link("Its documentation (Swagger UI).")
