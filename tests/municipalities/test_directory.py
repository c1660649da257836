"""The national directory of areas (`manage.py load_directory`): the real areas of Japan as
directory entries, beside the areas whose procedure is recorded here."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from municipalities import page_versions
from municipalities.models import AreaDirectoryEntry, CooperationArea, Municipality
from public import demo

pytestmark = pytest.mark.django_db


def _load(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def registry():
    _load("load_registry")


def test_every_area_of_the_national_file_becomes_a_directory_entry(registry):
    output = _load("load_directory")

    assert "37 created, 0 updated, 0 unchanged" in output
    assert CooperationArea.objects.filter(recorded=False).count() == 37
    for entry in AreaDirectoryEntry.objects.prefetch_related("members"):
        members = set(entry.members.all())
        assert len(members) == entry.member_count, entry
        assert entry.area.central_city in members, entry
        assert any(url.startswith(("https://", "http://")) for url in entry.source_urls), entry


def test_directory_facts_keep_the_source_words_and_its_uncertainty(registry):
    _load("load_directory")

    sapporo = CooperationArea.objects.get(slug="sapporo")
    assert sapporo.name == "さっぽろ連携中枢都市圏"
    assert sapporo.central_city.code == "011002"
    assert sapporo.directory.declaration == "UNCERTAIN (before 2019-03)"
    assert sapporo.directory.vision == "2019-03"
    assert sapporo.directory.as_of == "2022-05-17"
    shimonoseki = CooperationArea.objects.get(slug="shimonoseki").directory
    assert [m.name for m in shimonoseki.members.all()] == ["下関市"]  # a single-city area
    yamaguchi = CooperationArea.objects.get(central_city__code="352039")
    assert yamaguchi.joint_central_city.name == "宇部市"  # two joint central cities


def test_a_member_name_shared_across_japan_is_the_municipality_near_the_central_city(registry):
    _load("load_directory")

    hachinohe = CooperationArea.objects.get(slug="hachinohe").directory
    nanbu = hachinohe.members.get(name="南部町")
    assert nanbu.prefecture == "青森県"  # not 山梨県's or 鳥取県's 南部町
    kochi = CooperationArea.objects.get(slug="kochi").directory
    assert kochi.members.filter(name="檮原町").exists()  # the source writes 梼原町


def test_an_area_recorded_here_keeps_its_record_and_gets_the_directory_beside_it(registry):
    area = demo.load()

    output = _load("load_directory")

    assert "37 created" in output
    area.refresh_from_db()
    assert area.recorded and area.slug == "nagano"
    assert CooperationArea.objects.filter(central_city=area.central_city).count() == 1
    assert area.directory.member_count == 9


def test_loading_the_directory_again_changes_nothing(registry):
    _load("load_directory")
    history = AreaDirectoryEntry.history.count()

    assert "0 created, 0 updated, 37 unchanged" in _load("load_directory")
    assert AreaDirectoryEntry.history.count() == history


def test_the_directory_without_the_registry_says_what_to_run_and_saves_nothing():
    Municipality.objects.all().delete()

    with pytest.raises(CommandError, match="run load_registry first"):
        _load("load_directory")

    assert not CooperationArea.objects.exists()


def test_a_change_of_members_is_kept_in_history_and_moves_the_area_pages(
    registry, django_capture_on_commit_callbacks
):
    _load("load_directory")
    entry = AreaDirectoryEntry.objects.get(area__slug="aomori")
    key = page_versions.area_key("aomori")
    (before,) = page_versions.current([key])
    imabetsu = entry.members.get(name="今別町")

    with django_capture_on_commit_callbacks(execute=True):
        entry.members.remove(imabetsu)

    assert page_versions.current([key]) > [before]
    latest, previous = entry.history.all()[:2]
    assert imabetsu.pk not in {row.municipality_id for row in latest.members.all()}
    assert imabetsu.pk in {row.municipality_id for row in previous.members.all()}


def test_a_shared_name_without_coordinates_is_refused_not_guessed(registry):
    Municipality.objects.filter(code="022039").update(latitude=None, longitude=None)  # 八戸市

    with pytest.raises(CommandError, match="3 municipalities are named 南部町"):
        _load("load_directory")

    assert not AreaDirectoryEntry.objects.exists()
