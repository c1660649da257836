"""Municipalities and the cooperation areas (連携中枢都市圏) they form."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import romaji
from .codes import check_digit_holds, validate_local_government_code
from .fixed import FixedFieldsMixin
from .validators import validate_one_line

COMMUTING_RULE_THRESHOLD = Decimal("0.1")

ERROR_MEMBERSHIP_CENTRAL_CITY = _(
    "The central city is not a partner of its own area; choose another municipality."
)
ERROR_MEMBERSHIP_OVERLAP = _(
    "%(municipality)s is already a member of this area during that period."
)
ERROR_LEFT_BEFORE_JOINED = _("The date it left must be after the date it joined.")
ERROR_NOT_A_MUNICIPALITY = _(
    "%(name)s is not a municipality (%(kind)s): only a city, town, village or special ward "
    "can be a partner."
)
ERROR_CENTRAL_CITY_NOT_A_CITY = _(
    "%(name)s is not a city (%(kind)s): the central city of an area is a city (市)."
)
ERROR_RATIO_REASON_REQUIRED = _(
    "%(municipality)s meets the commuting rule but is not a member: record the reason it "
    "stays out (for example, membership of another framework)."
)
ERROR_RATIO_MEETS_RULE = _(
    "A ratio of %(ratio)s does not agree with “meets the rule”; the rule is a ratio of 0.1 or more."
)
ERROR_RATIO_SURVEY_YEAR = _("Give the survey year of the ratio.")
ERROR_JOINT_SAME_AS_CENTRAL = _(
    "The joint central city is another city than the central city; leave it empty for an "
    "area with one central city."
)
ERROR_JOINT_CENTRAL_FIXED = _(
    "The joint central city cannot change once it has agreements: their resolutions are "
    "with this city."
)
ERROR_MEMBERSHIP_JOINT_CENTRAL = _(
    "%(municipality)s is a joint central city of this area, not a partner of it."
)
ERROR_DID_NOT_CONCLUDE_HAS_AGREEMENT = _(
    "%(municipality)s has an agreement in this area: it cannot be recorded as never concluding."
)
ERROR_FORMATION_POLICY_TEXT = _(
    "Give the text or the gist of the formation policy with the date its council resolved it."
)
ERROR_CENTRAL_CITY_FIXED = _(
    "The central city cannot change once the area has partners or agreements: their "
    "resolutions and memberships are with this city."
)


class MunicipalityKind(models.TextChoices):
    CITY = "city", _("City (市)")
    TOWN = "town", _("Town (町)")
    VILLAGE = "village", _("Village (村)")
    SPECIAL_WARD = "special_ward", _("Special ward (特別区)")
    # Also in the national registry, though not municipalities: a prefecture can be a party
    # to an agreement; a ward of a designated city (行政区) is part of its city.
    PREFECTURE = "prefecture", _("Prefecture (都道府県)")
    WARD = "ward", _("Ward of a designated city (行政区)")


class PopulationFigure(models.TextChoices):
    FINAL = "final", _("Final (確定値)")
    PRELIMINARY = "preliminary", _("Preliminary (速報値)")


class Municipality(models.Model):
    """A local government, identified by its local government code: 市, 町, 村 or 特別区, and in
    the national registry (municipalities.registry) also the prefectures and the wards of
    designated cities."""

    Kind = MunicipalityKind
    PopulationFigure = PopulationFigure

    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
        help_text=_("6 digits with check digit (全国地方公共団体コード), e.g. 202011."),
    )
    name = models.CharField(_("name"), max_length=40)
    name_kana = models.CharField(_("name in kana"), max_length=80)
    # Not the registry's: loading it again leaves this as planning staff set it.
    english_name = models.CharField(
        _("English name"),
        max_length=100,
        blank=True,
        validators=[validate_one_line],
        help_text=_(
            "Leave empty to use the name romanised from the kana, followed by its kind "
            "(いいづなまち: Iizuna Town). Give one where the municipality writes its name "
            "otherwise."
        ),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    prefecture = models.CharField(_("prefecture"), max_length=8)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_census_year = models.PositiveSmallIntegerField(
        _("census year of the population"), null=True, blank=True
    )
    population_figure = models.CharField(
        _("population figure"),
        max_length=16,
        choices=PopulationFigure.choices,
        blank=True,
    )
    area_km2 = models.DecimalField(
        _("area (km²)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(
        _("latitude of the city office"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude of the city office"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}\Z"),
                name="%(app_label)s_%(class)s_code_six_digits",
            ),
            models.CheckConstraint(
                condition=check_digit_holds("code"),
                name="%(app_label)s_%(class)s_code_check_digit",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MunicipalityKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(population_figure__in=[*PopulationFigure.values, ""]),
                name="%(app_label)s_%(class)s_population_figure_valid",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True)
                | (Q(population_census_year__isnull=False) & ~Q(population_figure="")),
                name="%(app_label)s_%(class)s_population_has_year_and_figure",
            ),
            models.CheckConstraint(
                condition=Q(area_km2__isnull=True) | Q(area_km2__gt=0),
                name="%(app_label)s_%(class)s_area_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.population is not None:
            errors = {}
            if self.population_census_year is None:
                errors["population_census_year"] = _(
                    "Give the census year of the population figure."
                )
            if not self.population_figure:
                errors["population_figure"] = _(
                    "Say whether the population figure is final or preliminary."
                )
            if errors:
                raise ValidationError(errors)

    @property
    def name_en(self) -> str:
        """The English name: the one given, else romanised from the kana (municipalities.romaji)."""
        return self.english_name or romaji.english_name(self.name_kana, self.kind, self.name)

    @property
    def is_municipality(self) -> bool:
        """A city, town, village or special ward: what can be a partner of an area."""
        return self.kind not in (MunicipalityKind.PREFECTURE, MunicipalityKind.WARD)


def _kind_error(message, municipality: Municipality) -> ValidationError:
    """A refusal of a local government of the wrong kind, naming it and its kind."""
    return ValidationError(
        message, params={"name": municipality.name, "kind": municipality.get_kind_display()}
    )


# Labels of a city's web address that say what kind of body it is, not its name.
_HOST_KINDS = frozenset({"www", "city", "town", "vill", "village", "lg", "jp", "pref"})


def proposed_slug(city: Municipality) -> str:
    """An address name for an area of this central city, from the city's web address
    (www.city.nagano.nagano.jp → "nagano"; www4.city.kanazawa.lg.jp → "kanazawa"), or its
    code; with "-2", "-3"… if an area already has it."""
    host = urlsplit(city.website).hostname or ""
    names = [
        label
        for label in host.split(".")
        if label not in _HOST_KINDS and not re.fullmatch(r"www\d*", label)
    ]
    base = slugify(names[0]) if names else ""
    base = base or f"area-{city.code}"
    slug, number = base, 1
    while CooperationArea.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class CooperationArea(models.Model):
    """A regional core city cooperation area: a central city and its partners."""

    # How a row leads to its area: planning staff see and choose only their areas' rows
    # (municipalities.access.scoped, the admin's choices).
    area_path = "pk"

    name = models.CharField(_("name"), max_length=100, unique=True)
    english_name = models.CharField(
        _("English name"),
        max_length=150,
        blank=True,
        validators=[validate_one_line],
        help_text=_(
            "Leave empty to name it after its central city: Nagano Cooperation Area (with "
            "joint central cities: Yamaguchi–Ube Cooperation Area)."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=False)
    central_city = models.ForeignKey(
        Municipality,
        verbose_name=_("central city"),
        on_delete=models.PROTECT,
        related_name="central_of_areas",
    )
    joint_central_city = models.ForeignKey(
        Municipality,
        verbose_name=_("joint central city"),
        on_delete=models.PROTECT,
        related_name="joint_central_of_areas",
        null=True,
        blank=True,
        help_text=_(
            "Only where two adjacent cities are the central city together (allowed since the "
            "guideline's revision of April 2016; e.g. 山口市 and 宇部市). Each concludes its "
            "own agreements."
        ),
    )
    declared_on = models.DateField(_("date of the declaration"), null=True, blank=True)
    declaration_text = models.TextField(
        _("text of the declaration"),
        blank=True,
        help_text=_("連携中枢都市宣言: the central city's statement of its role."),
    )
    declaration_is_sample = models.BooleanField(
        _("declaration text is a sample"),
        default=False,
        help_text=_("The text stands in for the real declaration in the demo."),
    )
    formation_policy_on = models.DateField(
        _("formation policy resolved on"),
        null=True,
        blank=True,
        help_text=_(
            "形成方針: an area with no partner yet stands on a policy its central city's "
            "council resolved (下関市, 2015-12-18). It takes the place of agreements in the "
            "area's steps."
        ),
    )
    formation_policy_text = models.TextField(_("formation policy"), blank=True)
    description = models.TextField(_("description"), blank=True)
    recorded = models.BooleanField(
        _("procedure recorded here"),
        default=True,
        help_text=_(
            "Off for an area known only from the national directory: its agreements and "
            "resolutions are not recorded here, so its pages show the directory's facts and no "
            "progress."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(declared_on__isnull=True) | ~Q(declaration_text=""),
                name="%(app_label)s_%(class)s_declaration_has_text",
            ),
            models.CheckConstraint(
                condition=Q(formation_policy_on__isnull=True) | ~Q(formation_policy_text=""),
                name="%(app_label)s_%(class)s_formation_policy_has_text",
                violation_error_message=ERROR_FORMATION_POLICY_TEXT,
            ),
            models.CheckConstraint(
                condition=Q(joint_central_city__isnull=True)
                | ~Q(joint_central_city=models.F("central_city")),
                name="%(app_label)s_%(class)s_joint_central_city_differs",
                violation_error_message=ERROR_JOINT_SAME_AS_CENTRAL,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:area_detail", kwargs={"slug": self.slug})

    @property
    def name_en(self) -> str:
        """The English name: the one given, else "<central city> Cooperation Area" from the
        English names of its central cities without " City" (load them with the area)."""
        if self.english_name:
            return self.english_name
        cities = [self.central_city]
        if self.joint_central_city_id is not None:
            cities.append(self.joint_central_city)
        places = "–".join(city.name_en.removesuffix(" City") for city in cities)
        return f"{places} Cooperation Area"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.declared_on and not self.declaration_text.strip():
            errors["declaration_text"] = [_("Give the text of the declaration with its date.")]
        if self.formation_policy_on and not self.formation_policy_text.strip():
            errors["formation_policy_text"] = [ERROR_FORMATION_POLICY_TEXT]
        for field in ("central_city", "joint_central_city"):
            city = getattr(self, field) if getattr(self, f"{field}_id") else None
            if city is not None and city.kind != MunicipalityKind.CITY:
                errors[field] = [_kind_error(ERROR_CENTRAL_CITY_NOT_A_CITY, city)]
        if self.joint_central_city_id and self.joint_central_city_id == self.central_city_id:
            errors["joint_central_city"] = [ERROR_JOINT_SAME_AS_CENTRAL]
        elif (
            self.pk
            and self.joint_central_city_id
            and self.memberships.filter(municipality_id=self.joint_central_city_id).exists()
        ):
            errors["joint_central_city"] = [
                ValidationError(
                    ERROR_MEMBERSHIP_JOINT_CENTRAL,
                    params={"municipality": self.joint_central_city},
                )
            ]
        if self.pk and self.central_city_id:
            saved_central, saved_joint = (
                CooperationArea.objects.filter(pk=self.pk)
                .values_list("central_city_id", "joint_central_city_id")
                .get()
            )
            if saved_central != self.central_city_id and self.has_partners_or_agreements():
                errors["central_city"] = [ERROR_CENTRAL_CITY_FIXED]
            if (
                saved_joint is not None
                and saved_joint != self.joint_central_city_id
                and self.agreements.filter(
                    Q(central_party_id=saved_joint) | Q(partner_id=saved_joint)
                ).exists()
            ):
                errors["joint_central_city"] = [ERROR_JOINT_CENTRAL_FIXED]
        if errors:
            raise ValidationError(errors)

    def has_partners_or_agreements(self) -> bool:
        return self.memberships.exists() or self.agreements.exists()

    @property
    def central_city_ids(self) -> tuple[int, ...]:
        """The central city, and the joint central city where there is one."""
        if self.joint_central_city_id is None:
            return (self.central_city_id,)
        return (self.central_city_id, self.joint_central_city_id)

    def is_member(self, municipality: Municipality) -> bool:
        """Whether a municipality takes part in the area: central city or partner, ever."""
        return (
            municipality.pk in self.central_city_ids
            or self.memberships.filter(municipality=municipality).exists()
        )


class AreaDirectoryEntry(models.Model):
    """What the national directory of areas (municipalities.directory) knows of an area, in
    its source's words: a fact the source does not confirm says UNCERTAIN."""

    area_path = "area"

    area = models.OneToOneField(
        CooperationArea,
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="directory",
    )
    central_cities = models.CharField(_("central city or cities"), max_length=200)
    declaration = models.CharField(_("declaration"), max_length=200, blank=True)
    vision = models.CharField(_("vision"), max_length=200, blank=True)
    member_count = models.PositiveSmallIntegerField(_("number of members"))
    members = models.ManyToManyField(
        Municipality,
        verbose_name=_("members"),
        related_name="directory_entries",
        help_text=_("As of the source's date, the central city or cities included."),
    )
    as_of = models.CharField(_("as of"), max_length=200)
    sources = models.TextField(_("sources"), help_text=_("Addresses, separated by “ ; ”."))
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")

    def __str__(self) -> str:
        return str(self.area)

    @property
    def source_urls(self) -> list[str]:
        return [url.strip() for url in self.sources.split(" ; ") if url.strip()]


