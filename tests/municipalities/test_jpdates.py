import datetime

from django.template import Context, Template
from django.utils import formats, translation

from municipalities.templatetags.jpdates import fiscal_year, jdate

DAY = datetime.date(2016, 3, 29)


def _render(source: str, **context) -> str:
    return Template("{% load jpdates %}" + source).render(Context(context))


def test_jdate_in_japanese_gives_both_calendars_in_a_time_element():
    assert _render("{{ day|jdate }}", day=DAY) == (
        '<time datetime="2016-03-29">2016年3月29日（平成28年3月29日）</time>'
    )


def test_jdate_in_english_gives_western_date_and_era():
    with translation.override("en"):
        rendered = _render("{{ day|jdate }}", day=DAY)
        western = formats.date_format(DAY)

    assert rendered == f'<time datetime="2016-03-29">{western} (平成28年3月29日)</time>'
    assert "2016" in western


def test_jdate_of_nothing_is_empty():
    assert jdate(None) == ""
    assert _render("{{ day|jdate }}", day=None) == ""


def test_fiscal_year_in_japanese_gives_both_calendars():
    assert _render("{{ year|fiscal_year }}", year=2019) == "2019年度（令和元年度）"
    assert fiscal_year(2016) == "2016年度（平成28年度）"


def test_fiscal_year_in_english_names_the_era_year():
    with translation.override("en"):
        rendered = fiscal_year(2016)
        expected = translation.gettext("FY%(year)s (%(era)s)") % {"year": 2016, "era": "平成28年度"}

    assert rendered == expected
    assert "平成28年度" in rendered
    assert "2016" in rendered


def test_fiscal_year_of_nothing_is_empty():
    assert fiscal_year(None) == ""
    assert fiscal_year("") == ""


def test_jdate_gives_the_western_date_alone_before_the_meiji_era():
    assert jdate(datetime.date(1016, 2, 17)) == '<time datetime="1016-02-17">1016-02-17</time>'


def test_jdate_shows_a_moment_on_its_local_day():
    # 2016-03-28 20:00 UTC is already 2016-03-29 in Tokyo.
    moment = datetime.datetime(2016, 3, 28, 20, 0, tzinfo=datetime.UTC)
    assert "2016年3月29日" in jdate(moment)
