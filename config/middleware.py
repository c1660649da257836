"""Japanese first, English under /en/: the language is the address's, nothing else."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from municipalities import page_versions


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


CACHED_NAMESPACES = frozenset({"public", "agreements", "vision"})


class PublicPageCacheMiddleware:
    """Keeps rendered public pages, exports and feeds in the server-side cache, for
    PAGE_CACHE_SECONDS at most, under the versions of what they show
    (municipalities.page_versions) and today's date (a status can change at midnight).

    Only what any reader gets alike is kept and served: a request with no session or
    message cookie, answered 200 with no cookie and no CSRF token. `X-Page-Cache` says
    whether the page came from the cache.
    """

    BYPASS_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = settings.PAGE_CACHE_SECONDS

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (self.seconds and self._may_share(request)):
            return None
        slug = view_kwargs.get("slug")
        scope = page_versions.area_key(slug) if slug else page_versions.NATIONAL
        versions = page_versions.current([page_versions.REGISTRY, scope])
        address = f"{timezone.localdate()}|{versions}|{request.get_full_path()}"
        key = "page:" + hashlib.sha256(address.encode()).hexdigest()
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = view_func(request, *view_args, **view_kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response = response.render()
        if self._may_keep(request, response):
            cache.set(key, response, self.seconds)
            response["X-Page-Cache"] = "miss"
        return response

    def _may_share(self, request) -> bool:
        match = request.resolver_match
        return (
            request.method in ("GET", "HEAD")
            and match is not None
            and match.namespace in CACHED_NAMESPACES
            and not any(name in request.COOKIES for name in self.BYPASS_COOKIES)
            and not request.user.is_authenticated
        )

    @staticmethod
    def _may_keep(request, response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.has_header("Cache-Control")
            and not response.has_header("Vary")
            and _is_public_read(request, response)
        )
