"""The area's vision (連携中枢都市圏ビジョン): projects under the three roles and indicators."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Role
from municipalities.fixed import FixedFieldsMixin
from municipalities.models import CooperationArea, Municipality

FISCAL_YEAR_VALIDATORS = [MinValueValidator(1989), MaxValueValidator(2100)]

ERROR_PERIOD_ORDER = _("The last fiscal year of the period cannot be before the first.")
ERROR_ADOPTION_DATE_REQUIRED = _("An adopted or superseded vision needs its adoption date.")
ERROR_ONE_ADOPTED = _("This area already has an adopted vision; mark it superseded first.")
ERROR_NOT_A_MEMBER = _("%(municipality)s is not a member of %(area)s.")
ERROR_TARGET_BEFORE_BASELINE = _("The target year cannot be before the baseline year.")
ERROR_ONE_ACTUAL_PER_YEAR = _("This indicator already has a value for that year.")


class VisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (案)")
    PUBLIC_COMMENT = "public_comment", _("Public comment (パブリックコメント)")
    ADOPTED = "adopted", _("Adopted (策定)")
    SUPERSEDED = "superseded", _("Superseded")


class Vision(FixedFieldsMixin, models.Model):
    """A vision of an area over a period of fiscal years (about five)."""

    fixed_fields = ("area",)

    Status = VisionStatus

    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        related_name="visions",
    )
    title = models.CharField(_("title"), max_length=200)
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
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("vision:detail", kwargs={"slug": self.area.slug})

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
            and Vision.objects.filter(area_id=self.area_id, status=self.Status.ADOPTED)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors.setdefault("status", []).append(ERROR_ONE_ADOPTED)
        if errors:
            raise ValidationError(errors)


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

    fixed_fields = ("vision",)

    vision = models.ForeignKey(
        Vision, verbose_name=_("vision"), on_delete=models.PROTECT, related_name="projects"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    field = models.CharField(_("field"), max_length=60, blank=True, help_text=_("e.g. 観光, 医療"))
    title = models.CharField(_("title"), max_length=200)
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
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.vision_id and self.lead_id:
            _check_member(self.vision.area, self.lead, "lead")


class ProjectParticipant(FixedFieldsMixin, models.Model):
    """A municipality taking part in a project; members of the area only."""

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
        if self.project_id and self.municipality_id:
            _check_member(self.project.vision.area, self.municipality, "municipality")


class Indicator(FixedFieldsMixin, models.Model):
    """A performance indicator (成果指標, KPI) of a project."""

    fixed_fields = ("project",)

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("e.g. 人, 件, %"))
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
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def clean(self) -> None:
        if (
            self.baseline_fiscal_year
            and self.target_fiscal_year
            and self.target_fiscal_year < self.baseline_fiscal_year
        ):
            raise ValidationError({"target_fiscal_year": ERROR_TARGET_BEFORE_BASELINE})


class IndicatorActual(FixedFieldsMixin, models.Model):
    """The value an indicator reached in one fiscal year."""

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
