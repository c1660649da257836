"""The areas of the national directory on the public pages and in the open data: what the
directory says, its uncertain facts marked, and never progress figures for agreements that are
simply not recorded here."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from public import demo
from public.exports import AREA_CSV_COLUMNS

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "home_en": "/en/",
    "sapporo": "/areas/sapporo/",
    "sapporo_en": "/en/areas/sapporo/",
    "otaru": "/municipalities/012033/",  # 小樽市, a member of さっぽろ in the directory
    "areas_csv": "/areas.csv",
    "sapporo_json": "/areas/sapporo.json",
}


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """The registry, the Nagano demo and the national directory, loaded once for the module;
    each page read once."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_registry", stdout=io.StringIO())
        demo.load()
        call_command("load_directory", stdout=io.StringIO())
        client = Client()
        responses = {name: client.get(url) for name, url in PAGES.items()}
        transaction.set_rollback(True)
    assert all(r.status_code == 200 for r in responses.values()), {
        name: r.status_code for name, r in responses.items()
    }
    return {name: r.content.decode("utf-8-sig") for name, r in responses.items()}


def _cards(page: str) -> dict[str, str]:
    return {
        re.sub(r"<[^>]+>", "", title): card
        for title, card in re.findall(
            r'<li class="card">\s*<h3>(.*?)</h3>(.*?)</li>\s*(?=<li class="card">|</ul>)',
            page,
            re.DOTALL,
        )
    }


def test_the_home_page_shows_every_area_by_region(pages):
    home = pages["home"]

    regions = re.findall(r'<h2 id="region-\d+-h">(.*?)</h2>', home)
    assert regions == ["北海道", "東北", "関東", "中部", "近畿", "中国", "四国", "九州・沖縄"]
    cards = _cards(home)
    assert len(cards) == 37
    assert list(cards)[0] == "さっぽろ連携中枢都市圏"  # 札幌市 011002 comes first
    assert list(cards)[-1] == "かごしま連携中枢都市圏"


def test_a_directory_card_says_so_and_shows_no_progress(pages):
    cards = _cards(pages["home"])
    in_force = gettext("%(in_force)s of %(total)s partners in force")
    no_progress = (f"<dt>{gettext('Agreements')}</dt>", f"<dt>{gettext('Stage')}</dt>")

    sapporo = cards["さっぽろ連携中枢都市圏"]
    assert gettext("Directory entry: procedure not recorded here") in sapporo
    # A plain date of the directory reads as every date of the site.
    assert '<time datetime="2022-05-17"><span class="nw">2022年5月17日</span>' in sapporo
    assert "2022-05-17 時点" not in sapporo
    assert "<dd>2019年3月</dd>" in sapporo  # its vision, known to the month
    assert re.search(
        r'<span class="uncertain" title="[^"]+">未確認</span> \(before 2019-03\)', sapporo
    )
    assert not any(label in sapporo for label in no_progress)
    nagano = cards["長野地域連携中枢都市圏"]  # recorded here: its progress, not the directory's
    assert gettext("Directory entry: procedure not recorded here") not in nagano
    assert in_force % {"in_force": 8, "total": 8} in nagano
    assert all(label in nagano for label in no_progress)


def test_a_directory_area_page_shows_the_directory_facts_members_and_sources(pages):
    page = pages["sapporo"]

    assert "名簿のみの圏域です" in page
    assert re.search(r'<a href="/municipalities/011002/">札幌市</a>', page)
    members = re.findall(r'<li><a href="/municipalities/(\d{6})/">', page)
    assert len(members) == 12 and "013030" in members  # 当別町
    assert '<a href="http://cms.town.tobetsu.hokkaido.jp/soshiki/kikaku/20519.html"' in page
    assert page.count('class="uncertain"') == 1  # the declaration's date
    assert '<ol class="pipeline">' not in page and 'class="agreements"' not in page


def test_the_directory_area_page_speaks_english_too(pages):
    page = pages["sapporo_en"]

    assert "Directory entry: this area's agreements, resolutions and vision are not" in page
    assert '(as of <time datetime="2022-05-17"><span class="nw">May 17, 2022</span>' in page
    assert 'lang="en"' in pages["sapporo_en"]


def test_a_municipality_named_by_the_directory_says_which_area(pages):
    page = pages["otaru"]

    assert re.search(
        r'<a href="/areas/sapporo/">さっぽろ連携中枢都市圏</a> — 全国の名簿上の構成市町村', page
    )


def test_the_areas_file_marks_directory_entries_and_leaves_their_figures_empty(pages):
    # The file's headers are Japanese at the Japanese address: read the columns by name.
    with translation.override("ja"):
        names = {str(title): name for name, title in AREA_CSV_COLUMNS.items()}
    rows = {
        row["area"]: row
        for row in (
            {names[title]: value for title, value in row.items()}
            for row in csv.DictReader(io.StringIO(pages["areas_csv"]))
        )
    }

    assert len(rows) == 37
    assert rows["sapporo"]["recorded"] == "false"
    assert (rows["sapporo"]["partners"], rows["sapporo"]["agreements_in_force"]) == ("", "")
    assert rows["sapporo"]["current_step"] == ""
    assert rows["nagano"]["recorded"] == "true" and rows["nagano"]["partners"] == "8"


def test_the_area_record_carries_the_directory_in_its_sources_words(pages):
    record = json.loads(pages["sapporo_json"])

    assert record["area"]["recorded"] is False
    directory = record["directory"]
    assert directory["declaration"] == "UNCERTAIN (before 2019-03)"
    assert directory["member_count"] == 12 and len(directory["members"]) == 12
    assert directory["sources"] == ["http://cms.town.tobetsu.hokkaido.jp/soshiki/kikaku/20519.html"]
