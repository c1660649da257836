"""Agreements (連携協約, 地方自治法第252条の2), their procedures and council resolutions.

An agreement is concluded one-to-one between a central city (甲; an area may have two joint
central cities) and one partner (乙): a partner municipality, the other joint central city or
a prefecture. Its conclusion, amendments and abolition are procedures of one shape: a proposal
that both councils must pass before it takes effect, with public notices and the notification
of the prefectural governor (of the Minister for Internal Affairs where a prefecture is a
party). A lapse by notice (失効) needs only the notifying party's council. What an
agreement's status is follows from these records alone (see `agreements.status`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from simple_history.models import HistoricalRecords

from municipalities.fixed import FixedFieldsMixin
from municipalities.models import CooperationArea, Municipality, MunicipalityKind
from municipalities.validators import validate_one_line

from . import texts
from .status import (
    CLOSING_RESULTS,
    OPEN_STAGES,
    PASSING_RESULTS,
    AgreementStatus,
    Approval,
    ProcedureKind,
    ProcedureStage,
    Result,
    StagedProcedure,
    agreement_status,
    latest_results,
    procedure_stage,
)

__all__ = [
    "Agreement",
    "AgreementItem",
    "AgreementStatus",
    "CouncilResolution",
    "Procedure",
    "ProcedureKind",
    "Result",
    "Role",
]

ERROR_PARTNER_IS_CENTRAL = _(
    "The central city cannot conclude an agreement with itself; choose a partner."
)
ERROR_PARTNER_DID_NOT_CONCLUDE = _(
    "%(partner)s is recorded as named in the declaration but never concluding. Clear “named, "
    "did not conclude” on its membership first."
)
ERROR_CENTRAL_PARTY = _("%(party)s is not a central city of %(area)s.")
ERROR_PREFECTURE_PARTY = _(
    "%(partner)s can be a party only as the prefecture of a central city or a partner of %(area)s."
)
ERROR_WARD_PARTY = _(
    "%(partner)s is a ward of a designated city: its city concludes the agreement."
)
ERROR_LAPSE_NO_CLAUSE = _(
    "This agreement has no clause on lapse by notice: give the months after a notice at which "
    "it lapses on the agreement first."
)
ERROR_LAPSE_NOTICE_BY = _("Say which party gives notice: %(central)s or %(partner)s.")
LAPSE_PASSED = _("Passed by the notifying party's council; notice not given yet")
LAPSE_NOTICE_GIVEN = _("Notice given")
ERROR_SIGNING_NEEDS_BOTH_PASSED = _(
    "The heads sign it only after both councils passed it. Still missing: %(missing)s."
)
ERROR_SIGNED_BEFORE_RESOLUTION = _(
    "It cannot be signed before the last council resolution (%(date)s)."
)
ERROR_EFFECT_BEFORE_SIGNING = _("It cannot take effect before it was signed (%(date)s).")
ERROR_SIGNED_IN_FUTURE = _(
    "A signing date cannot be in the future: record it once the heads have signed."
)
ERROR_SIGNING_FOR_LAPSE = _("A lapse by notice is not signed: give the date of the notice.")
ERROR_LAPSE_NOTICE_BY_FIXED = _(
    "A council has already resolved on this notice: the party giving it cannot change."
)
ERROR_LAPSE_NOTICE_BY_ONLY = _("Only a lapse by notice is given by one party.")
ERROR_LAPSE_NEEDS_PASS = _(
    "Notice of lapse follows the resolution of the council of %(party)s: it has not passed it."
)
ERROR_LAPSE_NOTICE_BEFORE_PASS = _(
    "The notice cannot be dated before the council of %(party)s passed it (%(date)s)."
)
ERROR_LAPSE_EFFECT_NEEDS_NOTICE = _("Give the date the notice was given first.")
ERROR_LAPSE_DATE = _(
    "The agreement's clause sets the lapse %(months)s months after the notice: on %(date)s."
)
ERROR_RESOLUTION_NOT_NOTIFYING = _(
    "Only the council of %(party)s, the party giving notice, resolves on this lapse."
)
ERROR_TERM_ORDER = _("The end of the term must be after its start.")
ERROR_CONTENT_BEFORE_COUNCILS = _(
    "The content was submitted to the councils on %(date)s and is fixed until they have "
    "decided: their resolutions are on this text. To change it, drop the procedure and submit "
    "a new one."
)
ERROR_CONTENT_IN_FORCE = _(
    "The agreement is in force: its text and items change only through an amendment passed "
    "by both councils. Start an amendment procedure first; then edit the content it proposes."
)
ERROR_CONTENT_ENDED = _("The agreement has ended; its content can no longer change.")
ERROR_REMOVED_ITEM_COVERS_PROJECTS = _(
    "The item 「%(item)s」, which this content removes, covers projects of the vision: give "
    "those projects another covering item first."
)
ERROR_PROPOSAL_FROZEN = _(
    "What is proposed was submitted to the councils on %(date)s and cannot change any more."
)
ERROR_NOT_PUBLIC = _(
    "Publish the agreement before submitting it to the councils: residents are told a draft's "
    "aim and content before it is concluded (this site's rule, not §252-2)."
)
ERROR_UNPUBLISH = _("This agreement is already before the councils or in force; it stays public.")
ERROR_AMENDMENT_BEFORE_CONCLUSION = _(
    "An amendment or abolition needs an agreement in force: the conclusion has not taken "
    "effect yet."
)
ERROR_AFTER_ABOLITION = _(
    "The agreement has been abolished or has lapsed; no further procedure can follow."
)
ERROR_PROCEDURE_OPEN = _(
    "Another procedure on this agreement (%(procedure)s) is still open. It must take effect "
    "or be dropped before a new one starts."
)
ERROR_PROPOSED_BEFORE_CONCLUSION = _(
    "An amendment or abolition cannot be proposed before the agreement took effect (%(date)s)."
)
ERROR_EFFECT_NEEDS_BOTH_PASSED = _(
    "A procedure takes effect only after both councils passed it. Still missing: %(missing)s."
)
ERROR_EFFECT_BEFORE_RESOLUTION = _(
    "The date it takes effect cannot be before the last council resolution (%(date)s)."
)
ERROR_NOTICE_BEFORE_RESOLUTION = _(
    "Public notice and notification cannot be dated before the last council resolution (%(date)s)."
)
ERROR_PARTIES_FIXED = _(
    "The parties cannot change once a procedure has started: its resolutions belong to these "
    "councils. Record a new agreement instead."
)
ERROR_PROCEDURE_MOVED = _(
    "A procedure stays with the agreement it was started for; start a new one instead."
)
ERROR_RESOLUTION_MOVED = _(
    "A resolution stays with the procedure and council it was recorded for; correct its "
    "session, bill, date or result, or record a new one."
)
ERROR_LATER_PROCEDURE = _(
    "A later procedure on this agreement has started; this one's dates and outcome are part "
    "of its basis and can no longer change."
)
ERROR_EFFECT_NEEDS_PROPOSAL = _("Give the date the proposal was submitted first.")
ERROR_DATE_BEFORE_PROPOSAL = _("This date cannot be before the proposal was submitted (%(date)s).")
ERROR_NOTICE_NEEDS_BOTH_PASSED = _(
    "Public notice and notification follow the conclusion: both councils must pass it first."
)
ERROR_DROPPED_AND_EFFECTIVE = _("A procedure that took effect cannot be dropped.")
ERROR_RESOLUTION_NOT_A_PARTY = _(
    "Only the councils of the agreement's two parties (%(central)s and %(partner)s) resolve on it."
)
ERROR_RESOLUTION_NOT_PROPOSED = _(
    "The proposal has not been submitted to the councils yet; record its submission date first."
)
ERROR_RESOLUTION_BEFORE_PROPOSAL = _(
    "A resolution cannot be dated before the proposal was submitted (%(date)s)."
)
ERROR_RESOLUTION_AFTER_PASSED = _(
    "%(council)s already passed this proposal on %(date)s; no further resolution can follow."
)
ERROR_RESOLUTION_BEFORE_PREVIOUS = _(
    "A new resolution cannot be dated before the council's previous one (%(date)s)."
)
ERROR_RESOLUTION_ON_DROPPED = _("This procedure was dropped; it takes no further resolutions.")
ERROR_RESOLUTION_AFTER_EFFECT = _(
    "The procedure took effect on %(date)s on both councils' passes; a resolution on it must "
    "be a pass dated on or before that day."
)


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ERROR_RESOLUTION_IN_FUTURE = _(
    "A resolution date cannot be in the future: the council must have resolved already "
    "(today is %(today)s)."
)
ERROR_SAMPLE_FIELDS = _("Only values of this record can be marked as samples: %(names)s.")
ERROR_DOCUMENT_OR_REASON = _(
    "Attach the resolution document (議決書, PDF), or say below why it is not available yet."
)
ERROR_DOCUMENT_NOT_PDF = _("The resolution document must be a PDF file.")
ERROR_BILL_CLOSED = _(
    "%(bill)s of %(session)s was closed on %(date)s (%(result)s): the proposal comes before "
    "the council again only as a new bill. Give the new bill's number."
)
ERROR_BILL_SUBMITTED = _(
    "A bill is put before the council on or after the proposal's submission (%(date)s) and "
    "no later than its resolution."
)
ERROR_APPROVAL_ONLY_FOR_DISPOSAL = _(
    "Only a 専決処分 is reported to the council for its approval; leave the answer empty."
)
ERROR_APPROVAL_BOTH = _(
    "Give both the council's answer to the 専決処分 and the day it gave it, or neither."
)
ERROR_APPROVAL_BEFORE_DISPOSAL = _(
    "The council answers the head's report after the 専決処分 itself (%(date)s)."
)
ERROR_DOCUMENT_TOO_LARGE = _("The resolution document may be at most 10 MB.")


def validate_pdf(upload) -> None:
    """A PDF of at most 10 MB, by its name and by reading it (pypdf): a file that only starts
    like one, or that no reader could open, is refused."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(ERROR_DOCUMENT_TOO_LARGE, code="too_large")
    name_ok = upload.name.lower().endswith(".pdf")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if not name_ok or head != b"%PDF-" or not _readable_pdf(upload):
        raise ValidationError(ERROR_DOCUMENT_NOT_PDF, code="not_pdf")


