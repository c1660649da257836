"""The whole-area record imported back (public.records): by the operator's command and the
admin, all or nothing, in place, and round trip: export, import into an empty database,
export again gives the same document."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from agreements.models import Agreement, CouncilResolution, Procedure
from municipalities.models import CooperationArea, StaffRole
from municipalities.roles import create_account
from public import demo
from public.records import KIND_LABELS, import_record
from tests import factories
from vision.models import Indicator, IndicatorActual, Project, Vision

pytestmark = pytest.mark.django_db

RECORDS = (CooperationArea, Agreement, Procedure, CouncilResolution, Vision, Project, Indicator)


def _counts():
    return {m.__name__: (m.objects.count(), m.history.count()) for m in RECORDS}


HOST = "rentai.example.jp"  # links in a record are full addresses, with a real host name


@pytest.fixture(autouse=True)
def _host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]


def _record(client, slug="nagano"):
    response = client.get(f"/areas/{slug}.json", HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.json()


def _copy(client, *, visions: bool = False) -> dict:
    """The demo's record under another address; without its visions and allocation tax
    unless they are needed (the agreements are what most tests are about, and quicker)."""
    record = _record(client)
    record["area"]["slug"] = "copy"
    record["area"]["name"] = "写しの圏域"
    if not visions:
        record["visions"] = []
    record["fiscal_support"] = []
    for vision in record["visions"]:
        for project in vision["projects"]:
            project["budgets"] = []
    return record


@pytest.mark.django_db(transaction=True)
def test_a_record_imported_into_an_empty_database_exports_the_same_document(client, tmp_path):
    demo.load()
    exported = _record(client)
    path = tmp_path / "nagano.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")

    call_command("flush", interactive=False, verbosity=0)
    demo._municipalities()  # the registry of a new installation
    assert not CooperationArea.objects.exists()
    call_command("import_area", str(path), verbosity=0)

    again = _record(client)
    assert again == exported
    # And importing it once more changes nothing and writes no history.
    before = _counts()
    report = import_record(exported, user=None, commit=True)
    assert report.ok and not any(c or u for _k, c, u, _n in report.kinds())
    assert _counts() == before


def test_every_problem_is_listed_by_its_place_in_the_record_and_nothing_is_saved(client):
    demo.load()
    record = _copy(client)
    record["memberships"][0]["municipality"] = "999999"
    record["agreements"][1]["term_start"] = "2016年4月"
    # Effect before the councils passed it: a rule of the procedure.
    record["agreements"][2]["procedures"][0]["resolutions"] = []
    before = _counts()

    report = import_record(record, user=None, commit=True)

    paths = [error.path for error in report.errors]
    assert "memberships[0].municipality" in paths
    assert "agreements[1].term_start" in paths
    assert "agreements[2].procedures[0].effective_on" in paths
    assert _counts() == before
    assert not CooperationArea.objects.filter(slug="copy").exists()


def test_the_operator_imports_a_record_in_the_admin(admin_client, client):
    demo.load()
    record = _copy(client, visions=True)
    upload = json.dumps(record, ensure_ascii=False).encode()
    preview = admin_client.post(
        "/admin/records/import/", {"file": SimpleUploadedFile("copy.json", upload)}
    )
    report = preview.context["report"]
    assert report.ok, report.errors
    assert ("agreements", 8, 0, 0) in report.kinds()
    assert f"<td>{KIND_LABELS['items']}</td><td>46</td>" in preview.content.decode()
    assert not CooperationArea.objects.filter(slug="copy").exists()

    done = admin_client.post(
        "/admin/records/import/", {"confirm": "1", "token": preview.context["token"]}
    )

    assert done.status_code == 302
    copy = CooperationArea.objects.get(slug="copy")
    assert copy.agreements.count() == 8
    assert Vision.objects.filter(area=copy).count() == 2
    assert IndicatorActual.objects.filter(indicator__project__vision__area=copy).count() == (
        IndicatorActual.objects.filter(indicator__project__vision__area__slug="nagano").count()
    )


def test_only_the_operator_imports_records(client):
    area = factories.CooperationAreaFactory()
    user, _password = create_account(
        kind=StaffRole.Kind.PLANNING_STAFF, municipality=area.central_city, username="planner"
    )
    client.force_login(user)
    assert client.get("/admin/records/import/").status_code == 403


def test_a_file_that_is_not_a_record_is_refused(admin_client):
    response = admin_client.post(
        "/admin/records/import/", {"file": SimpleUploadedFile("x.json", b"[1, 2")}
    )
    (error,) = response.context["report"].errors
    assert "area" in error.message


def test_the_command_refuses_with_the_errors_and_a_dry_run_saves_nothing(client, tmp_path, capsys):
    demo.load()
    record = _copy(client)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    record["memberships"][0]["joined_on"] = "someday"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    call_command("import_area", str(good), "--dry-run", verbosity=0)
    assert "checked (dry run, nothing saved)" in capsys.readouterr().out
    assert not CooperationArea.objects.filter(slug="copy").exists()
    with pytest.raises(CommandError, match="errors; nothing was saved"):
        call_command("import_area", str(bad), verbosity=0)
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("memberships[0].joined_on: ")
    assert not CooperationArea.objects.filter(slug="copy").exists()
