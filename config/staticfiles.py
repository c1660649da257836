"""Static files as `make serve` collects them (django.contrib.staticfiles, named here)."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class SiteStaticFilesConfig(StaticFilesConfig):
    """Leaves out what the site never serves: Django REST framework's browsable-API assets
    (the API answers JSON only) and ReDoc (its documentation is Swagger UI), about 20 MB that
    every `make serve` would otherwise hash and compress."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "rest_framework", "redoc"]
