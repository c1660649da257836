"""Pages of the API's lists, and the limit on how often one address may ask."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from municipalities.signin import client_address

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

ERROR_PAGE = _("“%(value)s” is not a page number: give a whole number from 1.")
ERROR_PAGE_SIZE = _("“%(value)s” is not a page size: give a whole number from 1 to %(max)s.")


def _whole_number(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


class Pages(PageNumberPagination):
    """PAGE_SIZE records a page (up to MAX_PAGE_SIZE with `page_size`), with the count and
    the full addresses of the next and previous pages. A page number or size that is not a
    whole number in range is a 400 naming the parameter; a page after the last is a 404."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = _("There is no page {page_number}.")

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param, "").strip()
        if not value:
            return 1
        number = _whole_number(value)
        if not number:
            raise ValidationError({self.page_query_param: [str(ERROR_PAGE) % {"value": value}]})
        return number

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "").strip()
        if not value:
            return self.page_size
        size = _whole_number(value)
        if not size or size > self.max_page_size:
            message = str(ERROR_PAGE_SIZE) % {"value": value, "max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "How many records the list has."},
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page's full address; null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The previous page's full address; null on the first.",
                },
                "results": {**schema, "description": "The records of this page."},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "The page, from 1 (the default). A page after the last is a "
                "404; a value that is not a whole number from 1 is a 400.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records a page: {self.page_size} by default, at most "
                f"{self.max_page_size}. Another value is a 400.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class AnonymousThrottle(AnonRateThrottle):
    """How often one visitor's address may ask (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES
    "anon"), counted in the project's cache. The address is the visitor's behind the trusted
    proxies (municipalities.signin.client_address), not one the visitor wrote into
    X-Forwarded-For. The rate is read on each request, so that a test can change it."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request) or ""
