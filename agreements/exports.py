"""Agreements as open data: plain dictionaries with stable identifiers.

Identifiers are the ones people already use: local government codes for municipalities and
slugs for areas. Every record comes from `selectors.public_agreements`, so an export can
never show more than the pages do.
"""

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bills import bill_reference
from .models import Agreement, CouncilResolution, Procedure
from .notices import has_notice
from .selectors import public_procedures
from .status import AgreementStatus, ProcedureKind
from .texts import ITEM_FIELDS
from .versions import (
    agreement_versions,
    amended_version,
    amendment_comparison,
    changes_record,
    public_content,
    with_english_titles,
)

# A site path to its full address, from the request (request.build_absolute_uri).
Absolute = Callable[[str], str]


def _date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def resolution_record(resolution: CouncilResolution, *, absolute: Absolute) -> dict:
    """A council's resolution, with its whole bill reference and its document (PDF)."""
    document = (
        absolute(reverse("agreements:resolution_document", args=[resolution.pk]))
        if resolution.document
        else None
    )
    return {
        "council": resolution.municipality.code,
        "council_name": resolution.municipality.name,
        "session": resolution.session,
        "bill_number": resolution.bill_number,
        "bill": bill_reference(resolution),
        "submitted_on": _date(resolution.submitted_on),
        "resolved_on": _date(resolution.resolved_on),
        "result": resolution.result,
        "approval": resolution.approval or None,
        "approval_on": _date(resolution.approval_on),
        "document_url": document,
        "is_sample": resolution.is_sample,
        "sample_fields": resolution.sample_fields,
    }


def _comparison(
    agreement: Agreement, procedure: Procedure, versions: list, absolute: Absolute
) -> dict:
    """An amendment's changes, and its 新旧対照表 (page and workbook) where there is one."""
    if procedure.kind != ProcedureKind.AMENDMENT:
        return {}
    shown = amended_version(versions, procedure) is not None
    return {
        "changes": changes_record(amendment_comparison(versions, procedure)),
        "comparison_url": absolute(agreement.page_url("comparison", pk=procedure.pk))
        if shown
        else None,
        "comparison_xlsx_url": absolute(agreement.page_url("comparison_xlsx", pk=procedure.pk))
        if shown
        else None,
    }


def _notice_urls(agreement: Agreement, procedure: Procedure, absolute: Absolute) -> dict:
    """Each party's public notice (告示) text, from the day the procedure is signed or in
    effect, as the agreement's page links it."""
    ready = has_notice(procedure)
    return {
        f"{side}_notice_url": absolute(
            agreement.page_url("notice", pk=procedure.pk, party=party.code)
        )
        if ready
        else None
        for side, party in (("central", agreement.central_party), ("partner", agreement.partner))
    }


def procedure_record(
    procedure: Procedure,
    today: datetime.date,
    versions=(),
    *,
    agreement: Agreement,
    absolute: Absolute,
) -> dict:
    """A procedure with the content it put before the councils and, for an amendment, the
    provisions it changes; links to its notices, comparison and resolution documents."""
    return {
        "id": procedure.pk,
        "kind": procedure.kind,
        "summary": procedure.summary,
        "proposed_text": procedure.proposed_text,
        "stage": procedure.stage(today).value,
        "proposed_on": _date(procedure.proposed_on),
        "signed_on": _date(procedure.signed_on),
        "signing_ceremony": procedure.signing_ceremony,
        "effective_on": _date(procedure.effective_on),
        "central_notice_on": _date(procedure.central_notice_on),
        "partner_notice_on": _date(procedure.partner_notice_on),
        "governor_notified_on": _date(procedure.governor_notified_on),
        "central_notice_number": procedure.central_notice_number,
        "partner_notice_number": procedure.partner_notice_number,
        "partner_notified_on": _date(procedure.partner_notified_on),
        **_notice_urls(agreement, procedure, absolute),
        "dropped_on": _date(procedure.dropped_on),
        "notice_by": procedure.notice_by.code if procedure.notice_by_id else None,
        "notice_given_on": _date(procedure.notice_given_on),
        "is_sample": procedure.is_sample,
        "sample_fields": procedure.sample_fields,
        "content": procedure.content,
        **_comparison(agreement, procedure, list(versions), absolute),
        "resolutions": [
            resolution_record(r, absolute=absolute) for r in procedure.resolutions.all()
        ],
    }


