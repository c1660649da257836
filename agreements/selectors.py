"""Reads of agreements shared by pages, exports and the admin."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from municipalities.models import CooperationArea, Municipality, MunicipalityKind

from .models import CONTENT_KINDS, Agreement, AgreementItem, CouncilResolution, Procedure
from .status import AgreementStatus, ProcedureKind
from .texts import ROLE_LETTERS
from .versions import agreement_versions, public_content, with_english_titles


def agreements_with_record() -> QuerySet[Agreement]:
    """Agreements with what their status and timeline need, in a fixed number of queries."""
    return Agreement.objects.select_related(
        "area__central_city", "central_party", "partner"
    ).prefetch_related(
        Prefetch(
            "procedures",
            queryset=Procedure.objects.order_by("id")
            .select_related("notice_by")
            .prefetch_related(
                Prefetch(
                    "resolutions",
                    queryset=CouncilResolution.objects.select_related("municipality").order_by(
                        "resolved_on", "id"
                    ),
                )
            ),
        ),
    )


def public_agreements() -> QuerySet[Agreement]:
    """The agreements the public may see: every public page, export and feed starts here.

    An agreement the planning staff have not published is an internal draft: it appears in
    no page, list, count, picture, export or feed, and its own address is a 404.
    """
    return agreements_with_record().filter(is_public=True)


def public_agreements_listed() -> QuerySet[Agreement]:
    """The public agreements for a list that shows each one's stored status
    (agreements.stored_status; call its `refresh_due` first): no procedures are read."""
    return Agreement.objects.filter(is_public=True).select_related(
        "area", "central_party", "partner"
    )


def on_public_record(prefix: str = "") -> Q:
    """The rule of `public_procedures` in SQL, for procedures reached through `prefix`
    (e.g. "procedure__" from resolutions): of a public agreement, and submitted to the
    councils or the conclusion of a public draft."""
    return Q(**{f"{prefix}agreement__is_public": True}) & (
        Q(**{f"{prefix}proposed_on__isnull": False})
        | Q(**{f"{prefix}kind": ProcedureKind.CONCLUSION})
    )


def public_procedures(agreement: Agreement) -> list[Procedure]:
    """The procedures of a public agreement that are on the public record (in SQL:
    `on_public_record`).

    An amendment or abolition still being drafted is internal work; the conclusion of a
    published draft is shown from the start, since the draft itself is public.
    """
    return [
        p
        for p in agreement.procedures.all()
        if p.proposed_on is not None or p.kind == ProcedureKind.CONCLUSION
    ]


# What the public reads of an agreement. Its own row holds the content being edited: while an
# amendment is drafted, or after one was dropped before the councils saw it, that is internal
# work, and the public reads the version in force (versions.public_content). Every public
# list, export and feed that names agreements or their items goes through these; an
# agreement's own pages read versions.public_content.


def with_unpublished_content() -> Q:
    """Agreements whose row may hold content the public does not read: the latest of their
    procedures that carry content is an amendment not (or never) put before the councils."""
    later = Procedure.objects.filter(
        agreement=OuterRef("agreement"), kind__in=CONTENT_KINDS, pk__gt=OuterRef("pk")
    )
    drafted = Procedure.objects.filter(
        agreement=OuterRef("pk"), kind=ProcedureKind.AMENDMENT, proposed_on__isnull=True
    ).exclude(Exists(later))
    return Q(Exists(drafted))


def public_contents(
    agreements: QuerySet[Agreement], today: datetime.date | None = None
) -> dict[int, dict]:
    """By id, what the public reads of those of `agreements` whose row holds unpublished
    content (`with_unpublished_content`): their `versions.public_content`, each item with its
    English title. The row of every other agreement is what the public reads. One query,
    three when some have such content (few: only while an amendment is drafted), whatever
    their number."""
    today = today or timezone.localdate()
    drafted = (
        agreements.filter(with_unpublished_content())
        .order_by()
        .prefetch_related(
            Prefetch("procedures", queryset=Procedure.objects.order_by("id")), "items"
        )
    )
    contents = {}
    for agreement in drafted:
        procedures = public_procedures(agreement)
        content, _version = public_content(
            agreement, procedures, agreement_versions(procedures), today
        )
        contents[agreement.pk] = with_english_titles(content, agreement)
    return contents


def with_public_titles(
    agreements: Iterable[Agreement], today: datetime.date | None = None
) -> list[Agreement]:
    """The agreements, each with `public_title`, the title the public reads
    (`public_contents`): what a public list shows, never the row's `title`. As many queries
    as `public_contents`, none for no agreement."""
    agreements = list(agreements)
    ids = {agreement.pk for agreement in agreements}
    contents = public_contents(Agreement.objects.filter(pk__in=ids), today) if ids else {}
    for agreement in agreements:
        content = contents.get(agreement.pk)
        agreement.public_title = content["title"] if content else agreement.title
    return agreements


def public_item(
    contents: dict[int, dict], *, agreement_id: int, item_id: int, role: str, title: str
) -> dict | None:
    """An item (its agreement, id, and its row's role and title) as the public reads it: its
    row where its agreement has no unpublished content (`contents`, from `public_contents`),
    else its entry in what the public reads (by id, else by role and title), else None: an
    item that only an amendment being drafted has."""
    content = contents.get(agreement_id)
    if content is None:
        return {"role": role, "title": title}
    entries = content["items"]
    return next((e for e in entries if e.get("id") == item_id), None) or next(
        (e for e in entries if (e["role"], e["title"]) == (role, title)), None
    )


def with_public_items(
    items: Iterable[AgreementItem], today: datetime.date | None = None
) -> list[AgreementItem]:
    """The items, each with `public_title` and `public_label` (「イ 連携事業」, as the item's
    name reads): its title as the public reads it (`public_item`), or None for an item the
    public cannot read yet. As many queries as `public_contents`, none for no item."""
    items = list(items)
    ids = {item.agreement_id for item in items}
    contents = public_contents(Agreement.objects.filter(pk__in=ids), today) if ids else {}
    for item in items:
        entry = public_item(
            contents,
            agreement_id=item.agreement_id,
            item_id=item.pk,
            role=item.role,
            title=item.title,
        )
        item.public_title = entry["title"] if entry else None
        item.public_label = (
            f"{ROLE_LETTERS.get(entry['role'], '')} {entry['title']}" if entry else None
        )
    return items


@dataclass
class AgreementRow:
    """One partner's line in an area's pipeline; `agreement` is None until one is recorded."""

    partner: Municipality
    agreement: Agreement | None = None
    status: AgreementStatus | None = None
    conclusion: Procedure | None = None
    central_resolutions: list[CouncilResolution] = field(default_factory=list)
    partner_resolutions: list[CouncilResolution] = field(default_factory=list)
    # What sets the agreement apart from a partner municipality's with the central city:
    # its other central city, or a partner that is a prefecture or a joint central city.
    note: str = ""
    lapses_on: datetime.date | None = None
    # Not a partner (yet): its agreement is being drafted or before the councils, not in force.
    in_talks: bool = False


def agreement_rows(
    area: CooperationArea,
    *,
    current_partners: list[Municipality],
    partner_ids: set[int] | None = None,
    today: datetime.date | None = None,
) -> list[AgreementRow]:
    """One row per agreement of the area and per current partner still without one;
    `partner_ids`, when given, keeps the agreements with those partners only (a page).

    Rows are in order of local government code; each carries the conclusion's resolutions
    of both councils.
    """
    today = today or timezone.localdate()
    agreements = public_agreements().filter(area=area)
    if partner_ids is not None:
        agreements = agreements.filter(partner_id__in=partner_ids)
    rows = []
    members = {m.pk for m in current_partners}
    for agreement in agreements:
        procedures = list(agreement.procedures.all())
        conclusions = [p for p in procedures if p.kind == ProcedureKind.CONCLUSION]
        conclusion = conclusions[-1] if conclusions else None
        # Every conclusion's resolutions: a rejection before a re-submission stays on record.
        resolutions = [r for p in conclusions for r in p.resolutions.all()]
        status = agreement.status(today)
        rows.append(
            AgreementRow(
                partner=agreement.partner,
                agreement=agreement,
                status=status,
                note=_row_note(area, agreement),
                lapses_on=agreement.lapses_on() if status == AgreementStatus.LAPSING else None,
                in_talks=status in TALKS_STATUSES and agreement.partner_id not in members,
                conclusion=conclusion,
                central_resolutions=[
                    r for r in resolutions if r.municipality_id == agreement.central_party_id
                ],
                partner_resolutions=[
                    r for r in resolutions if r.municipality_id == agreement.partner_id
                ],
            )
        )
    covered = {row.partner.pk for row in rows}
    rows.extend(AgreementRow(partner=m) for m in current_partners if m.pk not in covered)
    return sorted(
        rows,
        key=lambda row: (
            row.partner.code,
            row.agreement.central_party.code if row.agreement else "",
        ),
    )


def _row_note(area: CooperationArea, agreement: Agreement) -> str:
    notes = []
    if agreement.partner_id in area.central_city_ids or agreement.partner.kind == (
        MunicipalityKind.PREFECTURE
    ):
        notes.append(str(agreement.partner_role))
    if agreement.central_party_id != area.central_city_id:
        notes.append(gettext("with %(city)s") % {"city": agreement.central_party.name})
    return "、".join(notes)


# Before an agreement is in force, its partner is in talks with the area (協議中).
TALKS_STATUSES = frozenset(
    {
        AgreementStatus.DRAFT,
        AgreementStatus.PROPOSED,
        AgreementStatus.IN_COUNCIL,
        AgreementStatus.REJECTED,
        AgreementStatus.PASSED,
        AgreementStatus.CONCLUDED,
    }
)
IN_FORCE_STATUSES = frozenset(
    {
        AgreementStatus.IN_FORCE,
        AgreementStatus.AMENDING,
        AgreementStatus.AMENDED,
        AgreementStatus.ABOLISHING,
        AgreementStatus.LAPSE_PENDING,
        AgreementStatus.LAPSING,
    }
)


# The dates of a procedure that the agreement's page shows as events.
EVENT_DATES = ("proposed_on", "signed_on", "effective_on", "central_notice_on", "partner_notice_on")


def last_changed(
    agreement: Agreement, procedures: list[Procedure] | None = None
) -> datetime.date | None:
    """The day the agreement's public record last changed: its latest event (a submission,
    resolution, signing, taking effect or notice, up to today), or a later change someone made
    to it, from the history tables, in one query. `procedures` are its public procedures if
    the caller has them already.

    Only what the page shows counts: a procedure still being drafted is internal work and
    moves nothing. Rows written without a person (loading the demo or a record from the
    command line, a registry update) are not changes anyone made: a record loaded today
    reads as last changed on its own latest event, not on the day it was loaded.
    """
    if procedures is None:
        procedures = public_procedures(agreement)
    procedure_ids = [p.pk for p in procedures]
    today = timezone.localdate()

    def latest(history: QuerySet) -> Subquery:
        by_someone = history.filter(history_user__isnull=False)
        return Subquery(by_someone.order_by("-history_date").values("history_date")[:1])

    *changes, resolved = (
        Agreement.objects.filter(pk=agreement.pk)
        .annotate(
            agreement_changed=latest(Agreement.history.filter(id=agreement.pk)),
            items_changed=latest(AgreementItem.history.filter(agreement_id=agreement.pk)),
            procedures_changed=latest(Procedure.history.filter(id__in=procedure_ids)),
            resolutions_changed=latest(
                CouncilResolution.history.filter(procedure_id__in=procedure_ids)
            ),
            latest_resolution=Subquery(
                CouncilResolution.objects.filter(
                    procedure_id__in=procedure_ids, resolved_on__lte=today
                )
                .order_by("-resolved_on")
                .values("resolved_on")[:1]
            ),
        )
        .values_list(
            "agreement_changed",
            "items_changed",
            "procedures_changed",
            "resolutions_changed",
            "latest_resolution",
        )
        .get()
    )
    days = [timezone.localdate(moment) for moment in changes if moment is not None]
    days += [resolved] if resolved else []
    days += [
        day
        for procedure in procedures
        for day in (getattr(procedure, name) for name in EVENT_DATES)
        if day is not None and day <= today
    ]
    return max(days, default=None)
