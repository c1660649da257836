"""The pages of the e-mail alerts (public.followers): following an area or a municipality,
confirming, and unsubscribing in one click (RFC 8058).

None of these pages is cached (never_cache): each holds a form, an address or a link's
token, so none may reach the public page cache (config.middleware). The area's and the
municipality's own pages only link here, and stay cacheable.
"""

from django import forms
from django.core import signing
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from municipalities.models import CooperationArea, Municipality
from municipalities.signin import client_address

from .followers import (
    SIGN_UP_WINDOW,
    UNCONFIRMED_DAYS,
    LinkGone,
    followed_page,
    follower_confirm,
    follower_remove,
    follower_sign_up,
    follower_to_confirm,
    follower_to_remove,
    sign_up_allowed,
)

ERROR_EMAIL_REQUIRED = _("Enter the e-mail address the alerts should go to.")
ERROR_EMAIL_INVALID = _(
    "“%(value)s” is not an e-mail address: it needs a name, an @ and a domain, such as "
    "taro@example.jp."
)
ERROR_EMAIL_TOO_LONG = _(
    "An e-mail address has at most %(limit_value)d characters; this one has %(show_value)d."
)
LINK_INVALID = _(
    "This link is not valid. It may have been cut short when it was copied: open it from the "
    "e-mail again."
)
LINK_GONE = _(
    "This link has expired, or the sign-up was removed. Sign up again from the page of the "
    "area or municipality."
)


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": ERROR_EMAIL_REQUIRED,
            "invalid": ERROR_EMAIL_INVALID,
            "max_length": ERROR_EMAIL_TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 40}),
    )


def _follow(request, followed):
    """Template: public/alerts/follow.html (the form), then public/alerts/follow_sent.html
    (whatever the address already followed), or public/alerts/throttled.html (429); context:
    followed, page (its address), form or email, days (UNCONFIRMED_DAYS)."""
    context = {"followed": followed, "page": followed_page(followed), "days": UNCONFIRMED_DAYS}
    form = FollowForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        email = form.cleaned_data["email"]
        if not sign_up_allowed(client=client_address(request), email=email):
            response = render(request, "public/alerts/throttled.html", context, status=429)
            response["Retry-After"] = str(int(SIGN_UP_WINDOW.total_seconds()))
            return response
        follower_sign_up(email=email, followed=followed, language=request.LANGUAGE_CODE)
        return render(request, "public/alerts/follow_sent.html", context | {"email": email})
    return render(request, "public/alerts/follow.html", context | {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_area(request, slug: str):
    """Follow an area by e-mail (see _follow)."""
    area = get_object_or_404(
        CooperationArea.objects.select_related("central_city", "joint_central_city"), slug=slug
    )
    return _follow(request, area)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_municipality(request, code: str):
    """Follow a municipality by e-mail (see _follow)."""
    return _follow(request, get_object_or_404(Municipality, code=code))


def _link_problem(request, problem, status: int):
    """Template: public/alerts/link_problem.html; context: problem (what is wrong)."""
    return render(request, "public/alerts/link_problem.html", {"problem": problem}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    """The confirmation link: a page with one button (GET), which confirms (POST). Mail
    scanners open the links of e-mails, so opening it alone must not confirm.

    Templates: public/alerts/confirm.html, then public/alerts/confirmed.html; context:
    follower, page. A link this site did not make: 404; expired, or its sign-up gone: 410.
    """
    try:
        follower = follower_to_confirm(token)
    except LinkGone:
        return _link_problem(request, LINK_GONE, 410)
    except signing.BadSignature:
        return _link_problem(request, LINK_INVALID, 404)
    context = {"follower": follower, "page": followed_page(follower.followed)}
    if request.method == "POST":
        follower_confirm(follower=follower)
    if follower.confirmed_at:
        return render(request, "public/alerts/confirmed.html", context)
    return render(request, "public/alerts/confirm.html", context)


@csrf_exempt  # RFC 8058: the mailbox provider posts here, without a page of ours
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """The link of `List-Unsubscribe`: a POST (RFC 8058's one click, body
    `List-Unsubscribe=One-Click`, or the button of the page) deletes the follower at once;
    a GET shows that button, since mail scanners open links.

    Templates: public/alerts/unsubscribe.html, public/alerts/unsubscribed.html (also for an
    address already removed); context: follower, page. A link this site did not make: 404.
    """
    try:
        follower = follower_to_remove(token)
    except signing.BadSignature:
        return _link_problem(request, LINK_INVALID, 404)
    if follower is None:
        return render(request, "public/alerts/unsubscribed.html", {"follower": None})
    context = {"follower": follower, "page": followed_page(follower.followed)}
    if request.method == "POST":
        follower_remove(follower=follower)
        return render(request, "public/alerts/unsubscribed.html", context)
    return render(request, "public/alerts/unsubscribe.html", context)
