"""Settings read the environment and fail loudly in production (run in fresh processes)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SETUP = "import django; django.setup(); from django.conf import settings; "


def _run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Start Django with only the given environment variables (and PATH) set."""
    clean_env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "-c", SETUP + code],
        cwd=BASE_DIR,
        env=clean_env | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("debug", [None, "", "0", "false"])
def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(debug):
    env = {} if debug is None else {"DEBUG": debug}

    result = _run_django("print('started')", **env)

    assert result.returncode != 0
    assert "started" not in result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:")
    assert "SECRET_KEY" in last_line


def test_settings_start_without_secret_key_when_debug_is_on():
    result = _run_django("print(settings.DEBUG, bool(settings.SECRET_KEY))", DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_settings_use_the_given_secret_key_in_production():
    result = _run_django(
        "print(settings.DEBUG, settings.SECRET_KEY, settings.SESSION_COOKIE_SECURE)",
        SECRET_KEY="from-the-environment",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "from-the-environment", "True"]


@pytest.mark.parametrize(
    ("database_url", "engine", "name"),
    [
        (
            "postgres://rentai:pw@db.example:5432/rentai",
            "django.db.backends.postgresql",
            "rentai",
        ),
        (
            "sqlite:////tmp/rentai-test.sqlite3",
            "django.db.backends.sqlite3",
            "/tmp/rentai-test.sqlite3",
        ),
    ],
)
def test_settings_select_database_from_database_url(database_url, engine, name):
    result = _run_django(
        "db = settings.DATABASES['default']; print(db['ENGINE'], db['NAME'])",
        SECRET_KEY="x",
        DATABASE_URL=database_url,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [engine, name]


def test_settings_default_to_sqlite_in_the_project_without_database_url():
    result = _run_django(
        "db = settings.DATABASES['default']; print(db['ENGINE'], db['NAME'])", SECRET_KEY="x"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(BASE_DIR / "db.sqlite3")]


PRODUCTION = {
    "SECRET_KEY": "production-like-secret-" + "k3y" * 20,
    "ALLOWED_HOSTS": "renkei.example.jp",
    "DATABASE_URL": "postgres://rentai@db.example.jp/rentai",
}


def test_the_documented_production_environment_passes_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", "")} | PRODUCTION,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_redirect_to_https_behind_a_proxy_and_keep_connections():
    result = _run_django(
        "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER, "
        "settings.SECURE_HSTS_SECONDS, settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.STORAGES['staticfiles']['BACKEND'])",
        **PRODUCTION,
    )

    assert result.stdout.split() == [
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "31536000",
        "60",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_a_proxy_header_can_be_turned_off_and_connections_closed():
    result = _run_django(
        "print(hasattr(settings, 'SECURE_PROXY_SSL_HEADER') and settings.SECURE_PROXY_SSL_HEADER,"
        " settings.DATABASES['default']['CONN_MAX_AGE'])",
        **PRODUCTION | {"SECURE_PROXY_SSL_HEADER": "", "CONN_MAX_AGE": "0"},
    )

    assert result.stdout.split() == ["None", "0"]


def test_documents_go_to_s3_compatible_object_storage_when_a_bucket_is_named():
    result = _run_django(
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.location, s.default_acl)",
        SECRET_KEY="from-the-environment",
        STORAGE_BUCKET="rentai-documents",
        STORAGE_ENDPOINT_URL="https://objects.example.jp",
        STORAGE_PREFIX="nagano",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "rentai-documents",
        "https://objects.example.jp",
        "nagano",
        "private",
    ]


def test_documents_stay_on_local_disk_by_default():
    result = _run_django(
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.location)",
        SECRET_KEY="from-the-environment",
        MEDIA_ROOT="/srv/rentai/media",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", "/srv/rentai/media"]
