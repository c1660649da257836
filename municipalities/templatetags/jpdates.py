"""Template filters for dates in both calendars: {{ day|jdate }}, {{ year|fiscal_year }}.

Each calendar's part is kept on one line (class "nw"): a narrow screen may break between the
Western date and its era, never inside either. On English pages the era's Japanese is marked
lang="ja", so that screen readers read it in Japanese.
"""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipalities import wareki

register = template.Library()


def _in_japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


@register.filter
def jdate(day: datetime.date | None) -> str:
    """2016年3月29日（平成28年3月29日）; in English: Mar. 29, 2016 (平成28年3月29日)."""
    if not day:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    try:
        era = wareki.wareki_date(day)
    except ValueError:  # before the Meiji era: the Western date alone
        return format_html('<time datetime="{}">{}</time>', day.isoformat(), day.isoformat())
    if _in_japanese():
        western = f"{day.year}年{day.month}月{day.day}日"
        return format_html(
            '<time datetime="{}"><span class="nw">{}</span><span class="nw">（{}）</span></time>',
            day.isoformat(),
            western,
            era,
        )
    return format_html(
        '<time datetime="{}"><span class="nw">{}</span> <span class="nw" lang="ja">({})</span>'
        "</time>",
        day.isoformat(),
        formats.date_format(day),
        era,
    )


def fiscal_year(year: int | None) -> str:
    """2016年度（平成28年度）; in English: FY2016 (平成28年度). Plain text, for feeds and files."""
    if year in (None, ""):
        return ""
    era = wareki.wareki_fiscal_year(int(year))
    if _in_japanese():
        return f"{year}年度（{era}）"
    return _("FY%(year)s (%(era)s)") % {"year": year, "era": era}


@register.filter(name="fiscal_year")
def fiscal_year_html(year: int | None) -> SafeString | str:
    """The same on a page, each calendar's part on one line."""
    if year in (None, ""):
        return ""
    era = wareki.wareki_fiscal_year(int(year))
    if _in_japanese():
        return format_html(
            '<span class="nw">{}年度</span><span class="nw">（{}）</span>', year, era
        )
    return format_html(
        '<span class="nw">{}</span> <span class="nw" lang="ja">({})</span>',
        _("FY%(year)s") % {"year": year},
        era,
    )
