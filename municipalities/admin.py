from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.forms import Textarea
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .access import municipalities_kept_by
from .admin_base import (
    DomainForm,
    DomainInline,
    GuardedAdmin,
    OneChangePerKeyFormSet,
    RuleSearchAdmin,
    ServiceAdmin,
    number_column,
)
from .models import (
    AreaMembership,
    ClerkAccount,
    CommutingRatio,
    CooperationArea,
    Municipality,
    SignInUnlock,
    StaffRole,
    proposed_slug,
)
from .search import AREA_RULE, MUNICIPALITY_RULE
from .services import (
    area_save,
    clerk_unlock,
    commuting_ratio_save,
    membership_save,
    municipality_save,
)
from .signin import is_locked_out, with_recent_failures


@admin.register(Municipality)
class MunicipalityAdmin(RuleSearchAdmin, ServiceAdmin):
    """Reference data for everyone who keeps a record; only the operator changes it, except
    the English name, which planning staff give for the municipalities of their areas."""

    services = {Municipality: municipality_save}
    # A website typed without a scheme means https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "code",
        "name",
        "name_kana",
        "english",
        "kind",
        "prefecture",
        number_column(Municipality, "population"),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or municipalities_kept_by(request.user).filter(pk=obj.pk).exists()

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        # The registry's facts are the operator's (manage.py load_registry).
        return [
            name
            for _name, options in self.fieldsets
            for name in options["fields"]
            if name != "english_name"
        ]

    @admin.display(description=_("English name"))
    def english(self, obj):
        return obj.name_en

    list_filter = ["kind", "prefecture"]
    search_fields = ["code", "name", "name_kana", "english_name"]
    search_rule = MUNICIPALITY_RULE
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "name_kana",
                    "english_name",
                    "kind",
                    "prefecture",
                    "website",
                ]
            },
        ),
        (
            _("Population and area"),
            {
                "fields": [
                    "population",
                    "population_census_year",
                    "population_figure",
                    "area_km2",
                ]
            },
        ),
        (_("City office location"), {"fields": ["latitude", "longitude"]}),
    ]


class MembershipFormSet(OneChangePerKeyFormSet):
    key_field = "municipality"
    message = _("Record one membership change per municipality at a time, then save.")


class MembershipInline(DomainInline, admin.TabularInline):
    model = AreaMembership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["municipality"]
    can_delete = False
    inline_select_related = ("area", "municipality")


class CommutingRatioInline(DomainInline, admin.TabularInline):
    model = CommutingRatio
    extra = 0
    autocomplete_fields = ["municipality"]
    can_delete = False
    inline_select_related = ("area__central_city", "municipality")
    fields = ["municipality", "ratio", "survey_year", "meets_rule", "outside_reason", "is_sample"]
    # A narrower reason box: the default one made the area's page wider than an office screen.
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 32})}}


class CooperationAreaForm(DomainForm):
    """The address name (slug) of a new area may be left empty: one is proposed from the
    central city."""

    class Meta:
        model = CooperationArea
        fields = "__all__"
        help_texts = {
            "slug": _(
                "The name in the area's web address, as in /areas/nagano/. Leave it empty to "
                "use one proposed from the central city's web address (長野市: nagano)."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a new area: an area's address, once published, does not move by itself.
        self.proposes_slug = self.instance.pk is None and "slug" in self.fields
        if self.proposes_slug:
            self.fields["slug"].required = False

    def clean(self):
        cleaned = super().clean()
        city = cleaned.get("central_city")
        if self.proposes_slug and not cleaned.get("slug") and city is not None:
            cleaned["slug"] = proposed_slug(city)
        return cleaned


@admin.register(CooperationArea)
class CooperationAreaAdmin(RuleSearchAdmin, ServiceAdmin):
    services = {
        CooperationArea: area_save,
        AreaMembership: membership_save,
        CommutingRatio: commuting_ratio_save,
    }
    list_display = ["name", "central_city", "declared_on"]
    search_fields = ["name", "central_city__name", "central_city__name_kana"]
    search_rule = AREA_RULE
    form = CooperationAreaForm
    change_form_template = "admin/municipalities/cooperationarea/area_change_form.html"
    change_list_template = "admin/municipalities/cooperationarea/area_change_list.html"
    autocomplete_fields = ["central_city", "joint_central_city"]
    inlines = [MembershipInline, CommutingRatioInline]

    def has_add_permission(self, request):
        return request.user.is_superuser  # a new area is set up by the operator

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.has_partners_or_agreements():
            return [*fields, "central_city"]
        return fields

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "central_city",
                    "joint_central_city",
                    "description",
                    "recorded",
                ]
            },
        ),
        (
            _("Declaration (連携中枢都市宣言)"),
            {"fields": ["declared_on", "declaration_text", "declaration_is_sample"]},
        ),
        (
            _("Formation policy (形成方針), for an area with no partner yet"),
            {"fields": ["formation_policy_on", "formation_policy_text"], "classes": ["collapse"]},
        ),
    ]


