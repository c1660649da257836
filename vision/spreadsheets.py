"""Spreadsheet round trip (CSV, Excel) of projects and indicator actuals, for planning staff.

The admin's Export writes the columns below; Import reads the same columns back, shows a dry
run in which every row's errors are listed, and saves only when the whole file is valid (the
import runs in one transaction). Rows are found by stable keys — the vision's ID, the project
number and the indicator number — so importing a file again updates the same records instead
of adding new ones. Every write goes through the services, with the user in the history.

The column names are fixed (they do not follow the language of the page), so a file exported
in one language imports in the other.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from agreements.models import ROLE_LETTERS
from municipalities.access import areas_kept_by
from municipalities.cells import text_cell, typed_text
from municipalities.models import Municipality
from municipalities.services import save_with

from .models import Indicator, IndicatorActual, Project, ProjectField, Vision
from .selectors import project_role_order
from .services import actual_save, project_save

REASON = "spreadsheet import"

VISION = "ビジョンID"
PROJECT = "事業番号"
ROLE = "役割"
FIELD = "分野"
TITLE = "事業名"
DESCRIPTION = "事業概要"
LEAD = "中心となる市町村コード"
LEAD_NAME = "中心となる市町村名"
ORDER = "表示順"
INDICATOR = "指標番号"
INDICATOR_NAME = "指標名"
UNIT = "単位"
YEAR = "年度"
VALUE = "実績値"

LETTER_ROLES = {letter: role for role, letter in ROLE_LETTERS.items()}


ROLE_ORDER = project_role_order()


def field_name_ja(field: str) -> str:
    """The guideline's Japanese name of a field, as the Japanese pages show it (the same in
    every language, so that a file imports back whoever exported it)."""
    with translation.override("ja"):
        return str(ProjectField(field).label)


def field_from_name(name: str) -> str | None:
    """The field a cell names: its Japanese name, the short name in the label's parentheses
    (e.g. 戦略的な観光施策), or the code (e.g. tourism)."""
    if name in ProjectField.values:
        return name
    for field in ProjectField.values:
        with translation.override(None):
            short = re.search(r"\((.+)\)", str(ProjectField(field).label))
        if name == field_name_ja(field) or (short and name == short.group(1)):
            return field
    return None


ERROR_MISSING = _("%(column)s is empty.")
ERROR_NOT_A_NUMBER = _("%(column)s must be a number, not “%(value)s”.")
ERROR_NO_VISION = _("There is no vision with ID %(value)s in your areas.")
ERROR_NO_PROJECT = _("The vision has no project with the number %(value)s.")
ERROR_NO_INDICATOR = _("The project has no indicator with the number %(value)s.")
ERROR_ROLE = _("%(column)s must be ア, イ or ウ, not “%(value)s”.")
ERROR_FIELD = _("“%(value)s” is not a field of the guideline (see the exported file).")
ERROR_MUNICIPALITY = _("There is no municipality with the code %(value)s.")
ERROR_REPEATED = _(
    "This row is about the same record as line %(line)s of the file; keep one of the two."
)
ERROR_YEAR = _("%(column)s must be a fiscal year such as 2025, not “%(value)s”.")


def _text(row: dict, column: str) -> str:
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps every number as a float
    return typed_text(str(value).strip())


def _required(row: dict, column: str) -> str:
    value = _text(row, column)
    if not value:
        raise ValidationError(ERROR_MISSING, params={"column": column})
    return value


THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")
# Far beyond any value the database keeps (16 digits): refused before any arithmetic on it.
MAX_DIGITS_BEFORE_POINT = 16


def _number(value: str, column: str, error=ERROR_NOT_A_NUMBER) -> Decimal:
    """A cell as a Decimal; commas only as thousands separators (1,500 but not 1,5)."""
    text = value.replace(",", "") if THOUSANDS.match(value) else value
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number.adjusted() >= MAX_DIGITS_BEFORE_POINT:
        raise ValidationError(error, params={"column": column, "value": value})
    return number


def _integer(row: dict, column: str, error=ERROR_NOT_A_NUMBER) -> int:
    value = _required(row, column)
    number = _number(value, column, error)
    if number != number.to_integral_value():
        raise ValidationError(error, params={"column": column, "value": value})
    return int(number)


def _decimal(value: str, column: str) -> Decimal:
    return _number(value, column)


class RoleLetterWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return ROLE_LETTERS.get(value, value or "")


class FieldNameWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return field_name_ja(value) if value else ""


def plain(value: Decimal) -> Decimal:
    """Without the stored scale's trailing zeros (203000, 38.5), never in exponent form."""
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


