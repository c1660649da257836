"""Japanese first, English under /en/: the language is the address's, nothing else."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from municipalities import page_versions

logger = logging.getLogger(__name__)


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
    cannot leak one (BREACH); pages for signed-in people stay uncompressed, and so does a
    file that is compressed already (the bulk data's zip)."""

    def process_response(self, request, response):
        if not _is_public_read(request, response) or response.get("Content-Type") in (
            "application/zip",
        ):
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


# The public pages and the API (public.api): the same record, kept under the same versions.
CACHED_NAMESPACES = frozenset({"public", "agreements", "vision", "api"})


class PublicPageCacheMiddleware:
    """Keeps public pages, exports and feeds in the server-side cache as they leave the
    server (compressed, with their ETag and Cache-Control), for PAGE_CACHE_SECONDS at most,
    under the versions of what they show (municipalities.page_versions) and today's date (a
    status can change at midnight). A page read from the cache costs two cache reads: no
    view, no template, no compression. A request naming the page's ETag gets 304.

    It sits outside the compression and conditional-request middleware, before the session
    and the user are known, so it serves only requests that carry no session or message
    cookie (someone signed out), and keeps only what any reader gets alike: answered 200,
    public, with no cookie and no CSRF token. `X-Page-Cache` says whether the page came
    from the cache.
    """

    BYPASS_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
    PARAMETERS = frozenset({"page"})

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = settings.PAGE_CACHE_SECONDS

    def __call__(self, request):
        try:
            key = self._key(request) if self.seconds else None
            response = cache.get(key) if key else None
        except Exception:  # a cache that does not answer: the page is rendered as without one
            logger.exception("The page cache does not answer")
            key = response = None
        if response is not None:
            conditional = get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
            conditional["X-Page-Cache"] = "hit"
            return conditional
        response = self.get_response(request)
        if key and request.method == "GET" and self._may_keep(request, response):
            try:
                cache.set(key, response, self.seconds)
            except Exception:
                logger.exception("The page cache does not answer")
            else:
                response["X-Page-Cache"] = "miss"
        return response

    def _key(self, request) -> str | None:
        """The cache key of a page any reader gets alike, or None."""
        if (
            request.method not in ("GET", "HEAD")
            or any(name in request.COOKIES for name in self.BYPASS_COOKIES)
            # Only the parameters the pages read: any other would be a page of its own.
            or set(request.GET) - self.PARAMETERS
        ):
            return None
        language = translation.get_language_from_path(request.path_info)
        try:
            with translation.override(language or settings.LANGUAGE_CODE):
                match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.namespace not in CACHED_NAMESPACES:
            return None
        slug = match.kwargs.get("slug")
        scope = page_versions.area_key(slug) if slug else page_versions.NATIONAL
        versions = page_versions.current([page_versions.REGISTRY, scope])
        compressed = "gzip" in request.headers.get("Accept-Encoding", "")
        # The whole address, host and scheme included: pages carry absolute links.
        address = f"{timezone.localdate()}|{versions}|{compressed}|{request.build_absolute_uri()}"
        return "page:" + hashlib.sha256(address.encode()).hexdigest()

    @staticmethod
    def _may_keep(request, response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and "public" in response.get("Cache-Control", "")
            and _is_public_read(request, response)
        )
