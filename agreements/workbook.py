"""The whole-area workbook (xlsx): an area's declaration, members, agreements, items,
procedures and council resolutions in one file that planning staff download, fill in and
upload.

Sheets and columns have fixed Japanese names (the same whatever the page's language), so a
file exported in one language imports in the other. Each sheet's first row is its header;
columns marked （参考） are there for the reader and ignored on import. An item written once
applies to every agreement its 適用する協約 cell names (すべて: all of them).

`read()` turns a file into rows; `apply()` writes them through the services in one
transaction, in the order the rules need — the area, members, agreements, items, then each
agreement's procedures one by one: submitted, resolved by the councils, then put into effect,
noticed or dropped — and collects every error with its sheet, row and column. A dry run does
all of it and rolls back; confirming does it again and keeps it only when there is no error.
Records are found by natural keys (local government codes, the procedure's number within its
agreement, a resolution's council and date), so uploading again updates in place; an upload
never deletes anything. `export()` writes the area's current state as the same workbook, so
the round trip holds.
"""

import datetime
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from municipalities.cells import text_cell, typed_text
from municipalities.models import AreaMembership, CooperationArea, Municipality
from municipalities.services import area_save, membership_save

from . import notifications
from .models import ROLE_LETTERS, Agreement, AgreementItem, CouncilResolution, Procedure
from .services import agreement_save, item_save, procedure_save, resolution_save
from .status import PASSING_RESULTS, Approval, ProcedureKind, Result

REASON = "whole-area workbook"
MAX_BYTES = 5 * 1024 * 1024

# Sheets, in the order of the file.
GUIDE = "はじめに"
AREA = "圏域"
MEMBERS = "構成市町村"
AGREEMENTS = "協約"
ITEMS = "取組"
PROCEDURES = "手続"
RESOLUTIONS = "議決"
DATA_SHEETS = (AREA, MEMBERS, AGREEMENTS, ITEMS, PROCEDURES, RESOLUTIONS)

# Columns shared by several sheets.
CENTRAL = "連携中枢都市コード"
PARTNER = "相手方コード"
PARTNER_NAME = "相手方名（参考）"
NUMBER = "手続番号"
SAMPLE = "サンプル"

# The 圏域 sheet: one row per field (項目, 値).
KEY, VALUE = "項目", "値"
AREA_FIELDS = {
    "圏域名（参考）": None,
    "連携中枢都市（参考）": None,
    "共同の連携中枢都市コード": "joint_central_city",
    "宣言日": "declared_on",
    "宣言文": "declaration_text",
    "形成方針の議決日": "formation_policy_on",
    "形成方針": "formation_policy_text",
    "説明": "description",
}
COLUMNS = {
    MEMBERS: {
        "市町村コード": "municipality",
        "市町村名（参考）": None,
        "参加日": "joined_on",
        "離脱日": "left_on",
        "締結せず": "did_not_conclude",
    },
    AGREEMENTS: {
        CENTRAL: "central_party",
        PARTNER: "partner",
        PARTNER_NAME: None,
        "標題": "title",
        "基本的な方針": "basic_policy",
        "本文": "text",
        "期間開始日": "term_start",
        "期間終了日": "term_end",
        "失効までの月数": "lapse_notice_months",
        "公開": "is_public",
        SAMPLE: "is_sample",
    },
    ITEMS: {
        "取組番号": None,
        "役割": "role",
        "分野": "field",
        "取組名": "title",
        "連携中枢都市の役割": "central_city_part",
        "相手方の役割": "partner_part",
        "表示順": "order",
        "適用する協約": "agreement",
        SAMPLE: "is_sample",
    },
    PROCEDURES: {
        CENTRAL: None,
        PARTNER: "agreement",
        PARTNER_NAME: None,
        NUMBER: None,
        "種別": "kind",
        "概要": "summary",
        "提案内容": "proposed_text",
        "議会提出日": "proposed_on",
        "締結日": "signed_on",
        "効力発生日": "effective_on",
        "連携中枢都市の告示日": "central_notice_on",
        "連携中枢都市の告示番号": "central_notice_number",
        "連携中枢都市の届出日": "governor_notified_on",
        "相手方の告示日": "partner_notice_on",
        "相手方の告示番号": "partner_notice_number",
        "相手方の届出日": "partner_notified_on",
        "取下げ日": "dropped_on",
        "通告する当事者コード": "notice_by",
        "通告日": "notice_given_on",
        SAMPLE: "is_sample",
    },
    RESOLUTIONS: {
        CENTRAL: None,
        PARTNER: "procedure",
        PARTNER_NAME: None,
        NUMBER: None,
        "議会コード": "municipality",
        "議会名（参考）": None,
        "会議名": "session",
        "議案番号": "bill_number",
        "議案提出日": "submitted_on",
        "議決日": "resolved_on",
        "結果": "result",
        "専決処分の承認": "approval",
        "承認・不承認の日": "approval_on",
        "備考": "note",
        SAMPLE: "is_sample",
    },
}
AREA_COLUMNS = {KEY: None, VALUE: None}

