import datetime

from django.template import Context, Template
from django.utils import formats, translation

from municipalities.templatetags.jpdates import fiscal_year, jdate

DAY = datetime.date(2016, 3, 29)


def _render(source: str, **context) -> str:
    return Template("{% load jpdates %}" + source).render(Context(context))


def test_jdate_in_japanese_gives_both_calendars_in_a_time_element():
    assert _render("{{ day|jdate }}", day=DAY) == (
        '<time datetime="2016-03-29"><span class="nw">2016年3月29日</span>'
        '<span class="nw">（平成28年3月29日）</span></time>'
    )


def test_jdate_in_english_gives_western_date_and_era():
    with translation.override("en"):
        rendered = _render("{{ day|jdate }}", day=DAY)
        western = formats.date_format(DAY)

    assert rendered == (
        f'<time datetime="2016-03-29"><span class="nw">{western}</span> '
        '<span class="nw" lang="ja">(平成28年3月29日)</span></time>'
    )
    assert "2016" in western


def test_jdate_of_nothing_is_empty():
    assert jdate(None) == ""
    assert _render("{{ day|jdate }}", day=None) == ""


def test_fiscal_year_in_japanese_gives_both_calendars():
    assert _render("{{ year|fiscal_year }}", year=2019) == (
        '<span class="nw">2019年度</span><span class="nw">（令和元年度）</span>'
    )
    assert fiscal_year(2016) == "2016年度（平成28年度）"  # plain, for feeds and files


def test_fiscal_year_in_english_names_the_era_year():
    with translation.override("en"):
        rendered = fiscal_year(2016)
        expected = translation.gettext("FY%(year)s (%(era)s)") % {"year": 2016, "era": "平成28年度"}

    assert rendered == expected
    assert "平成28年度" in rendered
    assert "2016" in rendered
    with translation.override("en"):
        on_page = _render("{{ year|fiscal_year }}", year=2016)
    # Never broken inside either part; the era's Japanese read as Japanese.
    assert '<span class="nw" lang="ja">(平成28年度)</span>' in on_page
    assert ">FY2016</span>" in on_page


def test_fiscal_year_of_nothing_is_empty():
    assert fiscal_year(None) == ""
    assert fiscal_year("") == ""


def test_jdate_gives_the_western_date_alone_before_the_meiji_era():
    assert jdate(datetime.date(1016, 2, 17)) == '<time datetime="1016-02-17">1016-02-17</time>'


def test_jdate_shows_a_moment_on_its_local_day():
    # 2016-03-28 20:00 UTC is already 2016-03-29 in Tokyo.
    moment = datetime.datetime(2016, 3, 28, 20, 0, tzinfo=datetime.UTC)
    assert "2016年3月29日" in jdate(moment)
