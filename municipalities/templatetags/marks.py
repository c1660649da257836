"""{% sample_mark %}: the mark on values invented for the demo, rendered once per language.

A page can carry hundreds of these marks (every sample value of a vision); an include per
mark cost a template render and two translations each time.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

register = template.Library()

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