APPROVAL_NAMES = {Approval.APPROVED: "承認", Approval.NOT_APPROVED: "不承認"}

KIND_NAMES = {
    ProcedureKind.CONCLUSION: "締結",
    ProcedureKind.AMENDMENT: "変更",
    ProcedureKind.ABOLITION: "廃止",
    ProcedureKind.LAPSE: "失効",
}
RESULT_NAMES = {
    Result.PASSED: "可決",
    Result.REJECTED: "否決",
    Result.CARRIED_OVER: "継続審査",
    Result.WITHDRAWN: "撤回",
    Result.DISCARDED: "審議未了・廃案",
    Result.SPECIAL_DISPOSAL: "専決処分",
}
LETTER_ROLES = {letter: role for role, letter in ROLE_LETTERS.items()}
YES = "○"
YES_VALUES = {"○", "〇", "◯", "はい", "true", "1", "yes", "y"}
ALL = "すべて"

ERROR_FILE = gettext_lazy(
    "The file could not be read as an Excel workbook (.xlsx). Download the template and fill it in."
)
ERROR_TOO_LARGE = gettext_lazy("The workbook may be at most 5 MB.")
ERROR_NO_SHEET = gettext_lazy("The sheet “%(sheet)s” is missing.")
ERROR_NO_COLUMN = gettext_lazy("The column “%(column)s” is missing from the first row.")
ERROR_REQUIRED = gettext_lazy("%(column)s is empty.")
ERROR_DATE = gettext_lazy("%(column)s must be a date such as 2016-03-29, not “%(value)s”.")
ERROR_INTEGER = gettext_lazy("%(column)s must be a whole number, not “%(value)s”.")
ERROR_CODE = gettext_lazy("There is no local government with the code %(value)s.")
ERROR_CHOICE = gettext_lazy("%(column)s must be one of %(choices)s, not “%(value)s”.")
ERROR_UNKNOWN_AREA_FIELD = gettext_lazy("“%(value)s” is not an item of this sheet.")
ERROR_NO_AGREEMENT = gettext_lazy(
    "There is no agreement between %(central)s and %(partner)s in the sheet 協約 or the area."
)
ERROR_PROCEDURE_NUMBER = gettext_lazy(
    "Procedure numbers of an agreement run 1, 2, 3…: the next one here is %(number)s."
)
ERROR_NO_PROCEDURE = gettext_lazy("The agreement has no procedure number %(number)s.")
ERROR_REPEATED = gettext_lazy("Row %(row)s is about the same record; keep one of the two.")
ERROR_CONFLICT = gettext_lazy("This row conflicts with another record: %(error)s")


# ---------------------------------------------------------------------------------------------
# Reading a file
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem, where it is: sheet, row number as the spreadsheet shows it, column."""

    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class Report:
    """What an import did or would do: records created, updated and unchanged by sheet, and
    every error. Nothing is saved when there is an error."""

    errors: list[CellError] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors

    def sheets(self) -> list[tuple[str, int, int, int]]:
        return [
            (sheet, self.created[sheet], self.updated[sheet], self.unchanged[sheet])
            for sheet in DATA_SHEETS
            if self.created[sheet] or self.updated[sheet] or self.unchanged[sheet]
        ]


@dataclass(frozen=True)
class Row:
    sheet: str
    number: int  # as the spreadsheet shows it (the header is row 1)
    values: dict[str, object]


class FileError(Exception):
    """The file as a whole cannot be read: the errors say why."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def read(upload) -> dict[str, list[Row]]:
    """The rows of each data sheet, empty rows left out; FileError if the file is not a
    workbook of this shape (a missing sheet or column)."""
    if upload.size > MAX_BYTES:
        raise FileError([CellError("", None, "", str(ERROR_TOO_LARGE))])
    try:
        upload.seek(0)
        book = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl fails on a wrong file in many ways; each means "not xlsx"
        raise FileError([CellError("", None, "", str(ERROR_FILE))]) from None
    errors, rows = [], {}
    for sheet in DATA_SHEETS:
        if sheet not in book.sheetnames:
            errors.append(CellError(sheet, None, "", str(ERROR_NO_SHEET % {"sheet": sheet})))
            continue
        lines = list(book[sheet].iter_rows(values_only=True))
        header = [_header(cell) for cell in (lines[0] if lines else ())]
        expected = AREA_COLUMNS if sheet == AREA else COLUMNS[sheet]
        missing = [column for column in expected if column not in header]
        for column in missing:
            errors.append(CellError(sheet, 1, column, str(ERROR_NO_COLUMN % {"column": column})))
        if missing:
            continue
        rows[sheet] = [
            Row(sheet, number, dict(zip(header, line, strict=False)))
            for number, line in enumerate(lines[1:], start=2)
            if any(_present(cell) for cell in line)
        ]
    book.close()
    if errors:
        raise FileError(errors)
    return rows