def _readable_pdf(upload) -> bool:
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            reader.decrypt("")  # restrictions on printing or copying need no password to read
        return len(reader.pages) > 0
    except Exception:  # pypdf fails on a broken file in many ways; each means "not a PDF"
        return False
    finally:
        upload.seek(0)


class Role(models.TextChoices):
    """The central city's three roles (要綱): every item and project serves one."""

    ECONOMY = "economy", _("ア Driving economic growth (経済成長のけん引)")
    URBAN_FUNCTIONS = (
        "urban_functions",
        _("イ Concentrating higher urban functions (高次の都市機能の集積・強化)"),
    )
    LIVING_SERVICES = (
        "living_services",
        _("ウ Improving everyday-life services (生活関連機能サービスの向上)"),
    )


# One table for the records and for the text (agreements.texts prints the annexes by it).
ROLE_LETTERS = {Role(role): letter for role, letter in texts.ROLE_LETTERS.items()}


# The procedures that carry the agreement's content to the councils.
CONTENT_KINDS = (ProcedureKind.CONCLUSION, ProcedureKind.AMENDMENT)


class SampleValues(models.Model):
    """Which values of a record are invented for the demo (サンプル), one by one: a sourced
    date is never marked, an invented one always. A record marked a sample as a whole
    (`is_sample`) without naming values has every value marked."""

    sample_fields = models.JSONField(
        _("sample values"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("The names of the values invented for the demo."),
    )

    class Meta:
        abstract = True

    def is_sample_value(self, name: str) -> bool:
        return name in self.sample_fields or (self.is_sample and not self.sample_fields)

    def clean_sample_fields(self) -> None:
        names = {f.name for f in self._meta.concrete_fields}
        if not isinstance(self.sample_fields, list) or not set(self.sample_fields) <= names:
            raise ValidationError(
                {
                    "is_sample": ValidationError(
                        ERROR_SAMPLE_FIELDS, params={"names": ", ".join(sorted(names))}
                    )
                }
            )
        if self.sample_fields:
            self.is_sample = True


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


class Agreement(models.Model):
    """The one agreement between a central city of an area (甲) and one partner (乙)."""

    area_path = "area"

    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    central_party = models.ForeignKey(
        Municipality,
        verbose_name=_("central city (甲)"),
        on_delete=models.PROTECT,
        related_name="agreements_as_central_party",
        blank=True,
        help_text=_(
            "The area's central city; where it has joint central cities, the one that "
            "concludes this agreement. Empty: the area's central city."
        ),
    )
    partner = models.ForeignKey(
        Municipality,
        verbose_name=_("partner municipality"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    basic_policy = models.TextField(
        _("basic policy"), blank=True, help_text=_("基本的な方針: what the two cooperate for.")
    )
    text = models.TextField(_("full text"), blank=True)
    term_start = models.DateField(
        _("term from"), null=True, blank=True, help_text=_("In principle no term (要綱 第5条).")
    )
    term_end = models.DateField(_("term until"), null=True, blank=True)
    lapse_notice_months = models.PositiveSmallIntegerField(
        _("lapses months after notice (失効)"),
        null=True,
        blank=True,
        help_text=_(
            "Where the text lets either party end it by notice after its own council resolves "
            "it: the months after the notice at which it lapses (24 in the real texts)."
        ),
    )
    is_sample = models.BooleanField(
        _("sample text"),
        default=False,
        help_text=_("The text is an illustration for the demo, not the concluded text."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Shown on the public site. Until then it is an internal draft that appears nowhere "
            "public. Residents are told a draft's aim and content before it goes to the councils."
        ),
    )

    # The status as of the last change, kept by agreements.stored_status so that lists,
    # counts and filters can read it in SQL. It is valid before `stored_status_until` (or
    # always, when that is empty): a date that passes is the only other thing that moves a
    # status, and readers refresh the rows whose date has come. Not part of the history.
    stored_status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        editable=False,
        db_index=True,
    )
    stored_status_until = models.DateField(null=True, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["stored_status", "stored_status_until"])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["area", "partner__code", "central_party__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "central_party", "partner"],
                name="%(app_label)s_%(class)s_one_per_pair_of_parties",
                violation_error_message=_(
                    "This area already has an agreement between these two parties."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(partner=F("central_party")),
                name="%(app_label)s_%(class)s_two_parties",
                violation_error_message=ERROR_PARTNER_IS_CENTRAL,
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gt=F("term_start")),
                name="%(app_label)s_%(class)s_term_end_after_start",
                violation_error_message=ERROR_TERM_ORDER,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.central_party_id is None and self.area_id is not None:
            self.central_party_id = self.area.central_city_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.page_url("detail")

    def page_url(self, name: str, **kwargs) -> str:
        """The address of one of its public pages (its detail, a version, an amendment's
        新旧対照表); a joint central city's agreements have their own."""
        kwargs = {"slug": self.area.slug, "code": self.partner.code, **kwargs}
        if self.central_party_id == self.area.central_city_id:
            return reverse(f"agreements:{name}", kwargs=kwargs)
        return reverse(
            f"agreements:{name}_of", kwargs={**kwargs, "central": self.central_party.code}
        )

    @property
    def central_city(self) -> Municipality:
        """The central city that is party to it (甲)."""
        return self.central_party

    @property
    def party_ids(self) -> tuple[int, int]:
        return (self.central_party_id, self.partner_id)

    @property
    def partner_role(self) -> str:
        """What the partner (乙) is to the area: a partner municipality, the other joint
        central city, or a prefecture."""
        if self.partner_id in self.area.central_city_ids:
            return _("joint central city")
        if self.partner.kind == MunicipalityKind.PREFECTURE:
            return _("prefecture")
        return _("partner municipality")

    @property
    def notified_to(self) -> str:
        """Who the parties notify of a conclusion, amendment or abolition (§252-2 ¶2)."""
        # Each party notifies the governor of its own prefecture (or both the Minister).
        return "・".join(
            dict.fromkeys(
                str(self.notified_authority(party)) for party in (self.central_party, self.partner)
            )
        )

    def notified_authority(self, party: Municipality) -> str:
        """Whom one party notifies (§252-2 ¶2): the governor of its own prefecture, or the
        Minister for Internal Affairs where a prefecture is a party."""
        if self.notified_to_minister:
            return _("the Minister for Internal Affairs and Communications (総務大臣)")
        return _("the Governor of %(prefecture)s") % {"prefecture": party.prefecture}

    @property
    def notified_to_minister(self) -> bool:
        """Where a prefecture is a party, notification goes to the Minister for Internal
        Affairs instead of the governor (§252-2 ¶2)."""
        return self.partner.kind == MunicipalityKind.PREFECTURE

    # What the councils pass and an amendment changes (the items too): see `content_lock`.
    content_fields = (
        "title",
        "basic_policy",
        "text",
        "term_start",
        "term_end",
        "lapse_notice_months",
    )

    def content_of(self) -> dict:
        """The content being edited, as the councils would be asked to pass it."""
        return {
            "title": self.title,
            "basic_policy": self.basic_policy,
            "text": self.text,
            "items": [
                {
                    "id": item.pk,
                    **{name: getattr(item, name) for name in texts.ITEM_FIELDS},
                    "title_en": item.title_en,
                    "is_sample": item.is_sample,
                }
                # Sorted here, not in SQL: a list that prefetched the items reads none.
                for item in sorted(self.items.all(), key=lambda i: (i.role, i.order, i.pk))
            ],
        }

    def content_lock(self) -> tuple | None:
        """Why its content cannot be edited now, as (message, params), or None.

        It can while the conclusion is being drafted (or was dropped), and after conclusion
        only while an amendment is being drafted: from submission the councils deliberate on
        that content, and after conclusion only an amendment changes it."""
        if self.pk is None:
            return None
        procedures = list(self.procedures.all())
        live = [p for p in procedures if p.dropped_on is None]
        ended = (ProcedureKind.ABOLITION, ProcedureKind.LAPSE)
        if any(p.kind in ended and p.effective_on for p in live):
            return ERROR_CONTENT_ENDED, {}
        for p in live:
            if p.kind in CONTENT_KINDS and p.proposed_on and p.effective_on is None:
                return ERROR_CONTENT_BEFORE_COUNCILS, {"date": p.proposed_on}
        concluded = any(p.kind == ProcedureKind.CONCLUSION and p.effective_on for p in live)
        drafting = any(p.kind == ProcedureKind.AMENDMENT and p.proposed_on is None for p in live)
        if concluded and not drafting:
            return ERROR_CONTENT_IN_FORCE, {}
        return None

    def _changed_content_fields(self) -> list[str]:
        saved = Agreement.objects.filter(pk=self.pk).values(*self.content_fields).first() or {}
        return [name for name, value in saved.items() if value != getattr(self, name)]

    def lapse_date(self, notice_given_on: datetime.date) -> datetime.date | None:
        """The day its clause makes it lapse after a notice given on that day."""
        if self.lapse_notice_months is None:
            return None
        return add_months(notice_given_on, self.lapse_notice_months)

    def lapses_on(self) -> datetime.date | None:
        """The day a notice already given makes it lapse (prefetch procedures for lists)."""
        days = [
            p.effective_on
            for p in self.procedures.all()
            if p.kind == ProcedureKind.LAPSE and p.notice_given_on and p.dropped_on is None
        ]
        return max(days, default=None)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            errors.setdefault("term_end", []).append(ERROR_TERM_ORDER)
        if self.area_id and self.central_party_id is None:
            self.central_party_id = self.area.central_city_id
        if self.area_id and self.central_party_id not in self.area.central_city_ids:
            errors.setdefault("central_party", []).append(
                ValidationError(
                    ERROR_CENTRAL_PARTY, params={"party": self.central_party, "area": self.area}
                )
            )
        elif self.area_id and self.partner_id:
            partner_error = self._partner_error()
            if partner_error is not None:
                errors.setdefault("partner", []).append(partner_error)
        if (
            self.pk
            and (self.area_id, self.central_party_id, self.partner_id) != self._saved_parties()
            and Procedure.objects.filter(agreement_id=self.pk).exists()
        ):
            errors.setdefault("partner", []).append(ERROR_PARTIES_FIXED)
        if (
            self.pk
            and not self.is_public
            and Procedure.objects.filter(agreement_id=self.pk, proposed_on__isnull=False).exists()
        ):
            errors.setdefault("is_public", []).append(ERROR_UNPUBLISH)
        for message, params in texts.parse(self.text).errors:
            errors.setdefault("text", []).append(ValidationError(message, params=params or None))
        changed = self._changed_content_fields() if self.pk else []
        if changed and (lock := self.content_lock()):
            errors.setdefault(changed[0], []).append(
                ValidationError(lock[0], params=lock[1] or None)
            )
        if errors:
            raise ValidationError(errors)

    def _partner_error(self) -> ValidationError | str | None:
        """Why the partner cannot be a party, if it cannot: a municipality (which becomes a
        partner of the area when the agreement takes effect), the other joint central city,
        or the prefecture of a central city or partner."""
        area, partner = self.area, self.partner
        params = {"partner": partner, "area": area}
        if self.partner_id == self.central_party_id:
            return ERROR_PARTNER_IS_CENTRAL
        if self.partner_id in area.central_city_ids:
            return None
        if partner.kind == MunicipalityKind.WARD:
            return ValidationError(ERROR_WARD_PARTY, params=params)
        if partner.kind == MunicipalityKind.PREFECTURE:
            prefectures = set(
                Municipality.objects.filter(
                    Q(pk__in=area.central_city_ids) | Q(memberships__area=area)
                ).values_list("prefecture", flat=True)
            )
            if partner.prefecture not in prefectures:
                return ValidationError(ERROR_PREFECTURE_PARTY, params=params)
            return None
        memberships = list(
            area.memberships.filter(municipality_id=self.partner_id).values_list(
                "did_not_conclude", flat=True
            )
        )
        if memberships and all(memberships):
            return ValidationError(ERROR_PARTNER_DID_NOT_CONCLUDE, params=params)
        return None

    def _saved_parties(self) -> tuple[int, int, int] | None:
        return (
            Agreement.objects.filter(pk=self.pk)
            .values_list("area_id", "central_party_id", "partner_id")
            .first()
        )

    def status(self, today: datetime.date | None = None) -> AgreementStatus:
        """The status from the procedures and resolutions (prefetch them for lists)."""
        today = today or timezone.localdate()
        return agreement_status(
            (
                StagedProcedure(p.kind, p.stage(today), p.notice_given_on is not None)
                for p in self.procedures.all()
            ),
            term_ended=self.term_end is not None and self.term_end < today,
            term_started=self.term_start is None or self.term_start <= today,
        )


class AgreementItem(FixedFieldsMixin, models.Model):
    """One thing the two parties cooperate on, under one of the three roles."""

    area_path = "agreement__area"

    fixed_fields = ("agreement",)

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="items"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    field = models.CharField(_("field"), max_length=60, blank=True, help_text=_("e.g. 観光, 医療"))
    title = models.CharField(_("item"), max_length=200, validators=[validate_one_line])
    # A translation for the English pages, not part of what the councils pass: it can be
    # given or corrected at any time (texts.ITEM_FIELDS leaves it out of the content lock).
    title_en = models.CharField(
        _("item in English"),
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text=_("Shown on the English pages; where empty, they show the Japanese."),
    )
    central_city_part = models.TextField(_("what the central city does"))
    partner_part = models.TextField(_("what the partner does"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_sample = models.BooleanField(_("sample text"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement item")
        verbose_name_plural = _("agreement items")
        ordering = ["agreement", "role", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="%(app_label)s_%(class)s_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{ROLE_LETTERS.get(self.role, '')} {self.title}"

    def clean(self) -> None:
        if not self.agreement_id:
            return
        if self.pk:
            saved = AgreementItem.objects.filter(pk=self.pk).values(*texts.ITEM_FIELDS).first()
            if saved and all(saved[name] == getattr(self, name) for name in texts.ITEM_FIELDS):
                return
        if lock := self.agreement.content_lock():
            raise ValidationError(lock[0], params=lock[1] or None)


class Procedure(FixedFieldsMixin, SampleValues, models.Model):
    """A conclusion, amendment, abolition or lapse by notice of an agreement: one shape.

    A lapse differs in two things: only the council of the party giving notice (`notice_by`)
    resolves on it, and it takes effect on the day the agreement's clause sets after the
    notice (`notice_given_on`), not on a day the parties choose."""

    area_path = "agreement__area"

    fixed_fields = ("kind",)

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ProcedureKind.choices)
    summary = models.CharField(_("summary"), max_length=200, validators=[validate_one_line])
    proposed_text = models.TextField(
        _("what is proposed"),
        blank=True,
        help_text=_("The draft text for a conclusion; the changes for an amendment."),
    )
    content = models.JSONField(
        _("content before the councils"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The agreement's title, basic policy, text and items as submitted to the councils, "
            "kept as it was: what their resolutions are on, and once in effect a version of "
            "the agreement."
        ),
    )
    proposed_on = models.DateField(
        _("submitted to the councils on"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the proposal is being drafted."),
    )
    signed_on = models.DateField(
        _("signed on (締結日)"),
        null=True,
        blank=True,
        help_text=_(
            "The day the heads signed it, after both councils passed it (often at one ceremony "
            "for all partners). It takes effect on that day unless the agreement says otherwise."
        ),
    )
    signing_ceremony = models.CharField(
        _("signing ceremony (締結式)"),
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text=_("Where the heads signed, if at a ceremony, e.g. 連携協約締結式（長野市役所）."),
    )
    effective_on = models.DateField(_("takes effect on"), null=True, blank=True)
    # §252-2 ¶2 (¶4 for amendment and abolition): each party gives public notice (告示) and
    # files the notification (届出) itself, to the governor of its own prefecture, or to the
    # Minister for Internal Affairs where a prefecture is a party.
    central_notice_on = models.DateField(
        _("public notice by the central city (告示)"), null=True, blank=True
    )
    central_notice_number = models.CharField(
        _("its notice number"),
        max_length=40,
        blank=True,
        help_text=_("e.g. 長野市告示第58号"),
        validators=[validate_one_line],
    )
    governor_notified_on = models.DateField(
        _("notification filed by the central city (届出)"),
        null=True,
        blank=True,
        help_text=_(
            "To the governor of its prefecture; to the Minister for Internal Affairs where a "
            "prefecture is a party."
        ),
    )
    partner_notice_on = models.DateField(
        _("public notice by the partner (告示)"), null=True, blank=True
    )
    partner_notice_number = models.CharField(
        _("its notice number"),
        max_length=40,
        blank=True,
        help_text=_("e.g. 須坂市告示第21号"),
        validators=[validate_one_line],
    )
    partner_notified_on = models.DateField(
        _("notification filed by the partner (届出)"),
        null=True,
        blank=True,
        help_text=_(
            "To the governor of its prefecture; to the Minister for Internal Affairs where a "
            "prefecture is a party."
        ),
    )
    notice_by = models.ForeignKey(
        Municipality,
        verbose_name=_("notice of lapse given by"),
        on_delete=models.PROTECT,
        related_name="lapse_notices",
        null=True,
        blank=True,
        help_text=_("A lapse by notice only: the party whose council resolves it."),
    )
    notice_given_on = models.DateField(
        _("notice of lapse given on"),
        null=True,
        blank=True,
        help_text=_("A lapse by notice only. It lapses on the day the agreement's clause sets."),
    )
    dropped_on = models.DateField(
        _("dropped on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the procedure was closed without taking effect. Closed while a council's "
            "rejection stands, it is recorded as failed; a new procedure can then start."
        ),
    )
    is_sample = models.BooleanField(_("sample values"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["agreement", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProcedureKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(kind=ProcedureKind.CONCLUSION, dropped_on__isnull=True),
                name="%(app_label)s_%(class)s_one_live_conclusion",
                violation_error_message=_("This agreement already has a conclusion procedure."),
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True)
                | (Q(proposed_on__isnull=False) & Q(effective_on__gte=F("proposed_on"))),
                name="%(app_label)s_%(class)s_effect_after_proposal",
                violation_error_message=ERROR_EFFECT_NEEDS_PROPOSAL,
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(dropped_on__isnull=True),
                name="%(app_label)s_%(class)s_not_effective_and_dropped",
                violation_error_message=ERROR_DROPPED_AND_EFFECTIVE,
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | (Q(proposed_on__isnull=False) & Q(**{f"{field}__gte": F("proposed_on")})),
                    name=f"%(app_label)s_%(class)s_{field}_after_proposal",
                )
                for field in (
                    "central_notice_on",
                    "partner_notice_on",
                    "governor_notified_on",
                    "partner_notified_on",
                    "dropped_on",
                    "notice_given_on",
                    "signed_on",
                )
            ],
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(effective_on__gte=F("signed_on")),
                name="%(app_label)s_%(class)s_effect_not_before_signing",
            ),
            models.CheckConstraint(
                condition=Q(kind=ProcedureKind.LAPSE)
                | (Q(notice_by__isnull=True) & Q(notice_given_on__isnull=True)),
                name="%(app_label)s_%(class)s_notice_only_for_lapse",
                violation_error_message=ERROR_LAPSE_NOTICE_BY_ONLY,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.partner} — {self.get_kind_display()}: {self.summary}"

    def latest_results(self) -> tuple[str | None, str | None]:
        """The latest result of each council that must pass it: (central city, partner).
        A lapse needs the notifying party's council only: its result stands for both."""
        agreement = self.agreement
        central, partner = latest_results(self.resolutions.all(), *agreement.party_ids)
        if self.kind == ProcedureKind.LAPSE:
            notifying = central if self.notice_by_id == agreement.central_party_id else partner
            return notifying, notifying
        return central, partner

    def required_councils(self) -> list[Municipality]:
        """The councils whose pass it needs: both parties', or the notifying party's."""
        agreement = self.agreement
        if self.kind == ProcedureKind.LAPSE:
            return [self.notice_by] if self.notice_by_id else []
        return [agreement.central_party, agreement.partner]

    def stage(self, today: datetime.date | None = None) -> ProcedureStage:
        central, partner = self.latest_results()
        return procedure_stage(
            proposed_on=self.proposed_on,
            central_result=central,
            partner_result=partner,
            effective_on=self.effective_on,
            dropped_on=self.dropped_on,
            today=today or timezone.localdate(),
            signed_on=self.signed_on,
        )

    def stage_label(self, today: datetime.date | None = None) -> str:
        """The stage in words; a lapse needs one council only and then a notice."""
        stage = self.stage(today)
        if self.kind == ProcedureKind.LAPSE and stage == ProcedureStage.PASSED:
            return LAPSE_NOTICE_GIVEN if self.notice_given_on else LAPSE_PASSED
        return stage.label

    def clean(self) -> None:
        self.clean_sample_fields()
        errors: dict[str, list] = {}

        def add(field: str, message, **params) -> None:
            errors.setdefault(field, []).append(ValidationError(message, params=params or None))

        if not self.agreement_id:
            return
        if (
            self.pk
            and not Procedure.objects.filter(pk=self.pk, agreement_id=self.agreement_id).exists()
        ):
            raise ValidationError({"agreement": ERROR_PROCEDURE_MOVED})
        agreement = self.agreement
        others = [p for p in agreement.procedures.all() if p.pk != self.pk]
        earlier = [p for p in others if self.pk is None or p.pk < self.pk]
        if self.pk:
            frozen = (
                Procedure.objects.filter(pk=self.pk, proposed_on__isnull=False)
                .values("proposed_on", "proposed_text", "content")
                .first()
            )
            # Taking the submission back (no council resolved yet) unfreezes it.
            if frozen and self.proposed_on is not None:
                if frozen["proposed_text"] != self.proposed_text:
                    add("proposed_text", ERROR_PROPOSAL_FROZEN, date=frozen["proposed_on"])
                if frozen["content"] is not None and frozen["content"] != self.content:
                    add("kind", ERROR_PROPOSAL_FROZEN, date=frozen["proposed_on"])
        if self.content is not None:
            for message, params in texts.content_errors(self.content):
                add("kind", message, **params)
        if self.pk and any(p.pk > self.pk for p in others):
            saved = Procedure.objects.get(pk=self.pk)
            for field in ("proposed_on", "effective_on", "dropped_on"):
                if getattr(saved, field) != getattr(self, field):
                    add(field, ERROR_LATER_PROCEDURE)

        if self.kind != ProcedureKind.CONCLUSION:
            concluded = [
                p for p in earlier if p.kind == ProcedureKind.CONCLUSION and p.effective_on
            ]
            if not concluded:
                add("kind", ERROR_AMENDMENT_BEFORE_CONCLUSION)
            elif self.proposed_on and self.proposed_on < concluded[0].effective_on:
                add(
                    "proposed_on",
                    ERROR_PROPOSED_BEFORE_CONCLUSION,
                    date=concluded[0].effective_on,
                )
        if any(
            p.kind in (ProcedureKind.ABOLITION, ProcedureKind.LAPSE) and p.effective_on
            for p in earlier
        ):
            add("kind", ERROR_AFTER_ABOLITION)
        if self.kind == ProcedureKind.LAPSE:
            self._check_lapse(add)
            if self.signed_on:
                add("signed_on", ERROR_SIGNING_FOR_LAPSE)
        elif self.notice_by_id or self.notice_given_on:
            add("notice_by" if self.notice_by_id else "notice_given_on", ERROR_LAPSE_NOTICE_BY_ONLY)
        # Checked for an edit too: clearing `dropped_on` reopens a procedure.
        if self.pk is None or (self.dropped_on is None and self.effective_on is None):
            open_ones = [p for p in others if p.stage() in OPEN_STAGES]
            if open_ones:
                add("kind", ERROR_PROCEDURE_OPEN, procedure=open_ones[0].summary)
        # Moving or clearing the submission date must not strand recorded resolutions.
        resolved = [r.resolved_on for r in self.resolutions.all()] if self.pk else []
        if resolved and self.proposed_on is None:
            add("proposed_on", ERROR_RESOLUTION_NOT_PROPOSED)
        elif resolved and self.proposed_on > min(resolved):
            add("proposed_on", ERROR_RESOLUTION_BEFORE_PROPOSAL, date=self.proposed_on)

        if self.proposed_on and not agreement.is_public:
            add("proposed_on", ERROR_NOT_PUBLIC)
        for field in (
            "central_notice_on",
            "partner_notice_on",
            "governor_notified_on",
            "partner_notified_on",
            "dropped_on",
            "notice_given_on",
        ):
            value = getattr(self, field)
            if value and self.proposed_on and value < self.proposed_on:
                add(field, ERROR_DATE_BEFORE_PROPOSAL, date=self.proposed_on)
        if self.effective_on and self.dropped_on:
            add("dropped_on", ERROR_DROPPED_AND_EFFECTIVE)

        needs_passes = [
            f
            for f in (
                "effective_on",
                "signed_on",
                "central_notice_on",
                "partner_notice_on",
                "governor_notified_on",
                "partner_notified_on",
            )
            if getattr(self, f)
        ]
        if needs_passes and self.kind != ProcedureKind.LAPSE:
            self._check_both_passed(needs_passes, add)
        if errors:
            raise ValidationError(errors)

    def _check_lapse(self, add) -> None:
        """A party gives notice after its own council passed it; the agreement lapses on the
        day its clause sets after the notice (filled in here when left empty)."""
        agreement = self.agreement
        if agreement.lapse_notice_months is None:
            add("kind", ERROR_LAPSE_NO_CLAUSE)
            return
        if self.notice_by_id not in agreement.party_ids:
            add(
                "notice_by",
                ERROR_LAPSE_NOTICE_BY,
                central=agreement.central_party,
                partner=agreement.partner,
            )
            return
        if self.pk and self.resolutions.exclude(municipality_id=self.notice_by_id).exists():
            add("notice_by", ERROR_LAPSE_NOTICE_BY_FIXED)
            return
        if self.notice_given_on is None:
            if self.effective_on:
                add("effective_on", ERROR_LAPSE_EFFECT_NEEDS_NOTICE)
            return
        passes = [
            r.resolved_on
            for r in (self.resolutions.all() if self.pk else [])
            if r.municipality_id == self.notice_by_id and r.result in PASSING_RESULTS
        ]
        if not passes:
            add("notice_given_on", ERROR_LAPSE_NEEDS_PASS, party=self.notice_by)
            return
        if self.notice_given_on < passes[0]:
            add(
                "notice_given_on",
                ERROR_LAPSE_NOTICE_BEFORE_PASS,
                party=self.notice_by,
                date=passes[0],
            )
            return
        lapses_on = agreement.lapse_date(self.notice_given_on)
        if self.effective_on is None:
            self.effective_on = lapses_on
        elif self.effective_on != lapses_on:
            add(
                "effective_on",
                ERROR_LAPSE_DATE,
                months=agreement.lapse_notice_months,
                date=lapses_on,
            )

    def _check_both_passed(self, fields: list[str], add) -> None:
        if self.proposed_on is None:
            add(fields[0], ERROR_EFFECT_NEEDS_PROPOSAL)
            return
        resolutions = list(self.resolutions.all()) if self.pk else []
        agreement = self.agreement
        central, partner = latest_results(resolutions, *agreement.party_ids)
        missing = [
            str(council)
            for council, result in (
                (agreement.central_party, central),
                (agreement.partner, partner),
            )
            if result not in PASSING_RESULTS
        ]
        if missing:
            if fields[0] == "effective_on":
                add(fields[0], ERROR_EFFECT_NEEDS_BOTH_PASSED, missing="、".join(missing))
            elif fields[0] == "signed_on":
                add(fields[0], ERROR_SIGNING_NEEDS_BOTH_PASSED, missing="、".join(missing))
            else:
                add(fields[0], ERROR_NOTICE_NEEDS_BOTH_PASSED)
            return
        last = max(r.resolved_on for r in resolutions)
        if self.effective_on and self.effective_on < last:
            add("effective_on", ERROR_EFFECT_BEFORE_RESOLUTION, date=last)
        if self.signed_on and self.signed_on < last:
            add("signed_on", ERROR_SIGNED_BEFORE_RESOLUTION, date=last)
        elif self.signed_on and self.effective_on and self.effective_on < self.signed_on:
            add("effective_on", ERROR_EFFECT_BEFORE_SIGNING, date=self.signed_on)
        if self.signed_on and self.signed_on > timezone.localdate():
            add("signed_on", ERROR_SIGNED_IN_FUTURE)
        for field in fields:
            if field not in ("effective_on", "signed_on") and getattr(self, field) < last:
                add(field, ERROR_NOTICE_BEFORE_RESOLUTION, date=last)


class CouncilResolution(SampleValues, models.Model):
    """One council's resolution (議決) on a procedure: session, bill, date and result."""

    area_path = "procedure__agreement__area"

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("council of"),
        on_delete=models.PROTECT,
        related_name="council_resolutions",
    )
    session = models.CharField(
        _("session"),
        max_length=60,
        help_text=_("e.g. 令和8年3月定例会"),
        validators=[validate_one_line],
    )
    bill_number = models.CharField(
        _("bill number"),
        max_length=40,
        help_text=_("e.g. 議案第12号"),
        validators=[validate_one_line],
    )
    submitted_on = models.DateField(
        _("bill submitted on"),
        null=True,
        blank=True,
        help_text=_("The day this bill was put before this council (提出日)."),
    )
    resolved_on = models.DateField(_("resolved on"))
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    approval = models.CharField(
        _("council's answer to the 専決処分"),
        max_length=16,
        choices=Approval.choices,
        blank=True,
        help_text=_(
            "A 専決処分 only: the head reports it at the next session and the council approves "
            "it or not (§179 ¶3). It stays valid either way."
        ),
    )
    approval_on = models.DateField(_("answered on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    document = models.FileField(
        _("resolution document (議決書, PDF)"),
        upload_to="resolutions/%Y/",
        blank=True,
        validators=[validate_pdf],
    )
    document_pending = models.TextField(
        _("why the resolution document is not attached yet"),
        blank=True,
        help_text=_("e.g. 議決書は議会事務局から届き次第掲載します。"),
    )
    is_sample = models.BooleanField(
        _("sample values"),
        default=False,
        help_text=_("Bill number or date are invented for the demo."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council resolution")
        verbose_name_plural = _("council resolutions")
        ordering = ["procedure", "resolved_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=Result.values),
                name="%(app_label)s_%(class)s_result_valid",
            ),
            models.CheckConstraint(
                condition=Q(approval="", approval_on__isnull=True)
                | (
                    Q(result=Result.SPECIAL_DISPOSAL, approval__in=Approval.values)
                    & Q(approval_on__gte=F("resolved_on"))
                ),
                name="%(app_label)s_%(class)s_approval_of_a_disposal",
                violation_error_message=ERROR_APPROVAL_BOTH,
            ),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True) | Q(submitted_on__lte=F("resolved_on")),
                name="%(app_label)s_%(class)s_submitted_before_resolved",
            ),
            models.UniqueConstraint(
                fields=["procedure", "municipality"],
                condition=Q(result__in=sorted(PASSING_RESULTS)),
                name="%(app_label)s_%(class)s_one_pass_per_council",
                violation_error_message=_("This council has already passed this proposal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.session} {self.bill_number}: {self.get_result_display()}"

    def _check_approval(self) -> None:
        """The council's answer belongs to a 専決処分 only, with its date, after it."""
        if self.result != Result.SPECIAL_DISPOSAL:
            if self.approval or self.approval_on:
                raise ValidationError({"approval": ERROR_APPROVAL_ONLY_FOR_DISPOSAL})
            return
        if bool(self.approval) != bool(self.approval_on):
            field = "approval_on" if self.approval else "approval"
            raise ValidationError({field: ERROR_APPROVAL_BOTH})
        if self.approval_on and self.resolved_on and self.approval_on < self.resolved_on:
            raise ValidationError(
                {
                    "approval_on": ValidationError(
                        ERROR_APPROVAL_BEFORE_DISPOSAL, params={"date": self.resolved_on}
                    )
                }
            )
        today = timezone.localdate()
        if self.approval_on and self.approval_on > today:
            raise ValidationError(
                {
                    "approval_on": ValidationError(
                        ERROR_RESOLUTION_IN_FUTURE, params={"today": today}
                    )
                }
            )

    def clean(self) -> None:
        self.clean_sample_fields()
        if not (self.procedure_id and self.municipality_id):
            return
        if self.pk:
            saved = CouncilResolution.objects.filter(pk=self.pk).values_list(
                "procedure_id", "municipality_id"
            )
            saved_procedure, saved_municipality = saved.get()
            if saved_procedure != self.procedure_id:
                raise ValidationError({"procedure": ERROR_RESOLUTION_MOVED})
            if saved_municipality != self.municipality_id:
                raise ValidationError({"municipality": ERROR_RESOLUTION_MOVED})
        self._check_approval()
        procedure = self.procedure
        agreement = procedure.agreement
        if self.municipality_id not in agreement.party_ids:
            raise ValidationError(
                {
                    "municipality": ValidationError(
                        ERROR_RESOLUTION_NOT_A_PARTY,
                        params={"central": agreement.central_party, "partner": agreement.partner},
                    )
                }
            )
        if procedure.kind == ProcedureKind.LAPSE and self.municipality_id != procedure.notice_by_id:
            raise ValidationError(
                {
                    "municipality": ValidationError(
                        ERROR_RESOLUTION_NOT_NOTIFYING, params={"party": procedure.notice_by}
                    )
                }
            )
        if procedure.proposed_on is None:
            raise ValidationError(ERROR_RESOLUTION_NOT_PROPOSED)
        if procedure.dropped_on is not None and self.pk is None:
            raise ValidationError(ERROR_RESOLUTION_ON_DROPPED)
        if not self.resolved_on:
            return
        today = timezone.localdate()
        if self.resolved_on > today:
            future = ValidationError(ERROR_RESOLUTION_IN_FUTURE, params={"today": today})
            raise ValidationError({"resolved_on": future})
        if self.resolved_on < procedure.proposed_on:
            raise ValidationError(
                {
                    "resolved_on": ValidationError(
                        ERROR_RESOLUTION_BEFORE_PROPOSAL, params={"date": procedure.proposed_on}
                    )
                }
            )
        if procedure.effective_on and (
            self.result not in PASSING_RESULTS or self.resolved_on > procedure.effective_on
        ):
            raise ValidationError(
                {
                    "result": ValidationError(
                        ERROR_RESOLUTION_AFTER_EFFECT, params={"date": procedure.effective_on}
                    )
                }
            )
        if self.submitted_on and not (
            procedure.proposed_on <= self.submitted_on <= self.resolved_on
        ):
            raise ValidationError(
                {
                    "submitted_on": ValidationError(
                        ERROR_BILL_SUBMITTED, params={"date": procedure.proposed_on}
                    )
                }
            )
        same_council = [
            r
            for r in procedure.resolutions.all()
            if r.municipality_id == self.municipality_id and r.pk != self.pk
        ]
        closed = [
            r
            for r in same_council
            if r.result in CLOSING_RESULTS
            and (r.session, r.bill_number) == (self.session, self.bill_number)
            and (r.resolved_on, r.pk) < (self.resolved_on, self.pk or float("inf"))
        ]
        if closed:
            raise ValidationError(
                {
                    "bill_number": ValidationError(
                        ERROR_BILL_CLOSED,
                        params={
                            "bill": self.bill_number,
                            "session": self.session,
                            "date": closed[0].resolved_on,
                            "result": closed[0].get_result_display(),
                        },
                    )
                }
            )
        passed = [r for r in same_council if r.result in PASSING_RESULTS]
        if passed and (
            self.pk is None
            or self.result in PASSING_RESULTS
            or self.resolved_on > passed[0].resolved_on
        ):
            raise ValidationError(
                {
                    "resolved_on": ValidationError(
                        ERROR_RESOLUTION_AFTER_PASSED,
                        params={"council": self.municipality, "date": passed[0].resolved_on},
                    )
                }
            )
        if self.pk is None and same_council:
            previous = max(r.resolved_on for r in same_council)
            if self.resolved_on < previous:
                raise ValidationError(
                    {
                        "resolved_on": ValidationError(
                            ERROR_RESOLUTION_BEFORE_PREVIOUS, params={"date": previous}
                        )
                    }
                )