class PlainDecimalWidget(widgets.Widget):
    """A Decimal as a number (a number cell in Excel, plain digits in CSV); the preview
    compares values the same way."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else plain(value)


class _ScopedResource(resources.ModelResource):
    """Rows of the visions of the areas the importing user keeps, saved through services."""

    service = None

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def _vision(self, row: dict) -> Vision:
        value = _required(row, VISION)
        if value not in self.visions:
            visions = Vision.objects.filter(area__in=areas_kept_by(self.user))
            self.visions[value] = visions.filter(pk=value).first() if value.isdigit() else None
        if self.visions[value] is None:
            raise ValidationError(ERROR_NO_VISION, params={"value": value})
        return self.visions[value]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.seen: dict[tuple, int] = {}
        # Rows of one file name the same few visions (and indicators): look each up once.
        self.visions: dict[str, Vision | None] = {}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.row_number = kwargs.get("row_number", 0)

    def get_or_init_instance(self, instance_loader, row):
        try:
            instance, new = self.find(row)
        except ValidationError as error:
            # Keys that find nothing are the row's errors; import_row reports them.
            raise ValidationError({"__all__": error.messages}) from None
        # The same record twice in one file: which value is meant? The later row is refused.
        key = self.natural_key(instance)
        first = self.seen.setdefault(key, self.row_number)
        if first != self.row_number:
            raise ValidationError({"__all__": [ERROR_REPEATED % {"line": first + 1}]})
        return instance, new

    # The model's fields by the column that fills them, so that an error names the column.
    columns: dict[str, str] = {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {
                    self.columns.get(field, field): messages
                    for field, messages in error.message_dict.items()
                }
            ) from None

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # Typed-in text that starts like a formula stays text (numbers have widgets of their
        # own and are left as they are); `_text` takes the mark off on import.
        if type(field.widget) is widgets.Widget and isinstance(value, str):
            return text_cell(value)
        return value

    def do_instance_save(self, instance, is_create):
        save_with(type(self).service, instance, user=self.user, reason=REASON)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        pass  # import_instance reads every column itself, with messages that name it


class ProjectResource(_ScopedResource):
    """One row per project: number, role, field, title, description, lead, order."""

    service = staticmethod(project_save)
    columns = {
        "code": PROJECT,
        "role": ROLE,
        "field": FIELD,
        "title": TITLE,
        "description": DESCRIPTION,
        "lead": LEAD,
        "order": ORDER,
    }

    vision = fields.Field(
        attribute="vision_id",
        column_name=VISION,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    code = fields.Field(attribute="code", column_name=PROJECT)
    role = fields.Field(attribute="role", column_name=ROLE, widget=RoleLetterWidget())
    field = fields.Field(attribute="field", column_name=FIELD, widget=FieldNameWidget())
    title = fields.Field(attribute="title", column_name=TITLE)
    description = fields.Field(attribute="description", column_name=DESCRIPTION)
    lead = fields.Field(attribute="lead__code", column_name=LEAD)
    lead_name = fields.Field(attribute="lead__name", column_name=LEAD_NAME, readonly=True)
    order = fields.Field(
        attribute="order", column_name=ORDER, widget=widgets.IntegerWidget(coerce_to_string=False)
    )

    class Meta:
        model = Project
        fields = (
            "vision",
            "code",
            "role",
            "field",
            "title",
            "description",
            "lead",
            "lead_name",
            "order",
        )
        export_order = (
            "vision",
            "code",
            "role",
            "field",
            "title",
            "description",
            "lead",
            "lead_name",
            "order",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Project.objects.filter(vision__area__in=areas_kept_by(self.user))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("lead").order_by("vision_id", ROLE_ORDER, "order", "id")

    def natural_key(self, project: Project) -> tuple:
        return (project.vision_id, project.code)

    def find(self, row):
        vision = self._vision(row)
        code = _required(row, PROJECT)
        project = Project.objects.filter(vision=vision, code=code).first()
        if project is None:
            return Project(vision=vision, code=code), True
        return project, False

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list] = {}

        def read(name, parse):
            try:
                return parse()
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.messages)

        letter = read("role", lambda: _required(row, ROLE))
        if letter is not None:
            if letter in LETTER_ROLES:
                instance.role = LETTER_ROLES[letter]
            else:
                errors.setdefault("role", []).append(ERROR_ROLE % {"column": ROLE, "value": letter})
        name = _text(row, FIELD)
        if name:
            field = field_from_name(name)
            if field is None:
                errors.setdefault("field", []).append(ERROR_FIELD % {"value": name})
            else:
                instance.field = field
        title = read("title", lambda: _required(row, TITLE))
        if title is not None:
            instance.title = title
        if DESCRIPTION in row:
            instance.description = _text(row, DESCRIPTION)
        code = read("lead", lambda: _required(row, LEAD))
        if code is not None:
            lead = Municipality.objects.filter(code=code).first()
            if lead is None:
                errors.setdefault("lead", []).append(ERROR_MUNICIPALITY % {"value": code})
            else:
                instance.lead = lead
        if _text(row, ORDER):
            order = read("order", lambda: _integer(row, ORDER))
            if order is not None:
                instance.order = order
        if errors:
            raise ValidationError(errors)


class IndicatorActualResource(_ScopedResource):
    """One row per indicator and fiscal year; an empty value is skipped, never deleted.

    The export has a row for every year from the one after the baseline up to the target year
    (and any later year already recorded), so a year is filled in by typing its values.
    """

    service = staticmethod(actual_save)
    columns = {"fiscal_year": YEAR, "value": VALUE, "indicator": INDICATOR}

    vision = fields.Field(
        attribute="indicator__project__vision_id",
        column_name=VISION,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    project = fields.Field(attribute="indicator__project__code", column_name=PROJECT)
    indicator = fields.Field(attribute="indicator__code", column_name=INDICATOR)
    indicator_name = fields.Field(
        attribute="indicator__name", column_name=INDICATOR_NAME, readonly=True
    )
    unit = fields.Field(attribute="indicator__unit", column_name=UNIT, readonly=True)
    fiscal_year = fields.Field(
        attribute="fiscal_year",
        column_name=YEAR,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    value = fields.Field(attribute="value", column_name=VALUE, widget=PlainDecimalWidget())

    class Meta:
        model = IndicatorActual
        fields = (
            "vision",
            "project",
            "indicator",
            "indicator_name",
            "unit",
            "fiscal_year",
            "value",
        )
        export_order = (
            "vision",
            "project",
            "indicator",
            "indicator_name",
            "unit",
            "fiscal_year",
            "value",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Indicator.objects.filter(project__vision__area__in=areas_kept_by(self.user))

    def filter_export(self, queryset, **kwargs):
        """Indicators (as the admin lists them) become one row per indicator and year."""
        if isinstance(queryset, QuerySet) and queryset.model is Indicator:
            return self.yearly_rows(queryset)
        return queryset

    @staticmethod
    def yearly_rows(indicators: QuerySet[Indicator]) -> list[IndicatorActual]:
        rows = []
        indicators = indicators.select_related("project").prefetch_related("actuals")
        for indicator in indicators.order_by(
            "project__vision_id",
            project_role_order("project__role"),
            "project__order",
            "project_id",
            "order",
            "id",
        ):
            recorded = {actual.fiscal_year: actual for actual in indicator.actuals.all()}
            years = sorted(
                set(range(indicator.baseline_fiscal_year + 1, indicator.target_fiscal_year + 1))
                | {year for year in recorded if year > indicator.baseline_fiscal_year}
            )
            for year in years:
                actual = recorded.get(year) or IndicatorActual(fiscal_year=year, value=None)
                actual.indicator = indicator
                rows.append(actual)
        return rows

    def natural_key(self, actual: IndicatorActual) -> tuple:
        return (actual.indicator_id, actual.fiscal_year)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.indicators: dict[tuple, Indicator] = {}

    def _indicator(self, row: dict) -> Indicator:
        vision = self._vision(row)
        code = _required(row, PROJECT)
        key = (vision.pk, code, _text(row, INDICATOR))
        if key not in self.indicators:
            project = Project.objects.filter(vision=vision, code=code).first()
            if project is None:
                raise ValidationError(ERROR_NO_PROJECT, params={"value": code})
            number = _required(row, INDICATOR)
            indicator = Indicator.objects.filter(project=project, code=number).first()
            if indicator is None:
                raise ValidationError(ERROR_NO_INDICATOR, params={"value": number})
            self.indicators[key] = indicator
        return self.indicators[key]

    def find(self, row):
        indicator = self._indicator(row)
        year = _integer(row, YEAR, error=ERROR_YEAR)
        actual = IndicatorActual.objects.filter(indicator=indicator, fiscal_year=year).first()
        if actual is None:
            return IndicatorActual(indicator=indicator, fiscal_year=year), True
        return actual, False

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not _text(row, VALUE) and not import_validation_errors:
            return True  # nothing entered for this year: nothing to save, nothing removed
        return super().skip_row(instance, original, row, import_validation_errors)

    def import_instance(self, instance, row, **kwargs):
        value = _text(row, VALUE)
        if value:
            try:
                instance.value = _decimal(value, VALUE)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from None
