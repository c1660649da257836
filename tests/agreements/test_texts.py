"""Reading an agreement's text as real ones are written, and the 新旧対照表 of two contents."""

from agreements import texts
from agreements.texts import Segment

REAL = """姫路市（以下「甲」という。）と稲美町（以下「乙」という。）は、次のとおり締結する。
（目的）
第1条　この協約は、圏域の発展を目的とする。
（基本方針）
第２条　甲及び乙は、連携する。
２　甲及び乙は、役割を分担する。
（1）経済
（2）生活
第三条の二　見出しのない条
附　則
この協約は、締結の日から効力を生ずる。"""


def test_parse_reads_preamble_articles_paragraphs_and_closing():
    text = texts.parse(REAL)

    assert text.errors == ()
    assert text.preamble.startswith("姫路市（以下「甲」という。）")
    assert [(a.label, a.title) for a in text.articles] == [
        ("第1条", "目的"),
        ("第2条", "基本方針"),
        ("第3条の2", ""),
    ]
    assert text.articles[1].paragraphs == (
        "甲及び乙は、連携する。",
        "甲及び乙は、役割を分担する。\n（1）経済\n（2）生活",
    )
    assert text.closing == "附　則\nこの協約は、締結の日から効力を生ずる。"
    assert text.articles[1].render() == (
        "（基本方針）\n第2条　甲及び乙は、連携する。\n"
        "２　甲及び乙は、役割を分担する。\n（1）経済\n（2）生活"
    )


def test_parse_reads_kanji_article_numbers():
    text = texts.parse("甲と乙は\n第九条　a\n第十条　b\n第二十三条　c\n第百一条の十二　d")
    assert [a.number for a in text.articles] == [(9, 0), (10, 0), (23, 0), (101, 12)]


def test_parse_names_each_problem():
    assert texts.parse("").errors == ()
    assert [e[0] for e in texts.parse("この協約は…").errors] == [texts.ERROR_NO_ARTICLE]
    assert [e[0] for e in texts.parse("第1条 目的").errors] == [texts.ERROR_PREAMBLE_PARTIES]
    errors = texts.parse("甲乙\n第2条 a\n第1条 b").errors
    assert errors == ((texts.ERROR_ARTICLE_ORDER, {"article": "第1条", "previous": "第2条"}),)


def test_default_text_follows_the_real_structure_and_reads_back():
    text = texts.parse(
        texts.default_text(
            central="長野市", partner="須坂市", basic_policy="方針。", lapse_months=24
        )
    )
    assert text.errors == ()
    assert "長野市（以下「甲」という。）と須坂市（以下「乙」という。）" in text.preamble
    assert [a.title for a in text.articles] == [
        "目的",
        "基本方針",
        "連携する取組及び役割分担",
        "費用負担",
        "連携協約の推進",
        "失効",
        "その他",
    ]
    assert text.articles[1].paragraphs == ("方針。",)
    assert "24月を経過した日" in text.articles[5].paragraphs[0]


def _content(text: str, items=()) -> dict:
    return {"title": "連携協約", "basic_policy": "", "text": text, "items": list(items)}


def _item(title: str, central: str = "運営する。", **kwargs) -> dict:
    return {
        "role": "living_services",
        "field": "",
        "title": title,
        "central_city_part": central,
        "partner_part": "協力する。",
        "order": 0,
        **kwargs,
    }


BASE = (
    "甲と乙は締結する。\n（推進）\n第1条　毎年度協議を行うものとする。\n"
    "（その他）\n第2条　協議して定める。"
)


def test_compare_marks_only_the_changed_words_of_a_changed_article():
    new = BASE.replace("協議を行う", "協議を行い、結果を公表する")

    rows = texts.compare(_content(BASE), _content(new))

    assert [row.label for row in rows] == ["第1条"]
    assert [s for s in rows[0].new if s.changed] == [Segment("い、結果を公表する", True)]
    assert [s for s in rows[0].old if s.changed] == [Segment("う", True)]
    assert (
        "".join(s.text for s in rows[0].new)
        == "（推進）\n第1条　毎年度協議を行い、結果を公表するものとする。"
    )


def test_compare_shows_new_and_removed_provisions_whole():
    new = BASE.replace(
        "（その他）\n第2条　協議して定める。",
        "（公表）\n第1条の2　公表する。\n（その他）\n第2条　協議して定める。",
    )
    old_items = [_item("移住促進", id=1), _item("職員研修", id=2)]
    new_items = [_item("移住促進", id=1, central="相談会を開く。"), _item("災害時の相互応援")]

    rows = texts.compare(_content(BASE, old_items), _content(new, new_items))

    by_label = {row.label: row for row in rows}
    assert list(by_label) == [
        "第1条の2",
        "別表第3（ウ 圏域全体の生活関連機能サービスの向上）　災害時の相互応援",
        "別表第3（ウ 圏域全体の生活関連機能サービスの向上）　移住促進",
        "別表第3（ウ 圏域全体の生活関連機能サービスの向上）　職員研修",
    ]
    assert by_label["第1条の2"].old is None
    assert by_label["第1条の2"].new == (Segment("（公表）\n第1条の2　公表する。", True),)
    changed = by_label["別表第3（ウ 圏域全体の生活関連機能サービスの向上）　移住促進"]
    assert [s.text for s in changed.new if s.changed] == ["相談会を開く"]
    removed = by_label["別表第3（ウ 圏域全体の生活関連機能サービスの向上）　職員研修"]
    assert removed.new is None and removed.old[0].changed


def test_compare_pairs_items_by_title_where_a_side_has_no_identifiers():
    old_items = [_item("移住促進", id=7)]
    new_items = [_item("移住促進")]
    assert texts.compare(_content(BASE, old_items), _content(BASE, new_items)) == []


def test_content_errors_names_a_malformed_content():
    assert texts.content_errors(_content(BASE, [_item("a")])) == []
    assert texts.content_errors({"title": 1})[0][0] == texts.ERROR_CONTENT_SHAPE
    assert texts.content_errors(_content(BASE, [{"role": "x", "title": "a"}]))[0][0] == (
        texts.ERROR_CONTENT_SHAPE
    )
    assert texts.content_errors(_content("第1条 a"))[0][0] == texts.ERROR_PREAMBLE_PARTIES