def _header(cell) -> str:
    return str(cell).strip() if cell is not None else ""


def _present(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------


class CellProblem(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def _text(row: Row, column: str) -> str:
    value = row.values.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date().isoformat()
    return typed_text(str(value).strip()).replace("\r\n", "\n")


def _required(row: Row, column: str) -> str:
    value = _text(row, column)
    if not value:
        raise CellProblem(column, str(ERROR_REQUIRED % {"column": column}))
    return value


DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def _date(row: Row, column: str) -> datetime.date | None:
    value = row.values.get(column)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(row, column)
    if not text:
        return None
    match = DATE.match(text)
    try:
        if match:
            return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    raise CellProblem(column, str(ERROR_DATE % {"column": column, "value": text}))


def _required_date(row: Row, column: str) -> datetime.date:
    day = _date(row, column)
    if day is None:
        raise CellProblem(column, str(ERROR_REQUIRED % {"column": column}))
    return day


def _integer(row: Row, column: str) -> int | None:
    text = _text(row, column)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,5}", text):
        raise CellProblem(column, str(ERROR_INTEGER % {"column": column, "value": text}))
    return int(text)


def _flag(row: Row, column: str) -> bool:
    value = row.values.get(column)
    if isinstance(value, bool):
        return value
    return _text(row, column).lower() in YES_VALUES


def _choice(row: Row, column: str, names: dict, *, required: bool = True):
    text = _text(row, column)
    if not text and not required:
        return None
    if not text:
        raise CellProblem(column, str(ERROR_REQUIRED % {"column": column}))
    by_name = {name: value for value, name in names.items()}
    if text in by_name:
        return by_name[text]
    if text in names:
        return text  # the stored value (e.g. "passed") is understood too
    choices = "、".join(names.values())
    raise CellProblem(
        column, str(ERROR_CHOICE % {"column": column, "choices": choices, "value": text})
    )


def _code_text(value: str) -> str:
    return value.zfill(6) if value.isdigit() and len(value) < 6 else value


# ---------------------------------------------------------------------------------------------
# Writing rows through the services
# ---------------------------------------------------------------------------------------------


class _Import:
    def __init__(self, area: CooperationArea, rows: dict[str, list[Row]], user):
        self.area = area
        self.rows = rows
        self.user = user
        self.report = Report()
        codes = set()
        for sheet_rows in rows.values():
            for row in sheet_rows:
                for column in row.values:
                    if column.endswith("コード") or column == "市町村コード":
                        codes.add(_code_text(_text(row, column)))
                    if column == VALUE and _text(row, KEY).endswith("コード"):
                        codes.add(_code_text(_text(row, column)))
                    if column == "適用する協約":
                        codes.update(_code_text(c) for c in re.findall(r"\d+", _text(row, column)))
        self.municipalities = {
            m.code: m for m in Municipality.objects.filter(code__in=codes - {""})
        }
        self.agreements: dict[tuple[int, int], Agreement] = {
            (a.central_party_id, a.partner_id): a
            for a in Agreement.objects.filter(area=area).select_related("central_party", "partner")
        }
        self.failed_agreements: dict[tuple[int, int], Row] = {}
        self.submitted: list[Procedure] = []

    # Errors -------------------------------------------------------------------------------

    def error(self, row: Row | None, column: str, message) -> None:
        self.report.errors.append(
            CellError(row.sheet if row else AREA, row.number if row else None, column, str(message))
        )

    def validation_errors(self, row: Row, error: ValidationError, columns: dict) -> None:
        by_field = {f: c for c, f in columns.items() if f}
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = "" if name == NON_FIELD_ERRORS else by_field.get(name, name)
                for message in messages:
                    self.error(row, column, message)
        else:
            for message in error.messages:
                self.error(row, "", message)

    def municipality(self, row: Row, column: str, *, required: bool = True):
        code = _code_text(_text(row, column))
        if not code:
            if required:
                raise CellProblem(column, str(ERROR_REQUIRED % {"column": column}))
            return None
        if code not in self.municipalities:
            raise CellProblem(column, str(ERROR_CODE % {"value": code}))
        return self.municipalities[code]

    def write(self, row: Row, service, instance, columns: dict) -> bool:
        """Save through the service; False (with the errors kept) when the rules refuse it."""
        try:
            with transaction.atomic():
                service(instance, user=self.user, reason=REASON)
        except ValidationError as error:
            self.validation_errors(row, error, columns)
            return False
        except IntegrityError as error:
            self.error(row, "", ERROR_CONFLICT % {"error": error})
            return False
        return True

    def count(self, row: Row, *, new: bool, changed: bool) -> None:
        counter = self.report.created if new else self.report.updated if changed else None
        (counter if counter is not None else self.report.unchanged)[row.sheet] += 1

    def save(self, row: Row, service, instance, columns: dict, *, changed: bool) -> bool:
        """Save when something changed, and count the row as created, updated or unchanged."""
        new = instance.pk is None
        if changed and not self.write(row, service, instance, columns):
            return False
        self.count(row, new=new, changed=changed)
        return True

    def cells(self, row: Row, readers: dict) -> dict | None:
        """Read each column with its reader; None (with the errors kept) if any cell is bad."""
        values, ok = {}, True
        for name, reader in readers.items():
            try:
                values[name] = reader()
            except CellProblem as problem:
                self.error(row, problem.column, problem.message)
                ok = False
        return values if ok else None

    # Sheets -------------------------------------------------------------------------------

    def run(self) -> Report:
        self.area_sheet()
        self.members()
        self.agreement_rows()
        self.items()
        self.procedures()
        return self.report

    def area_sheet(self) -> None:
        area = self.area
        before = {f: getattr(area, f) for f in AREA_FIELDS.values() if f}
        row_of = {}
        for row in self.rows.get(AREA, []):
            key = _text(row, KEY)
            if key not in AREA_FIELDS:
                self.error(row, KEY, ERROR_UNKNOWN_AREA_FIELD % {"value": key})
                continue
            name = AREA_FIELDS[key]
            if name is None:
                continue
            row_of[name] = row
            value_row = Row(row.sheet, row.number, {key: row.values.get(VALUE)})
            try:
                if name == "joint_central_city":
                    area.joint_central_city = self.municipality(value_row, key, required=False)
                elif name.endswith("_on"):
                    setattr(area, name, _date(value_row, key))
                else:
                    setattr(area, name, _text(value_row, key))
            except CellProblem as problem:
                self.error(row, VALUE, problem.message)
        if not row_of:
            return
        changed = any(getattr(area, f) != v for f, v in before.items())
        first = min(row_of.values(), key=lambda r: r.number)
        columns = {k: f for k, f in AREA_FIELDS.items() if f}
        try:
            if changed:
                with transaction.atomic():
                    area_save(area=area, user=self.user, reason=REASON)
                self.report.updated[AREA] += 1
            else:
                self.report.unchanged[AREA] += 1
        except ValidationError as error:
            by_field = {f: k for k, f in columns.items()}
            for name, messages in error.message_dict.items():
                row = row_of.get(name, first)
                for message in messages:
                    self.error(row, by_field.get(name, ""), message)

    def members(self) -> None:
        columns = COLUMNS[MEMBERS]
        seen: dict[tuple, int] = {}
        existing = {
            (m.municipality_id, m.joined_on): m
            for m in AreaMembership.objects.filter(area=self.area)
        }
        for row in self.rows.get(MEMBERS, []):
            values = self.cells(
                row,
                {
                    "municipality": lambda row=row: self.municipality(row, "市町村コード"),
                    "joined_on": lambda row=row: _required_date(row, "参加日"),
                    "left_on": lambda row=row: _date(row, "離脱日"),
                    "did_not_conclude": lambda row=row: _flag(row, "締結せず"),
                },
            )
            if values is None:
                continue
            key = (values["municipality"].pk, values["joined_on"])
            if key in seen:
                self.error(row, "", ERROR_REPEATED % {"row": seen[key]})
                continue
            seen[key] = row.number
            membership = existing.get(key) or AreaMembership(
                area=self.area, municipality=values["municipality"], joined_on=values["joined_on"]
            )
            changed = membership.pk is None or any(
                getattr(membership, f) != values[f] for f in ("left_on", "did_not_conclude")
            )
            membership.left_on = values["left_on"]
            membership.did_not_conclude = values["did_not_conclude"]
            self.save(
                row,
                lambda m, **kw: membership_save(membership=m, **kw),
                membership,
                columns,
                changed=changed,
            )

    def agreement_key(self, row: Row, partner_column: str = PARTNER):
        central = self.municipality(row, CENTRAL, required=False) or self.area.central_city
        partner = self.municipality(row, partner_column)
        return central, partner

    def agreement_rows(self) -> None:
        columns = COLUMNS[AGREEMENTS]
        seen: dict[tuple, int] = {}
        for row in self.rows.get(AGREEMENTS, []):
            values = self.cells(
                row,
                {
                    "parties": lambda row=row: self.agreement_key(row),
                    "title": lambda row=row: _required(row, "標題"),
                    "basic_policy": lambda row=row: _text(row, "基本的な方針"),
                    "text": lambda row=row: _text(row, "本文"),
                    "term_start": lambda row=row: _date(row, "期間開始日"),
                    "term_end": lambda row=row: _date(row, "期間終了日"),
                    "lapse_notice_months": lambda row=row: _integer(row, "失効までの月数"),
                    "is_public": lambda row=row: _flag(row, "公開"),
                    "is_sample": lambda row=row: _flag(row, SAMPLE),
                },
            )
            if values is None:
                continue
            central, partner = values.pop("parties")
            key = (central.pk, partner.pk)
            if key in seen:
                self.error(row, "", ERROR_REPEATED % {"row": seen[key]})
                continue
            seen[key] = row.number
            agreement = self.agreements.get(key) or Agreement(
                area=self.area, central_party=central, partner=partner
            )
            changed = agreement.pk is None or any(
                getattr(agreement, f) != v for f, v in values.items()
            )
            for name, value in values.items():
                setattr(agreement, name, value)
            if self.save(
                row,
                lambda a, **kw: agreement_save(agreement=a, **kw),
                agreement,
                columns,
                changed=changed,
            ):
                self.agreements[key] = agreement
            else:
                self.failed_agreements[key] = row

    def targets(self, row: Row) -> list[Agreement]:
        """The agreements an item row applies to: すべて, or partner codes (with the central
        city's code before a colon for an agreement of the joint central city)."""
        column = "適用する協約"
        text = _required(row, column)
        if text == ALL:
            return list(self.agreements.values())
        found = []
        for part in re.split(r"[\s、,，;；]+", text):
            if not part:
                continue
            central_code, _colon, partner_code = part.rpartition(":")
            central = (
                self.municipalities.get(_code_text(central_code))
                if central_code
                else self.area.central_city
            )
            partner = self.municipalities.get(_code_text(partner_code))
            if central is None or partner is None:
                raise CellProblem(column, str(ERROR_CODE % {"value": part}))
            key = (central.pk, partner.pk)
            if key in self.failed_agreements:
                continue  # its own errors are listed
            if key not in self.agreements:
                raise CellProblem(
                    column, str(ERROR_NO_AGREEMENT % {"central": central, "partner": partner})
                )
            found.append(self.agreements[key])
        return found

    def items(self) -> None:
        columns = COLUMNS[ITEMS]
        existing: dict[tuple, AgreementItem] = {}
        for item in AgreementItem.objects.filter(agreement__area=self.area):
            existing.setdefault((item.agreement_id, item.role, item.title), item)
        seen: dict[tuple, int] = {}
        for row in self.rows.get(ITEMS, []):
            values = self.cells(
                row,
                {
                    "role": lambda row=row: _choice(row, "役割", ROLE_LETTERS),
                    "field": lambda row=row: _text(row, "分野"),
                    "title": lambda row=row: _required(row, "取組名"),
                    "central_city_part": lambda row=row: _text(row, "連携中枢都市の役割"),
                    "partner_part": lambda row=row: _text(row, "相手方の役割"),
                    "order": lambda row=row: _integer(row, "表示順") or 0,
                    "is_sample": lambda row=row: _flag(row, SAMPLE),
                    "agreements": lambda row=row: self.targets(row),
                },
            )
            if values is None:
                continue
            agreements = values.pop("agreements")
            for agreement in agreements:
                key = (agreement.pk, values["role"], values["title"])
                if key in seen:
                    self.error(row, "取組名", ERROR_REPEATED % {"row": seen[key]})
                    continue
                seen[key] = row.number
                item = existing.get(key) or AgreementItem(agreement=agreement)
                changed = item.pk is None or any(getattr(item, f) != v for f, v in values.items())
                for name, value in values.items():
                    setattr(item, name, value)
                self.save(
                    row, lambda i, **kw: item_save(item=i, **kw), item, columns, changed=changed
                )

    # Procedures and their resolutions, agreement by agreement, in their order ---------------

    def procedures(self) -> None:
        by_agreement: dict[int, list[tuple[int, Row]]] = defaultdict(list)
        for row in self.rows.get(PROCEDURES, []):
            try:
                agreement, number = self.procedure_key(row)
            except CellProblem as problem:
                self.error(row, problem.column, problem.message)
                continue
            if agreement is not None:
                by_agreement[agreement.pk].append((number, row))
        resolutions: dict[tuple[int, int], list[Row]] = defaultdict(list)
        for row in self.rows.get(RESOLUTIONS, []):
            try:
                agreement, number = self.procedure_key(row)
            except CellProblem as problem:
                self.error(row, problem.column, problem.message)
                continue
            if agreement is not None:
                resolutions[(agreement.pk, number)].append(row)
        numbered = {(pk, n) for pk, rows in by_agreement.items() for n, _row in rows}
        for agreement in self.agreements.values():
            saved = list(agreement.procedures.order_by("id"))
            for (pk, number), rows in resolutions.items():
                if pk == agreement.pk and (pk, number) not in numbered and number > len(saved):
                    for row in rows:
                        self.error(row, NUMBER, ERROR_NO_PROCEDURE % {"number": number})
            rows = sorted(by_agreement.get(agreement.pk, []), key=lambda pair: pair[0])
            seen: dict[int, int] = {}
            for number, row in rows:
                if number in seen:
                    self.error(row, NUMBER, ERROR_REPEATED % {"row": seen[number]})
                    continue
                seen[number] = row.number
                if number > len(saved) + 1:
                    self.error(row, NUMBER, ERROR_PROCEDURE_NUMBER % {"number": len(saved) + 1})
                    break  # the later ones would only repeat this
                procedure = saved[number - 1] if number <= len(saved) else None
                procedure = self.procedure(
                    row, agreement, procedure, resolutions[(agreement.pk, number)]
                )
                if procedure is None:
                    break  # later procedures rest on this one
                if number > len(saved):
                    saved.append(procedure)
            # Resolutions on procedures the sheet leaves as they are.
            for number, procedure in enumerate(saved, start=1):
                if number not in seen and (agreement.pk, number) in resolutions:
                    self.resolutions(procedure, resolutions[(agreement.pk, number)])
        self.notify()

    def procedure_key(self, row: Row):
        """The agreement (None where its row in 協約 has errors) and the procedure number."""
        central, partner = self.agreement_key(row)
        number = _integer(row, NUMBER)
        if not number:
            raise CellProblem(NUMBER, str(ERROR_REQUIRED % {"column": NUMBER}))
        key = (central.pk, partner.pk)
        if key in self.failed_agreements:
            return None, number
        if key not in self.agreements:
            raise CellProblem(
                PARTNER, str(ERROR_NO_AGREEMENT % {"central": central, "partner": partner})
            )
        return self.agreements[key], number

    LATER_FIELDS = (
        "signed_on",
        "effective_on",
        "central_notice_on",
        "partner_notice_on",
        "governor_notified_on",
        "partner_notified_on",
        "dropped_on",
        "notice_given_on",
    )
    LATER_TEXT = ("central_notice_number", "partner_notice_number")

    def procedure(self, row: Row, agreement: Agreement, procedure, resolution_rows):
        columns = COLUMNS[PROCEDURES]
        values = self.cells(
            row,
            {
                "kind": lambda: _choice(row, "種別", KIND_NAMES),
                "summary": lambda: _required(row, "概要"),
                "proposed_text": lambda: _text(row, "提案内容"),
                "proposed_on": lambda: _date(row, "議会提出日"),
                "notice_by": lambda: self.municipality(row, "通告する当事者コード", required=False),
                "is_sample": lambda: _flag(row, SAMPLE),
                **{
                    name: (lambda name=name: _date(row, self.column_of(columns, name)))
                    for name in self.LATER_FIELDS
                },
                **{
                    name: (lambda name=name: _text(row, self.column_of(columns, name)))
                    for name in self.LATER_TEXT
                },
            },
        )
        if values is None:
            return None
        later = {name: values.pop(name) for name in (*self.LATER_FIELDS, *self.LATER_TEXT)}
        new = procedure is None
        if new:
            # Submitted first: the councils resolve on it before it takes effect.
            procedure = Procedure(agreement=agreement)
        before = {f: getattr(procedure, f) for f in (*values, *later)}
        for name, value in values.items():
            setattr(procedure, name, value)
        first_changed = any(before[f] != values[f] for f in values)
        if (new or first_changed) and not self.write(row, self._save_procedure, procedure, columns):
            return None
        if not self.resolutions(procedure, resolution_rows):
            return None
        for name, value in later.items():
            setattr(procedure, name, value)
        if later["notice_given_on"] and not later["effective_on"]:
            procedure.effective_on = None  # filled in from the agreement's clause
        later_changed = any(getattr(procedure, f) != before[f] for f in later)
        if later_changed and not self.write(row, self._save_procedure, procedure, columns):
            return None
        self.count(row, new=new, changed=first_changed or later_changed)
        if new:
            self.submitted.append(procedure)
        return procedure

    @staticmethod
    def column_of(columns: dict, name: str) -> str:
        return next(column for column, f in columns.items() if f == name)

    def _save_procedure(self, procedure, **kwargs):
        return procedure_save(procedure=procedure, notify=False, **kwargs)

    def resolutions(self, procedure: Procedure, rows: list[Row]) -> bool:
        columns = COLUMNS[RESOLUTIONS]
        existing = {(r.municipality_id, r.resolved_on): r for r in procedure.resolutions.all()}
        parsed, ok = [], True
        for row in rows:
            values = self.cells(
                row,
                {
                    "municipality": lambda row=row: self.municipality(row, "議会コード"),
                    "session": lambda row=row: _required(row, "会議名"),
                    "bill_number": lambda row=row: _required(row, "議案番号"),
                    "submitted_on": lambda row=row: _date(row, "議案提出日"),
                    "resolved_on": lambda row=row: _required_date(row, "議決日"),
                    "result": lambda row=row: _choice(row, "結果", RESULT_NAMES),
                    "approval": lambda row=row: (
                        _choice(row, "専決処分の承認", APPROVAL_NAMES, required=False) or ""
                    ),
                    "approval_on": lambda row=row: _date(row, "承認・不承認の日"),
                    "note": lambda row=row: _text(row, "備考"),
                    "is_sample": lambda row=row: _flag(row, SAMPLE),
                },
            )
            if values is None:
                ok = False
                continue
            parsed.append((row, values))
        seen: dict[tuple, int] = {}
        # In the order the councils resolved: a later resolution is checked against earlier.
        for row, values in sorted(
            parsed, key=lambda pair: (pair[1]["resolved_on"], pair[0].number)
        ):
            key = (values["municipality"].pk, values["resolved_on"])
            if key in seen:
                self.error(row, "", ERROR_REPEATED % {"row": seen[key]})
                ok = False
                continue
            seen[key] = row.number
            resolution = existing.get(key) or CouncilResolution(procedure=procedure)
            changed = resolution.pk is None or any(
                getattr(resolution, f) != v for f, v in values.items()
            )
            for name, value in values.items():
                setattr(resolution, name, value)
            # Checked against what is already saved: drop the prefetched list.
            procedure._prefetched_objects_cache = {}
            ok &= self.save(
                row,
                lambda r, **kw: resolution_save(resolution=r, **kw),
                resolution,
                columns,
                changed=changed,
            )
        procedure._prefetched_objects_cache = {}
        return ok

    def notify(self) -> None:
        """The partner's clerks hear of procedures this upload submitted and that still
        wait for their council (not of a history recorded in one go)."""
        for procedure in self.submitted:
            if procedure.effective_on or procedure.dropped_on:
                continue
            passed = procedure.resolutions.filter(
                municipality_id=procedure.agreement.partner_id, result__in=PASSING_RESULTS
            ).exists()
            if not passed:
                notifications.procedure_submitted(procedure)


def apply(
    area: CooperationArea,
    rows: dict[str, list[Row]],
    *,
    user: AbstractBaseUser | None,
    commit: bool,
) -> Report:
    """Write the rows; keep them only if `commit` and nothing was refused."""
    with transaction.atomic():
        report = _Import(area, rows, user).run()
        if not commit or report.errors:
            transaction.set_rollback(True)
    if report.errors:
        # The errors in the order of the file: sheet, then row.
        order = {sheet: index for index, sheet in enumerate(DATA_SHEETS)}
        report.errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row or 0))
    return report


