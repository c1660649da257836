"""The bulk data of the Nagano demo: built by `build_open_data`, downloaded through the site,
read with the standard library and validated as a Frictionless Data Package (keys
included). The demo is loaded once for the module (tests/conftest.py, shared_demo); every
test has its own MEDIA_ROOT, so it starts with nothing built."""

import csv
import datetime
import io
import json
import zipfile
from pathlib import Path

import frictionless
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from public.bulk.package import ZIP_NAME, build
from public.bulk.tables import TABLES
from tests import factories
from vision.models import RoundtableMember, Vision

pytestmark = pytest.mark.django_db

ZIP_URL = "/data/rentai-open-data.zip"


def _build() -> str:
    out = io.StringIO()
    call_command("build_open_data", stdout=out)
    return out.getvalue()


def _download(client) -> zipfile.ZipFile:
    response = client.get(ZIP_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="rentai-open-data.zip"'
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _tables(archive: zipfile.ZipFile) -> dict[str, list[dict]]:
    """Every CSV of the zip, read with the csv module (UTF-8 with its byte-order mark)."""
    tables = {}
    for name in archive.namelist():
        if name.endswith(".csv"):
            text = archive.read(name).decode("utf-8-sig")
            tables[name.removeprefix("data/").removesuffix(".csv")] = list(
                csv.DictReader(io.StringIO(text, newline=""))
            )
    return tables


def _media_file(settings) -> Path:
    return Path(settings.MEDIA_ROOT) / ZIP_NAME


def test_download_is_a_valid_data_package_of_the_whole_record(client, shared_demo, tmp_path):
    assert "built" in _build()

    archive = _download(client)
    archive.extractall(tmp_path)
    tables = _tables(archive)
    everything = json.loads(archive.read("data/rentai-open-data.json"))
    package = json.loads(archive.read("datapackage.json"))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["title", "type", "note"])
    assert sorted(tables) == sorted(table.name for table in TABLES)
    assert {name: len(rows) for name, rows in everything["tables"].items()} == {
        name: len(rows) for name, rows in tables.items()
    }
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    areas = {row["area"]: row for row in tables["areas"]}
    assert areas["nagano"]["central_city"] == "202011"
    assert areas["nagano"]["partners"] == "8"
    # The eight agreements, each concluded by both councils, and the resolutions of both.
    agreements = [row for row in tables["agreements"] if row["area"] == "nagano"]
    assert len(agreements) == 8
    suzaka = next(row for row in agreements if row["partner"] == "202070")
    assert (suzaka["status"], suzaka["central_city"]) == ("in_force", "202011")
    procedures = {row["procedure"]: row for row in tables["procedures"]}
    passed = {
        (procedures[r["procedure"]]["partner"], r["council"])
        for r in tables["council_resolutions"]
        if procedures[r["procedure"]]["kind"] == "conclusion" and r["result"] == "passed"
    }
    for row in agreements:
        assert {(row["partner"], "202011"), (row["partner"], row["partner"])} <= passed
    bill = next(
        r["bill"] for r in tables["council_resolutions"] if r["bill"].endswith("議案第31号")
    )
    assert bill == "平成28年3月定例会 議案第31号"
    # The JSON document holds the same rows with their types.
    first = everything["tables"]["areas"][0]
    assert isinstance(first["recorded"], bool)
    assert everything["tables"]["agreements"][0]["area"] == "nagano"
    assert "localgovjp" in everything["attribution"]
    # The descriptor alone, as the site serves it, is the one in the zip.
    served = client.get("/data/datapackage.json")
    assert json.loads(b"".join(served.streaming_content)) == package


def test_download_answers_304_to_a_client_that_has_it(client, shared_demo):
    _build()
    first = client.get(ZIP_URL)

    again = client.get(ZIP_URL, headers={"if-none-match": first["ETag"]})

    assert first["Last-Modified"] and first["ETag"]
    assert again.status_code == 304


