"""Names and typed text in the page's language.

{% load names %}
{{ municipality|bilingual }}     長野市 | Nagano City (<span lang="ja">長野市</span>)
{{ area|name_text }}             長野地域連携中枢都市圏 | Nagano Cooperation Area
{% english project "title" %}    the title | its title_en, else <span lang="ja">the title</span>
{% english_text project "title" %}   the same as plain text (else the Japanese, unmarked)

`bilingual` and `name_text` take a municipality or an area (anything with `name` and
`name_en`); `english` and `english_text` a record or a dictionary with the field and, maybe,
the field + "_en". The plain-text forms are for <title>, meta tags and attribute values;
`{% english … as name %}` gives a value to use in {% blocktranslate %}.
"""

import re

from django import template
from django.utils.html import format_html

from municipalities.punctuation import in_japanese

register = template.Library()

# Kana, kanji and the full-width forms: text with none of them (a unit such as %, km) is not
# marked as Japanese.
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _value(record, name: str) -> str:
    if isinstance(record, dict):
        return record.get(name) or ""
    return getattr(record, name, "") or ""


@register.filter
def bilingual(place) -> str:
    """On a Japanese page its name; on an English page its English name, the Japanese beside
    it: Iizuna Town (<span lang="ja">飯綱町</span>)."""
    if place is None or place == "":
        return ""
    name = _value(place, "name")
    if in_japanese():
        return name
    english = _value(place, "name_en")
    if not english:
        return format_html('<span lang="ja">{}</span>', name)
    return format_html('{} (<span lang="ja">{}</span>)', english, name)


@register.filter
def name_text(place) -> str:
    """The name as plain text: the Japanese on a Japanese page, the English on an English one."""
    if place is None or place == "":
        return ""
    name = _value(place, "name")
    return name if in_japanese() else _value(place, "name_en") or name


@register.simple_tag
def english(record, field: str) -> str:
    """The field on a Japanese page; on an English page its English (field + "_en"), or the
    Japanese marked as Japanese where none is given."""
    text = _value(record, field)
    if in_japanese():
        return text
    translated = _value(record, f"{field}_en")
    if translated or not _JAPANESE.search(text):
        return translated or text
    return format_html('<span lang="ja">{}</span>', text)


@register.simple_tag
def english_text(record, field: str) -> str:
    """`english` as plain text: the English where given on an English page, else the field."""
    text = _value(record, field)
    if in_japanese():
        return text
    return _value(record, f"{field}_en") or text
