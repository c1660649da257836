"""Japanese first, English under /en/: the language is the address's, nothing else."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control


class LanguageFromPathMiddleware:
    """The page's language comes from its address: /en/… is English, every other address is
    Japanese. Neither a browser's Accept-Language nor a cookie switches it, so residents of any
    browser see the official Japanese record, and one address is always one page (a shared
    cache may keep it; no Vary on the language).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info)
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class PermissionsPolicyMiddleware:
    """Sends the Permissions-Policy header (settings.PERMISSIONS_POLICY) with every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


PRIVATE_PREFIXES = ("admin/", "accounts/", "desk/", "i18n/")


def _is_public_read(request, response) -> bool:
    """A page any reader gets alike: read by someone signed out, on a public address, with
    no cookie set and no secret (a CSRF token) written into it."""
    path = request.path_info.lstrip("/")
    language = getattr(request, "LANGUAGE_CODE", "")
    if language and path.startswith(f"{language}/"):
        path = path[len(language) + 1 :]
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not path.startswith(PRIVATE_PREFIXES)
        and not (user is not None and user.is_authenticated)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses public pages, exports and feeds. Nothing secret is in them, so compression
    cannot leak one (BREACH); pages for signed-in people stay uncompressed."""

    def process_response(self, request, response):
        if not _is_public_read(request, response):
            return response
        return super().process_response(request, response)


class PublicCacheControlMiddleware:
    """Public pages may be kept by browsers and shared caches for PUBLIC_CACHE_SECONDS; they
    carry an ETag, and a request that names it is answered 304 Not Modified."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = settings.PUBLIC_CACHE_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.has_header("Cache-Control")
            and _is_public_read(request, response)
        ):
            patch_cache_control(response, public=True, max_age=self.seconds)
        return response