def test_drafts_are_in_no_table(client, shared_demo):
    area = shared_demo
    published = Agreement.objects.filter(area=area, partner__code="202070").get()
    draft_agreement = factories.AgreementFactory(
        area=area, internal=True, title="非公開テストの協約案"
    )
    factories.AgreementItemFactory(agreement=draft_agreement, title="非公開テストの連携事項")
    drafting = factories.ProcedureFactory(
        agreement=published, amendment=True, drafting=True, summary="非公開テストの変更"
    )
    draft_vision = factories.VisionFactory(area=area, title="非公開テストのビジョン")
    factories.IndicatorFactory(
        project=factories.ProjectFactory(vision=draft_vision, title="非公開テストの事業"),
        name="非公開テストの指標",
    )
    factories.RoundtableMemberFactory(vision=draft_vision, name="非公開テストの委員")
    _build()

    archive = _download(client)
    tables = _tables(archive)

    text = "".join(
        archive.read(name).decode("utf-8-sig") for name in archive.namelist() if "data/" in name
    )
    assert "非公開テスト" not in text
    assert str(drafting.pk) not in {row["procedure"] for row in tables["procedures"]}
    assert str(draft_vision.pk) not in {row["vision"] for row in tables["visions"]}
    assert draft_agreement.partner.code not in {row["partner"] for row in tables["agreements"]}


def test_a_build_without_changes_keeps_the_file_and_a_change_rewrites_it(
    client, shared_demo, settings
):
    assert "built" in _build()
    path = _media_file(settings)
    before = (path.stat().st_mtime_ns, path.read_bytes())

    assert "nothing changed" in _build()
    # Saved again as it was: the record moved, but the tables come out the same.
    member = RoundtableMember.objects.filter(vision__area=shared_demo).first()
    member.save()
    assert "the same" in _build()
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before

    member.name = "新しい委員"
    member.save()
    assert "built" in _build()

    assert path.read_bytes() != before[1]
    members = _tables(_download(client))["roundtable_members"]
    assert "新しい委員" in {row["name"] for row in members}


def _more_of_everything(area) -> None:
    """An area with a second of every kind of row the tables read."""
    other = factories.CooperationAreaFactory(slug="more")
    for _partner in range(2):
        agreement = factories.agreement_in_force(area=other)
        factories.AgreementItemFactory(agreement=agreement)
        factories.ProcedureFactory(agreement=agreement, amendment=True)
    factories.CommutingRatioFactory(area=other)
    factories.FiscalSupportFactory(area=other)
    vision = factories.VisionFactory(
        area=other,
        adopted=True,
        comment_starts_on=datetime.date(2016, 1, 1),
        comment_ends_on=datetime.date(2016, 1, 31),
    )
    for _number in range(2):
        project = factories.ProjectFactory(vision=vision)
        factories.ProjectParticipantFactory(project=project)
        factories.ProjectBudgetFactory(project=project)
        indicator = factories.IndicatorFactory(project=project)
        factories.IndicatorActualFactory(indicator=indicator)
        factories.IndicatorTargetFactory(indicator=indicator)
        factories.RoundtableMemberFactory(vision=vision)
        factories.RoundtableMeetingFactory(vision=vision)
        factories.PublicCommentFactory(vision=vision)


def test_build_queries_do_not_grow_with_the_record(shared_demo, django_assert_num_queries):
    build(force=True)  # statuses that a date changed are refreshed once
    with CaptureQueriesContext(connection) as demo:
        build(force=True)
    _more_of_everything(shared_demo)
    build(force=True)

    with django_assert_num_queries(len(demo)):
        result = build(force=True)

    # One more than the tables' own: the agreements being amended, whose items' titles the
    # participants' table gives as the public reads them (none in the demo).
    assert len(demo) == 29
    assert result.rows["agreements"] == 8 + 4  # the demo's, and the new area's
    assert Vision.objects.filter(area__slug="more").exists()


def test_before_the_first_build_the_address_says_so(client, db):
    response = client.get(ZIP_URL)
    descriptor = client.get("/data/datapackage.json")

    assert response.status_code == 404
    assert "まだ用意できていません" in response.content.decode()
    assert descriptor.status_code == 404


def test_area_list_links_the_download(client, shared_demo):
    page = client.get("/").content.decode()

    assert f'href="{ZIP_URL}"' in page
