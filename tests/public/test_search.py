"""The public search page, /search/?q= (public/search.py), over the Nagano demo."""

import re
from urllib.parse import quote

import pytest

from municipalities.search import MAX_QUERY_LENGTH, MAX_WORDS
from tests import factories

pytestmark = pytest.mark.django_db

KINDS = ("areas", "municipalities", "agreements", "projects", "indicators")


def _search(client, query: str, *, english: bool = False, **params) -> str:
    prefix = "/en" if english else ""
    extra = "".join(f"&{name}={value}" for name, value in params.items())
    response = client.get(f"{prefix}/search/?q={quote(query)}{extra}")
    assert response.status_code == 200
    return response.content.decode()


def _counts(response_or_content) -> dict[str, int]:
    """The number of results of each kind, as the page's headings say (kinds without a
    result have no heading)."""
    content = response_or_content
    found = re.findall(r'<h2 id="(\w+)-h">[^<]*<span class="count">（(\d+)）</span>', content)
    return {kind: int(count) for kind, count in found}


def _links(content: str, kind: str) -> list[str]:
    """The addresses the results of one kind link to, in order."""
    section = re.search(rf'<h2 id="{kind}-h">.*?<ul class="results">(.*?)</ul>', content, re.S)
    return re.findall(r'<li><a href="([^"]+)"', section.group(1)) if section else []


def test_search_finds_a_word_inside_an_item_title(client, shared_demo):
    content = _search(client, "観光")

    # Every demo agreement has the item 外国人観光客誘致促進事業; the project of that name is
    # in both versions of the vision (the adopted one first).
    assert _counts(content) == {"agreements": 8, "projects": 2}
    assert "/areas/nagano/agreements/202070/" in _links(content, "agreements")
    projects = _links(content, "projects")
    assert all(re.fullmatch(r"/areas/nagano/vision/projects/\d+/", url) for url in projects)
    assert content.count("外国人観光客誘致促進事業") == 2
    assert "「観光」の検索結果：10件" in content


@pytest.mark.parametrize(
    "query",
    [
        "ながのし",
        "ナガノシ",
        "ﾅｶﾞﾉｼ",
        "20201",
        "202011",
        "２０２０１",
        "Nagano City",
        "nagano　city",
    ],
)
def test_search_finds_a_municipality_by_kana_code_or_english_name(client, shared_demo, query):
    content = _search(client, query)

    assert "/municipalities/202011/" in _links(content, "municipalities")


def test_search_finds_an_area_by_slug_and_english_name(client, shared_demo):
    for query in ("nagano", "Nagano Cooperation", "長野地域"):
        assert _links(_search(client, query), "areas") == ["/areas/nagano/"]


def test_search_needs_every_word(client, shared_demo):
    suzaka = _search(client, "須坂　観光")
    nowhere = _search(client, "須坂 存在しない言葉")

    assert _links(suzaka, "agreements") == ["/areas/nagano/agreements/202070/"]
    assert _counts(nowhere) == {}
    assert "「須坂 存在しない言葉」に一致するものは見つかりませんでした。" in nowhere


def test_search_finds_an_english_title_on_the_english_page(client, shared_demo):
    item = factories.AgreementItemFactory(
        agreement=shared_demo.agreements.get(partner__code="205907"),
        title="雪国の暮らし体験",
        title_en="Snow country living experience",
    )

    content = _search(client, "SNOW living", english=True)

    assert _links(content, "agreements") == [item.agreement.get_absolute_url()]
    assert "1 result for “SNOW living”." in content
    # Names are shown in English with the Japanese beside them, as on the other pages.
    assert 'Nagano City (<span lang="ja">長野市</span>)' in content
    assert '<html lang="en">' in content


def test_search_never_finds_drafts(client, shared_demo):
    draft = factories.AgreementFactory(area=shared_demo, internal=True, title="秘密の協約案")
    factories.AgreementItemFactory(agreement=draft, title="非公開の下書き事業")
    vision = factories.VisionFactory(area=shared_demo)  # a draft
    project = factories.ProjectFactory(vision=vision, title="下書きビジョンの事業")
    factories.IndicatorFactory(project=project, name="下書きビジョンの指標")

    for query in ("秘密の協約案", "非公開の下書き事業", "下書きビジョン"):
        content = _search(client, query)
        assert _counts(content) == {}, query


def test_search_reads_the_version_in_force_while_an_amendment_is_drafted(client, db):
    agreement = factories.agreement_in_force(
        factories.AgreementItemFactory(title="共同調達事業").agreement
    )
    factories.ProcedureFactory(agreement=agreement, amendment=True, drafting=True)
    # The amendment being drafted renames the item: internal work until it is submitted.
    item = agreement.items.get()
    item.title = "ドローン配送事業"
    item.save()

    assert _counts(_search(client, "ドローン配送")) == {}
    assert _links(_search(client, "共同調達"), "agreements") == [agreement.get_absolute_url()]


