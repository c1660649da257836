"""The same page in another language: Japanese at the plain address, English under /en/."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in(context, language_code: str, absolute: bool = False) -> str:
    """The address of the page being shown, in `language_code` (with its query string)."""
    request = context.get("request")
    if request is None:
        return "/"
    url = translate_url(request.get_full_path(), language_code)
    return request.build_absolute_uri(url) if absolute else url
