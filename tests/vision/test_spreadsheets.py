"""Spreadsheet round trip in the admin (vision.spreadsheets), through HTTP.

Export posts the export form (format and resource; the columns are fixed); import uploads a
file to the import page (the dry run), then posts the hidden confirm form to process_import,
as the admin pages do. Formats are [XLSX, CSV]: the format index 0 is Excel, 1 is CSV.
"""

import csv
import io
import re
import tempfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Role
from municipalities.models import StaffRole
from municipalities.roles import create_account
from municipalities.validators import ERROR_LINE_BREAK
from tests import factories
from vision.models import (
    ERROR_ACTUAL_YEAR,
    ERROR_FIELD_ROLE,
    ERROR_VALUE_PERCENTAGE,
    IndicatorActual,
    Project,
    ProjectField,
)
from vision.spreadsheets import (
    ERROR_FIELD,
    ERROR_MUNICIPALITY,
    ERROR_NO_INDICATOR,
    ERROR_NO_PROJECT,
    ERROR_NO_VISION,
    ERROR_NOT_A_NUMBER,
    ERROR_ROLE,
    ERROR_YEAR,
    REASON,
)

pytestmark = pytest.mark.django_db

XLSX, CSV = "0", "1"

INDICATOR_COLUMNS = ["ビジョンID", "事業番号", "指標番号", "指標名", "単位", "年度", "実績値"]
PROJECT_COLUMNS = [
    "ビジョンID",
    "事業番号",
    "役割",
    "分野",
    "事業名",
    "事業概要",
    "中心となる市町村コード",
    "中心となる市町村名",
    "表示順",
]


@pytest.fixture(autouse=True)
def _upload_waits_in_a_temporary_folder(monkeypatch, tmp_path):
    """Between the dry run and the confirmation the file waits in the system's temporary
    folder; here that is a folder of the test."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


@pytest.fixture
def indicator(area):
    """Indicator 1 of project ア-01: baseline 2014, target 2020, values for 2016 and 2017."""
    project = factories.ProjectFactory(vision__area=area, code="ア-01")
    indicator = factories.IndicatorFactory(
        project=project, code="1", name="観光入込客数", unit="万人"
    )
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2016, value=Decimal("150.5"))
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2017, value=Decimal("160"))
    return indicator


@pytest.fixture
def planner(client, area):
    """A client signed in as planning staff of the area's central city."""
    user, _ = create_account(
        kind=StaffRole.Kind.PLANNING_STAFF, municipality=area.central_city, username="planner"
    )
    client.force_login(user)
    return client


# --- the admin pages -------------------------------------------------------------------


def _url(model: str, view: str) -> str:
    return reverse(f"admin:vision_{model}_{view}")


def export(client, model: str, file_format: str):
    response = client.post(_url(model, "export"), {"format": file_format, "resource": "0"})
    assert response.status_code == 200, response.content[:2000]
    assert "attachment" in response["Content-Disposition"]
    return response


