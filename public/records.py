"""A whole-area record (`/areas/<slug>.json`) imported back: by the operator, through
`manage.py import_area` or the admin, to bring a real area in whole or to restore one.

Every record is written through the services, in the order the rules need — the area, its
members and commuting ratios, the agreements with their items, every procedure in the order
it was started (submitted, resolved by the councils, then put into effect), the visions in
the order they were made (a revision drafted, filled in, then adopted), the allocation tax and
the closed fiscal years — in one transaction. Every refusal is listed with where it is in the
file (a path such as `agreements[2].procedures[0].effective_on`); nothing is kept unless the
whole record is valid. Records are found by their natural keys, so importing again updates in
place; nothing is deleted. Into an empty database, a record keeps the identifiers it was
exported with (procedures, visions, projects, indicators), so exporting it again gives the
same document.

Files are not part of a record: resolution documents and roundtable minutes (PDF) stay where
they are, and are attached again after a record is brought into a new database.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementItem, CouncilResolution, Procedure
from agreements.services import (
    agreement_save,
    item_save,
    procedure_save,
    resolution_save,
)
from municipalities.models import AreaMembership, CommutingRatio, CooperationArea, Municipality
from municipalities.services import (
    area_save,
    commuting_ratio_save,
    membership_save,
    municipality_save,
    save_with,
)
from vision.models import (
    FiscalSupport,
    FiscalYearClosure,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectParticipant,
    PublicComment,
    RoundtableMeeting,
    RoundtableMember,
    Vision,
    VisionStatus,
)
from vision.services import (
    actual_save,
    budget_save,
    closure_save,
    comment_save,
    indicator_save,
    meeting_save,
    member_save,
    participant_save,
    project_save,
    support_save,
    target_save,
    vision_save,
)

REASON = "whole-area record"
MAX_BYTES = 20 * 1024 * 1024

ERROR_NOT_A_RECORD = _(
    "This is not the record of an area: it has no “area” with a “slug”, or it is not JSON."
)
ERROR_MISSING = _("“%(key)s” is missing.")
ERROR_CODE = _("There is no local government with the code %(value)s.")
ERROR_DATE = _("“%(value)s” is not a date such as 2016-03-29.")
ERROR_NUMBER = _("“%(value)s” is not a number.")
ERROR_NO_ITEM = _("The agreement of %(municipality)s has no item “%(title)s”.")
ERROR_PREVIOUS = _("The vision it revises (%(value)s) is not in the record before it.")


@dataclass(frozen=True)
class RecordError:
    path: str
    message: str


@dataclass
class Report:
    errors: list[RecordError] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    area: CooperationArea | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def kinds(self) -> list[tuple[str, int, int, int]]:
        names = sorted(
            set(self.created) | set(self.updated) | set(self.unchanged), key=KIND_ORDER.index
        )
        return [(n, self.created[n], self.updated[n], self.unchanged[n]) for n in names]

    def labelled(self) -> list[tuple[str, int, int, int]]:
        """kinds(), each named in the user's language."""
        return [(str(KIND_LABELS[kind]), *counts) for kind, *counts in self.kinds()]


KIND_LABELS = {
    "area": _("area"),
    "municipalities": _("municipalities"),
    "memberships": _("memberships"),
    "commuting_ratios": _("commuting ratios"),
    "agreements": _("agreements"),
    "items": _("agreement items"),
    "procedures": _("procedures"),
    "resolutions": _("council resolutions"),
    "visions": _("visions"),
    "roundtable_members": _("roundtable members"),
    "roundtable_meetings": _("roundtable meetings"),
    "public_comments": _("public comments"),
    "projects": _("projects"),
    "participants": _("participants"),
    "budgets": _("project costs"),
    "indicators": _("indicators"),
    "yearly_targets": _("yearly targets"),
    "actuals": _("actual values"),
    "fiscal_support": _("allocation tax"),
    "closed_fiscal_years": _("closed fiscal years"),
}
KIND_ORDER = list(KIND_LABELS)  # the order of the record


