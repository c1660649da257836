"""What every admin of the domain shares: writes through services, no silent deletion.

`ServiceAdmin.services` maps each model the page edits (the page's own and its inlines') to
the service function that saves it, so the admin validates and records history exactly as
every other entry point does. Deletion is refused unless `deletable` says the record is
still internal work (a draft); the public record ends by procedures, not by deletion.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import lookup_spawns_duplicates, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.forms.models import BaseInlineFormSet, _get_foreign_key
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .access import keeps_record, scoped
from .concurrency import GuardedEdit
from .numbers import format_value
from .search import SearchRule, parse
from .services import save_with


class DomainForm(forms.ModelForm):
    """A model form that shows every refusal, also of fields the form does not show.

    A rule may name a field the page leaves out (an inline with a few columns, a read-only
    field). Django would fail on it; here it becomes a message above the row, with the
    field's name in front.
    """

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            kept: dict[str, list] = {}
            for field, field_errors in errors.error_dict.items():
                if field == NON_FIELD_ERRORS or field in self.fields:
                    kept.setdefault(field, []).extend(field_errors)
                    continue
                label = capfirst(self._meta.model._meta.get_field(field).verbose_name)
                kept.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(f"{label}: {message}")
                    for message in ValidationError(field_errors).messages
                )
            errors = ValidationError(kept)
        super()._update_errors(errors)


class SharedLabelsAutocomplete(AutocompleteSelect):
    """An autocomplete whose chosen record's label comes from `labels`, which the formset
    reads once for all its rows (SharedLabelsFormSet), instead of one query per row."""

    labels: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        if self.labels is None:
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        chosen = [str(v) for v in value if str(v) in self.labels][:1]
        for key in chosen:
            default[1].append(
                self.create_option(name, key, self.labels[key], set(chosen), len(default[1]))
            )
        return [default]


class SharedLabelsFormSet:
    """Formset mixin: the labels of the records its rows' autocompletes show, in one query
    per field for all rows (an area with 800 partners is one query, not 800)."""

    shared_label_fields: tuple[str, ...] = ()

    @cached_property
    def forms(self):
        forms = super().forms
        for name in self.shared_label_fields:
            field = self.form.base_fields[name]
            key = field.to_field_name or "pk"
            chosen = {form[name].value() for form in forms} - {None, ""}
            labels = {
                str(getattr(obj, key)): field.label_from_instance(obj)
                for obj in field.queryset.filter(**{f"{key}__in": chosen})
            }
            for form in forms:
                widget = form.fields[name].widget
                getattr(widget, "widget", widget).labels = labels
        return forms


class DomainInline:
    """Inline mixin: the domain form, related rows fetched with the rows, and autocompletes
    that do not look up their record row by row."""

    form = DomainForm
    inline_select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.inline_select_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SharedLabelsAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = tuple(
            name
            for name in self.get_autocomplete_fields(request)
            if name in formset.form.base_fields
        )
        if not names:
            return formset
        return type(
            formset.__name__, (SharedLabelsFormSet, formset), {"shared_label_fields": names}
        )


class RuleSearchAdmin:
    """Admin mixin: the list's search box (and every autocomplete of the model) finds records
    by the site's search rule, `search_rule` (municipalities.search): every word must be
    found, in kana or katakana, by code or English name, as on the public search page, and
    also in the admin's own `search_fields` (plain field names). Staff find drafts too.
    A query the rule refuses (too long, too many words) finds nothing."""

    search_rule: SearchRule | None = None

    def get_search_results(self, request, queryset, search_term):
        if self.search_rule is None:
            return super().get_search_results(request, queryset, search_term)
        query = parse(search_term)
        if not query.words and not query.error:
            return queryset, False
        if query.error:
            return queryset.none(), False
        fields = tuple(self.get_search_fields(request))
        condition = self.search_rule.condition(queryset.model, query, also=fields)
        duplicates = any(lookup_spawns_duplicates(self.opts, name) for name in fields)
        return queryset.filter(condition), duplicates


# Beyond this many rows, an inline is edited in its own list instead of on the page.
INLINE_ROWS_SHOWN = 100


class GuardedAdmin:
    """Admin mixin: a change page saves only over the record (and inline rows) its user saw;
    see municipalities.concurrency. The change view runs in one transaction."""

    change_form_template = "admin/guarded_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        children = tuple(
            (inline.model, _get_foreign_key(self.model, inline.model, inline.fk_name).name)
            for inline in self.get_inlines(request, obj)
        )
        return type(form.__name__, (GuardedEdit, form), {"guarded_children": children})

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is None or obj.pk is None:
            return inlines
        elsewhere = self._listed_elsewhere(request, obj)
        return [inline for inline in inlines if inline not in elsewhere]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["listed_elsewhere"] = list(self._listed_elsewhere(request, obj).values())
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _listed_elsewhere(self, request, obj) -> dict:
        """The inlines with more than INLINE_ROWS_SHOWN rows, each with its number of rows
        and the address of its own list filtered to this record (an area of 800 partners
        would otherwise make a page of 1,600 rows). Read once per request."""
        cache = request.__dict__.setdefault("_listed_elsewhere", {})
        key = (type(self), obj.pk)
        if key not in cache:
            cache[key] = {}
            for inline in super().get_inlines(request, obj):
                fk = _get_foreign_key(self.model, inline.model, inline.fk_name)
                admin_of_rows = self.admin_site._registry.get(inline.model)
                if admin_of_rows is None or fk.name not in admin_of_rows.list_filter:
                    continue
                rows = inline.model._default_manager.filter(**{fk.name: obj}).count()
                if rows > INLINE_ROWS_SHOWN:
                    opts = inline.model._meta
                    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                    cache[key][inline] = (
                        opts.verbose_name_plural,
                        rows,
                        f"{url}?{fk.name}__id__exact={obj.pk}",
                    )
        return cache[key]


class ServiceAdmin(GuardedAdmin, SimpleHistoryAdmin):
    """Planning staff see and choose only the records of their own areas: a model's
    `area_path` leads from its rows to their area (models without one are not scoped)."""

    services: dict = {}
    form = DomainForm
    history_list_display = ["history_change_reason"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        path = getattr(self.model, "area_path", None)
        return scoped(queryset, request.user, path) if path else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = getattr(db_field.related_model, "area_path", None)
        if path:
            kwargs["queryset"] = scoped(
                db_field.related_model._default_manager.all(), request.user, path
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # What a saved record is about stays fixed (see municipalities.fixed).
        fixed = getattr(self.model, "fixed_fields", ()) if obj is not None else ()
        return [*super().get_readonly_fields(request, obj), *fixed]

    def _save(self, request, obj):
        save_with(self.services[type(obj)], obj, user=request.user)

    def save_model(self, request, obj, form, change):
        self._save(request, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            self._save(request, obj)
        formset.save_m2m()

    def _changeform_view(self, request, object_id, form_url, extra_context):
        # Forms check each row; a rule between rows can still fail when the services save
        # them in turn. Then nothing of the submission is kept and the user is told why.
        try:
            with transaction.atomic():
                return super()._changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _keeps(self, request, object_id) -> bool:
        if getattr(self.model, "area_path", None) is None:
            return True
        try:
            return keeps_record(request.user, self.model, unquote(object_id))
        except (ValueError, ValidationError):  # not a key at all
            return False

    def history_view(self, request, object_id, extra_context=None):
        # Scoped like the change page, also for a record whose row is gone (a deleted draft).
        if not self._keeps(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._keeps(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        # An old version can be viewed, never saved back: reverting would bypass the rules
        # that hold between records. A correction is an ordinary, validated edit.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def deletable(self, obj) -> bool:
        return False

    def has_delete_permission(self, request, obj=None):
        try:
            if obj is not None and not self.deletable(obj):
                return False
        except ObjectDoesNotExist:  # an old version whose related rows are gone
            return False
        if obj is None and not self.deletable(None):
            return False
        return super().has_delete_permission(request, obj)


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect (/admin/r/<type>/<id>/), only for records the user
    may open in the admin: the address of another area's draft is not revealed."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        if not model_admin.get_queryset(request).filter(pk=object_id).exists():
            raise Http404
    except (ValueError, ValidationError) as error:
        raise Http404 from error
    return shortcut(request, content_type_id, object_id)


class GuardedInline(DomainInline):
    """An inline whose rows can be deleted only while its parent is a draft."""

    parent_is_draft = staticmethod(lambda parent: False)

    def has_delete_permission(self, request, obj=None):
        if obj is None or not self.parent_is_draft(obj):
            return False
        return super().has_delete_permission(request, obj)


class OneChangePerKeyFormSet(BaseInlineFormSet):
    """Refuse two new or changed rows with the same key in one submission.

    Rows are validated one by one against the saved record; two changed rows that depend on
    each other (two resolutions of one council, two new procedures) would each pass alone.
    Taking them one save at a time keeps every rule checked against what is really saved.
    """

    key_field: str | None = None
    message = _("Record or correct one row at a time here, then save; then the next.")

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            key = form.cleaned_data.get(self.key_field) if self.key_field else None
            if key in seen:
                raise ValidationError(self.message, code="one_change_at_a_time")
            seen.add(key)


def number_column(model, field_name: str):
    """A list column showing a number as the pages do, "1,234,567" or "40.5", instead of the
    stored 1234567.0000: the admin formats numbers by their column's scale and without
    thousands separators, and the site cannot switch separators on everywhere (years and
    codes are numbers too). Sorts by the field."""

    @admin.display(
        description=capfirst(model._meta.get_field(field_name).verbose_name),
        ordering=field_name,
    )
    def column(obj):
        value = getattr(obj, field_name)
        return "—" if value is None else format_value(value)

    column.__name__ = f"{field_name}_formatted"
    return column