def test_search_lists_a_few_of_each_kind_and_all_of_one_kind_page_by_page(
    client, shared_demo, monkeypatch
):
    monkeypatch.setattr("public.search.SHOWN_PER_KIND", 3)
    monkeypatch.setattr("public.search.PER_PAGE", 3)

    content = _search(client, "観光")
    assert len(_links(content, "agreements")) == 3
    assert "ほか5件：連携協約の検索結果をすべて表示" in content
    assert 'href="?q=%E8%A6%B3%E5%85%89&amp;kind=agreements"' in content

    pages = [_search(client, "観光", kind="agreements", page=number) for number in (1, 2, 3)]
    listed = [url for page in pages for url in _links(page, "agreements")]
    assert len(listed) == len(set(listed)) == 8
    assert _counts(pages[2]) == {"agreements": 8}  # the other kinds are not searched
    assert '<a href="?q=%E8%A6%B3%E5%85%89&amp;kind=agreements&amp;page=2"' in pages[0]
    assert "検索結果 8件中 7–8件目" in pages[2]
    assert '<a href="?q=%E8%A6%B3%E5%85%89">' in pages[2]  # back to every kind


def test_search_without_a_query_explains_itself(client):
    for address in ("/search/", "/search/?q=", "/search/?q=%E3%80%80+"):
        response = client.get(address)
        content = response.content.decode()
        assert response.status_code == 200
        assert "探したい語句を上の欄に入力してください。例：" in content
        assert '<a href="?q=%E8%A6%B3%E5%85%89">観光</a>' in content


def test_search_refuses_a_query_too_long_or_of_too_many_words(client, shared_demo):
    too_long = _search(client, "観" * (MAX_QUERY_LENGTH + 1))
    too_many = _search(client, " ".join(f"語{number}" for number in range(MAX_WORDS + 1)))

    assert (
        f"{MAX_QUERY_LENGTH}文字以内で入力してください（入力は{MAX_QUERY_LENGTH + 1}文字です）。"
        in too_long
    )
    assert f"語句は{MAX_WORDS}個までにしてください" in too_many
    assert _counts(too_long) == _counts(too_many) == {}


def test_every_public_page_has_a_search_box_without_a_csrf_token(client, shared_demo):
    for address in ("/", "/areas/nagano/", "/en/municipalities/202011/", "/questions/"):
        content = client.get(address).content.decode()
        form = re.search(
            r'<form class="site-search" role="search" action="([^"]+)" method="get">(.*?)</form>',
            content,
            re.S,
        )
        assert form is not None, address
        assert form.group(1) == ("/en/search/" if address.startswith("/en/") else "/search/")
        assert '<label class="visually-hidden" for="site-search-q">' in form.group(2)
        assert "csrfmiddlewaretoken" not in content


def _hot_spring_records(area, count: int) -> None:
    """`count` public agreements, projects and indicators of the area that 湯けむり and
    "yukemuri" find."""
    vision = factories.VisionFactory(area=area, adopted=True)
    for number in range(count):
        agreement = factories.AgreementFactory(area=area)
        factories.AgreementItemFactory(
            agreement=agreement, title=f"湯けむり観光{number}", title_en=f"Yukemuri tours {number}"
        )
        project = factories.ProjectFactory(
            vision=vision, title=f"湯けむり事業{number}", title_en=f"Yukemuri project {number}"
        )
        factories.IndicatorFactory(
            project=project, name=f"湯けむり客数{number}", name_en=f"Yukemuri visitors {number}"
        )


# For each kind: the ids of what it finds, then the page's records; and the agreements whose
# amendment is being drafted, once to find them and once for the titles the page shows (none
# here: nothing more is read for them).
SEARCH_QUERIES = 2 + 2 * len(KINDS)


@pytest.mark.parametrize("count", [2, 25])
def test_search_queries_do_not_grow_with_the_results(client, django_assert_num_queries, count):
    area = factories.CooperationAreaFactory(
        name="湯けむり連携中枢都市圏", english_name="Yukemuri Cooperation Area"
    )
    factories.MunicipalityFactory(name="湯けむり町", english_name="Yukemuri Town")
    _hot_spring_records(area, count)

    with django_assert_num_queries(SEARCH_QUERIES):
        content = _search(client, "湯けむり")
    # Latin letters: the computed English names of municipalities and of areas are read
    # once, then kept in the cache.
    with django_assert_num_queries(SEARCH_QUERIES + 2):
        english = _search(client, "YUKEMURI", english=True)
    with django_assert_num_queries(SEARCH_QUERIES):
        _search(client, "yukemuri")

    expected = {
        "areas": 1,
        "municipalities": 1,
        "agreements": count,
        "projects": count,
        "indicators": count,
    }
    assert _counts(content) == expected
    assert re.findall(r'<h2 id="(\w+)-h">', english) == list(KINDS)
    assert len(_links(content, "agreements")) == min(count, 20)