# ---------------------------------------------------------------------------------------------
# Writing the workbook
# ---------------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
REFERENCE_FONT = Font(color="666666")
GUIDE_LINES = [
    "連携中枢都市圏 全体ワークブック",
    "",
    "このファイルは、圏域の宣言、構成市町村、連携協約、取組、手続、議決をまとめたものです。",
    "各シートの1行目は列名です。列名は変更しないでください。「（参考）」の列は読み込み時に無視されます。",
    "市町村は全国地方公共団体コード（6桁）で書きます。日付は 2016-03-29 のように書きます。",
    "「協約」シート：相手方ごとに1行。連携中枢都市コードが空欄のときは圏域の連携中枢都市です。",
    "「取組」シート：1行の取組を、「適用する協約」に書いた相手方コード（空白区切り）のすべての協約に適用します。"
    "「すべて」と書くと全協約に適用します。共同の連携中枢都市の協約は「連携中枢都市コード:相手方コード」と書きます。",
    "「手続」シート：協約ごとに手続番号 1, 2, 3… をつけます（1 は締結）。"
    "種別は 締結・変更・廃止・失効 のいずれか。",
    "「議決」シート：手続番号で手続を指定し、議会ごと・議決日ごとに1行。"
    "結果は 可決・否決・継続審査・撤回 のいずれか。",
    "「公開」「締結せず」「サンプル」の列は ○ で「はい」です。",
    "アップロードすると、保存する前にすべての誤りをシート・行・列ごとに確認できます。誤りが1つでもあれば何も保存されません。",
    "同じファイルをもう一度アップロードすると、同じ記録を更新します（削除はしません）。",
]


