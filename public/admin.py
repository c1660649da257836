"""The e-mail followers in the admin: for the operator of the site (superusers) only, to find
an address and remove it when its owner asks. No role is granted this model
(municipalities.roles): planning staff never see who follows what."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Follower


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    """Read-only, except removal (a real deletion: followers keep no history)."""

    list_display = ["email", "followed", "language", "confirmed", "requested_at", "sent_at"]
    list_select_related = ["area", "municipality"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["email"]
    fields = [
        "email",
        "area",
        "municipality",
        "language",
        "requested_at",
        "confirmed_at",
        "sent_at",
    ]

    @admin.display(description=_("follows"))
    def followed(self, follower):
        return follower.followed

    @admin.display(description=_("confirmed"), boolean=True)
    def confirmed(self, follower):
        return follower.confirmed_at is not None

    @staticmethod
    def _operator(request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._operator(request)

    def has_view_permission(self, request, obj=None):
        return self._operator(request)

    def has_delete_permission(self, request, obj=None):
        return self._operator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
