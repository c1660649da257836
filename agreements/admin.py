from functools import partial

from django.contrib import admin, messages
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from municipalities.access import scoped
from municipalities.admin_base import (
    DomainInline,
    GuardedInline,
    OneChangePerKeyFormSet,
    RuleSearchAdmin,
    ServiceAdmin,
)
from municipalities.models import Municipality

from . import batch, stored_status, texts, workbook_admin
from .models import Agreement, AgreementItem, CouncilResolution, Procedure, Role
from .search import AGREEMENT_RULE
from .selectors import agreements_with_record
from .services import (
    agreement_publish,
    agreement_save,
    item_save,
    procedure_save,
    resolution_save,
)
from .status import STATUS_EXPLANATIONS, AgreementStatus, ProcedureStage


def _batch_page(model_admin, request, queryset, *, form, action, title, explanation, submit, run):
    """An action's own page: a form for what the selected rows share, then all or nothing."""
    objects = list(queryset)
    outcomes = None
    if "apply" in request.POST and form.is_valid():
        outcomes = run(objects, form.cleaned_data)
        if all(outcome.ok for outcome in outcomes):
            model_admin.message_user(
                request,
                ngettext("%(count)d record saved.", "%(count)d records saved.", len(objects))
                % {"count": len(objects)},
                messages.SUCCESS,
            )
            return None
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "explanation": explanation,
        "form": form,
        "objects": objects,
        "outcomes": outcomes,
        "action": action,
        "submit_label": submit,
        "opts": opts,
        "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
    }
    return render(request, "admin/agreements/batch.html", context)


def _content_editable(agreement: Agreement) -> bool:
    """Its items can be removed: the conclusion or an amendment is being drafted."""
    return agreement.content_lock() is None


def _agreement_is_draft(agreement: Agreement) -> bool:
    """Internal work only: no procedure of it was ever submitted to a council."""
    return not agreement.procedures.filter(proposed_on__isnull=False).exists()


