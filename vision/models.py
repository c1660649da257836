"""The area's vision (連携中枢都市圏ビジョン): projects under the three roles and indicators."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import ROLE_LETTERS, AgreementItem, Role, validate_pdf
from agreements.status import AgreementStatus
from municipalities.fixed import FixedFieldsMixin
from municipalities.models import CooperationArea, Municipality
from municipalities.numbers import decimal_places
from municipalities.validators import validate_one_line
from municipalities.wareki import fiscal_year_of

from .progress import Direction, Progress, progress

# An agreement in one of these states covers no project (any more).
ENDED_STATUSES = frozenset(
    {
        AgreementStatus.ABOLISHED,
        AgreementStatus.LAPSED,
        AgreementStatus.EXPIRED,
        AgreementStatus.REJECTED,
        AgreementStatus.WITHDRAWN,
        AgreementStatus.FAILED,
    }
)

FISCAL_YEAR_VALIDATORS = [MinValueValidator(1989), MaxValueValidator(2100)]

ERROR_PERIOD_ORDER = _("The last fiscal year of the period cannot be before the first.")
ERROR_ADOPTION_DATE_REQUIRED = _("An adopted or superseded vision needs its adoption date.")
ERROR_ONE_ADOPTED = _("This area already has an adopted vision; mark it superseded first.")
ERROR_NOT_A_MEMBER = _("%(municipality)s is not a member of %(area)s.")
ERROR_TARGET_BEFORE_BASELINE = _("The target year cannot be before the baseline year.")
ERROR_ONE_ACTUAL_PER_YEAR = _("This indicator already has a value for that year.")
ERROR_PREVIOUS_OTHER_AREA = _("The earlier version must be a vision of the same area.")
ERROR_PREVIOUS_SELF = _("A vision cannot be a revision of itself.")
ERROR_REVISION_REASON = _("A revision needs the reason for revising.")
ERROR_COMMENT_PERIOD = _("Give both the first and the last day of the public comment period.")
ERROR_COMMENT_ORDER = _("The public comment period cannot end before it starts.")
ERROR_MINUTES = _("Attach the minutes as a PDF or give a link, not both.")
ERROR_CHANGE_MADE = _("Say how the draft changed.")
ERROR_CHANGE_NOT_MADE = _("The draft did not change; leave how it changed empty.")
ERROR_FIELD_ROLE = _("The field %(field)s does not belong to the role %(role)s.")
ERROR_CODE_TAKEN = _("This vision already has a project with the number %(code)s.")
ERROR_INDICATOR_CODE_TAKEN = _("This project already has an indicator with the number %(code)s.")
ERROR_ITEM_REQUIRED = _(
    "%(municipality)s takes part only through an item of its agreement; choose the item that "
    "covers this project."
)
ERROR_ITEM_NOT_OF_PARTNER = _(
    "The item “%(item)s” is not in the agreement of %(area)s with %(municipality)s."
)
ERROR_ITEM_ROLE = _(
    "The item “%(item)s” is under role %(item_role)s, but the project is under role %(role)s; "
    "the agreement of %(municipality)s does not cover this project."
)
ERROR_ITEM_CENTRAL = _(
    "The central city is a party to every agreement; it takes part without an agreement item."
)
ERROR_ITEM_ENDED = _(
    "The agreement with %(municipality)s has ended (%(status)s); it covers no project any more."
)
ERROR_DIRECTION = _(
    "Higher is better, so the target cannot be below the baseline (or choose lower is better)."
)
ERROR_DIRECTION_LOWER = _(
    "Lower is better, so the target cannot be above the baseline (or choose higher is better)."
)
ERROR_YEARLY_TARGET_YEAR = _(
    "A yearly target lies after the baseline year (%(baseline)s) and before the target year "
    "(%(target)s)."
)
ERROR_VALUE_NEGATIVE = _("This indicator is a %(kind)s: its values cannot be negative.")
ERROR_VALUE_PERCENTAGE = _("This indicator is a percentage: its values lie between 0 and 100.")
ERROR_KIND_VALUES = _(
    "The values recorded for %(years)s do not fit a %(kind)s; correct them first."
)
ERROR_ACTUAL_YEAR = _(
    "An actual value is recorded for a fiscal year after the baseline year (%(baseline)s), up "
    "to the target year (%(target)s)."
)
ERROR_BUDGETS_OUTSIDE = _(
    "Project costs are recorded for %(years)s, outside this period; change them first."
)
ERROR_ROLE_LEAVES_PARTICIPANTS = _(
    "The agreement items of %(municipalities)s cover role %(role)s only; change their "
    "participation first."
)
ERROR_ITEM_INTERNAL = _(
    "The agreement with %(municipality)s is an internal draft; publish it before it covers a "
    "project."
)
ERROR_TARGETS_OUTSIDE = _(
    "The yearly targets for %(years)s would lie outside the years from the baseline to the "
    "target; change or remove them first."
)
ERROR_ONE_YEARLY_TARGET = _("This indicator already has a target for that year.")
ERROR_BUDGET_MUNICIPALITY = _(
    "%(municipality)s neither leads nor takes part in this project; add it as a participant first."
)
ERROR_BUDGET_YEAR = _(
    "The fiscal year %(year)s is outside the vision's period (%(first)s–%(last)s)."
)
ERROR_ONE_BUDGET = _("This project already has a budget of this municipality for that year.")
ERROR_SPECIAL_CAP = _(
    "A partner municipality's special allocation tax is at most ¥%(cap)s a year in fiscal "
    "%(year)s (%(source)s); %(amount)s yen for %(municipality)s is over the cap."
)
ERROR_PARTNER_ORDINARY = _(
    "The ordinary allocation tax for the cooperation area goes to the central city only; "
    "a partner municipality receives special allocation tax."
)
ERROR_ONE_SUPPORT = _(
    "The allocation tax of this municipality for that fiscal year is already recorded; change "
    "that record instead."
)

YEN = {"max_digits": 15, "decimal_places": 0, "validators": [MinValueValidator(0)]}


class AllocationTaxRule(models.Model):
    """The national figures of the allocation tax for areas from a fiscal year on, with
    their source: a rule that changes is a new row, and each year is checked against the
    rule in force for it (the partner's cap was ¥15m a year from fiscal 2015, seed Q5)."""

    from_fiscal_year = models.PositiveSmallIntegerField(
        _("from fiscal year"), unique=True, validators=FISCAL_YEAR_VALIDATORS
    )
    partner_special_cap = models.DecimalField(
        _("cap of a partner's special allocation tax (yen a year)"), **YEN
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        validators=[validate_one_line],
        help_text=_("Where the figure is laid down, e.g. the ministry's notice."),
    )
    source_url = models.URLField(_("source address"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation tax rule")
        verbose_name_plural = _("allocation tax rules")
        ordering = ["-from_fiscal_year"]

    def __str__(self) -> str:
        return f"{self.from_fiscal_year}–: ¥{self.partner_special_cap:,.0f}"

    @classmethod
    def for_fiscal_year(cls, fiscal_year: int) -> "AllocationTaxRule | None":
        """The rule in force for a fiscal year (None before the first one)."""
        return cls.objects.filter(from_fiscal_year__lte=fiscal_year).first()


class VisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (案)")
    PUBLIC_COMMENT = "public_comment", _("Public comment (パブリックコメント)")
    ADOPTED = "adopted", _("Adopted (策定)")
    SUPERSEDED = "superseded", _("Superseded")


class Vision(FixedFieldsMixin, models.Model):
    """A vision of an area over a period of fiscal years (about five)."""

    area_path = "area"

    fixed_fields = ("area", "previous")

    Status = VisionStatus

    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        related_name="visions",
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    first_fiscal_year = models.PositiveSmallIntegerField(
        _("first fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("last fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisionStatus.choices, default=VisionStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    future_image = models.TextField(_("the area's future (将来像)"), blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("earlier version"),
        on_delete=models.PROTECT,
        related_name="revisions",
        null=True,
        blank=True,
        help_text=_("Empty for the first vision (策定); the version this one revises (改定)."),
    )
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    changes_note = models.TextField(
        _("what changed, in words"),
        blank=True,
        help_text=_("The page also lists the projects added, removed and retargeted."),
    )
    comment_starts_on = models.DateField(_("public comment from"), null=True, blank=True)
    comment_ends_on = models.DateField(_("public comment until"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample text"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visions")
        ordering = ["area", "-first_fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VisionStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(last_fiscal_year__gte=F("first_fiscal_year")),
                name="%(app_label)s_%(class)s_period_in_order",
                violation_error_message=ERROR_PERIOD_ORDER,
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[VisionStatus.ADOPTED, VisionStatus.SUPERSEDED])
                | Q(adopted_on__isnull=False),
                name="%(app_label)s_%(class)s_adopted_has_date",
                violation_error_message=ERROR_ADOPTION_DATE_REQUIRED,
            ),
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(status=VisionStatus.ADOPTED),
                name="%(app_label)s_%(class)s_one_adopted_per_area",
                violation_error_message=ERROR_ONE_ADOPTED,
            ),
            models.CheckConstraint(
                condition=Q(comment_starts_on__isnull=True, comment_ends_on__isnull=True)
                | Q(comment_ends_on__gte=F("comment_starts_on")),
                name="%(app_label)s_%(class)s_comment_period_in_order",
                violation_error_message=ERROR_COMMENT_ORDER,
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True) | ~Q(revision_reason=""),
                name="%(app_label)s_%(class)s_revision_has_reason",
                violation_error_message=ERROR_REVISION_REASON,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("vision:version", kwargs={"slug": self.area.slug, "pk": self.pk})

    @property
    def period_ended(self) -> bool:
        """The last fiscal year of its period is over (an adopted vision stays the area's
        current one until a new one is adopted)."""
        return self.last_fiscal_year < fiscal_year_of(timezone.localdate())

    @property
    def is_revision(self) -> bool:
        return self.previous_id is not None

    def get_kind_display(self) -> str:
        return _("Revision (改定)") if self.is_revision else _("First vision (策定)")

    def _other_adopted(self):
        return Vision.objects.filter(area_id=self.area_id, status=VisionStatus.ADOPTED).exclude(
            pk=self.pk
        )

    def validate_constraints(self, exclude=None):
        # Adopting a revision supersedes the version it revises in the same transaction
        # (vision.services.vision_save): that version is not "another adopted vision".
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            revising_the_adopted = (
                self.status == VisionStatus.ADOPTED
                and self.previous_id is not None
                and not self._other_adopted().exclude(pk=self.previous_id).exists()
            )
            errors = error.update_error_dict({})
            if revising_the_adopted:
                errors = {
                    field: kept
                    for field, messages in errors.items()
                    if (kept := [m for m in messages if str(m) != str(ERROR_ONE_ADOPTED)])
                }
            if errors:
                raise ValidationError(errors) from None

    def comment_has_ended(self, today: datetime.date | None = None) -> bool:
        """The comments received are public only once the period has ended."""
        today = today or timezone.localdate()
        return self.comment_ends_on is not None and today > self.comment_ends_on

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if (
            self.first_fiscal_year
            and self.last_fiscal_year
            and self.last_fiscal_year < self.first_fiscal_year
        ):
            errors.setdefault("last_fiscal_year", []).append(ERROR_PERIOD_ORDER)
        if self.status in (self.Status.ADOPTED, self.Status.SUPERSEDED) and not self.adopted_on:
            errors.setdefault("adopted_on", []).append(ERROR_ADOPTION_DATE_REQUIRED)
        if (
            self.status == self.Status.ADOPTED
            and self.area_id
            and self._other_adopted().exclude(pk=self.previous_id).exists()
        ):
            errors.setdefault("status", []).append(ERROR_ONE_ADOPTED)
        if self.pk and self.first_fiscal_year and self.last_fiscal_year:
            outside = (
                ProjectBudget.objects.filter(project__vision_id=self.pk)
                .exclude(fiscal_year__range=(self.first_fiscal_year, self.last_fiscal_year))
                .values_list("fiscal_year", flat=True)
                .distinct()
            )
            if outside:
                errors.setdefault("last_fiscal_year", []).append(
                    ValidationError(
                        ERROR_BUDGETS_OUTSIDE,
                        params={"years": ", ".join(str(year) for year in sorted(outside))},
                    )
                )
        if self.previous_id is not None:
            if self.pk is not None and self.previous_id == self.pk:
                errors.setdefault("previous", []).append(ERROR_PREVIOUS_SELF)
            elif self.area_id and self.previous.area_id != self.area_id:
                errors.setdefault("previous", []).append(ERROR_PREVIOUS_OTHER_AREA)
            if not self.revision_reason.strip():
                errors.setdefault("revision_reason", []).append(ERROR_REVISION_REASON)
        if (self.comment_starts_on is None) != (self.comment_ends_on is None):
            field = "comment_ends_on" if self.comment_ends_on is None else "comment_starts_on"
            errors.setdefault(field, []).append(ERROR_COMMENT_PERIOD)
        elif self.comment_starts_on and self.comment_ends_on < self.comment_starts_on:
            errors.setdefault("comment_ends_on", []).append(ERROR_COMMENT_ORDER)
        if errors:
            raise ValidationError(errors)


class ProjectField(models.TextChoices):
    """The fields of the guideline (連携中枢都市圏構想推進要綱) under each of the three roles."""

    # ア 経済成長のけん引
    INDUSTRY_CLUSTERS = "industry_clusters", _("Industrial clusters (産業クラスターの形成)")
    INNOVATION = "innovation", _("Innovation (イノベーションの実現)")
    LOCAL_ECONOMY = "local_economy", _("Local resources and economy (地域資源を活用した地域経済)")
    TOURISM = "tourism", _("Tourism (戦略的な観光施策)")
    # イ 高次の都市機能の集積・強化
    ADVANCED_MEDICINE = "advanced_medicine", _("Advanced medical care (高度な医療サービス)")
    HIGHER_EDUCATION = "higher_education", _("Higher education and research (高等教育・研究開発)")
    URBAN_CENTRE = "urban_centre", _("Central hub and wide-area transport (中心拠点・広域交通網)")
    # ウ 生活関連機能サービスの向上
    MEDICINE = "medicine", _("Community medicine (地域医療)")
    CARE = "care", _("Long-term care (介護)")
    WELFARE = "welfare", _("Welfare (福祉)")
    EDUCATION = "education", _("Education, culture and sport (教育・文化・スポーツ)")
    LAND_USE = "land_use", _("Land use (土地利用)")
    COMMUNITY = "community", _("Community development (地域振興)")
    DISASTER_PREVENTION = "disaster_prevention", _("Disaster prevention (災害対策)")
    ENVIRONMENT = "environment", _("Environment (環境)")
    TRANSPORT = "transport", _("Public transport (地域公共交通)")
    ICT = "ict", _("ICT (ICTインフラ整備)")
    ROADS = "roads", _("Roads and transport infrastructure (道路等の交通インフラ)")
    LOCAL_PRODUCE = "local_produce", _("Local production for local consumption (地産地消)")
    MIGRATION = "migration", _("Exchange and migration (交流・移住)")
    STAFF_DEVELOPMENT = "staff_development", _("Staff development (人材育成)")
    OUTSIDE_TALENT = "outside_talent", _("Outside talent (外部人材の確保)")
    STAFF_EXCHANGE = "staff_exchange", _("Staff exchange (職員の交流)")
    OTHER = "other", _("Other (その他)")


FIELD_ROLES: dict[str, set[str]] = {
    **{
        field: {Role.ECONOMY}
        for field in ("industry_clusters", "innovation", "local_economy", "tourism")
    },
    **{
        field: {Role.URBAN_FUNCTIONS}
        for field in ("advanced_medicine", "higher_education", "urban_centre")
    },
    **{
        field: {Role.LIVING_SERVICES}
        for field in (
            "medicine",
            "care",
            "welfare",
            "education",
            "land_use",
            "community",
            "disaster_prevention",
            "environment",
            "transport",
            "ict",
            "roads",
            "local_produce",
            "migration",
            "staff_development",
            "outside_talent",
            "staff_exchange",
        )
    },
    "other": set(Role.values),
}


def _check_member(area: CooperationArea, municipality: Municipality, field: str) -> None:
    if not area.is_member(municipality):
        raise ValidationError(
            {
                field: ValidationError(
                    ERROR_NOT_A_MEMBER, params={"municipality": municipality, "area": area}
                )
            }
        )


class Project(FixedFieldsMixin, models.Model):
    """A concrete project (具体的取組) of the vision, under one role."""

    area_path = "vision__area"

    fixed_fields = ("vision",)

    vision = models.ForeignKey(
        Vision, verbose_name=_("vision"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(
        _("project number"),
        max_length=20,
        help_text=_(
            "Unique within the vision and kept across revisions, e.g. ア-01; spreadsheets "
            "find the project by it."
        ),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    field = models.CharField(
        _("field"), max_length=30, choices=ProjectField.choices, default=ProjectField.OTHER
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    title_en = models.CharField(
        _("title in English"),
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text=_("Shown on the English pages; where empty, they show the Japanese."),
    )
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        Municipality,
        verbose_name=_("lead municipality"),
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    participants = models.ManyToManyField(
        Municipality,
        verbose_name=_("participating municipalities"),
        through="ProjectParticipant",
        related_name="joined_projects",
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_sample = models.BooleanField(_("sample details"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["vision", "role", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="%(app_label)s_%(class)s_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(field__in=ProjectField.values),
                name="%(app_label)s_%(class)s_field_valid",
            ),
            models.UniqueConstraint(
                fields=["vision", "code"],
                name="%(app_label)s_%(class)s_code_once_per_vision",
                violation_error_message=ERROR_CODE_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("vision:project", kwargs={"slug": self.vision.area.slug, "pk": self.pk})

    @property
    def role_letter(self) -> str:
        return ROLE_LETTERS.get(self.role, "")

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.vision_id and self.lead_id:
            try:
                _check_member(self.vision.area, self.lead, "lead")
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        # A field outside the choices is refused by full_clean's own check of the choices.
        if self.field in FIELD_ROLES and self.role and self.role not in FIELD_ROLES[self.field]:
            errors.setdefault("field", []).append(
                ValidationError(
                    ERROR_FIELD_ROLE,
                    params={
                        "field": ProjectField(self.field).label,
                        "role": ROLE_LETTERS.get(self.role, self.role),
                    },
                )
            )
        if self.pk and self.role:
            uncovered = (
                self.participations.exclude(agreement_item=None)
                .exclude(agreement_item__role=self.role)
                .select_related("municipality", "agreement_item")
            )
            if uncovered:
                errors.setdefault("role", []).append(
                    ValidationError(
                        ERROR_ROLE_LEAVES_PARTICIPANTS,
                        params={
                            "municipalities": ", ".join(str(p.municipality) for p in uncovered),
                            "role": ROLE_LETTERS.get(
                                uncovered[0].agreement_item.role, uncovered[0].agreement_item.role
                            ),
                        },
                    )
                )
        if (
            self.vision_id
            and self.code
            and Project.objects.filter(vision_id=self.vision_id, code=self.code)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors.setdefault("code", []).append(
                ValidationError(ERROR_CODE_TAKEN, params={"code": self.code})
            )
        if errors:
            raise ValidationError(errors)


class ProjectParticipant(FixedFieldsMixin, models.Model):
    """A municipality taking part in a project; members of the area only."""

    area_path = "project__vision__area"

    fixed_fields = ("project", "municipality")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="participations"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="project_participations",
    )
    agreement_item = models.ForeignKey(
        AgreementItem,
        verbose_name=_("covering agreement item"),
        on_delete=models.PROTECT,
        related_name="project_participations",
        null=True,
        blank=True,
        help_text=_(
            "The item of this municipality's agreement that covers the project; empty for the "
            "central city."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participating municipality")
        verbose_name_plural = _("participating municipalities")
        ordering = ["project", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "municipality"], name="%(app_label)s_%(class)s_once_per_project"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.municipality}"

    def clean(self) -> None:
        if not (self.project_id and self.municipality_id):
            return
        area = self.project.vision.area
        _check_member(area, self.municipality, "municipality")
        params = {"municipality": self.municipality, "area": area}
        if self.municipality_id == area.central_city_id:
            if self.agreement_item_id is not None:
                raise ValidationError({"agreement_item": ERROR_ITEM_CENTRAL})
            return
        if self.agreement_item_id is None:
            raise ValidationError(
                {"agreement_item": ValidationError(ERROR_ITEM_REQUIRED, params=params)}
            )
        item = self.agreement_item
        agreement = item.agreement
        params["item"] = item.title
        if agreement.area_id != area.pk or agreement.partner_id != self.municipality_id:
            raise ValidationError(
                {"agreement_item": ValidationError(ERROR_ITEM_NOT_OF_PARTNER, params=params)}
            )
        if item.role != self.project.role:
            params |= {
                "item_role": ROLE_LETTERS.get(item.role, item.role),
                "role": ROLE_LETTERS.get(self.project.role, self.project.role),
            }
            raise ValidationError(
                {"agreement_item": ValidationError(ERROR_ITEM_ROLE, params=params)}
            )
        if not agreement.is_public:
            raise ValidationError(
                {"agreement_item": ValidationError(ERROR_ITEM_INTERNAL, params=params)}
            )
        status = agreement.status()
        if status in ENDED_STATUSES:
            params["status"] = status.label
            raise ValidationError(
                {"agreement_item": ValidationError(ERROR_ITEM_ENDED, params=params)}
            )


COUNT_UNITS = {"人", "件", "社", "人泊", "回", "団体", "か所", "箇所", "校", "台", "戸", "本", "冊"}


class IndicatorKind(models.TextChoices):
    """What an indicator's values are, and so which values are possible."""

    COUNT = "count", _("count")
    AMOUNT = "amount", _("amount of money")
    PERCENTAGE = "percentage", _("percentage")
    OTHER = "other", _("other value")

    @classmethod
    def for_unit(cls, unit: str) -> "IndicatorKind":
        """The kind a unit suggests (人, 万人 → count; 円, 千円 → amount; % → percentage)."""
        unit = unit.strip()
        if unit in {"%", "％", "パーセント"}:
            return cls.PERCENTAGE
        if unit.endswith("円"):
            return cls.AMOUNT
        if unit.lstrip("万千百") in COUNT_UNITS:
            return cls.COUNT
        return cls.OTHER

    def refusal(self, value) -> ValidationError | None:
        """Why the value is impossible for this kind, or None when it is possible."""
        if value is None:
            return None
        if self in (IndicatorKind.COUNT, IndicatorKind.AMOUNT) and value < 0:
            return ValidationError(ERROR_VALUE_NEGATIVE, params={"kind": self.label})
        if self == IndicatorKind.PERCENTAGE and not 0 <= value <= 100:
            return ValidationError(ERROR_VALUE_PERCENTAGE)
        return None


class Indicator(FixedFieldsMixin, models.Model):
    """A performance indicator (成果指標, KPI) of a project."""

    area_path = "project__vision__area"

    fixed_fields = ("project",)

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(
        _("indicator number"),
        max_length=10,
        help_text=_("Unique within the project, e.g. 1; spreadsheets find the indicator by it."),
    )
    name = models.CharField(_("indicator"), max_length=200, validators=[validate_one_line])
    name_en = models.CharField(
        _("indicator in English"),
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text=_("Shown on the English pages; where empty, they show the Japanese."),
    )
    unit = models.CharField(
        _("unit"), max_length=30, help_text=_("e.g. 人, 件, %"), validators=[validate_one_line]
    )
    unit_en = models.CharField(
        _("unit in English"),
        max_length=40,
        blank=True,
        validators=[validate_one_line],
        help_text=_("e.g. people, cases, %; where empty, the English pages show the Japanese."),
    )
    kind = models.CharField(
        _("kind of value"),
        max_length=12,
        choices=IndicatorKind.choices,
        default=IndicatorKind.OTHER,
        help_text=_("A count or an amount is never negative; a percentage lies within 0–100."),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=4)
    baseline_fiscal_year = models.PositiveSmallIntegerField(
        _("baseline fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=4)
    target_fiscal_year = models.PositiveSmallIntegerField(
        _("target fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_sample = models.BooleanField(_("sample values"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_fiscal_year__gte=F("baseline_fiscal_year")),
                name="%(app_label)s_%(class)s_target_after_baseline",
                violation_error_message=ERROR_TARGET_BEFORE_BASELINE,
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values),
                name="%(app_label)s_%(class)s_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=IndicatorKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[IndicatorKind.COUNT, IndicatorKind.AMOUNT])
                | Q(baseline_value__gte=0, target_value__gte=0),
                name="%(app_label)s_%(class)s_count_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(kind=IndicatorKind.PERCENTAGE)
                | Q(
                    baseline_value__gte=0,
                    baseline_value__lte=100,
                    target_value__gte=0,
                    target_value__lte=100,
                ),
                name="%(app_label)s_%(class)s_percentage_in_range",
            ),
            models.CheckConstraint(
                condition=Q(direction=Direction.HIGHER, target_value__gte=F("baseline_value"))
                | Q(direction=Direction.LOWER, target_value__lte=F("baseline_value")),
                name="%(app_label)s_%(class)s_target_in_direction",
                violation_error_message=ERROR_DIRECTION,
            ),
            models.UniqueConstraint(
                fields=["project", "code"],
                name="%(app_label)s_%(class)s_code_once_per_project",
                violation_error_message=ERROR_INDICATOR_CODE_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def key(self) -> str:
        """The indicator's number within the vision, e.g. ア-01-1."""
        return f"{self.project.code}-{self.code}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if (
            self.baseline_fiscal_year
            and self.target_fiscal_year
            and self.target_fiscal_year < self.baseline_fiscal_year
        ):
            errors.setdefault("target_fiscal_year", []).append(ERROR_TARGET_BEFORE_BASELINE)
        if self.baseline_value is not None and self.target_value is not None:
            if self.direction == Direction.HIGHER and self.target_value < self.baseline_value:
                errors.setdefault("direction", []).append(ERROR_DIRECTION)
            if self.direction == Direction.LOWER and self.target_value > self.baseline_value:
                errors.setdefault("direction", []).append(ERROR_DIRECTION_LOWER)
        if self.pk and self.baseline_fiscal_year and self.target_fiscal_year:
            outside = sorted(
                year
                for year in self.targets.values_list("fiscal_year", flat=True)
                if not self.takes_yearly_target(year)
            )
            if outside:
                errors.setdefault("target_fiscal_year", []).append(
                    ValidationError(
                        ERROR_TARGETS_OUTSIDE,
                        params={"years": ", ".join(str(year) for year in outside)},
                    )
                )
        kind = IndicatorKind(self.kind) if self.kind in IndicatorKind.values else None
        for field in ("baseline_value", "target_value"):
            refusal = kind and kind.refusal(getattr(self, field))
            if refusal:
                errors.setdefault(field, []).append(refusal)
        if kind and self.pk:
            years = sorted(
                {
                    row.fiscal_year
                    for rows in (self.actuals.all(), self.targets.all())
                    for row in rows
                    if kind.refusal(row.value)
                }
            )
            if years:
                errors.setdefault("kind", []).append(
                    ValidationError(
                        ERROR_KIND_VALUES,
                        params={"years": ", ".join(map(str, years)), "kind": kind.label},
                    )
                )
        if (
            self.project_id
            and self.code
            and Indicator.objects.filter(project_id=self.project_id, code=self.code)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors.setdefault("code", []).append(
                ValidationError(ERROR_INDICATOR_CODE_TAKEN, params={"code": self.code})
            )
        if errors:
            raise ValidationError(errors)

    def takes_yearly_target(self, year: int) -> bool:
        """A yearly target lies strictly between the baseline year and the target year."""
        return self.baseline_fiscal_year < year < self.target_fiscal_year

    def takes_actual(self, year: int) -> bool:
        """An actual value is for a year after the baseline year, up to the target year."""
        return self.baseline_fiscal_year < year <= self.target_fiscal_year

    @property
    def decimals(self) -> int:
        """The decimals all of this indicator's values are shown with: as many as any of its
        values needs, up to two (a time of 40.5 minutes and a target of 36 read 40.5 and
        36.0), from the yearly values as loaded (never a query of its own)."""
        values = [self.baseline_value, self.target_value]
        loaded = getattr(self, "_prefetched_objects_cache", {})
        for attribute, related in (("yearly_actuals", "actuals"), ("yearly_targets", "targets")):
            rows = getattr(self, attribute, None)
            if rows is None:
                rows = loaded.get(related, ())
            values += [row.value for row in rows]
        return decimal_places(values)

    def progress(self) -> Progress:
        """The progress status (vision.progress), from the actual values and yearly targets
        as loaded (vision.selectors.with_yearly_values, or plain prefetches)."""
        actuals = getattr(self, "yearly_actuals", None)
        if actuals is None:
            actuals = self.actuals.all()
        yearly_targets = getattr(self, "yearly_targets", None)
        if yearly_targets is None:
            yearly_targets = self.targets.all()
        return progress(
            direction=self.direction,
            baseline_value=self.baseline_value,
            baseline_year=self.baseline_fiscal_year,
            target_value=self.target_value,
            target_year=self.target_fiscal_year,
            actuals=[(a.fiscal_year, a.value) for a in actuals],
            yearly_targets={t.fiscal_year: t.value for t in yearly_targets},
        )


def _check_yearly_row(row, takes: str, message) -> None:
    """Refuse a yearly row (target or actual) for a year its indicator does not take
    (`takes`: the name of the indicator's method that says which years it takes), or with a
    value its indicator's kind cannot have."""
    if not row.indicator_id:
        return
    indicator = row.indicator
    errors = {}
    if row.fiscal_year and not getattr(indicator, takes)(row.fiscal_year):
        params = {
            "baseline": indicator.baseline_fiscal_year,
            "target": indicator.target_fiscal_year,
        }
        errors["fiscal_year"] = ValidationError(message, params=params)
    refusal = IndicatorKind(indicator.kind).refusal(row.value)
    if refusal:
        errors["value"] = refusal
    if errors:
        raise ValidationError(errors)


class IndicatorTarget(FixedFieldsMixin, models.Model):
    """An optional intermediate target of an indicator for one fiscal year."""

    area_path = "indicator__project__vision__area"

    fixed_fields = ("indicator",)

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    value = models.DecimalField(_("target for the year"), max_digits=16, decimal_places=4)
    is_sample = models.BooleanField(_("sample value"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=ERROR_ONE_YEARLY_TARGET,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.fiscal_year}: {self.value}"

    def clean(self) -> None:
        _check_yearly_row(self, "takes_yearly_target", ERROR_YEARLY_TARGET_YEAR)


class IndicatorActual(FixedFieldsMixin, models.Model):
    """The value an indicator reached in one fiscal year."""

    area_path = "indicator__project__vision__area"

    fixed_fields = ("indicator",)

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="actuals"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    value = models.DecimalField(_("actual value"), max_digits=16, decimal_places=4)
    is_sample = models.BooleanField(_("sample value"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actual value")
        verbose_name_plural = _("actual values")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=ERROR_ONE_ACTUAL_PER_YEAR,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.fiscal_year}: {self.value}"

    def clean(self) -> None:
        _check_yearly_row(self, "takes_actual", ERROR_ACTUAL_YEAR)


class ProjectBudget(FixedFieldsMixin, models.Model):
    """The budget (事業費) one municipality puts into a project in one fiscal year, in yen."""

    area_path = "project__vision__area"

    fixed_fields = ("project",)

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="budgets"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="project_budgets",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    amount = models.DecimalField(_("project cost (yen)"), **YEN)
    is_sample = models.BooleanField(_("sample value"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project budget")
        verbose_name_plural = _("project budgets")
        ordering = ["project", "fiscal_year", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "municipality", "fiscal_year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=ERROR_ONE_BUDGET,
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="%(app_label)s_%(class)s_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.municipality} {self.fiscal_year}"

    def clean(self) -> None:
        if not (self.project_id and self.municipality_id and self.fiscal_year):
            return
        project = self.project
        errors: dict[str, list] = {}
        takes_part = (
            project.lead_id == self.municipality_id
            or project.participations.filter(municipality_id=self.municipality_id).exists()
        )
        if not takes_part:
            errors.setdefault("municipality", []).append(
                ValidationError(
                    ERROR_BUDGET_MUNICIPALITY, params={"municipality": self.municipality}
                )
            )
        vision = project.vision
        if not vision.first_fiscal_year <= self.fiscal_year <= vision.last_fiscal_year:
            errors.setdefault("fiscal_year", []).append(
                ValidationError(
                    ERROR_BUDGET_YEAR,
                    params={
                        "year": self.fiscal_year,
                        "first": vision.first_fiscal_year,
                        "last": vision.last_fiscal_year,
                    },
                )
            )
        if errors:
            raise ValidationError(errors)


class Sector(models.TextChoices):
    """Where a roundtable member comes from (要綱 第6条(2); seed Q12)."""

    INDUSTRY = "industry", _("Industry (産業)")
    UNIVERSITY = "university", _("Universities and research (大学・研究機関)")
    FINANCE = "finance", _("Finance (金融機関)")
    MEDICINE = "medicine", _("Medicine (医療)")
    WELFARE = "welfare", _("Welfare (福祉)")
    TOWN_PLANNING = "town_planning", _("Town planning (まちづくり)")
    OTHER = "other", _("Other (その他)")


class RoundtableMember(FixedFieldsMixin, models.Model):
    """A member of the vision roundtable (ビジョン懇談会)."""

    area_path = "vision__area"

    fixed_fields = ("vision",)

    vision = models.ForeignKey(
        Vision,
        verbose_name=_("vision"),
        on_delete=models.PROTECT,
        related_name="roundtable_members",
    )
    name = models.CharField(_("name"), max_length=100)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    affiliation = models.CharField(
        _("affiliation"), max_length=200, help_text=_("Organisation and position")
    )
    is_chair = models.BooleanField(_("chair (座長)"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_sample = models.BooleanField(_("sample entry"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roundtable member")
        verbose_name_plural = _("roundtable members")
        ordering = ["vision", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="%(app_label)s_%(class)s_sector_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.affiliation}）"


def validate_minutes(upload) -> None:
    """Minutes are a PDF of at most 10 MB (the same check as a resolution document)."""
    try:
        validate_pdf(upload)
    except ValidationError as error:
        if error.code == "too_large":
            raise ValidationError(
                _("The minutes may be at most 10 MB."), code="too_large"
            ) from None
        raise ValidationError(_("The minutes must be a PDF file."), code="not_pdf") from None


class RoundtableMeeting(FixedFieldsMixin, models.Model):
    """A meeting of the roundtable, with its agenda and minutes (a PDF or a link)."""

    area_path = "vision__area"

    fixed_fields = ("vision",)

    vision = models.ForeignKey(
        Vision,
        verbose_name=_("vision"),
        on_delete=models.PROTECT,
        related_name="roundtable_meetings",
    )
    held_on = models.DateField(_("held on"))
    agenda = models.TextField(_("agenda"))
    minutes_document = models.FileField(
        _("minutes (PDF)"), upload_to="minutes/%Y/", blank=True, validators=[validate_minutes]
    )
    minutes_url = models.URLField(_("minutes (link)"), blank=True)
    is_sample = models.BooleanField(_("sample entry"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roundtable meeting")
        verbose_name_plural = _("roundtable meetings")
        ordering = ["vision", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.vision} — {self.held_on}"

    def clean(self) -> None:
        if self.minutes_document and self.minutes_url:
            raise ValidationError({"minutes_url": ERROR_MINUTES})


class PublicComment(FixedFieldsMixin, models.Model):
    """One opinion received in the public comment on a draft vision, with the city's answer.

    Public only once the vision's comment period has ended (`Vision.comment_has_ended`).
    """

    area_path = "vision__area"

    fixed_fields = ("vision",)

    vision = models.ForeignKey(
        Vision, verbose_name=_("vision"), on_delete=models.PROTECT, related_name="public_comments"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    summary = models.TextField(_("summary of the opinion"))
    response = models.TextField(_("the city's response (市の考え方)"))
    draft_changed = models.BooleanField(_("the draft was changed"), default=False)
    change_made = models.TextField(_("how the draft changed"), blank=True)
    is_sample = models.BooleanField(_("sample entry"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        ordering = ["vision", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["vision", "number"], name="%(app_label)s_%(class)s_number_once"
            ),
            models.CheckConstraint(
                condition=Q(draft_changed=False, change_made="")
                | (Q(draft_changed=True) & ~Q(change_made="")),
                name="%(app_label)s_%(class)s_change_said",
                violation_error_message=ERROR_CHANGE_MADE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vision} — {self.number}"

    def clean(self) -> None:
        if self.draft_changed and not self.change_made.strip():
            raise ValidationError({"change_made": ERROR_CHANGE_MADE})
        if not self.draft_changed and self.change_made:
            raise ValidationError({"change_made": ERROR_CHANGE_NOT_MADE})


class FiscalSupport(FixedFieldsMixin, models.Model):
    """The allocation tax (交付税措置) a member received for the area in one fiscal year.

    The central city receives ordinary allocation tax (roles ア and イ) and special allocation
    tax (role ウ); each partner receives special allocation tax of at most ¥15m a year (seed Q5).
    """

    area_path = "area"

    fixed_fields = ("area", "municipality", "fiscal_year")

    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        related_name="fiscal_support",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="fiscal_support",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    special_amount = models.DecimalField(
        _("special allocation tax (特別交付税, yen)"), default=Decimal(0), **YEN
    )
    ordinary_amount = models.DecimalField(
        _("ordinary allocation tax (普通交付税, yen)"), default=Decimal(0), **YEN
    )
    note = models.TextField(_("note"), blank=True)
    is_sample = models.BooleanField(_("sample values"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation tax")
        verbose_name_plural = _("allocation tax")
        ordering = ["area", "fiscal_year", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "municipality", "fiscal_year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=ERROR_ONE_SUPPORT,
            ),
            models.CheckConstraint(
                condition=Q(special_amount__gte=0, ordinary_amount__gte=0),
                name="%(app_label)s_%(class)s_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year}"

    def clean(self) -> None:
        if not (self.area_id and self.municipality_id):
            return
        area = self.area
        _check_member(area, self.municipality, "municipality")
        if self.municipality_id == area.central_city_id:
            return
        errors: dict[str, list] = {}
        rule = AllocationTaxRule.for_fiscal_year(self.fiscal_year) if self.fiscal_year else None
        if (
            rule
            and self.special_amount is not None
            and self.special_amount > rule.partner_special_cap
        ):
            errors.setdefault("special_amount", []).append(
                ValidationError(
                    ERROR_SPECIAL_CAP,
                    params={
                        "cap": f"{rule.partner_special_cap:,.0f}",
                        "source": rule.source,
                        "amount": f"{self.special_amount:,.0f}",
                        "municipality": self.municipality,
                        "year": self.fiscal_year,
                    },
                )
            )
        if self.ordinary_amount:
            errors.setdefault("ordinary_amount", []).append(ERROR_PARTNER_ORDINARY)
        if errors:
            raise ValidationError(errors)


class FiscalYearClosure(models.Model):
    """Planning staff close a fiscal year of an area: its actual values are final, and clerks
    no longer correct them at the desk."""

    area_path = "area"

    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        related_name="closed_fiscal_years",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=FISCAL_YEAR_VALIDATORS
    )
    closed_on = models.DateField(_("closed on"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closed fiscal year")
        verbose_name_plural = _("closed fiscal years")
        ordering = ["area", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "fiscal_year"], name="%(app_label)s_%(class)s_once_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.fiscal_year}"
