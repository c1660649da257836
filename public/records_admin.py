"""The operator's page to import a whole-area record (public.records) in the admin: upload,
see every error or what it would change, confirm. Like the workbook's page, the file waits
in the default storage between the preview and the confirmation."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities import uploads

from . import records

UPLOADS = "record-uploads"
SESSION_KEY = "record-upload"


class RecordForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Area record (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


def _load(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None


def import_page(request):
    """Template: admin/public/record_import.html; context: form, report, token."""
    if not request.user.is_superuser:
        raise PermissionDenied  # bringing in a whole area is the operator's
    context = {
        **admin.site.each_context(request),
        "title": _("Import the record of an area"),
        "form": RecordForm(),
    }
    if request.method == "POST" and "confirm" in request.POST:
        kept = uploads.recall(request, SESSION_KEY, request.POST.get("token"))
        if kept is None:
            messages.error(request, _("The upload to confirm has expired; upload the file again."))
            return redirect(request.path)
        report = records.import_record(_load(kept), user=request.user, commit=True)
        if report.ok:
            uploads.forget(request, SESSION_KEY)
            messages.success(
                request, _("The record of %(area)s was imported.") % {"area": report.area}
            )
            return redirect(
                reverse("admin:municipalities_cooperationarea_change", args=[report.area.pk])
            )
        context.update(report=report, token=None)
        return render(request, "admin/public/record_import.html", context)
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            raw = upload.read() if upload.size <= records.MAX_BYTES else b""
            report = records.import_record(_load(raw), user=request.user, commit=False)
            token = None
            if report.ok:
                token = uploads.keep(request, SESSION_KEY, UPLOADS, raw, ".json")
            context.update(report=report, token=token)
    return render(request, "admin/public/record_import.html", context)
