from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

from municipalities.access import scoped
from municipalities.admin_base import (
    DomainInline,
    GuardedInline,
    RuleSearchAdmin,
    ServiceAdmin,
    number_column,
)

from .models import (
    AllocationTaxRule,
    FiscalSupport,
    FiscalYearClosure,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectParticipant,
    PublicComment,
    RoundtableMeeting,
    RoundtableMember,
    Vision,
    VisionStatus,
)
from .search import INDICATOR_RULE, PROJECT_RULE
from .services import (
    actual_save,
    allocation_rule_save,
    budget_save,
    closure_save,
    comment_save,
    indicator_save,
    meeting_save,
    member_save,
    participant_save,
    project_save,
    support_save,
    target_save,
    vision_revise,
    vision_save,
)
from .spreadsheets import IndicatorActualResource, ProjectResource


def _vision_is_draft(vision: Vision) -> bool:
    return vision.status == VisionStatus.DRAFT


class SpreadsheetMixin(ImportExportMixin):
    """Export to and import from CSV and Excel (vision.spreadsheets), scoped to the user's
    areas; an import is shown as a dry run first and saves nothing while a row has errors."""

    formats = [XLSX, CSV]
    import_template_name = "admin/vision/spreadsheet_import.html"
    # The columns are fixed so that an exported file imports back: no choosing of fields.
    export_form_class = ExportForm

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        return {"rollback_on_validation_errors": True}

    def has_import_permission(self, request):
        opts = IndicatorActual._meta if self.model is Indicator else self.opts
        return all(
            request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("add", "change")
        )

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def process_result(self, result, request):
        # A row can fail at the confirmation (the data changed since the preview); then the
        # whole import was rolled back and the user is sent back to the import page.
        if result.has_errors() or result.has_validation_errors():
            rows = sorted(
                {number for number, _errors in result.row_errors()}
                | {row.number for row in result.invalid_rows}
            )
            self.message_user(
                request,
                _(
                    "Nothing was imported: rows %(rows)s are no longer valid (the records "
                    "changed after the preview). Choose the file again to see why."
                )
                % {"rows": ", ".join(str(number + 1) for number in rows)},
                messages.ERROR,
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            _("Imported: %(new)s new, %(update)s updated, %(skip)s unchanged (skipped).")
            % {
                "new": totals.get("new", 0),
                "update": totals.get("update", 0),
                "skip": totals.get("skip", 0),
            },
            messages.SUCCESS,
        )

    def get_export_filename(self, request, queryset, file_format):
        name = "indicator-actuals" if self.model is Indicator else "projects"
        return f"{name}-{timezone.localdate():%Y%m%d}.{file_format.get_extension()}"


class ProjectInline(GuardedInline, admin.StackedInline):
    """Stacked, a few fields to a line: as a table, its long choice lists made the vision's
    page wider than an office screen."""

    model = Project
    inline_select_related = ("vision", "lead")
    extra = 0
    show_change_link = True
    autocomplete_fields = ["lead"]
    parent_is_draft = staticmethod(_vision_is_draft)
    fields = [("code", "role", "field"), ("title", "title_en"), ("lead", "order", "is_sample")]
    ordering = ["code", "id"]  # ア, イ, ウ: the roles' stored values sort otherwise


class RoundtableMemberInline(GuardedInline, admin.TabularInline):
    model = RoundtableMember
    extra = 0
    parent_is_draft = staticmethod(_vision_is_draft)
    fields = ["name", "sector", "affiliation", "is_chair", "order", "is_sample"]


class RoundtableMeetingInline(DomainInline, admin.TabularInline):
    model = RoundtableMeeting
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    can_delete = False
    fields = ["held_on", "agenda", "minutes_document", "minutes_url", "is_sample"]


class PublicCommentInline(DomainInline, admin.TabularInline):
    model = PublicComment
    extra = 0
    can_delete = False
    fields = ["number", "summary", "response", "draft_changed", "change_made", "is_sample"]


class RevisionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    first_fiscal_year = forms.IntegerField(label=_("first fiscal year"), min_value=1989)
    last_fiscal_year = forms.IntegerField(label=_("last fiscal year"), max_value=2100)
    revision_reason = forms.CharField(label=_("reason for the revision"), widget=forms.Textarea)


