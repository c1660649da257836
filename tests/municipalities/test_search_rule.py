"""The search rule (municipalities.search): how a query is read, and the admin's search of
municipalities and areas, which uses it (municipalities.admin_base.RuleSearchAdmin)."""

import pytest
from django.db import connection

from agreements.search import public_agreements_found
from municipalities.models import Municipality
from municipalities.search import (
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    MUNICIPALITY_RULE,
    full_width,
    hiragana,
    municipalities_found,
    parse,
)
from tests import factories
from vision.models import Project
from vision.search import PROJECT_RULE


def test_parse_splits_at_any_space_and_normalises_the_width():
    query = parse("　観光　ＰＲ  ２０２０ ﾅｶﾞﾉ 観光 ")

    assert query.words == ("観光", "PR", "2020", "ナガノ")
    assert query.text == "観光 PR 2020 ナガノ 観光"
    assert query.searchable


@pytest.mark.parametrize("typed", [None, "", "　 \t"])
def test_parse_of_nothing_is_no_query_and_no_error(typed):
    query = parse(typed)

    assert (query.words, query.error, query.searchable) == ((), "", False)


def test_parse_refuses_a_long_query_and_too_many_words():
    too_long = parse("あ" * (MAX_QUERY_LENGTH + 1))
    too_many = parse(" ".join(f"w{n}" for n in range(MAX_WORDS + 1)))

    assert too_long.error == (
        f"{MAX_QUERY_LENGTH}文字以内で入力してください（入力は{MAX_QUERY_LENGTH + 1}文字です）。"
    )
    assert (
        too_many.error == f"語句は{MAX_WORDS}個までにしてください（入力は{MAX_WORDS + 1}個です）。"
    )
    assert not too_long.searchable and not too_many.searchable


def test_hiragana_and_full_width_forms():
    assert hiragana("ナガノシ ヴ 長野") == "ながのし ゔ 長野"
    assert full_width("令和2年 ICT") == "令和２年 ＩＣＴ"


@pytest.fixture
def towns(db):
    """Two municipalities whose names and kana overlap."""
    city = factories.MunicipalityFactory(city=True, name="長野テスト市", name_kana="ながのてすとし")
    town = factories.MunicipalityFactory(
        name="長野原テスト町", name_kana="ながのはらてすとまち", english_name="Naganohara Test"
    )
    return city, town


def _listed(client, url: str, query: str) -> list:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ナガノテスト", ["city"]),  # katakana, as the kana are stored in hiragana
        ("長野 町", ["town"]),  # every word, each in any field
        ("ながの", ["city", "town"]),
        ("naganotesuto", ["city"]),  # the English name romanised from the kana
        ("NAGANOHARA", ["town"]),  # the English name given
        ("長野 存在しない", []),
    ],
)
def test_admin_finds_municipalities_by_the_search_rule(admin_client, towns, query, expected):
    city, town = towns
    named = {"city": city, "town": town}

    listed = _listed(admin_client, "/admin/municipalities/municipality/", query)

    assert [m for m in listed if m in towns] == [named[key] for key in expected]


def test_admin_finds_a_municipality_by_its_code(admin_client, towns):
    city, _town = towns

    for code in (city.code[:5], city.code, full_width(city.code[:5])):
        assert _listed(admin_client, "/admin/municipalities/municipality/", code) == [city]


def test_admin_finds_an_area_by_slug_english_name_and_central_city(admin_client, towns):
    city, _town = towns
    area = factories.CooperationAreaFactory(
        name="北信テスト連携中枢都市圏", slug="hokushin-test", central_city=city
    )
    url = "/admin/municipalities/cooperationarea/"

    for query in ("hokushin", "北信 テスト", "Naganotesuto Cooperation", "長野テスト市"):
        assert _listed(admin_client, url, query) == [area], query


def test_the_same_rule_finds_the_same_municipalities_on_the_public_page(client, towns):
    content = client.get("/search/", {"q": "ナガノ テスト"}).content.decode()

    assert list(municipalities_found(parse("ナガノ テスト"))) == list(towns)
    for municipality in towns:
        assert f"/municipalities/{municipality.code}/" in content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_trigram_indexes_serve_the_sql_the_search_sends(db):
    """The indexes are on the very expressions the search's SQL uses, for words with case
    (ILIKE) and without (LIKE): with table scans discouraged, PostgreSQL reads them."""
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for found in (
            public_agreements_found(parse("誘致促進")),
            public_agreements_found(parse("Tourism")),
            PROJECT_RULE.matching(Project.objects.order_by(), parse("ブランド化")),
            MUNICIPALITY_RULE.matching(Municipality.objects.order_by(), parse("ナガノシ")),
        ):
            sql, params = found.values_list("pk").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    agreements, english, projects, municipalities = plans
    for index in ("agreements_agreement_text_trgm", "agreements_agreementitem_title_trgm"):
        assert index in agreements
        assert index in english
    assert "vision_project_title_trgm" in projects
    assert "municipalities_municipality_name_kana_trgm" in municipalities