def _cell(value):
    if isinstance(value, bool):
        return YES if value else None
    if isinstance(value, str):
        return text_cell(value) if value else None
    return value


def _sheet(book: Workbook, title: str, columns: list[str], rows: list[list], choices=None):
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        width = max([len(column) * 2 + 2] + [min(len(str(r[index - 1] or "")), 40) for r in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 10), 50)
    for values in rows:
        sheet.append([_cell(v) for v in values])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.endswith("（参考）"):
            for row in range(2, len(rows) + 2):
                sheet[f"{letter}{row}"].font = REFERENCE_FONT
        if column.endswith("日"):
            for row in range(2, len(rows) + 2):
                sheet[f"{letter}{row}"].number_format = "yyyy-mm-dd"
        if column in ("本文", "提案内容", "基本的な方針", "連携中枢都市の役割", "相手方の役割"):
            for row in range(2, len(rows) + 2):
                sheet[f"{letter}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    for column, values in (choices or {}).items():
        letter = get_column_letter(columns.index(column) + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}2000")
    sheet.freeze_panes = "A2"
    return sheet


def export(area: CooperationArea) -> bytes:
    """The area's current state as the workbook `apply()` reads."""
    book = Workbook()
    guide = book.active
    guide.title = GUIDE
    for line in GUIDE_LINES:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 120

    area = CooperationArea.objects.select_related("central_city", "joint_central_city").get(
        pk=area.pk
    )
    area_rows = [
        ["圏域名（参考）", area.name],
        ["連携中枢都市（参考）", f"{area.central_city.name}（{area.central_city.code}）"],
        [
            "共同の連携中枢都市コード",
            area.joint_central_city.code if area.joint_central_city else "",
        ],
        ["宣言日", area.declared_on],
        ["宣言文", area.declaration_text],
        ["形成方針の議決日", area.formation_policy_on],
        ["形成方針", area.formation_policy_text],
        ["説明", area.description],
    ]
    _sheet(book, AREA, [KEY, VALUE], area_rows)

    members = AreaMembership.objects.filter(area=area).select_related("municipality")
    _sheet(
        book,
        MEMBERS,
        list(COLUMNS[MEMBERS]),
        [
            [m.municipality.code, m.municipality.name, m.joined_on, m.left_on, m.did_not_conclude]
            for m in members.order_by("municipality__code", "joined_on")
        ],
    )

    agreements = list(
        Agreement.objects.filter(area=area)
        .select_related("central_party", "partner")
        .prefetch_related("items", "procedures__resolutions__municipality", "procedures__notice_by")
        .order_by("partner__code", "central_party__code")
    )

    def central_code(agreement: Agreement) -> str:
        return (
            ""
            if agreement.central_party_id == area.central_city_id
            else agreement.central_party.code
        )

    _sheet(
        book,
        AGREEMENTS,
        list(COLUMNS[AGREEMENTS]),
        [
            [
                central_code(a),
                a.partner.code,
                a.partner.name,
                a.title,
                a.basic_policy,
                a.text,
                a.term_start,
                a.term_end,
                a.lapse_notice_months,
                a.is_public,
                a.is_sample,
            ]
            for a in agreements
        ],
    )

    # An item the same in several agreements is written once, with the agreements it is in.
    shared: dict[tuple, list[str]] = {}
    for agreement in agreements:
        target = (
            f"{agreement.central_party.code}:{agreement.partner.code}"
            if central_code(agreement)
            else agreement.partner.code
        )
        for item in agreement.items.all():
            key = (
                item.role,
                item.field,
                item.title,
                item.central_city_part,
                item.partner_part,
                item.order,
                item.is_sample,
            )
            shared.setdefault(key, []).append(target)
    all_targets = len(agreements)
    role_order = list(ROLE_LETTERS)
    item_rows = []
    for number, (key, targets) in enumerate(
        sorted(
            shared.items(), key=lambda pair: (role_order.index(pair[0][0]), pair[0][5], pair[0][2])
        ),
        start=1,
    ):
        role, field_name, title, central_part, partner_part, order, sample = key
        applies = ALL if len(targets) == all_targets and all_targets > 1 else " ".join(targets)
        item_rows.append(
            [
                number,
                ROLE_LETTERS[role],
                field_name,
                title,
                central_part,
                partner_part,
                order,
                applies,
                sample,
            ]
        )
    _sheet(
        book,
        ITEMS,
        list(COLUMNS[ITEMS]),
        item_rows,
        choices={"役割": list(ROLE_LETTERS.values())},
    )

    procedure_rows, resolution_rows = [], []
    for agreement in agreements:
        for number, p in enumerate(sorted(agreement.procedures.all(), key=lambda p: p.pk), start=1):
            parties = [
                central_code(agreement),
                agreement.partner.code,
                agreement.partner.name,
                number,
            ]
            procedure_rows.append(
                [
                    *parties,
                    KIND_NAMES[p.kind],
                    p.summary,
                    p.proposed_text,
                    p.proposed_on,
                    p.signed_on,
                    p.effective_on,
                    p.central_notice_on,
                    p.central_notice_number,
                    p.governor_notified_on,
                    p.partner_notice_on,
                    p.partner_notice_number,
                    p.partner_notified_on,
                    p.dropped_on,
                    p.notice_by.code if p.notice_by_id else "",
                    p.notice_given_on,
                    p.is_sample,
                ]
            )
            for r in sorted(p.resolutions.all(), key=lambda r: (r.resolved_on, r.pk)):
                resolution_rows.append(
                    [
                        *parties,
                        r.municipality.code,
                        r.municipality.name,
                        r.session,
                        r.bill_number,
                        r.submitted_on,
                        r.resolved_on,
                        RESULT_NAMES[r.result],
                        APPROVAL_NAMES.get(r.approval, ""),
                        r.approval_on,
                        r.note,
                        r.is_sample,
                    ]
                )
    _sheet(
        book,
        PROCEDURES,
        list(COLUMNS[PROCEDURES]),
        procedure_rows,
        choices={"種別": list(KIND_NAMES.values())},
    )
    _sheet(
        book,
        RESOLUTIONS,
        list(COLUMNS[RESOLUTIONS]),
        resolution_rows,
        choices={
            "結果": list(RESULT_NAMES.values()),
            "専決処分の承認": list(APPROVAL_NAMES.values()),
        },
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