@admin.register(Vision)
class VisionAdmin(ServiceAdmin):
    services = {
        Vision: vision_save,
        Project: project_save,
        RoundtableMember: member_save,
        RoundtableMeeting: meeting_save,
        PublicComment: comment_save,
    }
    list_display = [
        "title",
        "area",
        "status",
        "first_fiscal_year",
        "last_fiscal_year",
        "adopted_on",
        "previous",
    ]
    list_filter = ["area", "status"]
    list_select_related = ["area", "previous"]
    search_fields = ["title", "area__name"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "area",
                    "title",
                    ("first_fiscal_year", "last_fiscal_year"),
                    ("status", "adopted_on"),
                    "future_image",
                    "is_sample",
                ]
            },
        ),
        (
            _("Revision (改定)"),
            {"fields": ["previous", "revision_reason", "changes_note"]},
        ),
        (
            _("Public comment (パブリックコメント)"),
            {
                "fields": [("comment_starts_on", "comment_ends_on")],
                "description": _(
                    "The comments below are published once the period has ended, never before."
                ),
            },
        ),
    ]
    inlines = [ProjectInline, RoundtableMemberInline, RoundtableMeetingInline, PublicCommentInline]
    actions = ["start_revision"]

    def deletable(self, obj):
        return obj is not None and _vision_is_draft(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "previous":
            field.queryset = field.queryset.exclude(status=VisionStatus.DRAFT)
        return field

    @admin.action(
        description=_("Start a revision (改定) of the selected vision"),
        permissions=["add"],
    )
    def start_revision(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one vision to revise."), messages.ERROR)
            return None
        previous = queryset.get()
        if previous.status != VisionStatus.ADOPTED:
            self.message_user(request, _("Only the adopted vision can be revised."), messages.ERROR)
            return None
        form = RevisionForm(
            request.POST if "revise" in request.POST else None,
            initial={
                "title": previous.title,
                "first_fiscal_year": previous.last_fiscal_year + 1,
                "last_fiscal_year": previous.last_fiscal_year + 5,
            },
        )
        if form.is_valid():
            try:
                revision = vision_revise(previous=previous, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _(
                        "The revision was started as a draft with a copy of the projects and "
                        "indicators; change it, then adopt it."
                    ),
                    messages.SUCCESS,
                )
                for participation in revision.left_out:
                    self.message_user(
                        request,
                        _(
                            "%(municipality)s was not copied into %(project)s: its agreement "
                            "has ended."
                        )
                        % {
                            "municipality": participation.municipality,
                            "project": participation.project,
                        },
                        messages.WARNING,
                    )
                return redirect("admin:vision_vision_change", revision.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start a revision of %(title)s") % {"title": previous.title},
            "form": form,
            "previous": previous,
            "opts": self.model._meta,
            "action": "start_revision",
        }
        return render(request, "admin/vision/start_revision.html", context)


class ParticipantInline(GuardedInline, admin.TabularInline):
    model = ProjectParticipant
    inline_select_related = ("project__vision__area", "municipality", "agreement_item")
    extra = 0
    autocomplete_fields = ["municipality"]
    parent_is_draft = staticmethod(lambda project: _vision_is_draft(project.vision))
    fields = ["municipality", "agreement_item"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "agreement_item":
            # Inlines do not go through ServiceAdmin's scoping: only the user's areas, and
            # only published agreements (an internal draft covers no project).
            field.queryset = (
                scoped(field.queryset, request.user, "agreement__area")
                .filter(agreement__is_public=True)
                .select_related("agreement__partner")
                .order_by("agreement__partner__code", "role", "order")
            )
            field.label_from_instance = lambda item: f"{item.agreement.partner.name}: {item}"
        return field


class BudgetInline(DomainInline, admin.TabularInline):
    model = ProjectBudget
    inline_select_related = ("municipality",)
    extra = 0
    can_delete = False
    autocomplete_fields = ["municipality"]
    fields = ["fiscal_year", "municipality", "amount", "is_sample"]


class IndicatorInline(GuardedInline, admin.StackedInline):
    """Stacked, a few fields to a line: as a table its thirteen columns were wider than an
    office screen."""

    model = Indicator
    inline_select_related = ("project__vision",)
    extra = 0
    show_change_link = True
    parent_is_draft = staticmethod(lambda project: _vision_is_draft(project.vision))
    fields = [
        ("code", "order", "is_sample"),
        ("name", "name_en"),
        ("unit", "unit_en", "kind", "direction"),
        ("baseline_value", "baseline_fiscal_year"),
        ("target_value", "target_fiscal_year"),
    ]


@admin.register(Project)
class ProjectAdmin(SpreadsheetMixin, RuleSearchAdmin, ServiceAdmin):
    services = {
        Project: project_save,
        ProjectParticipant: participant_save,
        ProjectBudget: budget_save,
        Indicator: indicator_save,
    }
    resource_classes = [ProjectResource]
    list_display = ["code", "title", "vision", "role", "field", "lead"]
    list_display_links = ["code", "title"]
    # By number, so in the roles' order ア, イ, ウ (their stored values sort otherwise).
    ordering = ["vision", "code", "id"]
    list_filter = ["role", "vision__area", ("vision", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["vision", "lead"]
    search_fields = ["code", "title", "lead__name", "lead__name_kana"]
    search_rule = PROJECT_RULE
    autocomplete_fields = ["lead"]
    inlines = [ParticipantInline, BudgetInline, IndicatorInline]

    def deletable(self, obj):
        return obj is not None and _vision_is_draft(obj.vision)


class TargetInline(GuardedInline, admin.TabularInline):
    model = IndicatorTarget
    inline_select_related = ("indicator__project__vision",)
    extra = 0
    parent_is_draft = staticmethod(lambda indicator: _vision_is_draft(indicator.project.vision))
    fields = ["fiscal_year", "value", "is_sample"]


class ActualInline(DomainInline, admin.TabularInline):
    model = IndicatorActual
    inline_select_related = ("indicator",)
    extra = 1
    can_delete = False
    fields = ["fiscal_year", "value", "is_sample"]


@admin.register(Indicator)
class IndicatorAdmin(SpreadsheetMixin, RuleSearchAdmin, ServiceAdmin):
    """Indicators; Export and Import here carry their yearly actual values."""

    services = {
        Indicator: indicator_save,
        IndicatorTarget: target_save,
        IndicatorActual: actual_save,
    }
    resource_classes = [IndicatorActualResource]

    def get_export_queryset(self, request):
        # Unless a vision is chosen, the export leaves out superseded versions, whose project
        # and indicator numbers repeat those of the version in force.
        queryset = super().get_export_queryset(request)
        if "project__vision__id__exact" in request.GET:
            return queryset
        return queryset.exclude(project__vision__status=VisionStatus.SUPERSEDED)

    list_display = [
        "name",
        "project",
        "unit",
        "direction",
        number_column(Indicator, "baseline_value"),
        number_column(Indicator, "target_value"),
        "target_fiscal_year",
    ]
    list_filter = [
        "project__role",
        "project__vision__area",
        ("project__vision", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["project"]
    search_fields = ["name", "project__title", "project__code"]
    search_rule = INDICATOR_RULE
    autocomplete_fields = ["project"]
    inlines = [TargetInline, ActualInline]

    def deletable(self, obj):
        return obj is not None and _vision_is_draft(obj.project.vision)


@admin.register(IndicatorActual)
class IndicatorActualAdmin(ServiceAdmin):
    services = {IndicatorActual: actual_save}
    list_display = [
        "indicator",
        "fiscal_year",
        number_column(IndicatorActual, "value"),
        "is_sample",
    ]
    list_filter = ["fiscal_year", "indicator__project__vision__area"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "indicator__project__title"]
    autocomplete_fields = ["indicator"]


@admin.register(AllocationTaxRule)
class AllocationTaxRuleAdmin(ServiceAdmin):
    """National figures, with their source: everyone sees them, the operator changes them."""

    services = {AllocationTaxRule: allocation_rule_save}
    list_display = [
        "from_fiscal_year",
        number_column(AllocationTaxRule, "partner_special_cap"),
        "source",
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(FiscalSupport)
class FiscalSupportAdmin(ServiceAdmin):
    services = {FiscalSupport: support_save}
    list_display = [
        "fiscal_year",
        "municipality",
        "area",
        number_column(FiscalSupport, "special_amount"),
        number_column(FiscalSupport, "ordinary_amount"),
    ]
    list_filter = ["area", "fiscal_year"]
    list_select_related = ["area", "municipality"]
    search_fields = ["municipality__name", "area__name"]
    autocomplete_fields = ["municipality"]
    fields = [
        "area",
        "municipality",
        "fiscal_year",
        "special_amount",
        "ordinary_amount",
        "note",
        "is_sample",
    ]


admin.site.empty_value_display = _("—")


@admin.register(FiscalYearClosure)
class FiscalYearClosureAdmin(ServiceAdmin):
    """Closing a fiscal year makes its actual values final for the area's clerks."""

    services = {FiscalYearClosure: closure_save}
    list_display = ["area", "fiscal_year", "closed_on"]
    list_filter = ["area"]
    list_select_related = ["area"]
