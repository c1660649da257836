"""Pages measured in this process, one request at a time: SQL queries, time and size.

Unlike the load on a real server (bench.load), these numbers do not depend on what else the
machine runs: the number of queries of a page must stay the same whatever the size of the
area or of the country, and a page whose count grows with the data reads row by row.
bench.run starts this for each scale, with the cold server's settings (no page cache):

    DATABASE_URL=postgres://… SECRET_KEY=… .venv/bin/python -m bench.inprocess --public
    DATABASE_URL=postgres://… SECRET_KEY=… .venv/bin/python -m bench.inprocess --admin

`--public` requests every address of bench.data.sample_paths() as a reader who is not signed
in; `--admin` signs in an operator (a superuser, created here) and requests the change page
of the big area (bench.data.BIG_SLUG, its memberships and commuting ratios as inline rows)
and the agreement list filtered by status over every agreement of the country. Each prints
a JSON list: path, queries, the first request's time, the median of the next ones, size.
"""

# Run as a script, Django is set up before the models are imported.
# ruff: noqa: E402

import argparse
import json
import os
import statistics
import time
import warnings

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from agreements.models import Agreement
from agreements.status import AgreementStatus
from bench.data import BIG_SLUG, sample_paths
from municipalities.models import CooperationArea

OPERATOR = "bench-operator"
# The test client's host, plain HTTP, and static files read from the project (production's
# hashed names need `collectstatic`): what tests/conftest.py overrides too.
TEST_CLIENT_SETTINGS = {
    "SECURE_SSL_REDIRECT": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


def admin_pages() -> list[tuple[str, str]]:
    pages = []
    big = CooperationArea.objects.filter(slug=BIG_SLUG).first()
    if big is not None:
        pages.append(
            (
                f"change page of the area of {big.memberships.count()} partners",
                f"/admin/municipalities/cooperationarea/{big.pk}/change/",
            )
        )
    in_force = Agreement.objects.filter(stored_status=AgreementStatus.IN_FORCE).count()
    pages.append(
        (
            f"agreement list, status in force ({in_force:,} agreements)",
            f"/admin/agreements/agreement/?status={AgreementStatus.IN_FORCE}",
        )
    )
    return pages


def measure(pages: list[tuple[str, str]], *, operator: bool, repeat: int = 3) -> list[dict]:
    """Each page requested once (the first request, which also warms up), then `repeat`
    times: the queries of the last, the median time."""
    results = []
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], **TEST_CLIENT_SETTINGS
    ):
        client = Client()
        if operator:
            user, _ = get_user_model().objects.get_or_create(
                username=OPERATOR, defaults={"is_staff": True, "is_superuser": True}
            )
            client.force_login(user)
        for name, path in pages:
            runs = []
            for _ in range(repeat + 1):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path)
                    elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}, not 200")
                runs.append((elapsed * 1000, len(queries.captured_queries), len(response.content)))
            results.append(
                {
                    "name": name,
                    "path": path,
                    "queries": runs[-1][1],
                    "first_ms": round(runs[0][0], 1),
                    "median_ms": round(statistics.median(r[0] for r in runs[1:]), 1),
                    "bytes": runs[-1][2],
                }
            )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--public", action="store_true", help="every public page kind")
    which.add_argument("--admin", action="store_true", help="the admin's heaviest pages")
    args = parser.parse_args(argv)
    # Static files are collected by `make serve` only; no page here needs them.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    if args.public:
        results = measure(sample_paths(), operator=False)
    else:
        results = measure(admin_pages(), operator=True)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
