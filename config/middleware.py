"""Japanese first, English under /en/: the language is the address's, nothing else."""

from django.conf import settings
from django.utils import translation


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
