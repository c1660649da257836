"""The `code` path converter: six digits, so no other text reaches a database query."""

from django.urls import register_converter


class LocalGovernmentCodeConverter:
    regex = "[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LocalGovernmentCodeConverter, "code")
