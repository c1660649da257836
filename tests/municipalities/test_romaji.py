"""English names romanised from the kana (municipalities.romaji), with real names."""

import csv

import pytest

from municipalities import romaji
from municipalities.registry import DATA, entries


@pytest.mark.parametrize(
    ("name", "kana", "kind", "english"),
    [
        # The Nagano area's nine.
        ("長野市", "ながのし", "city", "Nagano City"),
        ("須坂市", "すざかし", "city", "Suzaka City"),
        ("千曲市", "ちくまし", "city", "Chikuma City"),
        ("坂城町", "さかきまち", "town", "Sakaki Town"),
        ("小布施町", "おぶせまち", "town", "Obuse Town"),
        ("高山村", "たかやまむら", "village", "Takayama Village"),
        ("信濃町", "しなのまち", "town", "Shinano Town"),
        ("小川村", "おがわむら", "village", "Ogawa Village"),
        ("飯綱町", "いいづなまち", "town", "Iizuna Town"),
        # 町 read ちょう, 村 read そん.
        ("当別町", "とうべつちょう", "town", "Tobetsu Town"),
        ("新篠津村", "しんしのつむら", "village", "Shinshinotsu Village"),
        ("大宜味村", "おおぎみそん", "village", "Ogimi Village"),
        # Long vowels as the municipalities write them: ou, oo → o; uu → u.
        ("上越市", "じょうえつし", "city", "Joetsu City"),
        ("大分市", "おおいたし", "city", "Oita City"),
        ("高知市", "こうちし", "city", "Kochi City"),
        ("北九州市", "きたきゅうしゅうし", "city", "Kitakyushu City"),
        ("夕張市", "ゆうばりし", "city", "Yubari City"),
        # A vowel lengthens once; a う that begins a word (内, 浦, 上) stays.
        ("山ノ内町", "やまのうちまち", "town", "Yamanouchi Town"),
        ("瀬戸内市", "せとうちし", "city", "Setouchi City"),
        ("琴浦町", "ことうらちょう", "town", "Kotoura Town"),
        ("滝上町", "たきのうえちょう", "town", "Takinoue Town"),
        # Hepburn's apostrophe where ん comes before a vowel.
        ("新温泉町", "しんおんせんちょう", "town", "Shin'onsen Town"),
        # Tokyo's special wards call themselves cities.
        ("新宿区", "しんじゅくく", "special_ward", "Shinjuku City"),
        ("中央区", "ちゅうおうく", "special_ward", "Chuo City"),
        # Wards of designated cities, with or without the space between city and ward.
        ("札幌市中央区", "さっぽろしちゅうおうく", "ward", "Chuo Ward, Sapporo"),
        ("札幌市中央区", "さっぽろし ちゅうおうく", "ward", "Chuo Ward, Sapporo"),
        ("札幌市西区", "さっぽろしにしく", "ward", "Nishi Ward, Sapporo"),
        ("静岡市葵区", "しずおかしあおいく", "ward", "Aoi Ward, Shizuoka"),
        (
            "北九州市小倉北区",
            "きたきゅうしゅうしこくらきたく",
            "ward",
            "Kokurakita Ward, Kitakyushu",
        ),
        # Prefectures.
        ("長野県", "ながのけん", "prefecture", "Nagano Prefecture"),
        ("大阪府", "おおさかふ", "prefecture", "Osaka Prefecture"),
        ("京都府", "きょうとふ", "prefecture", "Kyoto Prefecture"),
        ("東京都", "とうきょうと", "prefecture", "Tokyo Metropolis"),
        ("北海道", "ほっかいどう", "prefecture", "Hokkaido"),
        ("兵庫県", "ひょうごけん", "prefecture", "Hyogo Prefecture"),
    ],
)
def test_english_name_romanises_the_kana_and_adds_the_kind(name, kana, kind, english):
    assert romaji.english_name(kana, kind, name) == english


def test_english_name_reads_katakana_and_a_kind_it_does_not_know():
    assert romaji.english_name("イイヅナマチ", "town") == "Iizuna Town"
    assert romaji.english_name("とうきょう", "unknown") == "Tokyo"
    assert romaji.english_name("", "city") == ""


def test_every_prefecture_is_named_as_its_registry_row_names_it_in_english():
    with open(DATA / "prefjp-utf8.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))

    named = {row["pref_en"]: romaji.romanised(row["prefshortkana"]) for row in rows}

    assert len(named) == 47
    assert [(english, ours) for english, ours in named.items() if english != ours] == []


def test_every_ward_of_the_registry_is_of_a_designated_city_it_knows():
    wards = [v for v in entries().values() if v["kind"] == "ward"]

    assert len(wards) == 175
    assert [
        w["name"] for w in wards if not w["name_kana"].startswith(romaji.DESIGNATED_CITIES)
    ] == []
    # Each ward is named after its city: "… Ward, Sapporo".
    english = {romaji.english_name(w["name_kana"], "ward", w["name"]) for w in wards}
    assert all(", " in name and " Ward" in name for name in english)


def test_every_local_government_of_the_registry_gets_an_english_name():
    names = [
        romaji.english_name(values["name_kana"], values["kind"], values["name"])
        for values in entries().values()
    ]

    assert len(names) == 1963
    # Latin letters, spaces, commas and Hepburn's apostrophe only; capitalised.
    assert [n for n in names if not n[:1].isupper() or not n.replace("'", "").isascii()] == []
