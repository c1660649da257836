"""The admin's pages for the whole-area workbook (agreements.workbook): download the area as a
workbook, upload it filled in, see every error or what it would change, and confirm.

The uploaded file waits in the default storage between the preview and the confirmation (a
browser cannot send a file twice); the session remembers which file is the user's. Only the
area's planning staff (or the operator) reach these pages.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities import uploads
from municipalities.access import is_planning_staff_of
from municipalities.models import CooperationArea

from . import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOADS = "workbook-uploads"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )


def _area(request, area_id: int) -> CooperationArea:
    area = get_object_or_404(CooperationArea.objects.select_related("central_city"), pk=area_id)
    if not is_planning_staff_of(request.user, area):
        raise PermissionDenied
    return area


def _session_key(area: CooperationArea) -> str:
    return f"workbook-upload-{area.pk}"


def download(request, area_id: int):
    """The area's current state as the workbook (for a new area: the empty template)."""
    area = _area(request, area_id)
    response = HttpResponse(workbook.export(area), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{area.slug}-workbook.xlsx"'
    return response


def page(request, area_id: int, admin_site):
    """Upload (and preview), or confirm the previewed upload.

    Template: admin/agreements/workbook.html; context: area, form, report (after a preview),
    file_errors (a file that could not be read), token (to confirm), download_url.
    """
    area = _area(request, area_id)
    context = {
        **admin_site.each_context(request),
        "title": _("Whole-area workbook: %(area)s") % {"area": area.name},
        "area": area,
        "form": UploadForm(),
        "download_url": reverse("admin:agreements_area_workbook_download", args=[area.pk]),
        "area_url": reverse("admin:municipalities_cooperationarea_change", args=[area.pk]),
    }
    if request.method == "POST" and "confirm" in request.POST:
        kept = uploads.recall(request, _session_key(area), request.POST.get("token"))
        if kept is None:
            messages.error(request, _("The upload to confirm has expired; upload the file again."))
            return redirect(request.path)
        upload = SimpleUploadedFile("workbook.xlsx", kept)
        report = workbook.apply(area, workbook.read(upload), user=request.user, commit=True)
        if report.ok:
            uploads.forget(request, _session_key(area))
            summary = "、".join(
                _("%(sheet)s: %(created)s new, %(updated)s changed")
                % {"sheet": sheet, "created": created, "updated": updated}
                for sheet, created, updated, _unchanged in report.sheets()
            )
            messages.success(
                request, _("The workbook was saved. %(summary)s") % {"summary": summary}
            )
            return redirect(context["area_url"])
        # The record changed since the preview: show what is now wrong.
        context.update(report=report, token=None)
        return render(request, "admin/agreements/workbook.html", context)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = workbook.read(upload)
            except workbook.FileError as error:
                context["file_errors"] = error.errors
                return render(request, "admin/agreements/workbook.html", context)
            report = workbook.apply(area, rows, user=request.user, commit=False)
            token = None
            if report.ok:
                upload.seek(0)
                token = uploads.keep(request, _session_key(area), UPLOADS, upload.read(), ".xlsx")
            context.update(report=report, token=token)
    return render(request, "admin/agreements/workbook.html", context)
