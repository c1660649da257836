"""{% resolution_list resolutions %}: a council's resolutions of an agreement, as the area's
table (one cell per council and partner) and the agreement's timeline show them.

Written in Python rather than as an included template: an area's table shows two lists per
partner, and an include costs a template render each time.
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from agreements.status import Approval, Result
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
            '<li id="resolution-{}" class="result-{}"><strong>{}</strong> {}{}<br>'
            '<span class="muted">{} {}{}{}</span>{}{}</li>',
            (
                (
                    r.pk,
                    r.result,
                    r.get_result_display(),
                    jdate(r.resolved_on),
                    _sample(r, "resolved_on"),
                    r.session,
                    r.bill_number,
                    _sample(r, "bill_number"),
                    _submitted(r),
                    _approval(r),
                    _document(r),
                )
                for r in resolutions
            ),
        ),
    )


def _sample(resolution, name: str) -> SafeString | str:
    """The sample mark after one value, where that value is invented."""
    return format_html(" {}", sample_mark()) if resolution.is_sample_value(name) else ""


def _submitted(resolution) -> SafeString | str:
    if not resolution.submitted_on:
        return ""
    return format_html(" ({})", _dated(gettext("submitted on %(date)s"), resolution.submitted_on))


def _approval(resolution) -> SafeString | str:
    """What became of a 専決処分 before the council: waiting for its report, approved, or
    not approved (the disposal stays valid either way, §179)."""
    if resolution.result != Result.SPECIAL_DISPOSAL:
        return ""
    if not resolution.approval:
        text = gettext("The head reports it to the council at its next session for approval.")
    elif resolution.approval == Approval.APPROVED:
        text = _dated(gettext("The council approved it on %(date)s."), resolution.approval_on)
    else:
        text = _dated(
            gettext("The council did not approve it on %(date)s; the disposal stays valid (§179)."),
            resolution.approval_on,
        )
    return format_html('<br><span class="approval">{}</span>', text)


def _dated(message: str, day) -> SafeString:
    """A translated sentence with a date marked up as <time> in it."""
    return mark_safe(conditional_escape(message) % {"date": jdate(day)})  # noqa: S308


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
