from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from municipalities.admin_base import DomainInline, GuardedInline, ServiceAdmin

from .models import Indicator, IndicatorActual, Project, ProjectParticipant, Vision, VisionStatus
from .services import (
    actual_save,
    indicator_save,
    participant_save,
    project_save,
    vision_save,
)


def _vision_is_draft(vision: Vision) -> bool:
    return vision.status == VisionStatus.DRAFT


class ProjectInline(GuardedInline, admin.TabularInline):
    model = Project
    inline_select_related = ("vision", "lead")
    extra = 0
    show_change_link = True
    autocomplete_fields = ["lead"]
    parent_is_draft = staticmethod(_vision_is_draft)
    fields = ["role", "field", "title", "lead", "order", "is_sample"]


@admin.register(Vision)
class VisionAdmin(ServiceAdmin):
    area_path = "area"
    services = {Vision: vision_save, Project: project_save}
    list_display = [
        "title",
        "area",
        "status",
        "first_fiscal_year",
        "last_fiscal_year",
        "adopted_on",
    ]
    list_filter = ["area", "status"]
    search_fields = ["title", "area__name"]
    inlines = [ProjectInline]

    def deletable(self, obj):
        return obj is not None and _vision_is_draft(obj)


class ParticipantInline(GuardedInline, admin.TabularInline):
    model = ProjectParticipant
    inline_select_related = ("project__vision__area", "municipality")
    extra = 0
    autocomplete_fields = ["municipality"]
    parent_is_draft = staticmethod(lambda project: _vision_is_draft(project.vision))


class IndicatorInline(GuardedInline, admin.TabularInline):
    model = Indicator
    inline_select_related = ("project__vision",)
    extra = 0
    show_change_link = True
    parent_is_draft = staticmethod(lambda project: _vision_is_draft(project.vision))
    fields = [
        "name",
        "unit",
        "baseline_value",
        "baseline_fiscal_year",
        "target_value",
        "target_fiscal_year",
        "order",
        "is_sample",
    ]


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    area_path = "vision__area"
    services = {
        Project: project_save,
        ProjectParticipant: participant_save,
        Indicator: indicator_save,
    }
    list_display = ["title", "vision", "role", "field", "lead"]
    list_filter = ["role", "vision__area", "vision"]
    search_fields = ["title", "field", "lead__name", "lead__name_kana"]
    autocomplete_fields = ["lead"]
    inlines = [ParticipantInline, IndicatorInline]

    def deletable(self, obj):
        return obj is not None and _vision_is_draft(obj.vision)


class ActualInline(DomainInline, admin.TabularInline):
    model = IndicatorActual
    inline_select_related = ("indicator",)
    extra = 1
    can_delete = False
    fields = ["fiscal_year", "value", "is_sample"]


@admin.register(Indicator)
class IndicatorAdmin(ServiceAdmin):
    area_path = "project__vision__area"
    services = {Indicator: indicator_save, IndicatorActual: actual_save}
    list_display = [
        "name",
        "project",
        "unit",
        "baseline_value",
        "target_value",
        "target_fiscal_year",
    ]
    list_filter = ["project__role", "project__vision__area"]
    search_fields = ["name", "project__title"]
    autocomplete_fields = ["project"]
    inlines = [ActualInline]

    def deletable(self, obj):
        return obj is not None and _vision_is_draft(obj.project.vision)


@admin.register(IndicatorActual)
class IndicatorActualAdmin(ServiceAdmin):
    area_path = "indicator__project__vision__area"
    services = {IndicatorActual: actual_save}
    list_display = ["indicator", "fiscal_year", "value", "is_sample"]
    list_filter = ["fiscal_year", "indicator__project__vision__area"]
    search_fields = ["indicator__name", "indicator__project__title"]
    autocomplete_fields = ["indicator"]


admin.site.empty_value_display = _("—")
