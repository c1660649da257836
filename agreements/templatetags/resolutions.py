"""{% resolution_list resolutions %}: a council's resolutions of an agreement, as the area's
table (one cell per council and partner) and the agreement's timeline show them.

Written in Python rather than as an included template: an area's table shows two lists per
partner, and an include costs a template render each time.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from municipalities.templatetags.jpdates import jdate
from municipalities.templatetags.marks import sample_mark

register = template.Library()


@register.simple_tag
def resolution_list(resolutions) -> SafeString:
    """Each resolution's result, date, session and bill, its document (or why it is not
    there yet) and the sample mark; "not resolved yet" when there is none."""
    if not resolutions:
        return format_html('<span class="muted">{}</span>', gettext("not resolved yet"))
    return format_html(
        '<ul class="resolutions">{}</ul>',
        format_html_join(
            "",
            '<li id="resolution-{}" class="result-{}"><strong>{}</strong> {}<br>'
            '<span class="muted">{} {}</span>{}{}</li>',
            (
                (
                    r.pk,
                    r.result,
                    r.get_result_display(),
                    jdate(r.resolved_on),
                    r.session,
                    r.bill_number,
                    _document(r),
                    format_html(" {}", sample_mark()) if r.is_sample else "",
                )
                for r in resolutions
            ),
        ),
    )


def _document(resolution) -> SafeString | str:
    if resolution.document:
        return format_html(
            ' <a href="{}">{}</a>',
            reverse("agreements:resolution_document", args=[resolution.pk]),
            gettext("Resolution document (PDF)"),
        )
    if resolution.document_pending:
        return format_html(
            '<br><span class="muted">{}: {}</span>',
            gettext("Resolution document"),
            resolution.document_pending,
        )
    return ""