def _identity(agreement: Agreement, today: datetime.date, title: str) -> dict:
    """What names an agreement in every export: area, parties, title (the one the public
    reads, never its row's, which may be an amendment's draft) and status."""
    return {
        "area": agreement.area.slug,
        "central_city": agreement.central_party.code,
        "partner": agreement.partner.code,
        "partner_name": agreement.partner.name,
        "title": title,
        "status": agreement.status(today).value,
    }


def agreement_record(
    agreement: Agreement, *, absolute: Absolute, today: datetime.date | None = None
) -> dict:
    """The whole public record of one agreement, with full addresses of its pages and
    documents (items need to be prefetched)."""
    today = today or timezone.localdate()
    procedures = public_procedures(agreement)
    versions = agreement_versions(procedures)
    content, version = public_content(agreement, procedures, versions, today)
    return {
        **_identity(agreement, today, content["title"]),
        "url": absolute(agreement.get_absolute_url()),
        "version": version.number if version else None,
        "basic_policy": content["basic_policy"],
        "text": content["text"],
        "term_start": _date(agreement.term_start),
        "term_end": _date(agreement.term_end),
        "lapse_notice_months": agreement.lapse_notice_months,
        "notified_to": "minister" if agreement.notified_to_minister else "governor",
        "is_sample": agreement.is_sample,
        "items": [
            {
                **{name: item.get(name, "") for name in ITEM_FIELDS},
                "title_en": item["title_en"],
                "is_sample": item.get("is_sample", False),
            }
            for item in with_english_titles(content, agreement)["items"]
        ],
        "versions": [
            {
                "number": v.number,
                "procedure": v.procedure.pk,
                "effective_on": _date(v.effective_on),
                "url": absolute(agreement.page_url("version", number=v.number)),
            }
            for v in versions
        ],
        "procedures": [
            procedure_record(p, today, versions, agreement=agreement, absolute=absolute)
            for p in procedures
        ],
    }


# Each CSV column: its machine name (the keys of agreement_row, documented in
# docs/open-data.md) and its title in the header, in the language of the address.
AGREEMENT_CSV_COLUMNS = {
    "area": _("Area (slug)"),
    "central_city": _("Central city (code)"),
    "central_city_name": _("Central city"),
    "partner": _("Partner (code)"),
    "partner_name": _("Partner"),
    "title": _("Agreement title"),
    "status": _("Status (code)"),
    "status_label": _("Status"),
    "signed_on": _("Signed on"),
    "effective_on": _("Effective on"),
    "central_council_result": _("Central city council: result (code)"),
    "central_council_result_label": _("Central city council: result"),
    "central_council_resolved_on": _("Central city council: resolved on"),
    "central_council_bill": _("Central city council: bill"),
    "partner_council_result": _("Partner's council: result (code)"),
    "partner_council_result_label": _("Partner's council: result"),
    "partner_council_resolved_on": _("Partner's council: resolved on"),
    "partner_council_bill": _("Partner's council: bill"),
    "sample_values": _("Sample values"),
    "url": _("Page (URL)"),
}


def _council(prefix: str, resolution: CouncilResolution | None) -> dict:
    """A council's latest resolution as the row's cells: result, its label, date and bill."""
    return {
        f"{prefix}_result": resolution.result if resolution else None,
        f"{prefix}_result_label": resolution.get_result_display() if resolution else None,
        f"{prefix}_resolved_on": _date(resolution.resolved_on) if resolution else None,
        f"{prefix}_bill": bill_reference(resolution) if resolution else None,
    }


def agreement_row(agreement: Agreement, *, today: datetime.date, url: str) -> dict:
    """One CSV row: the agreement (with its public_title: selectors.with_public_titles) with
    its conclusion's latest resolution of each council, each code with its label beside it."""
    conclusions = [p for p in public_procedures(agreement) if p.kind == ProcedureKind.CONCLUSION]
    conclusion = conclusions[-1] if conclusions else None
    latest = {}
    for resolution in conclusion.resolutions.all() if conclusion else []:
        latest[resolution.municipality_id] = resolution
    central = latest.get(agreement.central_party_id)
    partner = latest.get(agreement.partner_id)
    sample = agreement.is_sample or any(r.is_sample for r in (central, partner) if r is not None)
    identity = _identity(agreement, today, agreement.public_title)
    return {
        **identity,
        "central_city_name": agreement.central_party.name,
        "status_label": AgreementStatus(identity["status"]).label,
        "signed_on": _date(conclusion.signed_on) if conclusion else None,
        "effective_on": _date(conclusion.effective_on) if conclusion else None,
        **_council("central_council", central),
        **_council("partner_council", partner),
        "sample_values": sample,
        "url": url,
    }
