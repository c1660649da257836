"""The residents' questions page: each question under its own heading in both languages, each
answer with its source, the page linked from every page, and the partner's cap read from the
allocation-tax rule in force."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext
from lxml import html

from municipalities.wareki import fiscal_year_of
from tests import factories
from vision.models import AllocationTaxRule
from vision.services import allocation_rule_save

pytestmark = pytest.mark.django_db

QUESTIONS = {
    "what-is-an-area": "What is a regional core city cooperation area?",
    "money": "Does the national government give money for it?",
    "whole-area": "Will only the central city grow, while the towns around it decline?",
    "prefecture": "What does the prefecture do?",
    "wide-area-union": (
        "How is it different from a wide-area union or a partial-affairs association?"
    ),
    "merger": "Is it a step towards a merger?",
    "follow": "How can I follow the procedure on this site?",
}
PAGES = {"ja": "/questions/", "en": "/en/questions/"}
SOURCE_LABEL = {"ja": "出典：", "en": "Source:"}


def _page(client, language: str):
    response = client.get(PAGES[language])
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _answer(page, anchor: str):
    """The section the question's heading opens."""
    (heading,) = page.xpath(f'//main//h2[@id="{anchor}"]')
    return heading.getparent()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_questions_page_answers_each_question_under_its_own_heading(client, language):
    page = _page(client, language)

    with translation.override(language):
        questions = {anchor: gettext(question) for anchor, question in QUESTIONS.items()}
    listed = {
        link.get("href"): _text(link) for link in page.xpath('//nav[@class="questions-toc"]//a')
    }
    assert listed == {f"#{anchor}": question for anchor, question in questions.items()}
    for anchor, question in questions.items():
        answer = _answer(page, anchor)
        assert answer.tag == "section"
        assert _text(answer.xpath("h2")[0]) == question
        assert answer.get("aria-labelledby") == anchor
        # An answer: text under the heading besides its source line.
        assert [p for p in answer.xpath(".//p | .//dd | .//li") if "source" not in p.classes]
    assert page.xpath("//script") == []  # the page needs no JavaScript


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_answer_names_its_source(client, language):
    page = _page(client, language)

    for anchor in QUESTIONS:
        sources = _answer(page, anchor).xpath('.//p[@class="source"]')
        assert len(sources) == 1, anchor
        assert _text(sources[0]).startswith(SOURCE_LABEL[language]), anchor
        if anchor != "follow":  # the site's own pages, and the law
            assert "連携中枢都市圏構想に関するＱ＆Ａ" in _text(sources[0]), anchor
        assert sources[0].xpath(".//cite"), anchor
    law = page.xpath('//cite/a[text()="地方自治法"]')
    assert law and {a.get("href") for a in law} == {"https://laws.e-gov.go.jp/law/322AC0000000067"}
    guideline = page.xpath('//cite/a[text()="連携中枢都市圏構想推進要綱"]')
    assert guideline and all(
        a.get("href").startswith("https://www.soumu.go.jp/") for a in guideline
    )


def test_japanese_copy_uses_full_width_punctuation(client):
    page = _page(client, "ja")
    main = page.xpath("//main")[0]
    # Addresses and the rule's source as recorded are quoted as they are, not copy.
    for element in main.xpath('.//code | .//*[contains(@class, "rule-source")]'):
        element.drop_tree()

    text = main.text_content()

    assert re.findall(r"[:;()?!\[\]]|(?<!\d),|,(?!\d)|(?<!\d)\.|\.(?!\d)", text) == []
    assert "出典：" in text and "？" in text and "（" in text


def test_english_copy_has_no_japanese_sentence_punctuation(client):
    page = _page(client, "en")
    main = page.xpath("//main")[0]
    for element in main.xpath('.//*[contains(@class, "rule-source")]'):
        element.drop_tree()

    assert re.findall(r"[。、：？（）]", main.text_content()) == []


@pytest.mark.parametrize(
    "page_of",
    [
        lambda agreement: "/",
        lambda agreement: agreement.area.get_absolute_url(),
        lambda agreement: agreement.get_absolute_url(),
        lambda agreement: f"/municipalities/{agreement.partner.code}/",
        lambda agreement: "/procedure/",
    ],
    ids=["area list", "area page", "agreement page", "municipality page", "procedure guide"],
)
def test_questions_page_is_linked_from_every_page_type(client, page_of):
    agreement = factories.agreement_in_force()
    address = page_of(agreement)

    japanese = html.fromstring(client.get(address).content.decode())
    english = html.fromstring(client.get(f"/en{address}").content.decode())

    assert japanese.xpath('//footer//a[@href="/questions/"][text()="よくある質問"]')
    assert english.xpath('//footer//a[@href="/en/questions/"][text()="Questions and answers"]')


def _money(client, language: str = "ja") -> str:
    return _text(_answer(_page(client, language), "money"))


def test_partners_cap_and_its_source_come_from_the_rule_in_force(client):
    first = AllocationTaxRule.for_fiscal_year(fiscal_year_of(timezone.localdate()))
    assert first.partner_special_cap == Decimal("15000000")

    before = _money(client)
    assert "年間15,000,000円を上限" in before
    assert "2015年度（平成27年度）から適用" in before
    assert first.source in before

    this_year = fiscal_year_of(timezone.localdate())
    allocation_rule_save(
        rule=AllocationTaxRule(
            from_fiscal_year=this_year,
            partner_special_cap=Decimal("18000000"),
            source="架空の改正通知",
            source_url="https://example.com/notice",
        ),
        user=None,
    )
    # A rule from next year on is not in force yet.
    allocation_rule_save(
        rule=AllocationTaxRule(
            from_fiscal_year=this_year + 1,
            partner_special_cap=Decimal("99000000"),
            source="先の通知",
        ),
        user=None,
    )
    cache.clear()  # the page cache does not follow the national rule (not an area's record)

    after = _money(client)
    english = _money(client, "en")
    assert "年間18,000,000円を上限" in after and "15,000,000" not in after
    assert f"{this_year}年度" in after and "架空の改正通知" in after
    assert "99,000,000" not in after and "先の通知" not in after
    assert "¥18,000,000 a year" in english and f"since FY{this_year}" in english
    page = _page(client, "ja")
    (link,) = page.xpath('//a[@class="rule-source"]')
    assert (link.get("href"), link.text) == ("https://example.com/notice", "架空の改正通知")


def test_partners_cap_edited_in_place_is_shown(client):
    rule = AllocationTaxRule.for_fiscal_year(fiscal_year_of(timezone.localdate()))
    assert "15,000,000" in _money(client)

    rule.partner_special_cap = Decimal("16500000")
    allocation_rule_save(rule=rule, user=None)
    cache.clear()

    assert "年間16,500,000円を上限" in _money(client)