@admin.register(AreaMembership)
class AreaMembershipAdmin(ServiceAdmin):
    services = {AreaMembership: membership_save}
    list_display = ["municipality", "area", "joined_on", "left_on", "did_not_conclude"]
    list_filter = ["area"]
    search_fields = ["municipality__name", "municipality__name_kana", "municipality__code"]
    autocomplete_fields = ["municipality"]


@admin.register(CommutingRatio)
class CommutingRatioAdmin(ServiceAdmin):
    services = {CommutingRatio: commuting_ratio_save}
    list_display = ["municipality", "area", "ratio", "survey_year", "meets_rule", "is_sample"]
    list_filter = ["area", "meets_rule"]
    search_fields = ["municipality__name", "municipality__name_kana", "municipality__code"]
    autocomplete_fields = ["municipality"]


@admin.register(StaffRole)
class StaffRoleAdmin(GuardedAdmin, SimpleHistoryAdmin):
    """Who is a clerk or planning staff of which municipality: the operator's business."""

    list_display = ["user", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["user__username", "municipality__name", "municipality__name_kana"]
    autocomplete_fields = ["municipality"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )


def _operators_only(admin_class):
    """The admin class, open to operators (superusers) only."""

    class OperatorsOnly(admin_class):
        def has_module_permission(self, request):
            return request.user.is_superuser

        def has_view_permission(self, request, obj=None):
            return request.user.is_superuser

        def has_delete_permission(self, request, obj=None):
            return request.user.is_superuser and super().has_delete_permission(request, obj)

    return OperatorsOnly


# Sign-in records (who failed to sign in, from where) are the operator's: planning staff unlock
# their areas' clerks through "Clerks' sign-ins", which records who unlocked whom.
for _model, _admin_class in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _operators_only(_admin_class))


# Accounts and groups (the operator's pages) are edited like every record: a save over a
# change made meanwhile is refused (municipalities.concurrency).
for _model, _admin_class in ((get_user_model(), UserAdmin), (Group, GroupAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(_admin_class.__name__, (GuardedAdmin, _admin_class), {}))


class RecordsOnly:
    """An admin page that lists records and never adds, changes or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClerkAccount)
class ClerkAccountAdmin(RecordsOnly, admin.ModelAdmin):
    """The clerks of the municipalities of the user's areas, and whether failed sign-ins have
    locked them out; planning staff unlock them here."""

    list_display = ["user", "municipality", "failures", "locked_out"]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__username", "municipality__name", "municipality__name_kana"]
    ordering = ["municipality__code", "user__username"]
    actions = ["unlock"]

    def get_queryset(self, request):
        clerks = with_recent_failures(
            super().get_queryset(request).filter(kind=StaffRole.Kind.CLERK)
        )
        if request.user.is_superuser:
            return clerks
        return clerks.filter(municipality__in=municipalities_kept_by(request.user))

    @admin.display(description=_("failed sign-ins (cool-off)"))
    def failures(self, role):
        return role.failures

    @admin.display(description=_("locked out"), boolean=True)
    def locked_out(self, role):
        return is_locked_out(role)

    @admin.action(description=_("Unlock the sign-in of the selected clerks"), permissions=["view"])
    def unlock(self, request, queryset):
        unlocks = [clerk_unlock(role=role, user=request.user) for role in queryset]
        self.message_user(
            request,
            ngettext(
                "Unlocked %(count)d clerk: %(names)s.",
                "Unlocked %(count)d clerks: %(names)s.",
                len(unlocks),
            )
            % {
                "count": len(unlocks),
                "names": ", ".join(f"{u.clerk} ({u.municipality})" for u in unlocks),
            },
            messages.SUCCESS,
        )


@admin.register(SignInUnlock)
class SignInUnlockAdmin(RecordsOnly, admin.ModelAdmin):
    """Who unlocked which clerk, and when: a record, never changed."""

    list_display = ["unlocked_at", "clerk", "municipality", "unlocked_by", "failures_cleared"]
    list_select_related = ["clerk", "municipality", "unlocked_by"]
    date_hierarchy = "unlocked_at"

    def get_queryset(self, request):
        unlocks = super().get_queryset(request)
        if request.user.is_superuser:
            return unlocks
        return unlocks.filter(municipality__in=municipalities_kept_by(request.user))
