"""The whole-area workbook, used as planning staff use it: download from the area's admin
page, fill in, upload, read the preview, confirm (agreements.workbook, workbook_admin)."""

import datetime
import io
import os
import time

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from agreements import workbook
from agreements.models import (
    ERROR_EFFECT_NEEDS_BOTH_PASSED,
    Agreement,
    AgreementItem,
    CouncilResolution,
    Procedure,
)
from agreements.status import AgreementStatus, Approval, Result
from municipalities.models import AreaMembership, CooperationArea, MunicipalityKind, StaffRole
from municipalities.roles import create_account
from public import demo
from tests import factories

pytestmark = pytest.mark.django_db

RECORDS = (AreaMembership, Agreement, AgreementItem, Procedure, CouncilResolution)


def _counts():
    return {model.__name__: (model.objects.count(), model.history.count()) for model in RECORDS}


def _page(area):
    return f"/admin/agreements/agreement/area/{area.pk}/workbook/"


def _download(client, area) -> bytes:
    response = client.get(f"/admin/agreements/agreement/area/{area.pk}/workbook.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def _upload(client, area, data: bytes):
    return client.post(_page(area), {"file": SimpleUploadedFile("area.xlsx", data)})


def _confirm(client, area, preview):
    assert preview.context["report"].ok, preview.context["report"].errors
    return client.post(_page(area), {"confirm": "1", "token": preview.context["token"]})


def _sheets(data: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def _filled(template: bytes, rows: dict[str, list[list]]) -> bytes:
    """The template with rows typed in below each sheet's header, as a person fills it."""
    book = load_workbook(io.BytesIO(template))
    for title, lines in rows.items():
        sheet = book[title]
        header = [cell.value for cell in sheet[1]]
        for line in lines:
            sheet.append([line.get(column) for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def planning(client):
    """An empty area (its central city only, as the operator creates it) and its planning
    staff, signed in."""
    area = factories.CooperationAreaFactory(slug="kochi", name="テスト圏")
    user, _password = create_account(
        kind=StaffRole.Kind.PLANNING_STAFF,
        municipality=area.central_city,
        username="planner",
        email="planner@example.jp",
    )
    client.force_login(user)
    return area, user


def test_the_area_page_leads_to_the_workbook(admin_client, area):
    page = admin_client.get(f"/admin/municipalities/cooperationarea/{area.pk}/change/")
    assert _page(area) in page.content.decode()
    assert admin_client.get(_page(area)).status_code == 200


def test_a_16_member_area_with_15_agreements_is_entered_by_one_upload_and_its_confirmation(
    client, planning, django_capture_on_commit_callbacks
):
    area, user = planning
    partners = [factories.MunicipalityFactory(name=f"町{n:02}") for n in range(15)]
    factories.clerk(partners[0], email="clerk@example.jp")
    template = _download(client, area)
    assert [row for row in _sheets(template)[workbook.AGREEMENTS][1:]] == []

    concluded = datetime.date(2016, 3, 29)
    rows = {
        workbook.AREA: [],
        workbook.MEMBERS: [{"市町村コード": m.code, "参加日": concluded} for m in partners],
        workbook.AGREEMENTS: [
            {
                "相手方コード": m.code,
                "標題": f"{area.central_city.name}及び{m.name}における連携協約",
                "基本的な方針": "互いの強みを活かし、弱みを補い合う。",
                "公開": "○",
            }
            for m in partners
        ],
        workbook.ITEMS: [
            {
                "取組番号": n + 1,
                "役割": letter,
                "分野": field,
                "取組名": title,
                "連携中枢都市の役割": "事業を実施する。",
                "相手方の役割": "情報を提供する。",
                "適用する協約": "すべて",
            }
            for n, (letter, field, title) in enumerate(
                [
                    ("ア", "観光", "広域観光の推進"),
                    ("イ", "医療", "高度医療の提供"),
                    ("ウ", "雇用", "就労支援"),
                ]
            )
        ],
        workbook.PROCEDURES: [
            {
                "相手方コード": m.code,
                "手続番号": 1,
                "種別": "締結",
                "概要": "連携協約の締結",
                "議会提出日": "2016-02-24",
                "効力発生日": concluded,
                "連携中枢都市の告示日": concluded,
                "連携中枢都市の告示番号": f"告示第{n + 40}号",
                "連携中枢都市の届出日": "2016-04-05",
                "相手方の告示日": concluded,
                "相手方の告示番号": "告示第3号",
                "相手方の届出日": "2016-04-06",
            }
            for n, m in enumerate(partners)
        ],
        workbook.RESOLUTIONS: [
            {
                "相手方コード": m.code,
                "手続番号": 1,
                "議会コード": council.code,
                "会議名": "平成28年3月定例会",
                "議案番号": f"議案第{n + 10}号",
                "議決日": "2016-03-18",
                "結果": "可決",
            }
            for n, m in enumerate(partners)
            for council in (area.central_city, m)
        ],
    }
    # One partner's head decided in its council's place; the council approved it later.
    disposal = rows[workbook.RESOLUTIONS][1]
    disposal |= {
        "議案番号": "専決第1号",
        "議案提出日": None,
        "結果": "専決処分",
        "専決処分の承認": "承認",
        "承認・不承認の日": "2016-06-20",
    }
    preview = _upload(client, area, _filled(template, rows))

    report = preview.context["report"]
    assert report.ok, report.errors
    assert report.sheets() == [
        (workbook.AREA, 0, 0, 1),
        (workbook.MEMBERS, 15, 0, 0),
        (workbook.AGREEMENTS, 15, 0, 0),
        (workbook.ITEMS, 45, 0, 0),
        (workbook.PROCEDURES, 15, 0, 0),
        (workbook.RESOLUTIONS, 30, 0, 0),
    ]
    assert Agreement.objects.count() == 0  # the preview saved nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = _confirm(client, area, preview)

    assert response.status_code == 302
    assert Agreement.objects.filter(area=area, stored_status=AgreementStatus.IN_FORCE).count() == 15
    assert AgreementItem.objects.filter(agreement__area=area).count() == 45
    assert CouncilResolution.objects.filter(procedure__agreement__area=area).count() == 30
    approved = CouncilResolution.objects.get(bill_number="専決第1号")
    assert (approved.result, approved.approval, approved.approval_on) == (
        Result.SPECIAL_DISPOSAL,
        Approval.APPROVED,
        datetime.date(2016, 6, 20),
    )
    first = Procedure.objects.get(agreement__partner=partners[0])
    assert (first.central_notice_number, first.partner_notified_on) == (
        "告示第40号",
        datetime.date(2016, 4, 6),
    )
    assert {r.history_user for r in CouncilResolution.history.all()} == {user}
    assert mail.outbox == []  # a history recorded in one go: no council waits for anything
    public = client.get(area.get_absolute_url())
    assert public.context["progress"].in_force == 15
    assert public.context["partner_count"] == 15


def test_the_demo_round_trips_through_an_empty_area(admin_client, staff_user):
    nagano = demo.load()
    empty = CooperationArea.objects.create(
        name="空の圏域", slug="empty", central_city=nagano.central_city
    )
    exported = _download(admin_client, nagano)

    preview = _upload(admin_client, empty, exported)
    assert _confirm(admin_client, empty, preview).status_code == 302

    again = _sheets(_download(admin_client, empty))
    original = _sheets(exported)
    assert again[workbook.AREA][2:] == original[workbook.AREA][2:]  # all but the area's name
    for sheet in (workbook.MEMBERS, workbook.AGREEMENTS, workbook.ITEMS, workbook.PROCEDURES):
        assert again[sheet] == original[sheet], sheet
    assert again[workbook.RESOLUTIONS] == original[workbook.RESOLUTIONS]
    # Uploading the same file again changes nothing and writes no history.
    before = _counts()
    report = _upload(admin_client, empty, exported).context["report"]
    assert report.ok and not any(created or updated for _s, created, updated, _u in report.sheets())
    assert _counts() == before


def test_uploading_again_updates_in_place(client, planning):
    area, _user = planning
    agreement = factories.AgreementFactory(area=area, title="旧題")
    sheets = _sheets(_download(client, area))
    header = sheets[workbook.AGREEMENTS][0]
    row = dict(zip(header, sheets[workbook.AGREEMENTS][1], strict=True))
    row["標題"] = "新題"
    book = load_workbook(io.BytesIO(_download(client, area)))
    book[workbook.AGREEMENTS].delete_rows(2)
    book[workbook.AGREEMENTS].append([row[column] for column in header])
    out = io.BytesIO()
    book.save(out)

    preview = _upload(client, area, out.getvalue())
    assert (workbook.AGREEMENTS, 0, 1, 0) in preview.context["report"].sheets()
    _confirm(client, area, preview)

    agreement.refresh_from_db()
    assert agreement.title == "新題"
    assert Agreement.objects.filter(area=area).count() == 1
    assert agreement.history.first().history_change_reason == workbook.REASON


def test_every_error_is_listed_by_sheet_row_and_column_and_nothing_is_saved(client, planning):
    area, _user = planning
    member = factories.MunicipalityFactory()
    outsider = factories.MunicipalityFactory(kind=MunicipalityKind.WARD)  # no party
    rows = {
        workbook.MEMBERS: [
            {"市町村コード": member.code, "参加日": "2016-03-29"},
            {"市町村コード": "999999", "参加日": "2016-03-29"},
            {"市町村コード": member.code, "参加日": "2016年3月"},
        ],
        workbook.AGREEMENTS: [
            {"相手方コード": member.code, "標題": ""},
            {"相手方コード": outsider.code, "標題": "協約"},
        ],
        workbook.ITEMS: [
            {"役割": "エ", "取組名": "取組", "適用する協約": member.code},
        ],
    }
    before = _counts()
    preview = _upload(client, area, _filled(_download(client, area), rows))

    errors = [(e.sheet, e.row, e.column) for e in preview.context["report"].errors]
    assert (workbook.MEMBERS, 3, "市町村コード") in errors
    assert (workbook.MEMBERS, 4, "参加日") in errors
    assert (workbook.AGREEMENTS, 2, "標題") in errors
    assert (workbook.AGREEMENTS, 3, "相手方コード") in errors
    assert (workbook.ITEMS, 2, "役割") in errors
    assert preview.context["token"] is None
    page = preview.content.decode()
    assert "999999" in page and "2016年3月" in page
    assert _counts() == before


def test_a_bill_discarded_at_the_end_of_a_session_is_read_from_the_workbook(client, planning):
    area, _user = planning
    partner = factories.AreaMembershipFactory(area=area).municipality
    factories.ProcedureFactory(agreement=factories.AgreementFactory(area=area, partner=partner))
    rows = {
        workbook.RESOLUTIONS: [
            {
                "相手方コード": partner.code,
                "手続番号": 1,
                "議会コード": partner.code,
                "会議名": "平成28年3月定例会",
                "議案番号": "議案第5号",
                "議決日": "2016-03-25",
                "結果": "審議未了・廃案",
            }
        ]
    }
    preview = _upload(client, area, _filled(_download(client, area), rows))
    _confirm(client, area, preview)
    (resolution,) = CouncilResolution.objects.all()
    assert resolution.result == Result.DISCARDED


def test_a_rule_of_the_procedure_is_refused_with_its_own_message(client, planning):
    area, _user = planning
    partner = factories.AreaMembershipFactory(area=area).municipality
    factories.AgreementFactory(area=area, partner=partner)
    rows = {
        workbook.PROCEDURES: [
            {
                "相手方コード": partner.code,
                "手続番号": 1,
                "種別": "締結",
                "概要": "締結",
                "議会提出日": "2016-02-24",
                "効力発生日": "2016-03-29",
            }
        ],
    }
    preview = _upload(client, area, _filled(_download(client, area), rows))
    (error,) = preview.context["report"].errors
    assert (error.sheet, error.row, error.column) == (workbook.PROCEDURES, 2, "効力発生日")
    with translation.override("ja"):
        missing = "、".join([area.central_city.name, partner.name])
        assert error.message == str(ERROR_EFFECT_NEEDS_BOTH_PASSED % {"missing": missing})
    assert Procedure.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a workbook", workbook.ERROR_FILE),
        ("missing_sheet", workbook.ERROR_NO_SHEET % {"sheet": workbook.RESOLUTIONS}),
        ("missing_column", workbook.ERROR_NO_COLUMN % {"column": "議決日"}),
    ],
)
def test_a_file_of_another_shape_is_refused_with_what_is_wrong(client, planning, content, expected):
    area, _user = planning
    data = content
    if content in ("missing_sheet", "missing_column"):
        book = load_workbook(io.BytesIO(_download(client, area)))
        if content == "missing_sheet":
            del book[workbook.RESOLUTIONS]
        else:
            sheet = book[workbook.RESOLUTIONS]
            for cell in sheet[1]:
                if cell.value == "議決日":
                    cell.value = "日付"
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    response = _upload(client, area, data)
    assert str(expected) in response.content.decode()


def test_a_procedure_left_before_the_partners_council_tells_its_clerks(
    client, planning, django_capture_on_commit_callbacks
):
    area, _user = planning
    waiting, resolved = (factories.AreaMembershipFactory(area=area).municipality for _ in "ab")
    for town, address in ((waiting, "waiting@example.jp"), (resolved, "resolved@example.jp")):
        factories.clerk(town, email=address)
        factories.AgreementFactory(area=area, partner=town)
    rows = {
        workbook.PROCEDURES: [
            {
                "相手方コード": town.code,
                "手続番号": 1,
                "種別": "締結",
                "概要": "連携協約の締結",
                "議会提出日": "2026-11-20",
            }
            for town in (waiting, resolved)
        ],
        # The partner's council has passed it already: nothing waits for its clerks.
        workbook.RESOLUTIONS: [
            {
                "相手方コード": resolved.code,
                "手続番号": 1,
                "議会コード": resolved.code,
                "会議名": "令和8年11月臨時会",
                "議案番号": "議案第1号",
                "議決日": "2026-11-25",
                "結果": "可決",
            }
        ],
    }
    with django_capture_on_commit_callbacks(execute=True):
        preview = _upload(client, area, _filled(_download(client, area), rows))
    assert mail.outbox == []  # not on the preview
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(client, area, preview)
    assert [m.to for m in mail.outbox] == [["waiting@example.jp"]]


def test_only_the_areas_planning_staff_reach_its_workbook(client, planning):
    area, _user = planning
    other = factories.CooperationAreaFactory()
    assert client.get(_page(other)).status_code == 403
    assert (
        client.get(f"/admin/agreements/agreement/area/{other.pk}/workbook.xlsx").status_code == 403
    )
    client.logout()
    assert client.get(_page(area)).status_code == 302


def test_a_stale_confirmation_is_refused_and_saves_nothing(client, planning):
    area, _user = planning
    response = client.post(_page(area), {"confirm": "1", "token": "nothing.xlsx"}, follow=True)
    assert gettext("The upload to confirm has expired; upload the file again.") in (
        response.content.decode()
    )
    assert Agreement.objects.count() == 0


def test_text_that_starts_like_a_formula_stays_text_both_ways(client, planning):
    area, _user = planning
    agreement = factories.AgreementFactory(area=area, basic_policy='=HYPERLINK("x")')
    exported = _download(client, area)
    header, line = _sheets(exported)[workbook.AGREEMENTS][:2]
    assert dict(zip(header, line, strict=True))["基本的な方針"] == '\'=HYPERLINK("x")'
    report = _upload(client, area, exported).context["report"]
    assert report.ok and (workbook.AGREEMENTS, 0, 0, 1) in report.sheets()
    agreement.refresh_from_db()
    assert agreement.basic_policy == '=HYPERLINK("x")'


def test_a_confirmation_that_now_breaks_a_rule_saves_nothing(client, planning):
    area, _user = planning
    town, other = factories.MunicipalityFactory(), factories.MunicipalityFactory()
    rows = {
        workbook.MEMBERS: [
            {"市町村コード": town.code, "参加日": "2016-03-29"},
            {"市町村コード": other.code, "参加日": "2016-03-29"},
        ],
    }
    preview = _upload(client, area, _filled(_download(client, area), rows))
    # Meanwhile someone records the other town's membership from an earlier date.
    factories.AreaMembershipFactory(
        area=area, municipality=other, joined_on=datetime.date(2015, 4, 1)
    )
    before = _counts()

    response = _confirm(client, area, preview)

    assert response.status_code == 200
    errors = response.context["report"].errors
    assert {(error.sheet, error.row) for error in errors} == {(workbook.MEMBERS, 3)}
    assert _counts() == before
    assert not AreaMembership.objects.filter(municipality=town).exists()


def test_a_check_nobody_confirmed_is_cleared_by_a_later_upload(client, planning, settings):
    area, _user = planning
    old = default_storage.save("workbook-uploads/abandoned.xlsx", ContentFile(b"x"))
    recent = default_storage.save("workbook-uploads/recent.xlsx", ContentFile(b"x"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    preview = _upload(client, area, _download(client, area))

    assert preview.context["token"]
    assert not default_storage.exists(old)
    assert default_storage.exists(recent)  # someone may still confirm it
