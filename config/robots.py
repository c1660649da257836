"""/robots.txt: the public record may be indexed; the staff's pages may not."""

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /accounts/\nDisallow: /desk/\n" + (
    "Disallow: /en/admin/\nDisallow: /en/accounts/\nDisallow: /en/desk/\n"
)


@require_GET
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    """The lightest page of the site; `make bench` measures the others against it."""
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")
