"""Helpers for posting admin forms in tests."""

from django.db.models.fields.files import FieldFile
from django.forms import MultiWidget


def change_form_data(response) -> dict:
    """The POST data of an admin change form as it was rendered, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    form = response.context["adminform"].form
    data = {"edit_token": form.edit_token} if hasattr(form, "edit_token") else {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or isinstance(value, FieldFile):
                # A browser sends a file input only when a new file is chosen.
                continue
            widget = form.fields[name].widget
            if isinstance(widget, MultiWidget):  # a date and a time, say: one input each
                parts = widget.decompress(value)
                for suffix, part in zip(widget.widgets_names, parts, strict=True):
                    data[form.add_prefix(name) + suffix] = part
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def inline_formset(response, model):
    """The formset of the inline that edits `model` on an admin change page."""
    inlines = response.context["inline_admin_formsets"]
    return next(i.formset for i in inlines if i.formset.model is model)