def dry_run(client, model: str, content: bytes, file_format: str):
    name = "upload.xlsx" if file_format == XLSX else "upload.csv"
    response = client.post(
        _url(model, "import"),
        {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert not response.context["form"].errors
    return response


def confirm(client, model: str, dry_run_response, *, back_to: str = "changelist"):
    """Post the confirmation; it leads to the list, or back to the import page when a row
    failed after the dry run."""
    form = dry_run_response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(_url(model, "process_import"), data)
    assert response.status_code == 302
    assert response.url == _url(model, back_to)
    return response


def import_file(client, model: str, content: bytes, file_format: str):
    """Dry run (which must be clean), then the confirmation; returns the dry run's result."""
    response = dry_run(client, model, content, file_format)
    assert row_errors(response) == {}
    confirm(client, model, response)
    return response.context["result"]


def row_errors(response) -> dict[int, list[str]]:
    """Each invalid row's number with all its messages."""
    return {
        row.number: [message for messages in row.error_dict.values() for message in messages]
        for row in response.context["result"].invalid_rows
    }


def error_columns(response) -> dict[int, list[str]]:
    """Each invalid row's number with the columns (or __all__) its errors are filed under."""
    return {row.number: list(row.error_dict) for row in response.context["result"].invalid_rows}


def written_in_japanese(message: str) -> bool:
    return re.search("[\u3040-\u309f]", message) is not None  # has hiragana


def shows_row(html: str, number: int) -> bool:
    """Whether the error table shows data row `number` (line number + 1 in the file, whose
    first line is the header)."""
    return re.search(rf"<t[hd][^>]*>\s*{number + 1}\s*</t[hd]>", html) is not None


# --- files -----------------------------------------------------------------------------


def xlsx_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def csv_file(*rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def workbook_with(content: bytes, changes: dict[int, object], column: int = 7) -> bytes:
    """The exported workbook with the given cells of a column (by year row, 2 = first) set."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    for row, value in changes.items():
        book.active.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def number(cell) -> Decimal | None:
    return None if cell in (None, "") else Decimal(str(cell))


def actual_row(indicator, year, value):
    project = indicator.project
    return [project.vision_id, project.code, indicator.code, "", "", year, value]


def values(indicator) -> dict[int, Decimal]:
    return dict(indicator.actuals.values_list("fiscal_year", "value"))


# --- indicator actuals -----------------------------------------------------------------


def test_indicator_export_xlsx_has_a_row_per_year_with_values_filled_in(admin_client, indicator):
    response = export(admin_client, "indicator", XLSX)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, *rows = xlsx_rows(response.content)
    assert list(header) == INDICATOR_COLUMNS
    vision_id = indicator.project.vision_id
    assert {tuple(str(cell) for cell in row[:5]) for row in rows} == {
        (str(vision_id), "ア-01", "1", "観光入込客数", "万人")
    }
    assert [(int(row[5]), number(row[6])) for row in rows] == [
        (2015, None),
        (2016, Decimal("150.5")),
        (2017, Decimal("160")),
        (2018, None),
        (2019, None),
        (2020, None),
    ]


def test_indicator_export_keeps_a_year_recorded_after_the_target(admin_client, indicator):
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2022, value=Decimal("210"))

    _, *rows = xlsx_rows(export(admin_client, "indicator", XLSX).content)

    assert [int(row[5]) for row in rows] == [2015, 2016, 2017, 2018, 2019, 2020, 2022]
    assert number(rows[-1][6]) == Decimal("210")


def test_filled_in_year_is_previewed_then_saved_on_confirmation(
    admin_client, indicator, staff_user
):
    exported = export(admin_client, "indicator", XLSX).content
    upload = workbook_with(exported, {2: 120.5})  # row 2 is 2015

    response = dry_run(admin_client, "indicator", upload, XLSX)

    assert row_errors(response) == {}
    assert "confirm_form" in response.context
    result = response.context["result"]
    assert result.totals["new"] == 1
    assert result.totals["update"] == 0
    assert not IndicatorActual.objects.filter(fiscal_year=2015).exists()
    assert IndicatorActual.objects.count() == 2
    assert IndicatorActual.history.count() == 2

    confirm(admin_client, "indicator", response)

    actual = IndicatorActual.objects.get(indicator=indicator, fiscal_year=2015)
    assert actual.value == Decimal("120.5")
    record = actual.history.get()
    assert record.history_user == staff_user
    assert record.history_change_reason == REASON
    assert values(indicator) == {
        2015: Decimal("120.5"),
        2016: Decimal("150.5"),
        2017: Decimal("160"),
    }


def test_importing_the_same_file_again_adds_nothing(admin_client, indicator):
    upload = workbook_with(export(admin_client, "indicator", XLSX).content, {2: 120})
    import_file(admin_client, "indicator", upload, XLSX)
    count, history = IndicatorActual.objects.count(), IndicatorActual.history.count()

    result = import_file(admin_client, "indicator", upload, XLSX)

    assert result.totals["new"] == result.totals["update"] == 0
    assert IndicatorActual.objects.count() == count == 3
    assert IndicatorActual.history.count() == history


def test_changed_value_updates_the_same_record(admin_client, indicator, staff_user):
    before = IndicatorActual.objects.get(indicator=indicator, fiscal_year=2016)
    upload = workbook_with(export(admin_client, "indicator", XLSX).content, {3: 155})  # 2016

    result = import_file(admin_client, "indicator", upload, XLSX)

    assert result.totals["update"] == 1
    assert result.totals["new"] == 0
    after = IndicatorActual.objects.get(indicator=indicator, fiscal_year=2016)
    assert after.pk == before.pk
    assert after.value == Decimal("155")
    assert IndicatorActual.objects.count() == 2
    assert after.history.count() == 2
    assert after.history.first().history_user == staff_user


def test_dry_run_lists_each_bad_row_and_saves_nothing(admin_client, indicator):
    upload = csv_file(
        INDICATOR_COLUMNS,
        actual_row(indicator, "2015", "120"),  # good
        actual_row(indicator, "2018", "abc"),
        [indicator.project.vision_id, "イ-99", "1", "", "", "2018", "1"],
        [indicator.project.vision_id, "ア-01", "99", "", "", "2018", "1"],
        actual_row(indicator, "令和元年", "1"),
    )

    response = dry_run(admin_client, "indicator", upload, CSV)

    errors = row_errors(response)
    assert errors == {
        2: [str(ERROR_NOT_A_NUMBER) % {"column": "実績値", "value": "abc"}],
        3: [str(ERROR_NO_PROJECT) % {"value": "イ-99"}],
        4: [str(ERROR_NO_INDICATOR) % {"value": "99"}],
        5: [str(ERROR_YEAR) % {"column": "年度", "value": "令和元年"}],
    }
    assert "実績値" in errors[2][0] and "年度" in errors[5][0]
    assert all(written_in_japanese(messages[0]) for messages in errors.values())
    html = response.content.decode()
    for row, messages in errors.items():
        assert shows_row(html, row)
        assert messages[0] in html
    assert "confirm_form" not in response.context
    assert 'name="import_file_name"' not in html
    assert values(indicator) == {2016: Decimal("150.5"), 2017: Decimal("160")}
    assert IndicatorActual.history.count() == 2


def confirm_after_a_row_went_bad(client, indicator):
    """Dry run a clean file for two indicators; someone renumbers the second before the
    confirmation. Returns the second indicator and the page after the confirmation."""
    second = factories.IndicatorFactory(project=indicator.project, code="2")
    upload = csv_file(
        INDICATOR_COLUMNS,
        actual_row(indicator, "2018", "130"),
        actual_row(second, "2018", "40"),
    )
    response = dry_run(client, "indicator", upload, CSV)
    assert row_errors(response) == {}
    second.code = "2b"
    second.save()
    confirmed = confirm(client, "indicator", response, back_to="import")
    return second, client.get(confirmed.url)


def test_confirmation_saves_nothing_when_a_row_fails_after_the_dry_run(admin_client, indicator):
    second, _ = confirm_after_a_row_went_bad(admin_client, indicator)

    assert values(indicator) == {2016: Decimal("150.5"), 2017: Decimal("160")}
    assert not second.actuals.exists()
    assert IndicatorActual.history.count() == 2


def test_confirmation_that_saved_nothing_says_so_and_names_the_row(admin_client, indicator):
    _, page = confirm_after_a_row_went_bad(admin_client, indicator)

    messages = [str(message) for message in page.context["messages"]]
    assert len(messages) == 1
    assert "何も取り込んでいません" in messages[0] and "3" in messages[0], messages


def test_value_beyond_the_field_is_reported_not_crashing(admin_client, indicator):
    upload = csv_file(
        INDICATOR_COLUMNS,
        actual_row(indicator, "2018", "1.23456"),  # more than four decimal places
        actual_row(indicator, "2019", "NaN"),
        actual_row(indicator, "99999", "1"),
    )

    response = dry_run(admin_client, "indicator", upload, CSV)

    assert error_columns(response) == {1: ["実績値"], 2: ["実績値"], 3: ["年度"]}
    assert "confirm_form" not in response.context
    assert IndicatorActual.objects.count() == 2


def test_year_with_a_fraction_is_refused(admin_client, indicator):
    upload = csv_file(INDICATOR_COLUMNS, actual_row(indicator, "2018.5", "130"))

    response = dry_run(admin_client, "indicator", upload, CSV)

    assert row_errors(response) == {1: [str(ERROR_YEAR) % {"column": "年度", "value": "2018.5"}]}


def test_blank_values_are_skipped_and_never_delete(admin_client, indicator):
    upload = csv_file(
        INDICATOR_COLUMNS,
        actual_row(indicator, "2016", ""),
        actual_row(indicator, "2017", "  "),
        actual_row(indicator, "2018", "130"),
    )

    result = import_file(admin_client, "indicator", upload, CSV)

    assert result.totals["skip"] == 2
    assert result.totals["new"] == 1
    assert values(indicator) == {
        2016: Decimal("150.5"),
        2017: Decimal("160"),
        2018: Decimal("130"),
    }
    assert IndicatorActual.history.count() == 3  # the two fixtures and 2018


def test_blank_values_of_the_exported_workbook_are_skipped(admin_client, indicator):
    upload = export(admin_client, "indicator", XLSX).content

    result = import_file(admin_client, "indicator", upload, XLSX)

    assert result.totals["skip"] == 6
    assert values(indicator) == {2016: Decimal("150.5"), 2017: Decimal("160")}
    assert IndicatorActual.history.count() == 2


def test_csv_export_writes_whole_numbers_plainly(admin_client, indicator):
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2018, value=Decimal("150"))

    _, *rows = csv_rows(export(admin_client, "indicator", CSV).content)

    assert [row[6] for row in rows] == ["", "150.5", "160", "150", "", ""]


def test_empty_line_of_a_workbook_is_ignored(admin_client, indicator):
    exported = export(admin_client, "indicator", XLSX).content
    filled_in = workbook_with(exported, {2: 120})  # 2015
    upload = workbook_with(filled_in, {9: ""}, column=1)  # line 9: after the last year

    response = dry_run(admin_client, "indicator", upload, XLSX)

    assert row_errors(response) == {}


# --- projects ----------------------------------------------------------------------------


@pytest.fixture
def project(area):
    return factories.ProjectFactory(
        vision__area=area,
        code="ア-01",
        role=Role.ECONOMY,
        field=ProjectField.TOURISM,
        title="広域観光の推進",
        description="周遊ルートを整える。",
        order=1,
    )


def project_row(vision, code, role, field, title, lead_code, order="", description=""):
    return [vision.pk, code, role, field, title, description, lead_code, "", order]


def test_project_export_csv_has_the_fixed_columns(admin_client, project):
    partner = factories.AreaMembershipFactory(area=project.vision.area).municipality
    factories.ProjectFactory(
        vision=project.vision,
        code="ウ-01",
        role=Role.LIVING_SERVICES,
        field=ProjectField.MEDICINE,
        title="休日夜間診療",
        lead=partner,
        order=2,
    )

    response = export(admin_client, "project", CSV)

    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response.content)
    assert header == PROJECT_COLUMNS
    central = project.vision.area.central_city
    vision_id = str(project.vision_id)
    assert rows == [
        [vision_id, "ア-01", "ア", "戦略的な観光施策", "広域観光の推進", "周遊ルートを整える。"]
        + [central.code, central.name, "1"],
        [vision_id, "ウ-01", "ウ", "地域医療", "休日夜間診療", ""]
        + [partner.code, partner.name, "2"],
    ]


def test_project_import_creates_then_updates_in_place(admin_client, project, staff_user):
    vision, central = project.vision, project.vision.area.central_city
    row = project_row(vision, "ウ-05", "ウ", "地域医療", "休日夜間診療", central.code, "3", "概要")

    response = dry_run(admin_client, "project", csv_file(PROJECT_COLUMNS, row), CSV)

    assert row_errors(response) == {}
    assert response.context["result"].totals["new"] == 1
    assert not Project.objects.filter(code="ウ-05").exists()

    confirm(admin_client, "project", response)

    created = Project.objects.get(vision=vision, code="ウ-05")
    assert (created.role, created.field, created.title) == (
        Role.LIVING_SERVICES,
        ProjectField.MEDICINE,
        "休日夜間診療",
    )
    assert (created.lead, created.order, created.description) == (central, 3, "概要")
    assert created.history.get().history_user == staff_user

    row[4] = "休日夜間急患診療"
    result = import_file(admin_client, "project", csv_file(PROJECT_COLUMNS, row), CSV)

    assert result.totals["update"] == 1
    assert result.totals["new"] == 0
    updated = Project.objects.get(vision=vision, code="ウ-05")
    assert updated.pk == created.pk
    assert updated.title == "休日夜間急患診療"
    assert Project.objects.count() == 2
    assert updated.history.count() == 2


def test_exported_projects_import_back_unchanged(admin_client, project):
    exported = export(admin_client, "project", XLSX).content

    result = import_file(admin_client, "project", exported, XLSX)

    assert result.totals["skip"] == 1
    assert Project.objects.count() == 1
    assert project.history.count() == 1


def test_project_dry_run_reports_bad_rows_and_saves_nothing(admin_client, project):
    vision, central = project.vision, project.vision.area.central_city
    upload = csv_file(
        PROJECT_COLUMNS,
        project_row(vision, "ア-01", "ア", "戦略的な観光施策", "名称変更", central.code),  # good
        project_row(vision, "エ-01", "エ", "その他", "四つ目の役割", central.code),
        project_row(vision, "ア-02", "ア", "戦略的な観光施策", "圏外の市", "999999"),
        project_row(vision, "ア-03", "ア", "地域医療", "役割違いの分野", central.code),
        project_row(vision, "ア-04", "ア", "宇宙開発", "要綱にない分野", central.code),
        project_row(vision, "ウ-01", "ウ", "地域医療", "新しい事業", central.code),  # good
    )

    response = dry_run(admin_client, "project", upload, CSV)

    errors = row_errors(response)
    assert sorted(errors) == [2, 3, 4, 5]
    assert errors[2] == [str(ERROR_ROLE) % {"column": "役割", "value": "エ"}]
    assert errors[3] == [str(ERROR_MUNICIPALITY) % {"value": "999999"}]
    assert errors[4] == [str(ERROR_FIELD_ROLE) % {"field": "地域医療", "role": "ア"}]
    assert errors[5] == [str(ERROR_FIELD) % {"value": "宇宙開発"}]
    assert all(written_in_japanese(messages[0]) for messages in errors.values())
    assert error_columns(response)[4] == ["分野"]
    html = response.content.decode()
    for row, messages in errors.items():
        assert shows_row(html, row)
        assert messages[0] in html
    assert "confirm_form" not in response.context
    project.refresh_from_db()
    assert project.title == "広域観光の推進"
    assert Project.objects.count() == 1
    assert Project.history.count() == 1


def test_project_in_the_file_twice_is_refused_and_nothing_saved(admin_client, project):
    vision, central = project.vision, project.vision.area.central_city
    row = project_row(vision, "ウ-01", "ウ", "地域医療", "休日夜間診療", central.code)
    other = project_row(vision, "ウ-01", "ウ", "地域医療", "休日診療", central.code)

    response = dry_run(admin_client, "project", csv_file(PROJECT_COLUMNS, row, other), CSV)

    # The second row names the first by its line in the file (line 2; the header is line 1).
    assert row_errors(response) == {
        2: ["この行はファイルの2行目と同じ記録を指しています。どちらか一方だけにしてください。"]
    }
    assert "confirm_form" not in response.context
    assert not Project.objects.filter(code="ウ-01").exists()


# --- scope: planning staff keep only their own areas ------------------------------------


@pytest.fixture
def elsewhere():
    """An indicator (with a value for 2016) of a project of another area."""
    indicator = factories.IndicatorFactory(project__code="ア-01", code="1", name="他圏域の指標")
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2016, value=Decimal("7"))
    return indicator


def test_planning_staff_export_only_their_areas(planner, indicator, elsewhere):
    _, *actuals = xlsx_rows(export(planner, "indicator", XLSX).content)
    _, *projects = csv_rows(export(planner, "project", CSV).content)

    assert {str(row[0]) for row in actuals} == {str(indicator.project.vision_id)}
    assert {row[3] for row in actuals} == {"観光入込客数"}
    assert [row[0] for row in projects] == [str(indicator.project.vision_id)]


def test_planning_staff_cannot_import_into_another_area(planner, indicator, elsewhere):
    upload = csv_file(
        INDICATOR_COLUMNS,
        actual_row(indicator, "2018", "130"),  # their own: good
        actual_row(elsewhere, "2016", "8"),
        actual_row(elsewhere, "2017", "9"),
    )

    response = dry_run(planner, "indicator", upload, CSV)

    errors = row_errors(response)
    assert sorted(errors) == [2, 3]
    assert errors[2] == [str(ERROR_NO_VISION) % {"value": elsewhere.project.vision_id}]
    assert "confirm_form" not in response.context
    assert values(elsewhere) == {2016: Decimal("7")}
    assert values(indicator) == {2016: Decimal("150.5"), 2017: Decimal("160")}


def test_planning_staff_cannot_change_a_project_of_another_area(planner, area, elsewhere):
    other = elsewhere.project
    row = project_row(other.vision, "ア-01", "ア", "", "乗っ取り", area.central_city.code)

    response = dry_run(planner, "project", csv_file(PROJECT_COLUMNS, row), CSV)

    assert row_errors(response) == {1: [str(ERROR_NO_VISION) % {"value": other.vision_id}]}
    assert "confirm_form" not in response.context
    other.refresh_from_db()
    assert other.title != "乗っ取り"
    assert Project.history.filter(id=other.pk).count() == 1


def test_planning_staff_round_trip_in_their_area(planner, indicator):
    upload = workbook_with(export(planner, "indicator", XLSX).content, {5: 175})  # 2018

    import_file(planner, "indicator", upload, XLSX)

    actual = IndicatorActual.objects.get(indicator=indicator, fiscal_year=2018)
    assert actual.value == Decimal("175")
    assert actual.history.get().history_user.username == "planner"


def test_clerks_have_no_import_or_export(client, area):
    clerk, _ = create_account(
        kind=StaffRole.Kind.CLERK, municipality=area.central_city, username="clerk"
    )
    client.force_login(clerk)

    for url in (_url("indicator", "import"), _url("project", "export")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


# Formula-like text stays text in the exported files, and imports back unchanged.

FORMULA_TITLE = '=HYPERLINK("https://example.com","開く")'


def test_project_export_keeps_formula_like_text_as_text(admin_client, project):
    project.title = FORMULA_TITLE
    project.description = "@SUM(A1:A9)"
    project.save()

    xlsx = export(admin_client, "project", XLSX).content
    cells = list(openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows(min_row=2))[0]
    csv_row = csv_rows(export(admin_client, "project", CSV).content)[1]

    assert [cells[4].value, cells[5].value] == ["'" + FORMULA_TITLE, "'@SUM(A1:A9)"]
    assert {cells[4].data_type, cells[5].data_type} == {"s"}  # text, not a formula
    assert csv_row[4:6] == ["'" + FORMULA_TITLE, "'@SUM(A1:A9)"]
    result = import_file(admin_client, "project", xlsx, XLSX)
    assert result.totals["skip"] == 1
    project.refresh_from_db()
    assert (project.title, project.description) == (FORMULA_TITLE, "@SUM(A1:A9)")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_indicator_export_marks_every_formula_start_but_not_numbers(admin_client, indicator, start):
    indicator.name = f"{start}1+1"
    indicator.save()
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2018, value=Decimal("-5"))

    header, *rows = csv_rows(export(admin_client, "indicator", CSV).content)

    assert {row[3] for row in rows} == {f"'{start}1+1"}
    assert [row[6] for row in rows if row[5] == "2018"] == ["-5"]


def test_project_title_with_a_line_break_is_refused_in_the_import(admin_client, project):
    vision, central = project.vision, project.vision.area.central_city
    upload = csv_file(
        PROJECT_COLUMNS,
        project_row(vision, "ア-01", "ア", "戦略的な観光施策", "広域観光の\n推進", central.code),
    )

    response = dry_run(admin_client, "project", upload, CSV)

    assert row_errors(response) == {1: [str(ERROR_LINE_BREAK)]}
    assert error_columns(response)[1] == ["事業名"]
    project.refresh_from_db()
    assert project.title == "広域観光の推進"


def test_actual_outside_the_indicators_years_is_refused_in_the_import(admin_client, indicator):
    upload = csv_file(
        INDICATOR_COLUMNS,
        actual_row(indicator, "2014", "100"),  # the baseline year: the baseline is its value
        actual_row(indicator, "2020", "190"),  # the target year: accepted
        actual_row(indicator, "2021", "200"),  # after the target year
    )

    errors = row_errors(dry_run(admin_client, "indicator", upload, CSV))

    message = str(ERROR_ACTUAL_YEAR) % {"baseline": 2014, "target": 2020}
    assert errors == {1: [message], 3: [message]}
    assert values(indicator) == {2016: Decimal("150.5"), 2017: Decimal("160")}


def test_a_percentage_above_100_is_refused_in_the_import(admin_client, indicator):
    indicator.kind, indicator.unit = "percentage", "%"
    indicator.baseline_value, indicator.target_value = Decimal("10"), Decimal("40")
    indicator.save()
    for actual in indicator.actuals.all():
        actual.value = Decimal("20")
        actual.save()

    upload = csv_file(INDICATOR_COLUMNS, actual_row(indicator, "2018", "120"))
    errors = row_errors(dry_run(admin_client, "indicator", upload, CSV))

    assert errors == {1: [str(ERROR_VALUE_PERCENTAGE)]}
    assert not indicator.actuals.filter(fiscal_year=2018).exists()
