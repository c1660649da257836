"""Punctuation that follows the page's language (municipalities.punctuation):

{% load punctuation %}
{% translate "Lead" %}{% colon %}{{ name }}        主担当：長野市 / Lead: Nagano City
{{ status }}{% comma %}{{ date }}                   策定済み、2021年… / Adopted, …
{{ role }}{% paren %}{{ count }}{% endparen %}     ア 経済成長のけん引（2） / … (2)
"""

from django import template
from django.utils.safestring import mark_safe

from municipalities import punctuation

register = template.Library()


@register.simple_tag
def colon() -> str:
    return punctuation.colon()


@register.simple_tag
def comma() -> str:
    return punctuation.comma()


class ParenNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        inner = self.nodelist.render(context)  # escaped already, as any template output is
        return mark_safe(punctuation.parenthesised(inner))  # noqa: S308


@register.tag
def paren(parser, token):
    """{% paren %}…{% endparen %}: the content in the language's parentheses."""
    nodelist = parser.parse(("endparen",))
    parser.delete_first_token()
    return ParenNode(nodelist)
