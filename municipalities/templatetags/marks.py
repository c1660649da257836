"""Marks that pages repeat hundreds of times, written in Python rather than as included
templates (an include costs a template render each time):

- {% sample_mark %}: the mark on values invented for the demo, rendered once per language;
- {% sample_value record "field" %}: that mark where the record says this value is invented;
- {% status_badge status %}: an agreement's status, linked to what it means;
- {% progress_badge status %}: an indicator's progress;
- {{ value|number }}: a value as the pages show it (municipalities.numbers.format_value);
- {{ text|uncertain_marked }}: a directory fact with its UNCERTAIN shown as a mark.
"""

import datetime
import re

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from municipalities.numbers import format_value
from municipalities.templatetags.jpdates import jdate

register = template.Library()


@register.filter
def number(value, places=None) -> str:
    """{{ value|number }}: 1,234.5 → "1,234.5", 1000 → "1,000"; nothing for None.
    {{ value|number:indicator.decimals }}: with the indicator's decimals (36 → "36.0")."""
    if value in (None, ""):
        return ""
    return format_value(value, None if places in (None, "") else int(places))


@register.simple_tag
def status_badge(status) -> SafeString:
    """An agreement's status (agreements.status.AgreementStatus), linked to its explanation."""
    return format_html(
        '<a class="status status-{}" href="{}#status-{}" title="{}">{}</a>',
        status.value,
        reverse("public:procedure_guide"),
        status.value,
        gettext("What this status means"),
        status.label,
    )


@register.simple_tag
def progress_badge(status) -> SafeString:
    """An indicator's progress (vision.progress.ProgressStatus), with its shape mark."""
    return format_html(
        '<span class="progress progress-{}"><span aria-hidden="true" class="progress-mark">'
        "</span>{}</span>",
        status.value,
        status.label,
    )


_rendered: dict[str, SafeString] = {}


@register.simple_tag
def sample_mark() -> SafeString:
    language = get_language()
    if language not in _rendered:
        _rendered[language] = format_html(
            '<span class="sample" title="{}">{}</span>',
            gettext("Invented for the demonstration; not a recorded fact."),
            gettext("sample"),
        )
    return _rendered[language]


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MONTH = re.compile(r"\d{4}-\d{2}")


@register.filter
def uncertain_marked(text: str) -> SafeString:
    """A fact in its source's words, each UNCERTAIN in it shown as a visible mark: the
    national directory says UNCERTAIN where no source confirms the fact."""
    text = str(text).strip()
    if ISO_DAY.fullmatch(text):  # a plain date reads as every other date of the site
        return jdate(datetime.date.fromisoformat(text))
    if ISO_MONTH.fullmatch(text):
        year, month = (int(part) for part in text.split("-"))
        if get_language().startswith("ja"):
            return f"{year}年{month}月"
        return formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
    mark = format_html(
        '<span class="uncertain" title="{}">{}</span>',
        gettext("No source confirms this fact."),
        gettext("unconfirmed"),
    )
    parts = [conditional_escape(part) for part in text.split("UNCERTAIN")]
    return mark_safe(mark.join(parts))  # every part is escaped


@register.simple_tag
def sample_value(record, name: str) -> SafeString | str:
    """The sample mark (with a space before it) where `record.is_sample_value(name)`."""
    if not record.is_sample_value(name):
        return ""
    return format_html(" {}", sample_mark())