class Problem(Exception):
    """A value of the record that cannot be read: where, and why."""

    def __init__(self, path: str, message):
        super().__init__(str(message))
        self.path = path
        self.message = str(message)


def _date(value, path: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Problem(path, ERROR_DATE % {"value": value}) from None


def _decimal(value, path: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise Problem(path, ERROR_NUMBER % {"value": value})
    return number


def _get(data: dict, key: str, path: str):
    if not isinstance(data, dict) or key not in data:
        raise Problem(path, ERROR_MISSING % {"key": key})
    return data[key]


def _english(row: dict, *names: str) -> dict:
    """The English fields the row gives. A record made before they existed has none: then
    the English given here stays as it is."""
    return {name: row[name] or "" for name in names if name in row}


class _Record:
    def __init__(self, data: dict, user: AbstractBaseUser | None, reason: str = REASON):
        self.data = data
        self.user = user
        self.reason = reason
        self.report = Report()
        codes = set()
        self._codes(data, codes)
        self.municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}

    def _codes(self, value, codes: set) -> None:
        """Every string of six digits in the record: the local government codes it names."""
        if isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(key, str) and len(key) == 6 and key.isdigit():
                    codes.add(key)
                self._codes(inner, codes)
        elif isinstance(value, list):
            for inner in value:
                self._codes(inner, codes)
        elif isinstance(value, str) and len(value) == 6 and value.isdigit():
            codes.add(value)

    # Errors and saving --------------------------------------------------------------------

    def error(self, path: str, message) -> None:
        self.report.errors.append(RecordError(path, str(message)))

    def municipality(self, code, path: str) -> Municipality:
        if code not in self.municipalities:
            raise Problem(path, ERROR_CODE % {"value": code})
        return self.municipalities[code]

    def write(
        self, path: str, service, instance: models.Model, values: dict, record_id=None
    ) -> bool:
        """Set the values and save through the service (a new record keeps `record_id` as
        its identifier where that is free); False, with the errors kept, on a refusal."""
        new = instance.pk is None
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            with transaction.atomic():
                save_with(service, instance, user=self.user, reason=self.reason)
                if new and record_id is not None:
                    self.renumber(instance, record_id)
        except ValidationError as error:
            self.refused(path, error)
        except IntegrityError as error:
            self.error(path, error)
        else:
            return True
        if new:
            instance.pk = None
        return False

    def renumber(self, instance: models.Model, record_id) -> None:
        """Give a record just created the identifier it was exported with, where that is
        free, before anything refers to it (its history row too)."""
        model = type(instance)
        if not self.id_is_free(model, record_id):
            return
        model.objects.filter(pk=instance.pk).update(**{model._meta.pk.attname: record_id})
        model.history.filter(id=instance.pk).update(id=record_id)
        instance.pk = record_id
        # The database's counter moves past it at once, or the next new record would take it.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)

    def count(self, kind: str, *, new: bool, changed: bool) -> None:
        counter = self.report.created if new else self.report.updated if changed else None
        (self.report.unchanged if counter is None else counter)[kind] += 1

    @staticmethod
    def differs(instance: models.Model, values: dict) -> bool:
        return instance.pk is None or any(
            getattr(instance, name) != value for name, value in values.items()
        )

    def save(
        self,
        kind: str,
        path: str,
        service,
        instance: models.Model,
        values: dict,
        *,
        record_id: int | None = None,
    ) -> bool:
        """Write when anything differs, and count the record as created, updated or
        unchanged."""
        new, changed = instance.pk is None, self.differs(instance, values)
        if changed and not self.write(path, service, instance, values, record_id):
            return False
        self.count(kind, new=new, changed=changed)
        return True

    @staticmethod
    def id_is_free(model: type[models.Model], pk) -> bool:
        return isinstance(pk, int) and pk > 0 and not model.objects.filter(pk=pk).exists()

    def refused(self, path: str, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                where = path if name == NON_FIELD_ERRORS else f"{path}.{name}"
                for message in messages:
                    self.error(where, message)
        else:
            for message in error.messages:
                self.error(path, message)

    def read(self, function, *args) -> bool:
        """Run one part; a value that cannot be read becomes an error of its path."""
        try:
            function(*args)
        except Problem as problem:
            self.error(problem.path, problem.message)
            return False
        return True

    # The record, part by part ------------------------------------------------------------

    def run(self) -> Report:
        if not self.read(self.area):
            return self.report
        self.english_names()
        for index, row in enumerate(self.data.get("memberships") or []):
            self.read(self.membership, index, row)
        for index, row in enumerate(self.data.get("commuting_ratios") or []):
            self.read(self.ratio, index, row)
        self.agreements()
        self.visions()
        for index, row in enumerate(self.data.get("fiscal_support") or []):
            self.read(self.support, index, row)
        for index, row in enumerate(self.data.get("closed_fiscal_years") or []):
            self.read(self.closure, index, row)
        return self.report

    def area(self) -> None:
        data = self.data
        area_data = _get(data, "area", "")
        slug = _get(area_data, "slug", "area")
        central = self.municipality(
            _get(_get(data, "central_city", ""), "code", "central_city"), "central_city.code"
        )
        joint = data.get("joint_central_city")
        declaration = data.get("declaration") or {}
        policy = data.get("formation_policy") or {}
        area = CooperationArea.objects.filter(slug=slug).first() or CooperationArea(
            slug=slug, central_city=central
        )
        values = {
            "name": _get(area_data, "name", "area"),
            "description": area_data.get("description", ""),
            "recorded": area_data.get("recorded", True),
            "central_city": central,
            "joint_central_city": self.municipality(joint["code"], "joint_central_city.code")
            if joint
            else None,
            "declared_on": _date(declaration.get("declared_on"), "declaration.declared_on"),
            "declaration_text": declaration.get("text", ""),
            "declaration_is_sample": declaration.get("is_sample", False),
            "formation_policy_on": _date(policy.get("resolved_on"), "formation_policy"),
            "formation_policy_text": policy.get("text", ""),
            **_english(area_data, "english_name"),
        }
        service = area_save
        if self.save("area", "area", service, area, values):
            self.report.area = area

    @property
    def the_area(self) -> CooperationArea:
        return self.report.area

    def english_names(self) -> None:
        """The English names planning staff gave the central cities and members (the rest of
        a municipality is the national registry's, not the record's)."""
        data = self.data
        rows = [("central_city", data.get("central_city"), "code")]
        if isinstance(data.get("joint_central_city"), dict):
            rows.append(("joint_central_city", data["joint_central_city"], "code"))
        rows += [
            (f"memberships[{index}]", row, "municipality")
            for index, row in enumerate(data.get("memberships") or [])
        ]
        done = set()
        for path, row, key in rows:
            if not isinstance(row, dict) or "english_name" not in row or row.get(key) in done:
                continue
            done.add(row.get(key))

            def one(path=path, row=row, key=key):
                municipality = self.municipality(_get(row, key, path), f"{path}.{key}")
                values = _english(row, "english_name")
                self.save("municipalities", path, municipality_save, municipality, values)

            self.read(one)

    def membership(self, index: int, row: dict) -> None:
        path = f"memberships[{index}]"
        municipality = self.municipality(_get(row, "municipality", path), f"{path}.municipality")
        joined_on = _date(_get(row, "joined_on", path), f"{path}.joined_on")
        membership = AreaMembership.objects.filter(
            area=self.the_area, municipality=municipality, joined_on=joined_on
        ).first() or AreaMembership(
            area=self.the_area, municipality=municipality, joined_on=joined_on
        )
        values = {
            "left_on": _date(row.get("left_on"), f"{path}.left_on"),
            "did_not_conclude": row.get("did_not_conclude", False),
        }
        service = membership_save
        self.save("memberships", path, service, membership, values)

    def ratio(self, index: int, row: dict) -> None:
        path = f"commuting_ratios[{index}]"
        municipality = self.municipality(_get(row, "municipality", path), f"{path}.municipality")
        ratio = CommutingRatio.objects.filter(
            area=self.the_area, municipality=municipality
        ).first() or CommutingRatio(area=self.the_area, municipality=municipality)
        values = {
            "ratio": _decimal(row.get("ratio"), f"{path}.ratio"),
            "survey_year": row.get("survey_year"),
            "meets_rule": row.get("meets_rule", False),
            "outside_reason": row.get("outside_reason", ""),
            "source": row.get("source", ""),
            "is_sample": row.get("is_sample", False),
        }
        service = commuting_ratio_save
        self.save("commuting_ratios", path, service, ratio, values)

    # Agreements and their procedures ------------------------------------------------------

    def agreements(self) -> None:
        procedures = []
        for index, row in enumerate(self.data.get("agreements") or []):
            path = f"agreements[{index}]"
            agreement = None

            def one(row=row, path=path):
                nonlocal agreement
                agreement = self.agreement(row, path)

            if not self.read(one) or agreement is None:
                continue
            for number, item in enumerate(row.get("items") or []):
                self.read(self.item, agreement, f"{path}.items[{number}]", item)
            for number, procedure in enumerate(row.get("procedures") or []):
                procedures.append((agreement, f"{path}.procedures[{number}]", procedure, number))
        # In the order they were started: an amendment rests on the conclusion before it.
        procedures.sort(key=lambda entry: entry[2].get("id") or 0)
        failed: set[int] = set()
        for agreement, path, row, number in procedures:
            if agreement.pk in failed:
                continue  # later procedures rest on the refused one
            ok = True
            try:
                ok = self.procedure(agreement, path, row, number)
            except Problem as problem:
                self.error(problem.path, problem.message)
                ok = False
            if not ok:
                failed.add(agreement.pk)

    def agreement(self, row: dict, path: str) -> Agreement | None:
        central = self.municipality(_get(row, "central_city", path), f"{path}.central_city")
        partner = self.municipality(_get(row, "partner", path), f"{path}.partner")
        agreement = Agreement.objects.filter(
            area=self.the_area, central_party=central, partner=partner
        ).first() or Agreement(area=self.the_area, central_party=central, partner=partner)
        values = {
            "title": _get(row, "title", path),
            "basic_policy": row.get("basic_policy", ""),
            "text": row.get("text", ""),
            "term_start": _date(row.get("term_start"), f"{path}.term_start"),
            "term_end": _date(row.get("term_end"), f"{path}.term_end"),
            "lapse_notice_months": row.get("lapse_notice_months"),
            "is_sample": row.get("is_sample", False),
            "is_public": True,  # a record holds the public record only
        }
        service = agreement_save
        return agreement if self.save("agreements", path, service, agreement, values) else None

    def item(self, agreement: Agreement, path: str, row: dict) -> None:
        role, title = _get(row, "role", path), _get(row, "title", path)
        item = AgreementItem.objects.filter(
            agreement=agreement, role=role, title=title
        ).first() or AgreementItem(agreement=agreement, role=role, title=title)
        values = {
            "field": row.get("field", ""),
            "central_city_part": row.get("central_city_part", ""),
            "partner_part": row.get("partner_part", ""),
            "order": row.get("order", 0),
            "is_sample": row.get("is_sample", False),
            **_english(row, "title_en"),
        }
        service = item_save
        self.save("items", path, service, item, values)

    LATER = (
        "signed_on",
        "effective_on",
        "central_notice_on",
        "partner_notice_on",
        "governor_notified_on",
        "partner_notified_on",
        "dropped_on",
        "notice_given_on",
    )

    def procedure(self, agreement: Agreement, path: str, row: dict, number: int) -> bool:
        """The agreement's procedure in the same place (first, second…), or a new one. (An
        identifier names a procedure of the database it was exported from only.)"""
        record_id = row.get("id")
        procedure = agreement.procedures.order_by("id")[number : number + 1].first()
        first = {
            "kind": _get(row, "kind", path),
            "summary": _get(row, "summary", path),
            "proposed_text": row.get("proposed_text", ""),
            "proposed_on": _date(row.get("proposed_on"), f"{path}.proposed_on"),
            "notice_by": self.municipality(row["notice_by"], f"{path}.notice_by")
            if row.get("notice_by")
            else None,
            "is_sample": row.get("is_sample", False),
            "sample_fields": row.get("sample_fields") or [],
        }
        later_text = {
            name: row.get(name) or ""
            for name in ("central_notice_number", "partner_notice_number", "signing_ceremony")
        }
        if row.get("content") is not None:
            # The content the councils were asked to pass (a version once in effect); without
            # it, the agreement's content as recorded above is what was submitted.
            first["content"] = row["content"]
        later = {name: _date(row.get(name), f"{path}.{name}") for name in self.LATER}
        later |= later_text
        service = partial(procedure_save, notify=False)
        new = procedure is None
        if new:
            procedure = Procedure(agreement=agreement)
        first_changed = self.differs(procedure, first)
        later_changed = any(getattr(procedure, n) != v for n, v in later.items())
        # Submitted first: the councils resolve on it before it takes effect.
        if first_changed and not self.write(path, service, procedure, first, record_id):
            return False
        for index, resolution in sorted(
            enumerate(row.get("resolutions") or []),
            key=lambda pair: (str(pair[1].get("resolved_on")), pair[0]),
        ):
            if not self.resolution(procedure, f"{path}.resolutions[{index}]", resolution):
                return False
        procedure._prefetched_objects_cache = {}
        if later_changed and not self.write(path, service, procedure, later):
            return False
        self.count("procedures", new=new, changed=first_changed or later_changed)
        return True

    def resolution(self, procedure: Procedure, path: str, row: dict) -> bool:
        council = self.municipality(_get(row, "council", path), f"{path}.council")
        resolved_on = _date(_get(row, "resolved_on", path), f"{path}.resolved_on")
        resolution = CouncilResolution.objects.filter(
            procedure=procedure, municipality=council, resolved_on=resolved_on
        ).first() or CouncilResolution(
            procedure=procedure, municipality=council, resolved_on=resolved_on
        )
        values = {
            "session": _get(row, "session", path),
            "bill_number": _get(row, "bill_number", path),
            "result": _get(row, "result", path),
            "submitted_on": _date(row.get("submitted_on"), f"{path}.submitted_on"),
            "approval": row.get("approval") or "",
            "approval_on": _date(row.get("approval_on"), f"{path}.approval_on"),
            "is_sample": row.get("is_sample", False),
            "sample_fields": row.get("sample_fields") or [],
        }
        procedure._prefetched_objects_cache = {}
        service = resolution_save
        return self.save("resolutions", path, service, resolution, values)

    # Visions ------------------------------------------------------------------------------

    def visions(self) -> None:
        rows = list(enumerate(self.data.get("visions") or []))
        made: dict[int, Vision] = {}
        # The first vision before its revisions.
        for index, row in sorted(rows, key=lambda pair: pair[1].get("id") or 0):
            try:
                vision = self.vision(f"visions[{index}]", row, made)
            except Problem as problem:
                self.error(problem.path, problem.message)
                continue
            if vision is not None and isinstance(row.get("id"), int):
                made[row["id"]] = vision

    def vision(self, path: str, row: dict, made: dict[int, Vision]) -> Vision | None:
        record_id = row.get("id")
        # By title: an identifier names a vision of the database it was exported from only.
        vision = Vision.objects.filter(area=self.the_area, title=_get(row, "title", path)).first()
        previous = None
        if row.get("previous") is not None:
            previous = made.get(row["previous"])
            if previous is None:
                raise Problem(f"{path}.previous", ERROR_PREVIOUS % {"value": row["previous"]})
        status = _get(row, "status", path)
        comment = row.get("public_comment") or {}
        values = {
            "title": row["title"],
            "first_fiscal_year": _get(row, "first_fiscal_year", path),
            "last_fiscal_year": _get(row, "last_fiscal_year", path),
            "previous": previous,
            "revision_reason": row.get("revision_reason", ""),
            "changes_note": row.get("changes_note", ""),
            "future_image": row.get("future_image", ""),
            "comment_starts_on": _date(comment.get("starts_on"), f"{path}.public_comment"),
            "comment_ends_on": _date(comment.get("ends_on"), f"{path}.public_comment"),
            "is_sample": row.get("is_sample", False),
        }
        adopted_on = _date(row.get("adopted_on"), f"{path}.adopted_on")
        new = vision is None
        if new:
            # A revision is filled in as a draft and adopted last, as planning staff do.
            vision = Vision(area=self.the_area)
            values |= {"status": VisionStatus.DRAFT if previous else status}
            values |= {"adopted_on": None if previous else adopted_on}
        service = vision_save
        changed = self.differs(vision, values)
        if changed and not self.write(path, service, vision, values, record_id):
            return None
        roundtable = row.get("roundtable") or {}
        for index, member in enumerate(roundtable.get("members") or []):
            self.read(self.member, vision, f"{path}.roundtable.members[{index}]", member)
        for index, meeting in enumerate(roundtable.get("meetings") or []):
            self.read(self.meeting, vision, f"{path}.roundtable.meetings[{index}]", meeting)
        for index, item in enumerate(comment.get("comments") or []):
            self.read(self.comment, vision, f"{path}.public_comment.comments[{index}]", item)
        for index, project in enumerate(row.get("projects") or []):
            self.read(self.project, vision, f"{path}.projects[{index}]", project)
        final = {"status": status, "adopted_on": adopted_on}
        adopted = self.differs(vision, final)
        if adopted and not self.write(path, service, vision, final):
            return None
        self.count("visions", new=new, changed=changed or adopted)
        return vision

    def member(self, vision: Vision, path: str, row: dict) -> None:
        name = _get(row, "name", path)
        member = RoundtableMember.objects.filter(vision=vision, name=name).first()
        member = member or RoundtableMember(vision=vision, name=name)
        values = {
            "sector": _get(row, "sector", path),
            "affiliation": row.get("affiliation", ""),
            "is_chair": row.get("is_chair", False),
            "order": row.get("order", 0),
            "is_sample": row.get("is_sample", False),
        }
        service = member_save
        self.save("roundtable_members", path, service, member, values)

    def meeting(self, vision: Vision, path: str, row: dict) -> None:
        held_on = _date(_get(row, "held_on", path), f"{path}.held_on")
        meeting = RoundtableMeeting.objects.filter(vision=vision, held_on=held_on).first()
        meeting = meeting or RoundtableMeeting(vision=vision, held_on=held_on)
        minutes = row.get("minutes") or ""
        values = {
            "agenda": _get(row, "agenda", path),
            "is_sample": row.get("is_sample", False),
        }
        if minutes.startswith(("https://", "http://")) and not meeting.minutes_document:
            values["minutes_url"] = minutes  # a document kept here stays as it is
        service = meeting_save
        self.save("roundtable_meetings", path, service, meeting, values)

    def comment(self, vision: Vision, path: str, row: dict) -> None:
        number = _get(row, "number", path)
        comment = PublicComment.objects.filter(vision=vision, number=number).first()
        comment = comment or PublicComment(vision=vision, number=number)
        values = {
            "summary": _get(row, "summary", path),
            "response": row.get("response", ""),
            "draft_changed": row.get("draft_changed", False),
            "change_made": row.get("change_made", ""),
            "is_sample": row.get("is_sample", False),
        }
        service = comment_save
        self.save("public_comments", path, service, comment, values)

    def project(self, vision: Vision, path: str, row: dict) -> None:
        code = _get(row, "number", path)
        project = Project.objects.filter(vision=vision, code=code).first() or Project(
            vision=vision, code=code
        )
        values = {
            "role": _get(row, "role", path),
            "field": row.get("field", ""),
            "title": _get(row, "title", path),
            "description": row.get("description", ""),
            "lead": self.municipality(_get(row, "lead", path), f"{path}.lead"),
            "order": row.get("order", 0),
            "is_sample": row.get("is_sample", False),
            **_english(row, "title_en"),
        }
        service = project_save
        if not self.save("projects", path, service, project, values, record_id=row.get("id")):
            return
        covered_by = row.get("covered_by") or {}
        for index, code in enumerate(row.get("participants") or []):
            self.read(self.participant, project, f"{path}.participants[{index}]", code, covered_by)
        for index, budget in enumerate(row.get("budgets") or []):
            self.read(self.budget, project, f"{path}.budgets[{index}]", budget)
        for index, indicator in enumerate(row.get("indicators") or []):
            self.read(self.indicator, project, f"{path}.indicators[{index}]", indicator)

    def participant(self, project: Project, path: str, code: str, covered_by: dict) -> None:
        municipality = self.municipality(code, path)
        participation = ProjectParticipant.objects.filter(
            project=project, municipality=municipality
        ).first() or ProjectParticipant(project=project, municipality=municipality)
        item = None
        if covered_by.get(code):
            item = (
                AgreementItem.objects.filter(
                    agreement__area=project.vision.area,
                    agreement__partner=municipality,
                    title=covered_by[code],
                )
                .order_by("agreement__central_party_id")
                .first()
            )
            if item is None:
                raise Problem(
                    path, ERROR_NO_ITEM % {"municipality": municipality, "title": covered_by[code]}
                )
        service = participant_save
        self.save("participants", path, service, participation, {"agreement_item": item})

    def budget(self, project: Project, path: str, row: dict) -> None:
        municipality = self.municipality(_get(row, "municipality", path), f"{path}.municipality")
        year = _get(row, "fiscal_year", path)
        budget = ProjectBudget.objects.filter(
            project=project, municipality=municipality, fiscal_year=year
        ).first() or ProjectBudget(project=project, municipality=municipality, fiscal_year=year)
        values = {
            "amount": _decimal(_get(row, "amount", path), f"{path}.amount"),
            "is_sample": row.get("is_sample", False),
        }
        service = budget_save
        self.save("budgets", path, service, budget, values)

    def indicator(self, project: Project, path: str, row: dict) -> None:
        code = _get(row, "number", path)
        indicator = Indicator.objects.filter(project=project, code=code).first() or Indicator(
            project=project, code=code
        )
        baseline, target = _get(row, "baseline", path), _get(row, "target", path)
        values = {
            "name": _get(row, "name", path),
            "unit": row.get("unit", ""),
            "direction": _get(row, "direction", path),
            "baseline_value": _decimal(_get(baseline, "value", path), f"{path}.baseline"),
            "baseline_fiscal_year": _get(baseline, "fiscal_year", f"{path}.baseline"),
            "target_value": _decimal(_get(target, "value", path), f"{path}.target"),
            "target_fiscal_year": _get(target, "fiscal_year", f"{path}.target"),
            "order": row.get("order", 0),
            "is_sample": row.get("is_sample", False),
            **_english(row, "name_en", "unit_en"),
        }
        if row.get("kind"):
            values["kind"] = row["kind"]
        yearly = [
            (kind, model, save, index, value)
            for kind, model, save in (
                ("yearly_targets", IndicatorTarget, target_save),
                ("actuals", IndicatorActual, actual_save),
            )
            for index, value in enumerate(row.get(kind) or [])
        ]
        # A revision keeps the actual values of years before its own baseline (copied from
        # the version it revises, then retargeted): those are written the same way, under
        # the earlier baseline first, and the baseline is moved after them.
        baseline_year = values["baseline_fiscal_year"]
        early = [
            entry[4]["fiscal_year"]
            for entry in yearly
            if isinstance(entry[4].get("fiscal_year"), int)
            and entry[4]["fiscal_year"] <= baseline_year
            and self.yearly_differs(entry[1], indicator, entry[4])
        ]
        first = {**values, "baseline_fiscal_year": min(early) - 1} if early else values
        new, changed = indicator.pk is None, self.differs(indicator, values)
        if self.differs(indicator, first) and not self.write(
            path, indicator_save, indicator, first, row.get("id")
        ):
            return
        for kind, model, save, index, value in yearly:
            self.read(self.yearly, kind, model, indicator, save, f"{path}.{kind}[{index}]", value)
        if early and not self.write(path, indicator_save, indicator, values):
            return
        self.count("indicators", new=new, changed=changed)

    @staticmethod
    def yearly_differs(model, indicator: Indicator, row: dict) -> bool:
        if indicator.pk is None:
            return True
        saved = model.objects.filter(indicator=indicator, fiscal_year=row.get("fiscal_year"))
        return not saved.filter(
            value=_decimal(row.get("value"), ""), is_sample=row.get("is_sample", False)
        ).exists()

    def yearly(self, kind, model, indicator, save, path: str, row: dict) -> None:
        year = _get(row, "fiscal_year", path)
        instance = model.objects.filter(indicator=indicator, fiscal_year=year).first() or model(
            indicator=indicator, fiscal_year=year
        )
        values = {
            "value": _decimal(_get(row, "value", path), f"{path}.value"),
            "is_sample": row.get("is_sample", False),
        }
        self.save(kind, path, save, instance, values)

    # The area's money and closed years ----------------------------------------------------

    def support(self, index: int, row: dict) -> None:
        path = f"fiscal_support[{index}]"
        municipality = self.municipality(_get(row, "municipality", path), f"{path}.municipality")
        year = _get(row, "fiscal_year", path)
        support = FiscalSupport.objects.filter(
            area=self.the_area, municipality=municipality, fiscal_year=year
        ).first() or FiscalSupport(area=self.the_area, municipality=municipality, fiscal_year=year)
        values = {
            "special_amount": _decimal(row.get("special_amount") or 0, f"{path}.special_amount"),
            "ordinary_amount": _decimal(row.get("ordinary_amount") or 0, f"{path}.ordinary_amount"),
            "note": row.get("note", ""),
            "is_sample": row.get("is_sample", False),
        }
        service = support_save
        self.save("fiscal_support", path, service, support, values)

    def closure(self, index: int, row: dict) -> None:
        path = f"closed_fiscal_years[{index}]"
        year = _get(row, "fiscal_year", path)
        closure = FiscalYearClosure.objects.filter(
            area=self.the_area, fiscal_year=year
        ).first() or FiscalYearClosure(area=self.the_area, fiscal_year=year)
        values = {"closed_on": _date(_get(row, "closed_on", path), f"{path}.closed_on")}
        service = closure_save
        self.save("closed_fiscal_years", path, service, closure, values)


def import_record(
    data, *, user: AbstractBaseUser | None, commit: bool, reason: str = REASON
) -> Report:
    """Write the record; keep it only if `commit` and nothing was refused. Every history
    row it writes carries `reason`."""
    if not (isinstance(data, dict) and isinstance(data.get("area"), dict)):
        return Report(errors=[RecordError("", str(ERROR_NOT_A_RECORD))])
    with transaction.atomic():
        record = _Record(data, user, reason)
        report = record.run()
        if not (commit and report.ok):
            transaction.set_rollback(True)
    return report
