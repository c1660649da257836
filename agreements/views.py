"""Public pages of agreements."""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from municipalities.models import CooperationArea
from municipalities.punctuation import in_japanese

from . import texts
from .comparison import comparison_workbook
from .models import Role
from .notices import NOTICE_KINDS, has_notice, notice_text
from .selectors import last_changed, public_agreements, public_procedures
from .status import STATUS_EXPLANATIONS, ProcedureKind
from .versions import (
    agreement_versions,
    amended_version,
    amendment_comparison,
    public_content,
    version_on,
    with_english_titles,
)


def _in_force_from(agreement, procedures) -> datetime.date | None:
    """The day a concluded agreement comes into force: its conclusion's effect, or the start
    of its fixed term if that is later."""
    effect = next(
        (
            p.effective_on
            for p in procedures
            if p.kind == ProcedureKind.CONCLUSION and p.effective_on
        ),
        None,
    )
    days = [day for day in (effect, agreement.term_start) if day is not None]
    return max(days, default=None)


def _public_agreement(slug: str, code: str, central: str | None):
    """The public agreement of the partner `code` with the area's central city, or with the
    joint central city `central`; 404 otherwise."""
    area = get_object_or_404(
        CooperationArea.objects.select_related("central_city", "joint_central_city"), slug=slug
    )
    agreements = public_agreements().filter(area=area, partner__code=code)
    if central is None:
        agreements = agreements.filter(central_party_id=area.central_city_id)
    else:
        agreements = agreements.filter(central_party__code=central).exclude(
            central_party_id=area.central_city_id
        )
    agreement = agreements.first()
    if agreement is None:
        raise Http404
    return area, agreement


def _shown_content(agreement, procedures, versions, number, today):
    """The version asked for (404 if there is none), else what the public sees today."""
    if number is None:
        return public_content(agreement, procedures, versions, today)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    return version.content, version


def agreement_detail(request, slug: str, code: str, central: str | None = None, number=None):
    """One public agreement: parties, its text and items by role, its versions and the
    timeline of its procedures. `code` is the partner's; `central` the joint central city's
    where that city is the party (the area's central city otherwise); `number` a version (the
    one in force today when absent).

    Template: agreements/agreement_detail.html; context: area, agreement, status,
    explanation, lapses_on, content, text (parsed), version (shown, or None for a draft),
    current (the version in force), versions, roles (role, items), timeline (procedure, stage,
    central and partner resolutions, comparison), last_changed.
    """
    area, agreement = _public_agreement(slug, code, central)
    today = timezone.localdate()
    status = agreement.status(today)
    procedures = public_procedures(agreement)
    versions = agreement_versions(procedures)
    content, version = _shown_content(agreement, procedures, versions, number, today)
    if not in_japanese():  # only English pages show the items' English titles
        content = with_english_titles(content, agreement)
    by_role = texts.items_by_role(content)
    timeline = [
        {
            "procedure": procedure,
            "stage": procedure.stage(today),
            "stage_label": procedure.stage_label(today),
            "central_resolutions": [
                r
                for r in procedure.resolutions.all()
                if r.municipality_id == agreement.central_party_id
            ],
            "partner_resolutions": [
                r for r in procedure.resolutions.all() if r.municipality_id == agreement.partner_id
            ],
            "is_change": procedure.kind != ProcedureKind.CONCLUSION,
            "is_lapse": procedure.kind == ProcedureKind.LAPSE,
            "notifying_resolutions": [
                r
                for r in procedure.resolutions.all()
                if r.municipality_id == procedure.notice_by_id
            ],
            "comparison": (
                amendment_comparison(versions, procedure)
                if procedure.kind == ProcedureKind.AMENDMENT
                else []
            ),
            "version": next((v for v in versions if v.procedure.pk == procedure.pk), None),
            "parties": _parties(agreement, procedure),
        }
        for procedure in procedures
    ]
    context = {
        "area": area,
        "agreement": agreement,
        "status": status,
        "explanation": STATUS_EXPLANATIONS[status],
        "lapses_on": agreement.lapses_on(),
        "in_force_from": _in_force_from(agreement, procedures),
        "content": content,
        "text": texts.parse(content["text"]),
        "version": version,
        "current": version_on(versions, today),
        "versions": versions,
        "roles": [(role, by_role.get(role.value, [])) for role in Role],
        "timeline": timeline,
        "last_changed": last_changed(agreement, procedures),
    }
    return render(request, "agreements/agreement_detail.html", context)


