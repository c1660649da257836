"""Agreements as open data: plain dictionaries with stable identifiers.

Identifiers are the ones people already use: local government codes for municipalities and
slugs for areas. Every record comes from `selectors.public_agreements`, so an export can
never show more than the pages do.
"""

import datetime

from django.utils import timezone

from .models import Agreement, CouncilResolution, Procedure
from .selectors import public_procedures
from .status import ProcedureKind
from .texts import ITEM_FIELDS
from .versions import agreement_versions, amendment_comparison, changes_record, public_content


def _date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def resolution_record(resolution: CouncilResolution) -> dict:
    return {
        "council": resolution.municipality.code,
        "council_name": resolution.municipality.name,
        "session": resolution.session,
        "bill_number": resolution.bill_number,
        "submitted_on": _date(resolution.submitted_on),
        "resolved_on": _date(resolution.resolved_on),
        "result": resolution.result,
        "approval": resolution.approval or None,
        "approval_on": _date(resolution.approval_on),
        "is_sample": resolution.is_sample,
        "sample_fields": resolution.sample_fields,
    }


def procedure_record(procedure: Procedure, today: datetime.date, versions=()) -> dict:
    """A procedure with the content it put before the councils and, for an amendment, the
    provisions it changes."""
    changes = (
        {"changes": changes_record(amendment_comparison(list(versions), procedure))}
        if procedure.kind == ProcedureKind.AMENDMENT
        else {}
    )
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
        "dropped_on": _date(procedure.dropped_on),
        "notice_by": procedure.notice_by.code if procedure.notice_by_id else None,
        "notice_given_on": _date(procedure.notice_given_on),
        "is_sample": procedure.is_sample,
        "sample_fields": procedure.sample_fields,
        "content": procedure.content,
        **changes,
        "resolutions": [resolution_record(r) for r in procedure.resolutions.all()],
    }


def _identity(agreement: Agreement, today: datetime.date) -> dict:
    """What names an agreement in every export: area, parties, title and status."""
    return {
        "area": agreement.area.slug,
        "central_city": agreement.central_party.code,
        "partner": agreement.partner.code,
        "partner_name": agreement.partner.name,
        "title": agreement.title,
        "status": agreement.status(today).value,
    }


def agreement_record(agreement: Agreement, *, today: datetime.date | None = None) -> dict:
    """The whole public record of one agreement (items need to be prefetched)."""
    today = today or timezone.localdate()
    procedures = public_procedures(agreement)
    versions = agreement_versions(procedures)
    content, version = public_content(agreement, procedures, versions, today)
    return {
        **_identity(agreement, today),
        "title": content["title"],
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
                "is_sample": item.get("is_sample", False),
            }
            for item in content["items"]
        ],
        "versions": [
            {"number": v.number, "procedure": v.procedure.pk, "effective_on": _date(v.effective_on)}
            for v in versions
        ],
        "procedures": [procedure_record(p, today, versions) for p in procedures],
    }


AGREEMENT_CSV_COLUMNS = [
    "area",
    "central_city",
    "partner",
    "partner_name",
    "title",
    "status",
    "signed_on",
    "effective_on",
    "central_council_result",
    "central_council_resolved_on",
    "central_council_bill",
    "partner_council_result",
    "partner_council_resolved_on",
    "partner_council_bill",
    "sample_values",
    "url",
]


def agreement_row(agreement: Agreement, *, today: datetime.date, url: str) -> dict:
    """One CSV row: the agreement with its conclusion's latest resolution of each council."""
    conclusions = [p for p in public_procedures(agreement) if p.kind == ProcedureKind.CONCLUSION]
    conclusion = conclusions[-1] if conclusions else None
    latest = {}
    for resolution in conclusion.resolutions.all() if conclusion else []:
        latest[resolution.municipality_id] = resolution
    central = latest.get(agreement.central_party_id)
    partner = latest.get(agreement.partner_id)
    sample = agreement.is_sample or any(r.is_sample for r in (central, partner) if r is not None)
    return {
        **_identity(agreement, today),
        "signed_on": _date(conclusion.signed_on) if conclusion else None,
        "effective_on": _date(conclusion.effective_on) if conclusion else None,
        "central_council_result": central.result if central else None,
        "central_council_resolved_on": _date(central.resolved_on) if central else None,
        "central_council_bill": central.bill_number if central else None,
        "partner_council_result": partner.result if partner else None,
        "partner_council_resolved_on": _date(partner.resolved_on) if partner else None,
        "partner_council_bill": partner.bill_number if partner else None,
        "sample_values": sample,
        "url": url,
    }