class AreaMembership(FixedFieldsMixin, models.Model):
    """A partner municipality's membership of an area, from joining to (maybe) leaving."""

    area_path = "area"

    fixed_fields = ("area", "municipality")

    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    joined_on = models.DateField(
        _("joined on"), help_text=_("For one named but never concluding: the declaration's date.")
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    did_not_conclude = models.BooleanField(
        _("named, did not conclude"),
        default=False,
        help_text=_(
            "Named in the declaration but never concluded an agreement. It is shown as such "
            "and does not count as a partner."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner membership")
        verbose_name_plural = _("partner memberships")
        ordering = ["area", "municipality__code", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="%(app_label)s_%(class)s_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["area", "municipality"],
                condition=Q(left_on__isnull=True),
                name="%(app_label)s_%(class)s_one_open_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} — {self.municipality}"

    def is_current_on(self, day: datetime.date) -> bool:
        """Whether the municipality is a partner on that day (joined, not yet left, and not
        one that was named but never concluded)."""
        return (
            not self.did_not_conclude
            and self.joined_on <= day
            and (self.left_on is None or self.left_on > day)
        )

    @staticmethod
    def current_on(day: datetime.date) -> Q:
        """`is_current_on` in SQL."""
        return (
            Q(did_not_conclude=False)
            & Q(joined_on__lte=day)
            & (Q(left_on__isnull=True) | Q(left_on__gt=day))
        )

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.left_on and self.joined_on and self.left_on <= self.joined_on:
            errors.setdefault("left_on", []).append(ERROR_LEFT_BEFORE_JOINED)
        if self.municipality_id and not self.municipality.is_municipality:
            errors.setdefault("municipality", []).append(
                _kind_error(ERROR_NOT_A_MUNICIPALITY, self.municipality)
            )
        elif self.area_id and self.municipality_id:
            if self.municipality_id == self.area.central_city_id:
                errors.setdefault("municipality", []).append(ERROR_MEMBERSHIP_CENTRAL_CITY)
            elif self.municipality_id == self.area.joint_central_city_id:
                errors.setdefault("municipality", []).append(
                    ValidationError(
                        ERROR_MEMBERSHIP_JOINT_CENTRAL, params={"municipality": self.municipality}
                    )
                )
            elif (
                self.did_not_conclude
                and self.area.agreements.filter(partner_id=self.municipality_id).exists()
            ):
                errors.setdefault("did_not_conclude", []).append(
                    ValidationError(
                        ERROR_DID_NOT_CONCLUDE_HAS_AGREEMENT,
                        params={"municipality": self.municipality},
                    )
                )
            elif self.joined_on:
                others = AreaMembership.objects.filter(
                    area_id=self.area_id, municipality_id=self.municipality_id
                ).exclude(pk=self.pk)
                end = self.left_on or datetime.date.max
                overlapping = others.filter(joined_on__lt=end).filter(
                    Q(left_on__isnull=True) | Q(left_on__gt=self.joined_on)
                )
                if overlapping.exists():
                    errors.setdefault("joined_on", []).append(
                        ValidationError(
                            ERROR_MEMBERSHIP_OVERLAP,
                            params={"municipality": self.municipality},
                        )
                    )
        if errors:
            raise ValidationError(errors)


class CommutingRatio(FixedFieldsMixin, models.Model):
    """A municipality's commuting-and-schooling ratio (通勤通学割合) to the central city.

    The guideline (要綱 第5条) asks the central city to consult every municipality whose
    ratio is 0.1 or more. The ratio may be unknown while a source still states that the
    rule is met; a municipality that meets it but stays out has its reason recorded.
    """

    area_path = "area"

    fixed_fields = ("area", "municipality")

    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        related_name="commuting_ratios",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="commuting_ratios",
    )
    ratio = models.DecimalField(
        _("commuting and schooling ratio"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of commuters and students going to the central city (0–1)."),
    )
    survey_year = models.PositiveSmallIntegerField(
        _("survey year"), null=True, blank=True, help_text=_("e.g. the census year 2010.")
    )
    meets_rule = models.BooleanField(
        _("meets the 0.1 rule"),
        default=False,
        help_text=_("Follows from the ratio when it is known; otherwise as the source states."),
    )
    outside_reason = models.TextField(
        _("reason for staying out"),
        blank=True,
        help_text=_("For a municipality that meets the rule but is not a member."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_sample = models.BooleanField(
        _("sample value"),
        default=False,
        help_text=_("The ratio is an invented value for the demo, not a recorded fact."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commuting ratio")
        verbose_name_plural = _("commuting ratios")
        ordering = ["area", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "municipality"], name="%(app_label)s_%(class)s_one_per_area"
            ),
            models.CheckConstraint(
                condition=Q(ratio__isnull=True) | Q(ratio__gte=0, ratio__lte=1),
                name="%(app_label)s_%(class)s_ratio_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(ratio__isnull=True)
                | Q(ratio__gte=COMMUTING_RULE_THRESHOLD, meets_rule=True)
                | Q(ratio__lt=COMMUTING_RULE_THRESHOLD, meets_rule=False),
                name="%(app_label)s_%(class)s_meets_rule_follows_ratio",
            ),
            models.CheckConstraint(
                condition=Q(ratio__isnull=True) | Q(survey_year__isnull=False),
                name="%(app_label)s_%(class)s_ratio_has_survey_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.area.central_city}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.municipality_id and not self.municipality.is_municipality:
            errors.setdefault("municipality", []).append(
                _kind_error(ERROR_NOT_A_MUNICIPALITY, self.municipality)
            )
        if self.ratio is not None:
            if self.meets_rule != (self.ratio >= COMMUTING_RULE_THRESHOLD):
                errors.setdefault("meets_rule", []).append(
                    ValidationError(ERROR_RATIO_MEETS_RULE, params={"ratio": self.ratio})
                )
            if self.survey_year is None:
                errors.setdefault("survey_year", []).append(ERROR_RATIO_SURVEY_YEAR)
        if (
            self.meets_rule
            and self.area_id
            and self.municipality_id
            and not self.outside_reason.strip()
            and not self.area.is_member(self.municipality)
        ):
            errors.setdefault("outside_reason", []).append(
                ValidationError(
                    ERROR_RATIO_REASON_REQUIRED, params={"municipality": self.municipality}
                )
            )
        if errors:
            raise ValidationError(errors)


class StaffRole(models.Model):
    """What a signed-in person may do, and for which municipality.

    Planning staff belong to a central city and keep the record of the areas it leads; a
    clerk belongs to one municipality and records its own council's resolutions and the
    actual values of the projects it leads. The operator is a Django superuser.
    """

    class Kind(models.TextChoices):
        PLANNING_STAFF = "planning_staff", _("Planning staff of the central city")
        CLERK = "clerk", _("Municipality clerk")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_role",
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="staff_roles",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["planning_staff", "clerk"]),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} ({self.municipality})"


class ClerkAccount(StaffRole):
    """A clerk's account as planning staff see it: whether failed sign-ins have locked it."""

    class Meta:
        proxy = True
        verbose_name = _("clerk's sign-in")
        verbose_name_plural = _("clerks' sign-ins")


class SignInUnlock(models.Model):
    """Who unlocked which clerk's sign-in, and when, after failed sign-ins had locked it."""

    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        on_delete=models.PROTECT,
        related_name="sign_in_unlocks",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="sign_in_unlocks",
    )
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("unlocked by"),
        on_delete=models.PROTECT,
        related_name="sign_in_unlocks_done",
    )
    unlocked_at = models.DateTimeField(_("unlocked at"), default=timezone.now)
    failures_cleared = models.PositiveIntegerField(_("failed sign-ins cleared"))

    class Meta:
        verbose_name = _("sign-in unlock")
        verbose_name_plural = _("sign-in unlocks")
        ordering = ["-unlocked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.clerk} ({self.municipality}) — {self.unlocked_by}"


class PasswordResetRequest(models.Model):
    """A request for a password-reset e-mail, kept a day to throttle further requests."""

    ip_address = models.GenericIPAddressField(_("IP address"), null=True)
    email = models.EmailField(_("e-mail address"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")

    def __str__(self) -> str:
        return f"{self.email} ({self.ip_address}, {self.requested_at:%Y-%m-%d %H:%M})"