class StatusFilter(admin.SimpleListFilter):
    """Filter by status, read in SQL from the status each agreement stores."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return AgreementStatus.choices

    def queryset(self, request, queryset):
        if self.value() not in AgreementStatus.values:
            return queryset
        stored_status.refresh_due()
        return queryset.filter(stored_status=self.value())


class ItemRoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(items__role=self.value()).distinct()
        return queryset


class AgreementItemInline(GuardedInline, admin.StackedInline):
    model = AgreementItem
    inline_select_related = ("agreement",)
    extra = 0
    parent_is_draft = staticmethod(_content_editable)
    fields = [
        ("role", "field", "order"),
        "title",
        "title_en",
        "central_city_part",
        "partner_part",
        "is_sample",
    ]


class ProcedureFormSet(OneChangePerKeyFormSet):
    message = _("Start or change one procedure at a time, save, then go on with the next.")


class ProcedureInline(DomainInline, admin.TabularInline):
    model = Procedure
    inline_select_related = ("agreement__area", "agreement__partner")
    formset = ProcedureFormSet
    extra = 0
    show_change_link = True
    can_delete = False  # a procedure still being drafted is deleted from its own page
    fields = ["kind", "summary", "proposed_on", "effective_on", "dropped_on"]


@admin.register(Agreement)
class AgreementAdmin(RuleSearchAdmin, ServiceAdmin):
    services = {Agreement: agreement_save, AgreementItem: item_save, Procedure: procedure_save}
    list_display = ["title", "area", "partner", "status_display", "is_public", "term_display"]
    list_filter = ["area", StatusFilter, ItemRoleFilter, "is_public"]
    actions = ["publish", "start_conclusions"]
    search_fields = ["title", "partner__name", "partner__name_kana", "partner__code"]
    search_rule = AGREEMENT_RULE
    autocomplete_fields = ["central_party", "partner"]
    readonly_fields = ["status_display"]
    inlines = [AgreementItemInline, ProcedureInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "area",
                    "central_party",
                    "partner",
                    "title",
                    "status_display",
                    "is_public",
                ],
                "description": _(
                    "The partner is a partner municipality of the area, the other joint central "
                    "city, or a prefecture (notification then goes to the Minister for Internal "
                    "Affairs)."
                ),
            },
        ),
        (_("Content"), {"fields": ["basic_policy", "text", "is_sample"]}),
        (
            _("Term"),
            {
                "fields": ["term_start", "term_end", "lapse_notice_months"],
                "description": _(
                    "In principle an agreement has no fixed term (要綱 第5条); leave both empty."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return scoped(agreements_with_record(), request.user, Agreement.area_path)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.pk is None or obj.text or obj.content_lock() is not None:
            return form

        class WithTemplate(form):
            """A draft without a text starts from the structure the real texts share."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial["text"] = texts.default_text(
                    central=obj.central_party.name,
                    partner=obj.partner.name,
                    basic_policy=obj.basic_policy,
                    lapse_months=obj.lapse_notice_months,
                )

        return WithTemplate

    def get_urls(self):
        admin_view = self.admin_site.admin_view
        return [
            path(
                "area/<int:area_id>/workbook/",
                admin_view(partial(workbook_admin.page, admin_site=self.admin_site)),
                name="agreements_area_workbook",
            ),
            path(
                "area/<int:area_id>/workbook.xlsx",
                admin_view(workbook_admin.download),
                name="agreements_area_workbook_download",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Publish the selected agreements"))
    def publish(self, request, queryset):
        for agreement in queryset.filter(is_public=False):
            agreement_publish(agreement=agreement, user=request.user)

    @admin.action(description=_("Start the conclusion of the selected agreements (one model text)"))
    def start_conclusions(self, request, queryset):
        return _batch_page(
            self,
            request,
            queryset.select_related("central_party", "partner").order_by("partner__code"),
            form=batch.ConclusionForm(request.POST if "apply" in request.POST else None),
            action="start_conclusions",
            title=_("Start the conclusion of many agreements"),
            explanation=_(
                "Each selected agreement gets a conclusion procedure with the same summary and "
                "date and the model text, where {甲} and {乙} become the names of its parties."
            ),
            submit=_("Start the conclusions"),
            run=lambda agreements, data: batch.start_conclusions(
                agreements, user=request.user, **data
            ),
        )

    @admin.display(description=_("status"))
    def status_display(self, obj):
        status = obj.status() if obj.pk else AgreementStatus.DRAFT
        return format_html(
            '{} <span class="help">{}</span>', status.label, STATUS_EXPLANATIONS[status]
        )

    @admin.display(description=_("term"))
    def term_display(self, obj):
        if not (obj.term_start or obj.term_end):
            return _("no fixed term")
        return f"{obj.term_start or ''} – {obj.term_end or ''}"

    def deletable(self, obj):
        return obj is not None and _agreement_is_draft(obj)


class ResolutionFormSet(OneChangePerKeyFormSet):
    key_field = "municipality"
    message = _("Record or correct one resolution per council at a time, then save.")


class ResolutionInline(DomainInline, admin.TabularInline):
    model = CouncilResolution
    inline_select_related = ("procedure__agreement__area", "municipality")
    formset = ResolutionFormSet
    extra = 0
    can_delete = False
    fields = [
        "municipality",
        "session",
        "bill_number",
        "submitted_on",
        "resolved_on",
        "result",
        "note",
        "is_sample",
        "document_link",
    ]
    readonly_fields = ["document_link"]

    @admin.display(description=_("resolution document (議決書, PDF)"))
    def document_link(self, resolution):
        if resolution is None or not resolution.pk or not resolution.document:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("agreements:resolution_document", args=[resolution.pk]),
            _("Resolution document (PDF)"),
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Only the two parties' councils resolve on an agreement.
            formset.form.base_fields["municipality"].queryset = Municipality.objects.filter(
                pk__in=[council.pk for council in obj.required_councils()]
            )
        return formset


@admin.register(Procedure)
class ProcedureAdmin(ServiceAdmin):
    services = {Procedure: procedure_save, CouncilResolution: resolution_save}
    list_display = ["summary", "agreement", "kind", "stage_display", "proposed_on", "effective_on"]
    list_filter = ["kind", "agreement__area"]
    search_fields = ["summary", "agreement__partner__name", "agreement__partner__name_kana"]
    autocomplete_fields = ["agreement"]
    readonly_fields = ["stage_display"]
    inlines = [ResolutionInline]
    actions = ["record_central_session", "put_into_effect"]
    fieldsets = [
        (None, {"fields": ["agreement", "kind", "summary", "proposed_text", "stage_display"]}),
        (
            _("Lapse by notice (失効)"),
            {
                "fields": ["notice_by", "notice_given_on"],
                "description": _(
                    "Only for a lapse by notice: the party whose council resolves it, and the "
                    "day the notice was given. The day it lapses follows from the agreement's "
                    "clause."
                ),
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "proposed_on",
                    ("signed_on", "signing_ceremony"),
                    "effective_on",
                    ("central_notice_on", "central_notice_number", "governor_notified_on"),
                    ("partner_notice_on", "partner_notice_number", "partner_notified_on"),
                    "dropped_on",
                ],
                "description": _(
                    "Record both councils' resolutions below and save before entering the day "
                    "the heads signed it and the day it takes effect (the signing day unless "
                    "the agreement says otherwise)."
                ),
            },
        ),
        (None, {"fields": ["is_sample"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agreement__area", "agreement__central_party", "agreement__partner")
            .prefetch_related("resolutions")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "notice_by" in form.base_fields:
            # Only one of the agreement's two parties gives notice of lapse.
            if obj is not None:
                parties = Q(pk__in=obj.agreement.party_ids)
            else:
                kept = scoped(Agreement.objects.order_by(), request.user, Agreement.area_path)
                parties = Q(pk__in=kept.values("partner_id")) | Q(
                    pk__in=kept.values("central_party_id")
                )
            form.base_fields["notice_by"].queryset = Municipality.objects.filter(parties)
        return form

    def get_readonly_fields(self, request, obj=None):
        # A procedure stays with the agreement it was started for.
        return [*super().get_readonly_fields(request, obj), *(["agreement"] if obj else [])]

    def _selected(self, queryset):
        return queryset.select_related(
            "agreement__area", "agreement__central_party", "agreement__partner"
        ).order_by("agreement__partner__code", "id")

    @admin.action(description=_("Record the central city council's resolutions of one session"))
    def record_central_session(self, request, queryset):
        procedures = list(self._selected(queryset))
        return _batch_page(
            self,
            request,
            procedures,
            form=batch.SessionForm(
                request.POST if "apply" in request.POST else None, procedures=procedures
            ),
            action="record_central_session",
            title=_("Record the central city council's resolutions of one session"),
            explanation=_(
                "One resolution of the central city's council on each selected procedure: the "
                "same session, date and result, each with its own bill number."
            ),
            submit=_("Record the resolutions"),
            run=lambda rows, data: batch.record_session(
                rows,
                session=data["session"],
                resolved_on=data["resolved_on"],
                result=data["result"],
                bills={p.pk: data[f"bill_{p.pk}"] for p in rows},
                user=request.user,
            ),
        )

    @admin.action(description=_("Put the selected procedures into effect on one date"))
    def put_into_effect(self, request, queryset):
        return _batch_page(
            self,
            request,
            self._selected(queryset),
            form=batch.EffectForm(request.POST if "apply" in request.POST else None),
            action="put_into_effect",
            title=_("Put many procedures into effect on one date"),
            explanation=_(
                "Each selected procedure takes effect on the date, with the public notices and "
                "the notification where given. Both councils must have passed each one."
            ),
            submit=_("Put into effect"),
            run=lambda rows, data: batch.put_into_effect(rows, user=request.user, **data),
        )

    @admin.display(description=_("stage"))
    def stage_display(self, obj):
        return obj.stage().label if obj.pk else ProcedureStage.DRAFTING.label

    def deletable(self, obj):
        return obj is not None and obj.proposed_on is None and not obj.resolutions.exists()


def _who_and_when(username, moment) -> str:
    if moment is None:
        return "—"
    return f"{username or '—'} ({timezone.localtime(moment):%Y-%m-%d %H:%M})"


@admin.register(CouncilResolution)
class CouncilResolutionAdmin(ServiceAdmin):
    services = {CouncilResolution: resolution_save}
    list_display = [
        "procedure",
        "municipality",
        "session",
        "bill_number",
        "resolved_on",
        "result",
        "recorded_by",
        "last_changed_by",
    ]
    list_filter = ["result", "procedure__agreement__area", "procedure__kind"]
    search_fields = [
        "municipality__name",
        "municipality__name_kana",
        "bill_number",
        "session",
        "procedure__agreement__partner__name",
    ]
    autocomplete_fields = ["procedure", "municipality"]
    date_hierarchy = "resolved_on"

    def get_queryset(self, request):
        history = CouncilResolution.history.filter(id=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .select_related("procedure__agreement__partner", "municipality")
            .annotate(
                first_user=Subquery(
                    history.order_by("history_date").values("history_user__username")[:1]
                ),
                first_at=Subquery(history.order_by("history_date").values("history_date")[:1]),
                last_user=Subquery(
                    history.order_by("-history_date").values("history_user__username")[:1]
                ),
                last_at=Subquery(history.order_by("-history_date").values("history_date")[:1]),
            )
        )

    @admin.display(description=_("Recorded by"))
    def recorded_by(self, obj):
        return _who_and_when(obj.first_user, obj.first_at)

    @admin.display(description=_("Last changed by"))
    def last_changed_by(self, obj):
        return _who_and_when(obj.last_user, obj.last_at)

    def get_readonly_fields(self, request, obj=None):
        # A resolution stays with the procedure and council it was recorded for.
        fixed = ["procedure", "municipality"] if obj else []
        return [*super().get_readonly_fields(request, obj), *fixed]


@admin.register(AgreementItem)
class AgreementItemAdmin(ServiceAdmin):
    services = {AgreementItem: item_save}
    list_display = ["title", "agreement", "role", "field"]
    list_filter = ["role", "agreement__area"]
    search_fields = ["title", "field", "agreement__partner__name", "agreement__partner__name_kana"]
    autocomplete_fields = ["agreement"]

    def deletable(self, obj):
        return obj is not None and _content_editable(obj.agreement)
