"""Template filters for dates in both calendars: {{ day|jdate }}, {{ year|fiscal_year }}."""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipalities import wareki

register = template.Library()


@register.filter
def jdate(day: datetime.date | None) -> str:
    """2016年3月29日（平成28年3月29日）; in English: Mar. 29, 2016 (Heisei 28)."""
    if not day:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    try:
        era = wareki.wareki_date(day)
    except ValueError:  # before the Meiji era: the Western date alone
        return format_html('<time datetime="{}">{}</time>', day.isoformat(), day.isoformat())
    if (get_language() or "ja").startswith("ja"):
        western = f"{day.year}年{day.month}月{day.day}日"
        return format_html('<time datetime="{}">{}（{}）</time>', day.isoformat(), western, era)
    return format_html(
        '<time datetime="{}">{} ({})</time>', day.isoformat(), formats.date_format(day), era
    )


@register.filter
def fiscal_year(year: int | None) -> str:
    """2016年度（平成28年度）; in English: FY2016 (平成28年度)."""
    if year in (None, ""):
        return ""
    era = wareki.wareki_fiscal_year(int(year))
    if (get_language() or "ja").startswith("ja"):
        return f"{year}年度（{era}）"
    return _("FY%(year)s (%(era)s)") % {"year": year, "era": era}