def _parties(agreement, procedure) -> list[dict]:
    """Each party's notice and notification of a procedure, where there is one to show."""
    if procedure.kind not in NOTICE_KINDS:
        return []
    rows = [
        (agreement.central_party, "central_notice", "governor_notified_on"),
        (agreement.partner, "partner_notice", "partner_notified_on"),
    ]
    text_ready = procedure.signed_on or procedure.effective_on
    parties = [
        {
            "party": party,
            "notice_on": getattr(procedure, f"{notice}_on"),
            "notice_number": getattr(procedure, f"{notice}_number"),
            "notified_on": getattr(procedure, notified),
            # Each value's own sample mark: a sourced date is never marked.
            "notice_sample": procedure.is_sample_value(f"{notice}_on")
            or procedure.is_sample_value(f"{notice}_number"),
            "notified_sample": procedure.is_sample_value(notified),
            "authority": agreement.notified_authority(party),
            "notice_url": agreement.page_url("notice", pk=procedure.pk, party=party.code)
            if text_ready
            else None,
        }
        for party, notice, notified in rows
    ]
    return [row for row in parties if row["notice_on"] or row["notified_on"] or text_ready]


def _public_title(agreement, procedures, versions) -> str:
    """The agreement's title as its page heads it today (never its row's, which may be an
    amendment's draft)."""
    content, _version = public_content(agreement, procedures, versions, timezone.localdate())
    return content["title"]


def _amendment(slug: str, code: str, central: str | None, pk: int):
    """The public amendment `pk` of the agreement, which has a version it amends (404
    otherwise); the agreement with its public_title."""
    area, agreement = _public_agreement(slug, code, central)
    procedures = public_procedures(agreement)
    amendment = next(
        (p for p in procedures if p.pk == pk and p.kind == ProcedureKind.AMENDMENT), None
    )
    versions = agreement_versions(procedures)
    if amendment is None or amended_version(versions, amendment) is None:
        raise Http404
    agreement.public_title = _public_title(agreement, procedures, versions)
    return area, agreement, amendment, versions


def comparison(request, slug: str, code: str, pk: int, central: str | None = None):
    """An amendment's 新旧対照表, printable: 改正後 on the left, 改正前 on the right, only the
    provisions it changes, the changed words underlined.

    Template: agreements/amendment_comparison.html; context: area, agreement, amendment,
    base (the version it amends), base_url, xlsx_url, rows, stage_label.
    """
    area, agreement, amendment, versions = _amendment(slug, code, central, pk)
    base = amended_version(versions, amendment)
    context = {
        "area": area,
        "agreement": agreement,
        "amendment": amendment,
        "base": base,
        "base_url": agreement.page_url("version", number=base.number),
        "xlsx_url": agreement.page_url("comparison_xlsx", pk=amendment.pk),
        "rows": amendment_comparison(versions, amendment),
        "stage_label": amendment.stage_label(timezone.localdate()),
    }
    return render(request, "agreements/amendment_comparison.html", context)


def comparison_xlsx(request, slug: str, code: str, pk: int, central: str | None = None):
    """The 新旧対照表 as an Excel workbook, the changed words underlined as printed."""
    _area, agreement, amendment, versions = _amendment(slug, code, central, pk)
    rows = amendment_comparison(versions, amendment)
    response = HttpResponse(
        comparison_workbook(agreement, amendment, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{agreement.partner.code}-amendment-{amendment.pk}-comparison.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def notice(request, slug: str, code: str, pk: int, party: str, central: str | None = None):
    """A party's public notice (告示) of a procedure that took effect or was signed, as plain
    text to put in the gazette: generated from the record and the content both councils
    passed."""
    _area, agreement = _public_agreement(slug, code, central)
    procedures = public_procedures(agreement)
    procedure = next((p for p in procedures if p.pk == pk and has_notice(p)), None)
    parties = {agreement.central_party.code: agreement.central_party, code: agreement.partner}
    if procedure is None or party not in parties:
        raise Http404
    title = _public_title(agreement, procedures, agreement_versions(procedures))
    response = HttpResponse(
        notice_text(agreement, procedure, parties[party], procedure.content, title=title),
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="notice-{pk}-{party}.txt"'
    return response
